#include "runtime/verify/irreversibility.hpp"

#include <cmath>
#include <limits>

#include <span>

#include "agents/statistics/detailed_balance.hpp"
#include "agents/statistics/statistics.hpp"
#include "runtime/schedules/registry.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Every phase's transitions, phase by phase: phase c of sweep t takes the state with colours
// < c from sweep t and the others from sweep t - 1 to the one with colours <= c from sweep t.
std::vector<std::vector<Transition>> phase_transitions(
    const std::vector<std::uint32_t>& states, const std::vector<std::uint32_t>& phase_masks) {
  std::vector<std::vector<Transition>> out(phase_masks.size());
  for (std::size_t t = 1; t < states.size(); ++t) {
    std::uint32_t x = states[t - 1];
    for (std::size_t c = 0; c < phase_masks.size(); ++c) {
      const std::uint32_t y = (x & ~phase_masks[c]) | (states[t] & phase_masks[c]);
      out[c].emplace_back(x, y);
      x = y;
    }
  }
  return out;
}

}  // namespace

record::EntropyProduction summarise_entropy_production(const std::vector<ChainSeries>& chains,
                                                       const std::string& granularity,
                                                       int steps_per_sweep, double exact_per_sweep,
                                                       const VerificationSettings& settings) {
  record::EntropyProduction out;
  out.set_granularity(granularity);
  out.set_steps_per_sweep(steps_per_sweep);
  out.set_exact_per_sweep(exact_per_sweep);
  std::int64_t infinite = 0;
  for (const auto& chain : chains)
    for (const double x : chain.entropy_production) infinite += std::isinf(x) ? 1 : 0;
  out.set_infinite_sweeps(infinite);
  if (chains.empty() || chains.front().entropy_production.size() < 2) {
    out.set_per_sweep(kNaN);
    out.set_per_sweep_error(kNaN);
    out.set_z_vs_exact(kNaN);
    out.set_verdict("undetermined");
    return out;
  }
  if (infinite > 0) {
    out.set_per_sweep(std::numeric_limits<double>::infinity());
    out.set_per_sweep_error(kNaN);
    out.set_z_vs_exact(kNaN);
    out.set_verdict("infinite");
    return out;
  }
  // Chains are independent: the mean of their means, with their errors added in quadrature.
  double mean = 0, variance = 0, tau = 0.5, effective = 0;
  for (const auto& chain : chains) {
    const MeanEstimate e = estimate_mean(chain.entropy_production);
    mean += e.mean;
    variance += e.standard_error * e.standard_error;
    tau = std::max(tau, e.tau_int);
    effective += e.effective_samples;
  }
  const auto c = static_cast<double>(chains.size());
  mean /= c;
  const double error = std::sqrt(variance) / c;
  out.set_per_sweep(mean);
  out.set_per_sweep_error(error);
  out.set_tau_int(tau);
  out.set_effective_samples(effective);
  out.set_z_vs_exact(std::isnan(exact_per_sweep) ? kNaN : (mean - exact_per_sweep) / error);
  // Two-sided: a stale or asynchronous run may hand entropy either way.
  const double p = error > 0 ? normal_two_sided_p(mean / error) : (mean == 0 ? 1.0 : 0.0);
  if (effective < settings.min_effective_samples)
    out.set_verdict("undetermined");
  else if (p >= settings.false_alarm_rate)
    out.set_verdict("consistent_with_zero");
  else
    out.set_verdict(mean > 0 ? "positive" : "negative");
  return out;
}

record::DetailedBalance observed_detailed_balance(const std::vector<ChainSeries>& chains,
                                                  const RunConfig& config,
                                                  const std::vector<std::uint32_t>& phase_masks,
                                                  const VerificationSettings& settings) {
  record::DetailedBalance out;
  const bool phased = schedule_traits(config.schedule()).colour_phases;
  out.set_granularity(phased ? "colour_phase" : "sweep");
  out.set_p_value(1);
  out.set_verdict("undetermined");
  if (phased && config.measure_interval() != 1) {
    out.set_note("colour phases are rebuilt from consecutive sweeps: needs measure_interval = 1");
    return out;
  }
  double statistic = 0, ep = 0, ep_variance = 0;
  int dof = 0, pairs = 0;
  std::uint64_t transitions = 0;
  std::vector<DetailedBalanceTest> tests;
  for (const auto& chain : chains) {
    if (phased) {
      for (const auto& phase : phase_transitions(chain.state, phase_masks))
        tests.push_back(detailed_balance_test(std::span<const Transition>(phase)));
    } else {
      const std::vector<std::uint64_t> path(chain.state.begin(), chain.state.end());
      tests.push_back(detailed_balance_test(std::span<const std::uint64_t>(path)));
    }
  }
  for (const DetailedBalanceTest& t : tests) transitions += t.transitions;
  for (const DetailedBalanceTest& t : tests) {
    statistic += t.statistic;
    dof += t.dof;
    pairs += t.pairs;
    const double weight =
        transitions > 0 ? static_cast<double>(t.transitions) / static_cast<double>(transitions) : 0;
    ep += weight * t.entropy_production;
    if (t.transitions > 0)
      ep_variance += weight * weight * t.entropy_production_error * t.entropy_production_error;
  }
  out.set_transitions(transitions);
  out.set_pairs(pairs);
  out.set_dof(dof);
  out.set_statistic(statistic);
  out.set_entropy_production_per_step(ep);
  out.set_entropy_production_per_step_error(std::sqrt(ep_variance));
  if (phased)
    out.set_note(
        "each colour phase tested apart (the phases of a periodic chain must not be "
        "pooled); single-agent colour classes have no cycles to test");
  if (dof == 0) {
    out.set_note("no cycle among the pairs crossed often enough: nothing to test");
    return out;
  }
  const double p = chi_square_survival(statistic, dof);
  out.set_p_value(p);
  out.set_verdict(p < settings.false_alarm_rate ? "rejected" : "consistent");
  return out;
}

}  // namespace spinfer
