#include "runtime/run/simulation.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>

#include <algorithm>
#include <limits>

#include "agents/core/error.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/exact/transition_kernel.hpp"
#include "agents/statistics/statistics.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/io/status.hpp"
#include "runtime/io/version.hpp"
#include "runtime/run/instance_factory.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/run_segment.hpp"
#include "runtime/verify/irreversibility.hpp"
#include "runtime/verify/kernel_reference.hpp"

namespace spinfer {
namespace {

ScheduleKind schedule_kind(RunConfig::Schedule s) {
  switch (s) {
    case RunConfig::random_sequential:
      return ScheduleKind::random_sequential;
    case RunConfig::synchronous:
      return ScheduleKind::synchronous;
    case RunConfig::stale:
      return ScheduleKind::stale;
    case RunConfig::asynchronous:
      return ScheduleKind::asynchronous;
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
  in.spec.policy_precision = config.policy_precision();
  in.spec.chains = config.chains();
  in.spec.seed = config.seed();
  in.spec.clamped = clamped_agents(config, n);
  in.spec.staleness = config.staleness();
  in.agents = agents_from_spin_glass(*in.glass, config.beta());
  if (config.schedule() == RunConfig::stale)
    in.spec.stale_domains = stale_domain_partition(in.agents, config.stale_domains());
  in.partition = partition_for(in.agents, in.spec.schedule, ranks);
  const std::int64_t delayed_states =
      config.schedule() == RunConfig::stale && config.staleness() > 0 ? config.staleness() + 1 : 0;
  const std::int64_t samples = config.sweeps() / config.measure_interval() + 1;
  require_checkpoint_fits({n, n * config.chains() * (1 + delayed_states),
                           n + in.glass->couplings.directed_edges(), samples * config.chains()});
  const AgentId n_free = n - static_cast<AgentId>(in.spec.clamped.size());
  if (n_free <= config.verification().max_exact_agents())
    in.exact = reduce_clamped(in.agents.precisions, in.spec.clamped);
  return in;
}

RunResult run_simulation(const RunConfig& config, const comm::Communicator& comm,
                         const RunOptions& options) {
  return run_simulation(config, prepare_run(config, comm.size()), comm, options);
}

namespace {

VerificationSettings verification_settings(const RunConfig& config) {
  VerificationSettings settings;
  settings.false_alarm_rate = config.verification().false_alarm_rate();
  settings.min_effective_samples = config.verification().min_effective_samples();
  return settings;
}

// The schedule's own reference and the alternatives, on the series so far (rank 0).
struct Verdicts {
  record::Comparison expected;
  std::vector<record::Comparison> alternatives;
  std::vector<std::pair<std::string, std::vector<double>>> references;
};

// Exact runs compare with Boltzmann(J) and Little's law at the nominal precisions, with
// Boltzmann(J_sym) when the precisions are asymmetric, and with the kernel's own stationary law
// when it was computed; the verdict is on the one the run should sample (verdict_reference).
Verdicts verify(const RunConfig& config, const std::vector<ChainSeries>& series,
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
      kernel ? verdict_reference(config, *kernel) : expected_reference(config.schedule());
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

// The free-agent bits each colour phase changes, in phase order (colour-phase schedules).
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

int steps_per_sweep(RunConfig::Schedule schedule, AgentId n_free, int colours) {
  if (schedule == RunConfig::random_sequential) return static_cast<int>(n_free);
  if (schedule == RunConfig::synchronous) return 1;
  return colours;
}

std::string layout(const Partition& partition, ScheduleKind schedule) {
  if (schedule == ScheduleKind::random_sequential)
    return "all agents on rank 0 (random_sequential); " + std::to_string(partition.ranks()) +
           " ranks";
  AgentId least = partition.count(0), most = least;
  for (int r = 1; r < partition.ranks(); ++r) {
    least = std::min(least, partition.count(r));
    most = std::max(most, partition.count(r));
  }
  std::string text = std::to_string(partition.ranks()) + " ranks, contiguous blocks of ";
  text += std::to_string(least);
  if (most != least) text.append("-").append(std::to_string(most));
  return text + " agents";
}

// One run segment of independent chains at one beta.
class Segment : public RunSegment {
 public:
  Segment(const RunConfig& config, const RunInputs& inputs, const comm::Communicator& comm,
          const RunOptions& options)
      : RunSegment(config, inputs.glass->couplings.size(), comm, options),
        inputs_(inputs),
        collective_(comm, inputs.agents, inputs.partition, inputs.spec),
        coordinator_(collective_, inputs.glass->couplings.size(), config.beta(), inputs.exact,
                     inputs.glass->couplings.directed_edges(), config.entropy_production()) {
    if (options.resume) {
      const record::Checkpoint& cp = options.resume->checkpoint;
      if (cp.n_agents() != inputs.glass->couplings.size() || cp.chains_size() != config.chains() ||
          cp.completed_sweeps() > total_)
        throw field_error("checkpoint", "population", "does not match the configuration");
      for (int c = 0; c < config.chains(); ++c) collective_.restore_chain(c, cp.chains(c).spins());
      restore_history(cp);
      coordinator_.restore(comm, cp, collective_);
      resume_bookkeeping(cp);
    }
    open_checkpoints(coordinator_.series_width());
    if (options.resume && comm.is_root()) coordinator_.restore_series(options.resume->series);
  }

  // Rank 0, after the run: status.json says finished, with the run's own verdict; the series
  // are handed over, not copied.
  std::vector<ChainSeries> finish(const record::Comparison& verdict) {
    verdict_ = verdict;
    final_verdict_ = true;
    write_final_status();
    return coordinator_.take_series();
  }

  [[nodiscard]] const Collective& collective() const { return collective_; }
  [[nodiscard]] const Coordinator& coordinator() const { return coordinator_; }

  // The exact kernel reference of an exact run, computed once on the rank that asks (rank 0).
  [[nodiscard]] const KernelReference* kernel() {
    if (!inputs_.exact) return nullptr;
    if (!kernel_)
      kernel_ = exact_kernel_reference(config_, *inputs_.exact, collective_.colouring(),
                                       weight_asymmetry(inputs_.agents.precisions));
    return &*kernel_;
  }

 private:
  void advance(std::int64_t sweep, bool measured) override {
    collective_.sweep(static_cast<std::uint64_t>(sweep), measured && config_.entropy_production());
  }

  void measure(std::int64_t) override {
    collective_.synchronise();
    coordinator_.measure(comm_, collective_);
  }

  void end_of_loop() override { collective_.synchronise(); }  // the final state is hashed

  void restore_history(const record::Checkpoint& cp) {
    const int length = collective_.history_length();
    const auto n = static_cast<std::size_t>(inputs_.glass->couplings.size());
    for (int c = 0; c < config_.chains(); ++c) {
      const std::string& bytes = cp.chains(c).stale_history();
      if (bytes.size() != n * static_cast<std::size_t>(length))
        throw field_error("checkpoint", "stale history of chain " + std::to_string(c),
                          "does not match staleness " + std::to_string(config_.staleness()));
      for (int m = 0; m < length; ++m)
        collective_.restore_history(c, m, cp.completed_sweeps(),
                                    std::string_view(bytes).substr(m * n, n));
    }
  }

  void fill_checkpoint(std::int64_t done, record::Checkpoint& cp) override {
    collective_.synchronise();
    for (int c = 0; c < config_.chains(); ++c) {
      const std::vector<std::int8_t> spins = comm_.gather_to_root(collective_.owned_bytes(c));
      if (comm_.is_root())
        cp.add_chains()->set_spins(reinterpret_cast<const char*>(spins.data()), spins.size());
      // The stale schedule's delayed states, each gathered whole (oldest first).
      for (int m = 0; m < collective_.history_length(); ++m) {
        const std::vector<std::int8_t> past =
            comm_.gather_to_root(collective_.history_bytes(c, m, done));
        if (comm_.is_root())
          cp.mutable_chains(c)->mutable_stale_history()->append(
              reinterpret_cast<const char*>(past.data()), past.size());
      }
    }
    coordinator_.save(comm_, cp);
  }

  void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const override {
    coordinator_.encode_series(first_row, out);
  }

  void describe(record::Status& st, const std::string& state) override {
    const auto& series = coordinator_.series();
    const std::size_t samples = series.empty() ? 0 : series.front().magnetization.size();
    st.set_measured_samples(static_cast<std::int32_t>(samples));
    if (samples < 2) return;
    const auto [m, m_err] = pooled_mean(series, &ChainSeries::magnetization, false);
    const auto [e, e_err] = pooled_mean(series, &ChainSeries::energy, false);
    st.set_magnetization(m);
    st.set_magnetization_error(m_err);
    st.set_energy_per_agent(e);
    st.set_energy_per_agent_error(e_err);
    // The verdict costs O(samples x observables): while running it is recomputed only when that
    // stays below a twentieth of the time between recomputations, else the last one is shown.
    const double now = comm_.wall_time();
    const bool due = state == "running" && now - verdict_time_ >= 20 * verdict_cost_;
    if (!final_verdict_ && (state == "interrupted" || due)) {
      verdict_ = verify(config_, series, inputs_.exact, kernel(),
                        weight_asymmetry(inputs_.agents.precisions))
                     .expected;
      verdict_cost_ = comm_.wall_time() - now;
      verdict_time_ = now;
    }
    *st.mutable_stationarity() = verdict_;
  }

  const RunInputs& inputs_;
  Collective collective_;
  Coordinator coordinator_;
  std::optional<KernelReference> kernel_;
  record::Comparison verdict_;  // status.json's latest verdict
  bool final_verdict_ = false;  // verdict_ is the finished run's
  double verdict_time_ = 0;
  double verdict_cost_ = 0;
};

// Collective: what the asynchronous schedule saw, summed over the ranks.
record::Concurrency concurrency_record(const RunConfig& config, const Collective& collective,
                                       const comm::Communicator& comm) {
  const ConcurrencyStats mine = collective.schedule().concurrency();
  std::vector<double> sums = {static_cast<double>(mine.messages), mine.lag_sum};
  comm.sum_in_place(sums);
  const double lag_max = comm.max(mine.lag_max);
  record::Concurrency c;
  const bool asynchronous = config.schedule() == RunConfig::asynchronous;
  c.set_reproducible(!asynchronous || comm.size() == 1);
  if (asynchronous)
    c.set_note(comm.size() == 1
                   ? "asynchronous on one rank: no ghosts, identical to chromatic"
                   : "asynchronous: ghost values are whatever had arrived; the trajectory depends "
                     "on timing and is not reproducible");
  else
    c.set_note("the trajectory is a function of the configuration and seed alone");
  c.set_halo_messages(static_cast<std::int64_t>(sums[0]));
  c.set_mean_ghost_lag_sweeps(sums[0] > 0 ? sums[1] / sums[0] : 0.0);
  c.set_max_ghost_lag_sweeps(lag_max);
  return c;
}

std::vector<std::string> distinct_hosts(const comm::Communicator& comm) {
  std::vector<std::string> hosts = comm.gather_to_root(comm::Communicator::processor_name());
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  return hosts;
}

}  // namespace

RunResult run_simulation(const RunConfig& config, const RunInputs& inputs,
                         const comm::Communicator& comm, const RunOptions& options) {
  RunResult result;
  result.glass = inputs.glass;
  const AgentId n = result.glass->couplings.size();
  const CollectiveSpec& spec = inputs.spec;
  const AgentId n_free = n - static_cast<AgentId>(spec.clamped.size());

  Segment segment(config, inputs, comm, options);
  result.completed_sweeps = segment.run();
  if (segment.interrupted()) {
    result.interrupted_by = comm.max(interrupt_signal());
    return result;
  }

  const std::uint64_t hash = segment.collective().state_hash(comm);
  result.per_agent = segment.coordinator().gather(comm);
  const std::vector<std::string> hosts = distinct_hosts(comm);
  const record::Concurrency concurrency = concurrency_record(config, segment.collective(), comm);
  if (!comm.is_root()) return result;

  const std::vector<ChainSeries>& series = segment.coordinator().series();  // moved out last
  result.sample_sweeps = std::move(segment.sample_sweeps());
  const std::int64_t total = config.burn_in() + config.sweeps();
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
  s.set_colours(segment.collective().colours());
  s.set_precision_asymmetry(weight_asymmetry(inputs.agents.precisions));
  s.set_final_state_hash(hex(hash));
  s.set_wall_seconds(segment.total_wall());
  s.set_updates_per_second(static_cast<double>(n_free) * config.chains() *
                           static_cast<double>(total - segment.first_sweep()) / segment.wall());
  const auto [m, m_err] = pooled_mean(series, &ChainSeries::magnetization, false);
  const double abs_m = pooled_mean(series, &ChainSeries::magnetization, true).first;
  const auto [e, e_err] = pooled_mean(series, &ChainSeries::energy, false);
  const auto [f, f_err] = pooled_mean(series, &ChainSeries::free_energy, false);
  s.set_magnetization(m);
  s.set_magnetization_error(m_err);
  s.set_abs_magnetization(abs_m);
  s.set_energy_per_agent(e);
  s.set_energy_per_agent_error(e_err);
  s.set_free_energy_per_agent(f);
  s.set_free_energy_per_agent_error(f_err);
  *s.mutable_config() = config;
  s.set_command_line(options.command_line);

  record::Provenance& p = *s.mutable_provenance();
  p.set_version(kVersion);
  p.set_build_type(kBuildType);
  p.set_compiler(kCompiler);
  p.set_mpi_library(comm::Environment::library_version());
  p.set_ranks(comm.size());
  p.set_layout(layout(inputs.partition, spec.schedule));
  *p.mutable_hosts() = {hosts.begin(), hosts.end()};
  p.set_wall_seconds(segment.total_wall());
  p.set_command_line(options.command_line);
  p.set_segments(segment.segments());
  p.set_finished_at(utc_timestamp());

  const double asymmetry = weight_asymmetry(inputs.agents.precisions);
  const KernelReference* kernel = segment.kernel();
  Verdicts verdicts = verify(config, series, inputs.exact, kernel, asymmetry);
  *s.mutable_stationarity() = std::move(verdicts.expected);
  for (auto& alternative : verdicts.alternatives) *s.add_alternatives() = std::move(alternative);
  result.references = std::move(verdicts.references);
  if (inputs.exact) result.free_agents = inputs.exact->free_agents;

  s.set_policy_precision(config.policy_precision());
  s.set_asymmetry(config.instance().asymmetry());
  s.set_staleness(config.staleness());
  *s.mutable_concurrency() = concurrency;
  const VerificationSettings settings = verification_settings(config);
  const int colours = segment.collective().colours();
  if (kernel) *s.mutable_kernel() = kernel->record;
  if (config.entropy_production()) {
    const bool exact_ep = kernel && !kernel->law.empty();
    *s.mutable_entropy_production() =
        summarise_entropy_production(series, entropy_granularity(config.schedule()),
                                     steps_per_sweep(config.schedule(), n_free, colours),
                                     exact_ep ? kernel->record.entropy_production_per_sweep()
                                              : std::numeric_limits<double>::quiet_NaN(),
                                     settings);
  }
  if (inputs.exact)
    *s.mutable_detailed_balance() = observed_detailed_balance(
        series, config, phase_masks(*inputs.exact, segment.collective().colouring()), settings);
  result.series = segment.finish(s.stationarity());
  return result;
}

}  // namespace spinfer
