#include "agents/exact/kernel_oracle.hpp"

#include <algorithm>
#include <optional>

#include "agents/exact/asymmetry.hpp"
#include "agents/exact/distribution_distance.hpp"
#include "agents/exact/entropy_production.hpp"

namespace spinfer {
namespace {

DistanceFrom distance(const std::vector<double>& p, const std::vector<double>& reference) {
  return {total_variation_distance(p, reference), relative_entropy(p, reference)};
}

// ||p K_sweep - p||_1 is driven below this by power iteration (rounding alone leaves ~1e-15).
constexpr double kIterationResidual = 1e-13;
// Work (stored kernel entries visited) power iteration may spend before the dense solve, whose
// LU factorisation costs 2/3 (2^n)^3, at n = 12 about 5e10 multiply-adds: a twentieth of it,
// about 10^4 chromatic sweeps at n = 12, enough for chains with tau up to ~300 sweeps.
constexpr double kIterationBudget = 1e9;

Eigen::RowVectorXd one_sweep(const SweepSteps& steps, Eigen::RowVectorXd p) {
  for (int r = 0; r < steps.repeats; ++r)
    for (const SparseKernel& k : steps.kernels) p = p * k;
  return p;
}

// Power iteration over one sweep's sparse steps. Under sample_posterior every action has a
// positive probability, so the kernel is irreducible and aperiodic and the iteration converges
// to its unique stationary law from any start; from Boltzmann(J_sym) it starts at the answer
// for symmetric sequential and chromatic kernels and near it for mild asymmetry. The iteration
// is lazy, p <- (p + p K) / 2: the same fixed point, with eigenvalues near -1 (chains that flip
// back and forth) mapped to near 0. None when it has not converged within the budget (slowly
// mixing kernels: the dense solve takes over).
std::optional<StationaryLaw> iterate_to_stationary(const SweepSteps& steps,
                                                   const std::vector<double>& start) {
  double entries = 0;
  for (const SparseKernel& k : steps.kernels) entries += static_cast<double>(k.nonZeros());
  entries *= steps.repeats;
  const auto budget = static_cast<long>(kIterationBudget / std::max(entries, 1.0));
  Eigen::RowVectorXd p =
      Eigen::Map<const Eigen::RowVectorXd>(start.data(), static_cast<Eigen::Index>(start.size()));
  for (long sweep = 0; sweep < budget; ++sweep) {
    Eigen::RowVectorXd next = one_sweep(steps, p);
    const double residual = (next - p).lpNorm<1>();
    if (residual <= kIterationResidual) {
      StationaryLaw law;
      law.p.assign(p.data(), p.data() + p.size());
      law.residual = residual;
      law.support = static_cast<std::int64_t>((p.array() > 0).count());
      return law;
    }
    p = 0.5 * (p + next);
    p /= p.sum();
  }
  return std::nullopt;
}

}  // namespace

KernelReport analyse_kernel(const ReducedModel& model, const KernelSpec& spec) {
  const SweepSteps steps = sweep_steps(model, spec);
  KernelReport report;
  ReducedModel effective = model;
  if (spec.rule == ActionRule::sample_posterior) {
    effective.gamma *= spec.policy_precision;
    effective.zeta *= spec.policy_precision;
  }
  const ReducedModel symmetric = symmetric_part(effective);
  const std::vector<double> boltzmann_symmetric = boltzmann_distribution(symmetric);
  // A synchronous step fills its matrix: a sweep costs 4^n, and the dense solve wins.
  std::optional<StationaryLaw> iterated;
  if (spec.rule == ActionRule::sample_posterior && spec.schedule != KernelSchedule::synchronous)
    iterated = iterate_to_stationary(steps, boltzmann_symmetric);
  report.stationary = iterated ? std::move(*iterated) : stationary_law(transition_matrix(steps));
  report.entropy_production_per_sweep = sweep_entropy_production(steps, report.stationary.p);
  report.steps_per_sweep = steps.repeats * static_cast<int>(steps.kernels.size());

  const std::vector<double>& p = report.stationary.p;
  report.boltzmann = distance(p, boltzmann_distribution(effective));
  report.boltzmann_symmetric = distance(p, boltzmann_symmetric);
  report.little = distance(p, little_distribution(effective));
  return report;
}

}  // namespace spinfer
