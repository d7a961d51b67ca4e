#include "runtime/run/ensemble_run.hpp"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>

#include "agents/core/error.hpp"
#include "agents/core/fixed_point.hpp"
#include "agents/tempering/replica_exchange.hpp"
#include "agents/tempering/temperature_ladder.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/io/status.hpp"
#include "runtime/io/version.hpp"
#include "runtime/population/ensemble.hpp"
#include "runtime/run/instance_factory.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/run_segment.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string hex(std::uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return text;
}

ScheduleKind schedule_of(const RunConfig& config) {
  return config.schedule() == RunConfig::random_sequential ? ScheduleKind::random_sequential
                                                           : ScheduleKind::chromatic;
}

std::string mode_of(const RunConfig& config, int temperatures) {
  if (config.has_annealing()) return "annealing";
  if (temperatures == 1) return "replicas";
  return config.tempering().swap_interval() > 0 ? "tempering" : "scan";
}

// Hopfield systems start at their own corruption of the cue pattern, keyed by (seed, system).
EnsembleSpec spec_for(const RunConfig& config, const EnsembleInputs& in) {
  EnsembleSpec spec;
  spec.schedule = in.schedule;
  spec.seed = config.seed();
  spec.betas = in.betas;
  if (in.patterns) {
    const std::vector<std::int8_t> cue = in.patterns->pattern(config.instance().cue_pattern());
    const double fraction = config.instance().corruption();
    const std::uint64_t seed = config.seed();
    spec.initial_state = [cue, fraction, seed](int system) {
      return corrupt(cue, fraction, seed | (static_cast<std::uint64_t>(system) + 1) << 32);
    };
  }
  return spec;
}

// One segment of an ensemble run: replicas x temperatures, tempering or annealing.
class EnsembleSegment : public RunSegment {
 public:
  EnsembleSegment(const RunConfig& config, const EnsembleInputs& inputs,
                  const comm::Communicator& world, const RunOptions& options)
      : RunSegment(config, inputs.glass->couplings.size(), world, options),
        inputs_(inputs),
        replicas_(config.replicas()),
        temperatures_(static_cast<int>(inputs.betas.size())),
        ensemble_(world, *inputs.glass, inputs.layout, spec_for(config, inputs)),
        exchange_(replicas_, temperatures_),
        observer_(world, ensemble_, replicas_, temperatures_, inputs.glass->couplings.size(),
                  inputs.patterns),
        betas_(inputs.betas),
        swap_interval_(config.tempering().swap_interval()),
        retune_rounds_(config.has_temperatures() ? config.temperatures().retune().rounds() : 0),
        retune_window_(retune_rounds_ > 0 ? config.burn_in() / retune_rounds_ : 0) {
    if (options.resume) restore(options.resume->checkpoint);
    open_checkpoints(observer_.series_width());
    if (options.resume && world.is_root()) observer_.restore_series(options.resume->series);
  }

  [[nodiscard]] const Ensemble& ensemble() const { return ensemble_; }
  [[nodiscard]] const ReplicaExchange& exchange() const { return exchange_; }
  [[nodiscard]] const EnsembleObserver& observer() const { return observer_; }
  [[nodiscard]] const std::vector<double>& betas() const { return betas_; }

 private:
  void advance(std::int64_t sweep, bool) override {
    if (config_.has_annealing()) set_betas({annealing_beta(config_, sweep)});
    ensemble_.sweep(static_cast<std::uint64_t>(sweep), exchange_.temperature_of());
    const std::int64_t done = sweep + 1;
    if (temperatures_ > 1 && swap_interval_ > 0 && done % swap_interval_ == 0) swap(done);
    if (retune_window_ > 0 && done % retune_window_ == 0 && retunes_ < retune_rounds_ &&
        done <= config_.burn_in()) {
      merge_exchange();
      set_betas(retune_ladder(betas_, exchange_.window_acceptance_rates(),
                              config_.temperatures().retune().step()));
      exchange_.reset_window();
      ++retunes_;
    }
    if (done == config_.burn_in()) exchange_.reset_statistics();
  }

  void measure(std::int64_t done) override { observer_.measure(comm_, ensemble_, exchange_, done); }

