#include "runtime/observe/ensemble_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "agents/ising/agent_population.hpp"
#include "agents/statistics/observables.hpp"
#include "agents/statistics/statistics.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kJackknifeBlocks = 32;

using Pooled = std::vector<double>;

// Sample-by-sample mean over `width` entries of f(x) starting at offset(t).
Pooled pooled(const std::vector<double>& x, std::int64_t samples, std::int64_t stride,
              std::int64_t offset, int width, const std::function<double(double)>& f) {
  Pooled out(static_cast<std::size_t>(samples), 0.0);
  if (width == 0) return out;
  for (std::int64_t t = 0; t < samples; ++t) {
    double sum = 0;
    for (int j = 0; j < width; ++j) sum += f(x[t * stride + offset + j]);
    out[t] = sum / width;
  }
  return out;
}

record::Measured plain(const Pooled& x) {
  record::Measured m;
  if (x.size() < 2) {
    m.set_value(x.empty() ? kNaN : x.front());
    m.set_error(kNaN);
    m.set_tau_int(kNaN);
    return m;
  }
  const BinningAnalysis b = binning_analysis(x);
  m.set_value(b.mean);
  m.set_error(b.standard_error);
  m.set_tau_int(b.tau_int);
  return m;
}

record::Measured derived(const std::vector<Pooled>& ingredients, const MeansFunction& f,
                         double tau) {
  record::Measured m;
  const std::size_t samples = ingredients.front().size();
  m.set_tau_int(tau);
  if (samples < 2) {
    m.set_value(kNaN);
    m.set_error(kNaN);
    return m;
  }
  const int blocks = static_cast<int>(std::min<std::size_t>(kJackknifeBlocks, samples));
  const JackknifeEstimate j = jackknife(ingredients, f, blocks);
  m.set_value(j.value);
  m.set_error(j.error);
  return m;
}

double square(double x) {
  return x * x;
}

}  // namespace

std::vector<double> EnsembleSeries::energy_of(int k, int a) const {
  std::vector<double> out;
  const std::int64_t stride = static_cast<std::int64_t>(temperatures) * replicas;
  for (std::int64_t t = 0; t < samples(); ++t) out.push_back(energy[t * stride + k * replicas + a]);
  return out;
}

std::vector<double> EnsembleSeries::magnetization_of(int k, int a) const {
  std::vector<double> out;
  const std::int64_t stride = static_cast<std::int64_t>(temperatures) * replicas;
  for (std::int64_t t = 0; t < samples(); ++t)
    out.push_back(magnetization[t * stride + k * replicas + a]);
  return out;
}

record::TemperatureObservables analyse_temperature(const EnsembleSeries& s, int k, double beta,
                                                   std::int64_t n) {
  const std::int64_t samples = s.samples();
  const std::int64_t stride = static_cast<std::int64_t>(s.temperatures) * s.replicas;
  const std::int64_t at = static_cast<std::int64_t>(k) * s.replicas;
  const auto identity = [](double x) { return x; };
  const auto absolute = [](double x) { return std::fabs(x); };
  const auto fourth = [](double x) { return x * x * x * x; };
  const auto by_replica = [&](const std::vector<double>& x,
                              const std::function<double(double)>& f) {
    return pooled(x, samples, stride, at, s.replicas, f);
  };
  const double nd = static_cast<double>(n);

  record::TemperatureObservables o;
  o.set_index(k);
  o.set_beta(beta);
  o.set_samples(samples);
  const Pooled e = by_replica(s.energy, identity), e2 = by_replica(s.energy, square);
  const Pooled am = by_replica(s.magnetization, absolute);
  const Pooled m2 = by_replica(s.magnetization, square), m4 = by_replica(s.magnetization, fourth);
  *o.mutable_energy_per_spin() = plain(e);
  *o.mutable_abs_magnetization() = plain(am);
  *o.mutable_m2() = plain(m2);
  *o.mutable_m4() = plain(m4);
  const double tau_e = o.energy_per_spin().tau_int(), tau_m = o.abs_magnetization().tau_int();
  *o.mutable_susceptibility() = derived(
      {am, m2}, [=](std::span<const double> x) { return nd * beta * (x[1] - x[0] * x[0]); }, tau_m);
  *o.mutable_specific_heat() = derived(
      {e, e2}, [=](std::span<const double> x) { return nd * beta * beta * (x[1] - x[0] * x[0]); },
      tau_e);
  *o.mutable_binder() = derived(
      {m2, m4}, [](std::span<const double> x) { return 1.0 - x[1] / (3.0 * x[0] * x[0]); },
      o.m2().tau_int());

  const int pairs = s.pairs();
  const auto by_pair = [&](const std::function<double(double)>& f) {
    return pooled(s.overlap, samples, static_cast<std::int64_t>(s.temperatures) * pairs,
                  static_cast<std::int64_t>(k) * pairs, pairs, f);
  };
  if (pairs > 0) {
    const Pooled aq = by_pair(absolute), q2 = by_pair(square), q4 = by_pair(fourth);
    *o.mutable_q_ea() = plain(aq);
    *o.mutable_q2() = plain(q2);
    *o.mutable_q4() = plain(q4);
    record::Measured chi_sg = o.q2();
    chi_sg.set_value(nd * chi_sg.value());
    chi_sg.set_error(nd * chi_sg.error());
    *o.mutable_spin_glass_susceptibility() = chi_sg;
    *o.mutable_overlap_binder() = derived(
        {q2, q4}, [](std::span<const double> x) { return 0.5 * (3.0 - x[1] / (x[0] * x[0])); },
        o.q2().tau_int());
  } else {
    record::Measured none;
    none.set_value(kNaN);
    none.set_error(kNaN);
    none.set_tau_int(kNaN);
    for (auto* m : {o.mutable_q_ea(), o.mutable_q2(), o.mutable_q4(),
                    o.mutable_spin_glass_susceptibility(), o.mutable_overlap_binder()})
      *m = none;
  }
  for (int mu = 0; mu < s.patterns; ++mu) {
    Pooled x(static_cast<std::size_t>(samples), 0.0);
    for (std::int64_t t = 0; t < samples; ++t) {
      double sum = 0;
      for (int a = 0; a < s.replicas; ++a)
        sum += s.pattern[((t * stride) + at + a) * s.patterns + mu];
      x[t] = sum / s.replicas;
    }
    *o.add_pattern_overlaps() = plain(x);
  }
  return o;
}

