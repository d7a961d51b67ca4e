#include "kernel_oracle.hpp"

#include "asymmetry.hpp"
#include "distribution_distance.hpp"
#include "entropy_production.hpp"

namespace spinfer {
namespace {

DistanceFrom distance(const std::vector<double>& p, const std::vector<double>& reference) {
  return {total_variation_distance(p, reference), relative_entropy(p, reference)};
}

}  // namespace

KernelReport analyse_kernel(const ReducedModel& model, const KernelSpec& spec) {
  const SweepSteps steps = sweep_steps(model, spec);
  KernelReport report;
  report.stationary = stationary_law(transition_matrix(steps));
  report.entropy_production_per_sweep = sweep_entropy_production(steps, report.stationary.p);
  report.steps_per_sweep = steps.repeats * static_cast<int>(steps.kernels.size());

  ReducedModel effective = model;
  if (spec.rule == ActionRule::sample_posterior) {
    effective.gamma *= spec.policy_precision;
    effective.zeta *= spec.policy_precision;
  }
  const std::vector<double>& p = report.stationary.p;
  report.boltzmann = distance(p, boltzmann_distribution(effective));
  report.boltzmann_symmetric = distance(p, boltzmann_distribution(symmetric_part(effective)));
  report.little = distance(p, little_distribution(effective));
  return report;
}

}  // namespace spinfer
