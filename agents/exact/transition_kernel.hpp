#pragma once
// The exact Markov kernel of a small population's actual dynamics, on all 2^n states (state
// index bit k = 1 when free agent k has spin +1, as in exact_oracle.hpp), for any schedule,
// action rule, policy precision and asymmetric gamma (row k of gamma is agent k's evidence:
// e_k = sum_l gamma(k, l) s_l). Probabilities are the ideal ones of
// ising_agent::log_action_probability; the sampler realises them to within 2^-33.
#include <vector>

#include <Eigen/Dense>
#include <Eigen/SparseCore>

#include "agents/core/colouring.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "agents/ising/ising_agent.hpp"

namespace spinfer {

// 2^12 states: a dense matrix over them takes 128 MiB.
inline constexpr int kMaxKernelAgents = 12;

enum class KernelSchedule {
  random_sequential,  // one uniformly chosen agent acts; a sweep is n such updates
  chromatic,          // colour classes act in turn, each agent of a class on the same state
  synchronous,        // every agent acts on the previous state
};

struct KernelSpec {
  KernelSchedule schedule = KernelSchedule::random_sequential;
  // Chromatic only: the classes in phase order, as free-agent indices. They must partition
  // 0..n-1, and no two agents of one class may be coupled in either direction (otherwise the
  // in-place update of a phase would depend on the order within it).
  std::vector<std::vector<int>> colour_classes;
  ActionRule rule = ActionRule::sample_posterior;
  double policy_precision = 1.0;  // alpha; ignored by posterior_mode
};

using SparseKernel = Eigen::SparseMatrix<double, Eigen::RowMajor>;

// One sweep is `repeats` passes through `kernels` in order: a single-site update kernel n times
// (random sequential), one kernel per colour phase (chromatic), or the one synchronous update.
// Row x holds P(x -> y); entries of probability 0 are not stored.
struct SweepSteps {
  std::vector<SparseKernel> kernels;
  int repeats = 1;
};

// Throws spinfer::Error for n outside [1, kMaxKernelAgents], a bad policy precision or colour
// classes that are not a partition into uncoupled sets.
SweepSteps sweep_steps(const ReducedModel& model, const KernelSpec& spec);

// Dense and row-stochastic: one sweep for chromatic and synchronous schedules; for random
// sequential, one single-site update, whose n-th power is the sweep (both have the same
// stationary law, and the single update is sparse and cheap to power-iterate or solve).
Eigen::MatrixXd transition_matrix(const ReducedModel& model, const KernelSpec& spec);
Eigen::MatrixXd transition_matrix(const SweepSteps& steps);

// The colour classes of the model's free agents under a colouring of the whole population (by
// global id), in colour order, leaving out colours with no free agent.
std::vector<std::vector<int>> colour_classes(const ReducedModel& model, const Colouring& colouring);

}  // namespace spinfer