ExactReference exact_reference(const SpinGlass& glass, double beta) {
  const AgentPopulation agents = agents_from_spin_glass(glass, beta);
  const ReducedModel model = reduce_clamped(agents.precisions, {});
  const auto n = static_cast<int>(model.free_agents.size());
  return {exact_thermodynamics(model, beta), exact_overlap(boltzmann_distribution(model), n)};
}

record::Comparison compare_with_exact_observables(
    const std::vector<record::TemperatureObservables>& measured,
    const std::vector<ExactReference>& exact, const VerificationSettings& settings) {
  record::Comparison c;
  c.set_reference("boltzmann");
  c.set_method("exact_observables");
  c.set_tv_distance(kNaN);
  c.set_tv_expected_if_stationary(kNaN);
  c.set_kl_divergence(kNaN);
  c.set_gof_p_value(kNaN);
  double max_z = 0, tau = 0.5, effective = std::numeric_limits<double>::infinity();
  int tests = 0;
  for (std::size_t k = 0; k < measured.size(); ++k) {
    const auto& o = measured[k];
    const auto& th = exact[k].thermodynamics;
    const auto& q = exact[k].overlap;
    const std::pair<const record::Measured*, double> checks[] = {
        {&o.energy_per_spin(), th.energy_per_spin},
        {&o.abs_magnetization(), th.abs_magnetization},
        {&o.m2(), th.m2},
        {&o.m4(), th.m4},
        {&o.susceptibility(), th.susceptibility},
        {&o.specific_heat(), th.specific_heat},
        {&o.binder(), th.binder},
        {&o.q_ea(), q.abs_mean},
        {&o.q2(), q.q2},
        {&o.q4(), q.q4},
        {&o.spin_glass_susceptibility(), q.spin_glass_susceptibility},
        {&o.overlap_binder(), q.binder}};
    for (const auto& [m, reference] : checks) {
      if (!(std::isfinite(m->error()) && m->error() > 0)) continue;
      max_z = std::max(max_z, std::fabs(m->value() - reference) / m->error());
      ++tests;
    }
    const double t = o.energy_per_spin().tau_int();
    if (std::isfinite(t)) tau = std::max(tau, t);
    effective = std::min(effective, static_cast<double>(o.samples()) / (2 * std::max(t, 0.5)));
  }
  c.set_max_abs_z(max_z);
  c.set_tau_int(tau);
  const double p = tests > 0 ? std::min(1.0, tests * normal_two_sided_p(max_z)) : 1.0;
  c.set_moments_p_value(p);
  c.set_p_value(p);
  c.set_false_alarm_rate(settings.false_alarm_rate);
  c.set_effective_samples(std::isfinite(effective) ? effective : 0);
  if (c.effective_samples() < settings.min_effective_samples)
    c.set_verdict("undetermined");
  else
    c.set_verdict(p < settings.false_alarm_rate ? "rejected" : "consistent");
  return c;
}

record::Comparison compare_replicas(const EnsembleSeries& series,
                                    const VerificationSettings& settings) {
  std::vector<ChainSeries> chains(static_cast<std::size_t>(series.replicas));
  const int coldest = series.temperatures - 1;
  for (int a = 0; a < series.replicas; ++a) {
    chains[a].energy = series.energy_of(coldest, a);
    chains[a].magnetization = series.magnetization_of(coldest, a);
  }
  return compare_between_chains(chains, settings);
}

}  // namespace spinfer
