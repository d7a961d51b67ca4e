#include "simulation.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "agents/statistics.hpp"
#include "instance_factory.hpp"
#include "progress.hpp"
#include "version.hpp"

namespace spinfer {
namespace {

ScheduleKind schedule_kind(RunConfig::Schedule s) {
  switch (s) {
    case RunConfig::random_sequential:
      return ScheduleKind::random_sequential;
    case RunConfig::synchronous:
      return ScheduleKind::synchronous;
    default:
      return ScheduleKind::chromatic;
  }
}

// Mean over chains of equal length, with the standard error of that mean.
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

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

}  // namespace

std::string expected_reference(RunConfig::Schedule schedule) {
  return schedule == RunConfig::synchronous ? "little" : "boltzmann";
}

RunInputs prepare_run(const RunConfig& config, int ranks) {
  RunInputs in;
  in.glass = std::make_shared<const SpinGlass>(build_instance(config.instance()));
  const AgentId n = in.glass->couplings.size();
  in.spec.schedule = schedule_kind(config.schedule());
  in.spec.action = config.action() == RunConfig::posterior_mode ? ActionRule::posterior_mode
                                                                : ActionRule::sample_posterior;
  in.spec.chains = config.chains();
  in.spec.seed = config.seed();
  in.spec.clamped = clamped_agents(config, n);
  in.agents = agents_from_spin_glass(*in.glass, config.beta());
  in.partition = partition_for(in.agents, in.spec.schedule, ranks);
  const AgentId n_free = n - static_cast<AgentId>(in.spec.clamped.size());
  if (n_free <= config.verification().max_exact_agents())
    in.exact = reduce_clamped(in.agents.precisions, in.spec.clamped);
  return in;
}

RunResult run_simulation(const RunConfig& config, const comm::Communicator& comm,
                         const RunOptions& options) {
  return run_simulation(config, prepare_run(config, comm.size()), comm, options);
}

RunResult run_simulation(const RunConfig& config, const RunInputs& inputs,
                         const comm::Communicator& comm, const RunOptions& options) {
  RunResult result;
  result.glass = inputs.glass;
  const AgentId n = result.glass->couplings.size();
  const CollectiveSpec& spec = inputs.spec;
  const AgentPopulation& agents = inputs.agents;
  const std::optional<ReducedModel>& exact = inputs.exact;
  const AgentId n_free = n - static_cast<AgentId>(spec.clamped.size());

  Collective collective(comm, agents, inputs.partition, spec);
  Coordinator coordinator(collective, n, config.beta(), exact);

  const std::int64_t burn_in = config.burn_in();
  const std::int64_t total = burn_in + config.sweeps();
  Progress progress(options.show_progress && comm.is_root(), total,
                    config.progress().interval_seconds());
  comm.barrier();
  const double start = comm.wall_time();
  for (std::int64_t sweep = 0; sweep < total; ++sweep) {
    collective.sweep(static_cast<std::uint64_t>(sweep));
    const std::int64_t done = sweep + 1;
    if (done > burn_in && (done - burn_in) % config.measure_interval() == 0) {
      coordinator.measure(comm, collective);
      result.sample_sweeps.push_back(done);
    }
    if (done % 64 == 0) progress.update(done);
  }
  const double wall = comm.wall_time() - start;
  progress.finish();

  const std::uint64_t hash = collective.state_hash(comm);
  result.per_agent = coordinator.gather(comm);
  if (!comm.is_root()) return result;

  result.series = coordinator.series();
  record::Summary& s = result.summary;
  s.set_version(kVersion);
  s.set_ranks(comm.size());
  s.set_schedule(RunConfig::Schedule_Name(config.schedule()));
  s.set_action(RunConfig::Action_Name(config.action()));
  s.set_seed(config.seed());
  s.set_n_agents(static_cast<std::int32_t>(n));
  s.set_n_clamped(static_cast<std::int32_t>(spec.clamped.size()));
  s.set_chains(config.chains());
  s.set_sweeps(config.sweeps());
  s.set_burn_in(config.burn_in());
  s.set_measured_samples(static_cast<std::int32_t>(result.sample_sweeps.size()));
  s.set_beta(config.beta());
  s.set_instance(result.glass->description);
  s.set_colours(collective.colours());
  s.set_precision_asymmetry(weight_asymmetry(agents.precisions));
  s.set_final_state_hash(hex(hash));
  s.set_wall_seconds(wall);
  s.set_updates_per_second(static_cast<double>(n_free) * config.chains() *
                           static_cast<double>(total) / wall);
  const auto [m, m_err] = pooled_mean(result.series, &ChainSeries::magnetization, false);
  const double abs_m = pooled_mean(result.series, &ChainSeries::magnetization, true).first;
  const auto [e, e_err] = pooled_mean(result.series, &ChainSeries::energy, false);
  const auto [f, f_err] = pooled_mean(result.series, &ChainSeries::free_energy, false);
  s.set_magnetization(m);
  s.set_magnetization_error(m_err);
  s.set_abs_magnetization(abs_m);
  s.set_energy_per_agent(e);
  s.set_energy_per_agent_error(e_err);
  s.set_free_energy_per_agent(f);
  s.set_free_energy_per_agent_error(f_err);
  *s.mutable_config() = config;
  s.set_command_line(options.command_line);

  VerificationSettings settings;
  settings.false_alarm_rate = config.verification().false_alarm_rate();
  settings.min_effective_samples = config.verification().min_effective_samples();
  if (exact) {
    const double tau = slowest_autocorrelation(result.series, *exact);
    const std::string expected = expected_reference(config.schedule());
    for (const std::string reference : {"boltzmann", "little"}) {
      const auto p =
          reference == "boltzmann" ? boltzmann_distribution(*exact) : little_distribution(*exact);
      auto comparison = compare_with_exact(reference, p, result.series, *exact, tau, settings);
      if (reference == expected)
        *s.mutable_stationarity() = comparison;
      else
        *s.add_alternatives() = comparison;
      result.references.emplace_back(reference, p);
    }
    result.free_agents = exact->free_agents;
  } else {
    *s.mutable_stationarity() = compare_between_chains(result.series, settings);
  }
  return result;
}

}  // namespace spinfer
