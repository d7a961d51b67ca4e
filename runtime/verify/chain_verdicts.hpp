#pragma once
// What a run at one beta is judged on: which law its chains sample. Exact runs compare the
// visited states with Boltzmann(J) and Little's law at the nominal precisions, with
// Boltzmann(J_sym) when the precisions are asymmetric, and with the kernel's own stationary law
// when it was computed; the verdict is on the one the run should sample (verdict_reference).
// Larger runs are judged on the agreement of independent chains.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "runtime/config/config.hpp"
#include "runtime/verify/kernel_reference.hpp"
#include "runtime/verify/stationarity.hpp"
#include "summary.pb.h"

namespace spinfer {

VerificationSettings verification_settings(const RunConfig& config);

struct Verdicts {
  record::Comparison expected;
  std::vector<record::Comparison> alternatives;
  std::vector<std::pair<std::string, std::vector<double>>> references;  // exact runs, by name
};

// Rank 0, on the series so far. `kernel` may be null (none computed).
Verdicts verify_chains(const RunConfig& config, const std::vector<ChainSeries>& series,
                       const std::optional<ReducedModel>& exact, const KernelReference* kernel,
                       double precision_asymmetry);

// The free-agent bits each colour phase changes, in phase order (colour-phase schedules).
std::vector<std::uint32_t> phase_masks(const ReducedModel& model, const Colouring& colouring);

// The fragility measurements of a finished run at one beta: entropy production (against the
// kernel's exact value when there is one) and detailed balance (exact runs).
void summarise_irreversibility(record::Summary& summary, const RunConfig& config,
                               const std::vector<ChainSeries>& series,
                               const std::optional<ReducedModel>& exact,
                               const KernelReference* kernel, const Colouring& colouring,
                               std::int64_t n_free);

// Mean over chains of equal length, with the standard error of that mean.
std::pair<double, double> pooled_mean(const std::vector<ChainSeries>& chains,
                                      std::vector<double> ChainSeries::*member, bool absolute);

}  // namespace spinfer
