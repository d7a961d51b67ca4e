#include "runtime/verify/stationarity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agents/statistics/statistics.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kTrackedStates = 8;

struct EdgePair {
  int k;
  int l;
};

std::vector<EdgePair> interaction_edges(const ReducedModel& model) {
  std::vector<EdgePair> edges;
  const auto n = static_cast<int>(model.free_agents.size());
  for (int k = 0; k < n; ++k)
    for (int l = k + 1; l < n; ++l)
      if (model.gamma(k, l) != 0 || model.gamma(l, k) != 0) edges.push_back({k, l});
  return edges;
}

double spin(std::uint32_t state, int k) {
  return (state >> k) & 1u ? 1.0 : -1.0;
}

template <class T, class F>
std::vector<double> series_of(const std::vector<T>& values, F f) {
  std::vector<double> out(values.size());
  std::transform(values.begin(), values.end(), out.begin(), f);
  return out;
}

std::vector<std::uint64_t> state_counts(const std::vector<ChainSeries>& chains, int n_free) {
  std::vector<std::uint64_t> counts(std::size_t{1} << n_free, 0);
  for (const auto& chain : chains)
    for (auto s : chain.state) ++counts[s];
  return counts;
}

// Pooled mean of a +-1 valued observable against its exact value, with a standard error whose
// variance is the reference variance (so a chain stuck in one state cannot claim a zero error)
// times 2 tau / M.
struct MomentTest {
  double max_abs_z = 0;
  int tests = 0;
};

void add_moment(MomentTest& test, const ExactSeriesSummary::Moment& moment, double samples,
                double exact) {
  const double mean = moment.sum / samples;
  const double variance = std::max(1 - exact * exact, 1e-12);
  const double se = std::sqrt(variance * (moment.inflation_weighted / samples) / samples);
  test.max_abs_z = std::max(test.max_abs_z, std::fabs(mean - exact) / se);
  ++test.tests;
}

double expected_tv(const std::vector<double>& p, double effective_samples) {
  // E|p_hat - p| ~ sqrt(2/pi) sd for well-populated states, at most 2p for rare ones.
  double sum = 0;
  for (double ps : p)
    sum += std::min(std::sqrt(2 / M_PI * ps * (1 - ps) / effective_samples), 2 * ps);
  return sum / 2;
}

void set_verdict(record::Comparison& c, double p_value, double effective_samples,
                 const VerificationSettings& settings) {
  c.set_p_value(p_value);
  c.set_false_alarm_rate(settings.false_alarm_rate);
  c.set_effective_samples(effective_samples);
  if (effective_samples < settings.min_effective_samples)
    c.set_verdict("undetermined");
  else
    c.set_verdict(p_value < settings.false_alarm_rate ? "rejected" : "consistent");
}

}  // namespace

ExactSeriesSummary summarise_for_exact(const std::vector<ChainSeries>& chains,
                                       const ReducedModel& model) {
  const int n = static_cast<int>(model.free_agents.size());
  const auto edges = interaction_edges(model);
  ExactSeriesSummary summary;
  summary.counts = state_counts(chains, n);
  // The most visited states, over all chains.
  std::vector<std::uint32_t> order(summary.counts.size());
  std::iota(order.begin(), order.end(), 0u);
  const auto tracked = std::min<std::size_t>(kTrackedStates, order.size());
  std::partial_sort(order.begin(), order.begin() + tracked, order.end(),
                    [&](auto a, auto b) { return summary.counts[a] > summary.counts[b]; });

  double& slowest = summary.tau_slowest;
  const auto consider = [&](const std::vector<double>& s) {
    const double tau = integrated_autocorrelation_time(s);
    slowest = std::max(slowest, tau);
    return tau;
  };
  summary.moments.resize(static_cast<std::size_t>(n) + edges.size());
  const auto add = [&](ExactSeriesSummary::Moment& moment, const std::vector<double>& s) {
    moment.sum += std::accumulate(s.begin(), s.end(), 0.0);
    moment.inflation_weighted += 2 * consider(s) * static_cast<double>(s.size());
  };
  // One buffer for every derived series of a chain: a fresh allocation each time would be
  // page-faulted in anew, which costs as much as the autocorrelation itself.
  std::vector<double> x;
  const auto derived = [&x](const std::vector<std::uint32_t>& states, auto f) -> const auto& {
    x.resize(states.size());
    std::transform(states.begin(), states.end(), x.begin(), f);
    return x;
  };
  for (const auto& chain : chains) {
    consider(chain.magnetization);
    consider(chain.energy);
    for (int k = 0; k < n; ++k)
      add(summary.moments[k], derived(chain.state, [k](auto s) { return spin(s, k); }));
    // Init-captures: clang 14 (the fuzz build) cannot capture structured bindings.
    for (std::size_t e = 0; e < edges.size(); ++e)
      add(summary.moments[static_cast<std::size_t>(n) + e],
          derived(chain.state,
                  [k = edges[e].k, l = edges[e].l](auto s) { return spin(s, k) * spin(s, l); }));
    for (std::size_t t = 0; t < tracked; ++t) {
      const auto target = order[t];
      consider(derived(chain.state, [target](auto s) { return s == target ? 1.0 : 0.0; }));
    }
  }
  return summary;
}

