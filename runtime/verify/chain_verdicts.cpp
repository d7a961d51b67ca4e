#include "runtime/verify/chain_verdicts.hpp"

#include <cmath>
#include <limits>

#include "agents/exact/asymmetry.hpp"
#include "agents/statistics/statistics.hpp"
#include "runtime/schedules/registry.hpp"
#include "runtime/verify/irreversibility.hpp"

namespace spinfer {

VerificationSettings verification_settings(const RunConfig& config) {
  VerificationSettings settings;
  settings.false_alarm_rate = config.verification().false_alarm_rate();
  settings.min_effective_samples = config.verification().min_effective_samples();
  return settings;
}

Verdicts verify_chains(const RunConfig& config, const std::vector<ChainSeries>& series,
                       const std::optional<ReducedModel>& exact, const KernelReference* kernel,
                       double precision_asymmetry) {
  Verdicts v;
  const VerificationSettings settings = verification_settings(config);
  if (!exact) {
    v.expected = compare_between_chains(series, settings);
    return v;
  }
  const ExactSeriesSummary summary = summarise_for_exact(series, *exact);
  const std::string expected =
      kernel ? verdict_reference(config, *kernel) : schedule_traits(config.schedule()).expected;
  std::vector<std::pair<std::string, std::vector<double>>> references;
  references.emplace_back("boltzmann", boltzmann_distribution(*exact));
  references.emplace_back("little", little_distribution(*exact));
  if (precision_asymmetry > 0)
    references.emplace_back("boltzmann_symmetric", boltzmann_distribution(symmetric_part(*exact)));
  if (kernel && kernel_adds_a_reference(config, *kernel))
    references.emplace_back("kernel", kernel->law);
  for (auto& [reference, p] : references) {
    auto comparison = compare_with_exact(reference, p, summary, *exact, settings);
    if (reference == expected)
      v.expected = std::move(comparison);
    else
      v.alternatives.push_back(std::move(comparison));
    v.references.emplace_back(reference, std::move(p));
  }
  return v;
}

std::vector<std::uint32_t> phase_masks(const ReducedModel& model, const Colouring& colouring) {
  std::vector<std::uint32_t> masks;
  if (colouring.colours == 0) return masks;
  for (const auto& members : colour_classes(model, colouring)) {
    std::uint32_t mask = 0;
    for (const int k : members) mask |= std::uint32_t{1} << k;
    masks.push_back(mask);
  }
  return masks;
}

void summarise_irreversibility(record::Summary& s, const RunConfig& config,
                               const std::vector<ChainSeries>& series,
                               const std::optional<ReducedModel>& exact,
                               const KernelReference* kernel, const Colouring& colouring,
                               std::int64_t n_free) {
  const VerificationSettings settings = verification_settings(config);
  const ScheduleTraits& traits = schedule_traits(config.schedule());
  if (kernel) *s.mutable_kernel() = kernel->record;
  if (config.entropy_production()) {
    const bool exact_ep = kernel && !kernel->law.empty();
    *s.mutable_entropy_production() = summarise_entropy_production(
        series, traits.entropy_granularity, traits.steps_per_sweep(n_free, colouring.colours),
        exact_ep ? kernel->record.entropy_production_per_sweep()
                 : std::numeric_limits<double>::quiet_NaN(),
        settings);
  }
  if (exact)
    *s.mutable_detailed_balance() =
        observed_detailed_balance(series, config, phase_masks(*exact, colouring), settings);
}

std::pair<double, double> pooled_mean(const std::vector<ChainSeries>& chains,
                                      std::vector<double> ChainSeries::*member, bool absolute) {
  double mean = 0, variance = 0;
  for (const auto& chain : chains) {
    std::vector<double> x = chain.*member;
    if (absolute)
      for (double& v : x) v = std::fabs(v);
    const MeanEstimate e = estimate_mean(x);
    mean += e.mean;
    variance += e.standard_error * e.standard_error;
  }
  const double c = static_cast<double>(chains.size());
  return {mean / c, std::sqrt(variance) / c};
}

}  // namespace spinfer