  void end_of_loop() override {
    observer_.flush(comm_, ensemble_);
    merge_exchange();
  }

  // One round of swap attempts. When every group holds whole replicas, a group decides its own
  // replicas' swaps from its own energies, without talking to the other groups; the decisions
  // are the ones the whole world would make, and merge_exchange() gathers them when needed.
  void swap(std::int64_t done) {
    const bool local = replica_local();
    const std::vector<std::uint64_t> fixed =
        ensemble_.energies(local ? ensemble_.group_comm() : comm_);
    std::vector<double> energies(fixed.size());
    for (std::size_t s = 0; s < fixed.size(); ++s) energies[s] = fixed_point::to_double(fixed[s]);
    const int first = local ? ensemble_.first_system() / temperatures_ : 0;
    const int end =
        local ? (ensemble_.first_system() + ensemble_.local_systems()) / temperatures_ : replicas_;
    exchange_.attempt_swaps(config_.seed(), static_cast<std::uint64_t>(done), energies, betas_,
                            first, end);
    exchange_stale_ = local;
  }

  [[nodiscard]] bool replica_local() const {
    if (inputs_.layout.groups == 1) return false;  // nothing to keep apart
    for (int g = 0; g < inputs_.layout.groups; ++g)
      if (inputs_.layout.first_system[g] % temperatures_ != 0) return false;
    return true;
  }

  // Every rank's exchange state from the groups that own each replica (one all-reduce).
  void merge_exchange() {
    if (!exchange_stale_) return;
    exchange_stale_ = false;
    const int t = temperatures_, pairs = temperatures_ - 1;
    const std::size_t width = static_cast<std::size_t>(3 * t + 4 * pairs + 2);
    std::vector<std::uint64_t> v(width * static_cast<std::size_t>(replicas_), 0);
    ReplicaExchange::State x = exchange_.state();
    const bool contribute = inputs_.layout.rank_in_group(comm_.rank()) == 0;
    const auto slices = [&](auto&& visit) {  // visit(replica, value&, slot)
      for (int a = 0; a < replicas_; ++a) {
        std::uint64_t* at = v.data() + width * static_cast<std::size_t>(a);
        for (int k = 0; k < t; ++k) {
          visit(a, x.temperature_of[a * t + k], at++);
          visit(a, x.trip_label[a * t + k], at++);
          visit(a, x.trip_start[a * t + k], at++);
        }
        for (int k = 0; k < pairs; ++k) {
          visit(a, x.attempts[a * pairs + k], at++);
          visit(a, x.accepted[a * pairs + k], at++);
          visit(a, x.window_attempts[a * pairs + k], at++);
          visit(a, x.window_accepted[a * pairs + k], at++);
        }
        visit(a, x.round_trips[a], at++);
        visit(a, x.round_trip_sweeps[a], at++);
      }
    };
    slices([&](int a, auto& value, std::uint64_t* slot) {
      if (contribute && ensemble_.holds(a * t)) *slot = static_cast<std::uint64_t>(value);
    });
    comm_.sum_wrapping_in_place(v);
    slices([](int, auto& value, std::uint64_t* slot) {
      value = static_cast<std::remove_reference_t<decltype(value)>>(*slot);
    });
    exchange_.restore(x);
  }

  void set_betas(std::vector<double> betas) {
    if (betas == betas_) return;
    betas_ = betas;
    ensemble_.block().set_betas(std::move(betas));
  }

