#pragma once
// The exact reference for the run's own kernel: for a small population (free agents <=
// max_kernel_agents) the transition matrix of the schedule actually run -- with its action rule,
// policy precision and asymmetric precisions -- on all 2^n states, its stationary law, its
// entropy production, and the distances of that law from Boltzmann(J), Boltzmann(J_sym) and
// Little's law. The references are at the nominal precisions gamma = beta J: a policy precision
// alpha != 1 makes sequential updates sample Boltzmann at alpha gamma, which is exactly the
// departure from the spin glass J that the distance measures.
#include <optional>
#include <string>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "runtime/config/config.hpp"
#include "summary.pb.h"

namespace spinfer {

struct KernelReference {
  record::ExactKernel record;  // schedule empty and a note when there is no kernel
  std::vector<double> law;     // the kernel's stationary law; empty when not computed
  // Whose law the sampler should be judged against: the kernel's own when no closed form holds
  // (asymmetric precisions, policy precision != 1), else the schedule's closed form.
  bool governs_verdict = false;
};

// `colouring` is the one the run's colour phases use (ignored by the other schedules).
KernelReference exact_kernel_reference(const RunConfig& config, const ReducedModel& model,
                                       const Colouring& colouring, double precision_asymmetry);

// The distribution a correct run of this configuration samples, by name: "kernel" when the
// kernel governs the verdict, "little" for synchronous runs, "boltzmann" otherwise.
std::string verdict_reference(const RunConfig& config, const KernelReference& kernel);

// True when the kernel's law is worth comparing the samples with on its own: it governs the
// verdict, or it is further than rounding from the closed form the verdict uses.
bool kernel_adds_a_reference(const RunConfig& config, const KernelReference& kernel);

}  // namespace spinfer