record::Comparison compare_with_exact(const std::string& reference,
                                      const std::vector<double>& probabilities,
                                      const ExactSeriesSummary& summary, const ReducedModel& model,
                                      const VerificationSettings& settings) {
  const int n = static_cast<int>(model.free_agents.size());
  const auto& counts = summary.counts;
  const double samples =
      static_cast<double>(std::accumulate(counts.begin(), counts.end(), std::uint64_t{0}));
  const double tau_slowest = summary.tau_slowest;
  const double inflation = 2 * tau_slowest;
  const double effective = samples / inflation;

  record::Comparison c;
  c.set_reference(reference);
  c.set_method("exact_enumeration");
  c.set_tau_int(tau_slowest);
  c.set_tv_distance(total_variation(counts, probabilities));
  c.set_tv_expected_if_stationary(expected_tv(probabilities, effective));
  c.set_kl_divergence(kl_divergence(counts, probabilities));

  const GoodnessOfFit gof = pooled_chi_square(counts, probabilities, inflation);
  c.set_gof_p_value(gof.p_value);
  c.set_gof_cells(gof.cells);

  const Eigen::VectorXd m = exact_magnetizations(probabilities, n);
  const Eigen::MatrixXd corr = exact_correlations(probabilities, n);
  MomentTest moments;
  for (int k = 0; k < n; ++k) add_moment(moments, summary.moments[k], samples, m(k));
  const auto edges = interaction_edges(model);
  for (std::size_t e = 0; e < edges.size(); ++e)
    add_moment(moments, summary.moments[static_cast<std::size_t>(n) + e], samples,
               corr(edges[e].k, edges[e].l));
  c.set_max_abs_z(moments.max_abs_z);
  const double moments_p = std::min(1.0, moments.tests * normal_two_sided_p(moments.max_abs_z));
  c.set_moments_p_value(moments_p);

  // Two tests, each at half the false-alarm rate (Bonferroni). With fewer than two cells the
  // chi-square says nothing and only the moments count.
  const double p = gof.cells >= 2 ? std::min(1.0, 2 * std::min(gof.p_value, moments_p)) : moments_p;
  set_verdict(c, p, effective, settings);
  return c;
}

record::Comparison compare_between_chains(const std::vector<ChainSeries>& chains,
                                          const VerificationSettings& settings) {
  record::Comparison c;
  c.set_reference("between_chains");
  c.set_method("chain_agreement");
  c.set_tv_distance(kNaN);
  c.set_tv_expected_if_stationary(kNaN);
  c.set_kl_divergence(kNaN);
  c.set_gof_p_value(kNaN);
  c.set_moments_p_value(kNaN);
  c.set_max_abs_z(kNaN);
  if (chains.size() < 2 || chains.front().energy.size() < 8) {
    c.set_tau_int(kNaN);
    set_verdict(c, 1.0, 0.0, settings);
    return c;
  }
  std::vector<std::vector<double>> energy, abs_m;
  for (const auto& chain : chains) {
    energy.push_back(chain.energy);
    abs_m.push_back(series_of(chain.magnetization, [](double x) { return std::fabs(x); }));
  }
  double p_min = 1, ess_min = std::numeric_limits<double>::infinity(), tau_max = 0.5;
  for (auto [name, series] : {std::pair{"energy", &energy}, {"abs_magnetization", &abs_m}}) {
    const ChainAgreement a = compare_chains(*series);
    auto* check = c.add_chains();
    check->set_observable(name);
    check->set_rhat(a.rhat);
    check->set_effective_samples(a.effective_samples);
    check->set_p_value(a.p_value);
    p_min = std::min(p_min, a.p_value);
    ess_min = std::min(ess_min, a.effective_samples);
    for (const auto& s : *series) tau_max = std::max(tau_max, integrated_autocorrelation_time(s));
  }
  c.set_tau_int(tau_max);
  set_verdict(c, std::min(1.0, 2 * p_min), ess_min, settings);
  return c;
}

}  // namespace spinfer