  void restore(const record::Checkpoint& cp) {
    const record::EnsembleState& st = cp.ensemble();
    const int systems = replicas_ * temperatures_;
    if (cp.n_agents() != inputs_.glass->couplings.size() || st.system_spins_size() != systems ||
        st.betas_size() != temperatures_ || cp.completed_sweeps() > total_)
      throw field_error("checkpoint", "ensemble", "does not match the configuration");
    for (int c = 0; c < ensemble_.local_systems(); ++c)
      ensemble_.restore_system(c, st.system_spins(ensemble_.first_system() + c));
    ReplicaExchange::State x;
    x.temperature_of.assign(st.temperature_of().begin(), st.temperature_of().end());
    x.rounds = st.swap_rounds();
    x.attempts.assign(st.attempts().begin(), st.attempts().end());
    x.accepted.assign(st.accepted().begin(), st.accepted().end());
    x.window_attempts.assign(st.window_attempts().begin(), st.window_attempts().end());
    x.window_accepted.assign(st.window_accepted().begin(), st.window_accepted().end());
    x.trip_label.assign(st.trip_label().begin(), st.trip_label().end());
    x.trip_start.assign(st.trip_start().begin(), st.trip_start().end());
    x.round_trips.assign(st.round_trips().begin(), st.round_trips().end());
    x.round_trip_sweeps.assign(st.round_trip_sweeps().begin(), st.round_trip_sweeps().end());
    exchange_.restore(x);
    set_betas({st.betas().begin(), st.betas().end()});
    retunes_ = st.retunes_done();
    observer_.restore(comm_, st, ensemble_);
    resume_bookkeeping(cp);
  }

  void fill_checkpoint(std::int64_t, record::Checkpoint& cp) override {
    merge_exchange();
    record::EnsembleState& st = *cp.mutable_ensemble();
    for (int s = 0; s < replicas_ * temperatures_; ++s) {
      const std::vector<std::int8_t> mine =
          ensemble_.holds(s) ? ensemble_.owned_bytes(s - ensemble_.first_system())
                             : std::vector<std::int8_t>{};
      const std::vector<std::int8_t> spins = comm_.gather_to_root(mine);
      if (comm_.is_root())
        st.add_system_spins(reinterpret_cast<const char*>(spins.data()), spins.size());
    }
    observer_.save(comm_, ensemble_, st);
    if (!comm_.is_root()) return;
    const ReplicaExchange::State x = exchange_.state();
    *st.mutable_temperature_of() = {x.temperature_of.begin(), x.temperature_of.end()};
    st.set_swap_rounds(x.rounds);
    *st.mutable_attempts() = {x.attempts.begin(), x.attempts.end()};
    *st.mutable_accepted() = {x.accepted.begin(), x.accepted.end()};
    *st.mutable_window_attempts() = {x.window_attempts.begin(), x.window_attempts.end()};
    *st.mutable_window_accepted() = {x.window_accepted.begin(), x.window_accepted.end()};
    *st.mutable_trip_label() = {x.trip_label.begin(), x.trip_label.end()};
    *st.mutable_trip_start() = {x.trip_start.begin(), x.trip_start.end()};
    *st.mutable_round_trips() = {x.round_trips.begin(), x.round_trips.end()};
    *st.mutable_round_trip_sweeps() = {x.round_trip_sweeps.begin(), x.round_trip_sweeps.end()};
    *st.mutable_betas() = {betas_.begin(), betas_.end()};
    st.set_retunes_done(retunes_);
  }

  void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const override {
    observer_.encode_series(first_row, out);
  }

  void describe(record::Status& st, const std::string&) override {
    const EnsembleSeries& series = observer_.series();
    st.set_measured_samples(static_cast<std::int32_t>(series.samples()));
    if (series.samples() >= 2) {
      const auto o = analyse_temperature(series, temperatures_ - 1, betas_.back(),
                                         inputs_.glass->couplings.size());
      st.set_magnetization(o.abs_magnetization().value());
      st.set_magnetization_error(o.abs_magnetization().error());
      st.set_energy_per_agent(o.energy_per_spin().value());
      st.set_energy_per_agent_error(o.energy_per_spin().error());
    }
  }

  const EnsembleInputs& inputs_;
  int replicas_;
  int temperatures_;
  Ensemble ensemble_;
  ReplicaExchange exchange_;
  EnsembleObserver observer_;
  std::vector<double> betas_;
  int swap_interval_;
  int retune_rounds_;
  std::int64_t retune_window_;
  int retunes_ = 0;
  bool exchange_stale_ = false;  // other groups' replicas have moved since the last merge
};

std::vector<std::string> distinct_hosts(const comm::Communicator& comm) {
  std::vector<std::string> hosts = comm.gather_to_root(comm::Communicator::processor_name());
  std::sort(hosts.begin(), hosts.end());
  hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
  return hosts;
}

