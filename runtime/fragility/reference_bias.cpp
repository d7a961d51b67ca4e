#include "runtime/fragility/reference_bias.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "agents/exact/asymmetry.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/statistics/statistics.hpp"
#include "runtime/verify/chain_verdicts.hpp"

namespace spinfer {
namespace {

struct PooledEstimate {
  double mean = 0;
  double error = 0;
  double tau = 0.5;
  double samples = 0;
};

// Mean of the chains' means, their standard errors added in quadrature.
PooledEstimate pooled(const std::vector<ChainSeries>& chains,
                      std::vector<double> ChainSeries::*member, bool absolute = false) {
  PooledEstimate out;
  double variance = 0;
  for (const auto& chain : chains) {
    std::vector<double> x = chain.*member;
    if (absolute)
      for (double& v : x) v = std::fabs(v);
    const MeanEstimate e = estimate_mean(x);
    out.mean += e.mean;
    variance += e.standard_error * e.standard_error;
    out.tau = std::max(out.tau, e.tau_int);
    out.samples += static_cast<double>(x.size());
  }
  const auto c = static_cast<double>(std::max<std::size_t>(chains.size(), 1));
  out.mean /= c;
  out.error = std::sqrt(variance) / c;
  return out;
}

std::string describe_reference(const RunConfig& reference) {
  return RunConfig::Schedule_Name(reference.schedule()) + ", J_sym, policy precision 1";
}

}  // namespace

RunConfig exact_schedule_config(const RunConfig& config) {
  RunConfig ref = config;
  if (ref.schedule() != RunConfig::random_sequential) ref.set_schedule(RunConfig::chromatic);
  ref.mutable_instance()->set_asymmetry(0);
  ref.set_policy_precision(1);
  ref.set_staleness(0);
  ref.set_stale_domains(0);
  ref.set_bias_reference(false);
  ref.set_entropy_production(false);
  ref.set_max_kernel_agents(0);
  ref.set_name(config.name() + "-reference");
  return ref;
}

RunInputs prepare_reference_run(const RunConfig& reference, int ranks) {
  RunInputs in = prepare_run(reference, ranks);
  if (weight_asymmetry(in.glass->couplings) > 0) {
    auto glass = std::make_shared<SpinGlass>(*in.glass);
    glass->couplings = symmetric_part(glass->couplings);
    glass->description += ", symmetric part";
    in.agents = agents_from_spin_glass(*glass, reference.beta());
    in.glass = std::move(glass);
    if (in.exact) in.exact = reduce_clamped(in.agents.precisions, in.clamped);
  }
  return in;
}

record::ReferenceBias compare_with_reference(const RunResult& run, const RunResult& reference,
                                             const RunConfig& reference_config,
                                             const VerificationSettings& settings) {
  record::ReferenceBias out;
  out.set_reference_schedule(describe_reference(reference_config));
  double p_min = 1;
  int tests = 0;
  const struct {
    const char* name;
    std::vector<double> ChainSeries::*member;
    bool absolute;
  } observables[] = {{"magnetization", &ChainSeries::magnetization, false},
                     {"abs_magnetization", &ChainSeries::magnetization, true},
                     {"energy_per_agent", &ChainSeries::energy, false},
                     {"edge_correlation", &ChainSeries::edge_correlation, false}};
  PooledEstimate edge_run, edge_ref;
  for (const auto& o : observables) {
    const PooledEstimate a = pooled(run.series, o.member, o.absolute);
    const PooledEstimate b = pooled(reference.series, o.member, o.absolute);
    if (o.member == &ChainSeries::edge_correlation) edge_run = a, edge_ref = b;
    record::ObservableBias& bias = *out.add_observables();
    bias.set_observable(o.name);
    bias.set_value(a.mean);
    bias.set_value_error(a.error);
    bias.set_reference(b.mean);
    bias.set_reference_error(b.error);
    bias.set_bias(a.mean - b.mean);
    const double error = std::hypot(a.error, b.error);
    bias.set_bias_error(error);
    const double difference = a.mean - b.mean;
    const double z = error > 0 ? difference / error
                     : difference == 0
                         ? 0.0
                         : std::copysign(std::numeric_limits<double>::infinity(), difference);
    bias.set_z(z);
    p_min = std::min(p_min, normal_two_sided_p(z));
    ++tests;
  }
  // Per edge (each undirected edge once): RMS difference, and the noise floor from each run's
  // variance of a +-1 product, (1 - C^2) 2 tau / M, with tau of the mean edge correlation.
  const WeightedGraph& g = run.glass->couplings;
  double square = 0, noise = 0;
  std::int64_t edges = 0;
  for (AgentId i = 0; i < g.size(); ++i) {
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e) {
      if (g.columns[e] <= i) continue;
      const double a = run.per_agent.correlation[e], b = reference.per_agent.correlation[e];
      square += (a - b) * (a - b);
      const double c = 0.5 * (a + b);
      noise += (1 - c * c) * (2 * edge_run.tau / std::max(edge_run.samples, 1.0) +
                              2 * edge_ref.tau / std::max(edge_ref.samples, 1.0));
      ++edges;
    }
  }
  const double count = static_cast<double>(std::max<std::int64_t>(edges, 1));
  out.set_edge_rms_bias(std::sqrt(square / count));
  out.set_edge_rms_noise(std::sqrt(noise / count));
  const double p = std::min(1.0, tests * p_min);
  out.set_p_value(p);
  out.set_verdict(p < settings.false_alarm_rate ? "biased" : "consistent");
  return out;
}

void attach_reference_bias(const RunConfig& config, const comm::Communicator& comm,
                           RunResult& result) {
  const RunConfig reference = exact_schedule_config(config);
  const RunInputs inputs = prepare_reference_run(reference, comm.size());
  const RunResult ref = run(reference, inputs, comm);
  if (!comm.is_root()) return;
  const VerificationSettings settings = verification_settings(config);
  *result.summary.mutable_bias() = compare_with_reference(result, ref, reference, settings);
}

}  // namespace spinfer
