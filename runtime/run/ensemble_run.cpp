// Replicas x temperatures: what each temperature measures (with errors), what the tempering
// did, the lowest energy seen; judged against enumeration for small instances, else by the
// agreement of independent replicas.
#include <cmath>
#include <limits>

#include "agents/exact/asymmetry.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/run/run_kinds.hpp"
#include "runtime/run/run_summary.hpp"
#include "runtime/verify/chain_verdicts.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string mode_of(const RunConfig& config, int temperatures) {
  if (config.has_annealing()) return "annealing";
  if (temperatures == 1) return "replicas";
  return config.tempering().swap_interval() > 0 ? "tempering" : "scan";
}

record::Ensemble ensemble_record(const RunConfig& config, const RunInputs& inputs,
                                 const IsingSegment& segment, const RunResult& result) {
  const ReplicaExchange& x = segment.tempering().exchange();
  const std::vector<double>& betas = segment.tempering().scales();
  record::Ensemble e;
  e.set_mode(mode_of(config, x.temperatures()));
  e.set_replicas(x.replicas());
  e.set_temperatures(x.temperatures());
  *e.mutable_initial_betas() = {inputs.scales.begin(), inputs.scales.end()};
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

class EnsembleRun final : public RunKind {
 public:
  EnsembleRun(const RunConfig& config, const RunInputs& inputs)
      : config_(config), inputs_(inputs) {}

  [[nodiscard]] MeasurementPlan plan() const override {
    MeasurementPlan p;
    p.replicas = inputs_.replicas();
    p.temperatures = inputs_.temperatures();
    p.n_agents = inputs_.glass->couplings.size();
    p.replica_overlaps = true;
    p.lowest_energy = true;
    p.patterns = inputs_.patterns ? &*inputs_.patterns : nullptr;
    return p;
  }

  void describe(const IsingSegment& segment, record::Status& st, const std::string&) override {
    const EnsembleSeries& series = segment.observer().series();
    st.set_measured_samples(static_cast<std::int32_t>(series.samples()));
    if (series.samples() < 2) return;
    const int coldest = inputs_.temperatures() - 1;
    const auto o = analyse_temperature(series, coldest, segment.tempering().scales().back(),
                                       inputs_.glass->couplings.size());
    st.set_magnetization(o.abs_magnetization().value());
    st.set_magnetization_error(o.abs_magnetization().error());
    st.set_energy_per_agent(o.energy_per_spin().value());
    st.set_energy_per_agent_error(o.energy_per_spin().error());
  }

  void complete(IsingSegment& segment, const comm::Communicator& comm, const RunOptions& options,
                RunResult& result) override;

 private:
  void fill_observables(const IsingSegment& segment, RunResult& result, record::Ensemble& e);

  const RunConfig& config_;
  const RunInputs& inputs_;
};

void EnsembleRun::complete(IsingSegment& segment, const comm::Communicator& comm,
                           const RunOptions& options, RunResult& result) {
  const Population<IsingBlock>& population = segment.population();
  const std::uint64_t hash = population.state_hash(comm);
  result.magnetizations = segment.observer().magnetizations(comm, population);
  const auto best = segment.observer().best(comm);
  result.best = {best.found, best.energy, best.system, best.sweep, best.values, best.system_energy};
  const std::vector<std::string> hosts = distinct_hosts(comm);
  if (!comm.is_root()) return;

  const SpinGlass& glass = *inputs_.glass;
  const AgentId n = glass.couplings.size();
  result.ensemble_series = segment.observer().series();
  result.histograms = segment.observer().histograms();
  result.sample_sweeps = std::move(segment.sample_sweeps());
  if (config_.has_annealing())
    for (std::int64_t done : result.sample_sweeps)
      result.sample_betas.push_back(annealing_beta(config_, done - 1));

  record::Summary& s = result.summary;
  fill_run_summary(s, config_,
                   {n, n, inputs_.systems(), static_cast<std::int64_t>(result.sample_sweeps.size()),
                    glass.description, weight_asymmetry(glass.couplings), hash,
                    segment.total_wall(), segment.wall(), segment.first_sweep(), segment.segments(),
                    inputs_.layout.describe(), hosts, options.command_line},
                   comm.size());
  record::Ensemble e = ensemble_record(config_, inputs_, segment, result);
  fill_observables(segment, result, e);
  const EnsembleSeries& series = result.ensemble_series;
  if (series.samples() > 0) {
    double m = 0;
    const int k = inputs_.temperatures() - 1;
    for (std::int64_t t = 0; t < series.samples(); ++t)
      for (int a = 0; a < config_.replicas(); ++a)
        m += series.magnetization[(t * inputs_.temperatures() + k) * config_.replicas() + a];
    s.set_magnetization(m / static_cast<double>(series.samples() * config_.replicas()));
  }
  s.set_magnetization_error(kNaN);
  s.set_free_energy_per_agent(kNaN);
  s.set_free_energy_per_agent_error(kNaN);
  *s.mutable_ensemble() = std::move(e);
  segment.write_final_status();
}

// Per temperature, pooled over the replicas, and the verdict: against enumeration when the
// instance is small enough, else the replicas' agreement. Annealing has no stationary
// temperature: its result is the lowest energy.
void EnsembleRun::fill_observables(const IsingSegment& segment, RunResult& result,
                                   record::Ensemble& e) {
  record::Summary& s = result.summary;
  const SpinGlass& glass = *inputs_.glass;
  const AgentId n = glass.couplings.size();
  const std::vector<double>& betas = segment.tempering().scales();
  if (config_.has_annealing()) {
    s.set_beta(config_.annealing().beta_end());
    s.set_energy_per_agent(e.best_energy_per_spin());
    return;
  }
  const VerificationSettings settings = verification_settings(config_);
  const bool enumerate = n <= config_.verification().max_exact_agents();
  for (int k = 0; k < inputs_.temperatures(); ++k) {
    *e.add_observables() = analyse_temperature(result.ensemble_series, k, betas[k], n);
    if (enumerate) result.exact.push_back(exact_reference(glass, betas[k]));
  }
  const auto& coldest = e.observables(inputs_.temperatures() - 1);
  s.set_beta(betas.back());
  s.set_energy_per_agent(coldest.energy_per_spin().value());
  s.set_energy_per_agent_error(coldest.energy_per_spin().error());
  s.set_abs_magnetization(coldest.abs_magnetization().value());
  if (enumerate)
    *s.mutable_stationarity() = compare_with_exact_observables(
        {e.observables().begin(), e.observables().end()}, result.exact, settings);
  else
    *s.mutable_stationarity() = compare_replicas(result.ensemble_series, settings);
}

}  // namespace

std::unique_ptr<RunKind> ensemble_run(const RunConfig& config, const RunInputs& inputs) {
  return std::make_unique<EnsembleRun>(config, inputs);
}

}  // namespace spinfer