record::Ensemble ensemble_record(const RunConfig& config, const EnsembleInputs& inputs,
                                 const EnsembleSegment& segment, const EnsembleResult& result) {
  const ReplicaExchange& x = segment.exchange();
  const std::vector<double>& betas = segment.betas();
  record::Ensemble e;
  e.set_mode(mode_of(config, x.temperatures()));
  e.set_replicas(x.replicas());
  e.set_temperatures(x.temperatures());
  *e.mutable_initial_betas() = {inputs.betas.begin(), inputs.betas.end()};
  *e.mutable_betas() = {betas.begin(), betas.end()};
  e.set_swap_interval(config.tempering().swap_interval());
  const std::vector<double> rates = x.acceptance_rates();
  const std::vector<std::int64_t> attempts = x.attempts(), accepted = x.accepted();
  for (int k = 0; k + 1 < x.temperatures(); ++k) {
    record::SwapStatistics& s = *e.add_swaps();
    s.set_pair(k);
    s.set_beta_low(betas[k]);
    s.set_beta_high(betas[k + 1]);
    s.set_attempts(attempts[k]);
    s.set_accepted(accepted[k]);
    s.set_acceptance(rates[k]);
  }
  e.set_round_trips(x.round_trips());
  e.set_mean_round_trip_sweeps(x.round_trips() > 0 ? static_cast<double>(x.round_trip_sweeps()) /
                                                         static_cast<double>(x.round_trips())
                                                   : kNaN);
  const auto& best = result.best;
  const double n = static_cast<double>(inputs.glass->couplings.size());
  e.set_best_energy(best.found ? best.energy : kNaN);
  e.set_best_energy_per_spin(best.found ? best.energy / n : kNaN);
  e.set_best_replica(best.found ? best.system / x.temperatures() : -1);
  e.set_best_sweep(best.sweep);
  for (int a = 0; a < x.replicas(); ++a) {
    double lowest = kNaN;
    for (int k = 0; k < x.temperatures(); ++k) {
      const double v = best.system_energy[a * x.temperatures() + k];
      if (std::isfinite(v) && !(lowest <= v)) lowest = v;
    }
    e.add_replica_best_energy(lowest);
  }
  return e;
}

}  // namespace

EnsembleInputs prepare_ensemble(const RunConfig& config, int ranks) {
  EnsembleInputs in;
  in.glass = std::make_shared<const SpinGlass>(build_instance(config.instance()));
  if (config.instance().kind() == config::Instance::hopfield)
    in.patterns = hopfield_patterns(config.instance());
  in.betas = initial_ladder(config);
  in.schedule = schedule_of(config);
  const int systems = config.replicas() * static_cast<int>(in.betas.size());
  in.layout = make_ensemble_layout(ranks, systems, config.layout().groups());
  group_partition(*in.glass, in.schedule, in.layout.ranks_per_group);  // throws if impossible
  const std::int64_t n = in.glass->couplings.size();
  const std::int64_t temperatures = static_cast<std::int64_t>(in.betas.size());
  const std::int64_t samples = config.sweeps() / config.measure_interval() + 1;
  require_checkpoint_fits({n, n * (systems + 1), temperatures * n, samples * config.replicas()});
  return in;
}

EnsembleResult run_ensemble(const RunConfig& config, const comm::Communicator& world,
                            const RunOptions& options) {
  return run_ensemble(config, prepare_ensemble(config, world.size()), world, options);
}

EnsembleResult run_ensemble(const RunConfig& config, const EnsembleInputs& inputs,
                            const comm::Communicator& world, const RunOptions& options) {
  EnsembleResult result;
  result.glass = inputs.glass;
  EnsembleSegment segment(config, inputs, world, options);
  result.completed_sweeps = segment.run();
  result.cpu_seconds = segment.cpu();
  if (segment.interrupted()) {
    result.interrupted_by = world.max(interrupt_signal());
    return result;
  }
  const std::uint64_t hash = segment.ensemble().state_hash(world);
  result.magnetizations = segment.observer().magnetizations(world, segment.ensemble());
  result.best = segment.observer().best(world);
  const std::vector<std::string> hosts = distinct_hosts(world);
  if (!world.is_root()) return result;

  const SpinGlass& glass = *inputs.glass;
  const AgentId n = glass.couplings.size();
  const int temperatures = static_cast<int>(inputs.betas.size());
  const int systems = config.replicas() * temperatures;
  result.series = segment.observer().series();
  result.histograms = segment.observer().histograms();
  result.sample_sweeps = std::move(segment.sample_sweeps());
  if (config.has_annealing())
    for (std::int64_t done : result.sample_sweeps)
      result.sample_betas.push_back(annealing_beta(config, done - 1));

  record::Summary& s = result.summary;
  s.set_version(kVersion);
  s.set_ranks(world.size());
  s.set_schedule(RunConfig::Schedule_Name(config.schedule()));
  s.set_action(RunConfig::Action_Name(config.action()));
  s.set_seed(config.seed());
  s.set_n_agents(static_cast<std::int32_t>(n));
  s.set_chains(systems);
  s.set_sweeps(config.sweeps());
  s.set_burn_in(config.burn_in());
  s.set_measured_samples(static_cast<std::int32_t>(result.sample_sweeps.size()));
  s.set_instance(glass.description);
  s.set_precision_asymmetry(weight_asymmetry(glass.couplings));
  s.set_final_state_hash(hex(hash));
  s.set_wall_seconds(segment.total_wall());
  const std::int64_t total = static_cast<std::int64_t>(config.burn_in()) + config.sweeps();
  s.set_updates_per_second(static_cast<double>(n) * systems *
                           static_cast<double>(total - segment.first_sweep()) / segment.wall());
  *s.mutable_config() = config;
  s.set_command_line(options.command_line);

  record::Ensemble e = ensemble_record(config, inputs, segment, result);
  const VerificationSettings settings{config.verification().false_alarm_rate(),
                                      config.verification().min_effective_samples()};
  if (!config.has_annealing()) {
    const bool enumerate = n <= config.verification().max_exact_agents();
    for (int k = 0; k < temperatures; ++k) {
      *e.add_observables() = analyse_temperature(result.series, k, segment.betas()[k], n);
      if (enumerate) result.exact.push_back(exact_reference(glass, segment.betas()[k]));
    }
    const auto& coldest = e.observables(temperatures - 1);
    s.set_beta(segment.betas().back());
    s.set_energy_per_agent(coldest.energy_per_spin().value());
    s.set_energy_per_agent_error(coldest.energy_per_spin().error());
    s.set_abs_magnetization(coldest.abs_magnetization().value());
    if (enumerate)
      *s.mutable_stationarity() = compare_with_exact_observables(
          {e.observables().begin(), e.observables().end()}, result.exact, settings);
    else
      *s.mutable_stationarity() = compare_replicas(result.series, settings);
  } else {
    s.set_beta(config.annealing().beta_end());
    s.set_energy_per_agent(e.best_energy_per_spin());
  }
  if (result.series.samples() > 0) {
    double m = 0;
    const int k = temperatures - 1;
    for (std::int64_t t = 0; t < result.series.samples(); ++t)
      for (int a = 0; a < config.replicas(); ++a)
        m += result.series.magnetization[(t * temperatures + k) * config.replicas() + a];
    s.set_magnetization(m / static_cast<double>(result.series.samples() * config.replicas()));
  }
  s.set_magnetization_error(kNaN);
  s.set_free_energy_per_agent(kNaN);
  s.set_free_energy_per_agent_error(kNaN);
  *s.mutable_ensemble() = std::move(e);

  record::Provenance& p = *s.mutable_provenance();
  p.set_version(kVersion);
  p.set_build_type(kBuildType);
  p.set_compiler(kCompiler);
  p.set_mpi_library(comm::Environment::library_version());
  p.set_ranks(world.size());
  p.set_layout(inputs.layout.describe());
  *p.mutable_hosts() = {hosts.begin(), hosts.end()};
  p.set_wall_seconds(segment.total_wall());
  p.set_command_line(options.command_line);
  p.set_segments(segment.segments());
  p.set_finished_at(utc_timestamp());
  segment.write_final_status();
  return result;
}

}  // namespace spinfer
