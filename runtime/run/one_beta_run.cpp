// Independent chains at one beta: which law do they sample? Exactly, by the states they visit,
// for small populations; by the agreement of the chains otherwise.
#include <algorithm>
#include <chrono>

#include "agents/exact/asymmetry.hpp"
#include "runtime/run/run_kinds.hpp"
#include "runtime/run/run_summary.hpp"
#include "runtime/verify/chain_verdicts.hpp"

namespace spinfer {
namespace {

std::string layout_text(const Partition& partition, const ScheduleTraits& traits) {
  if (traits.single_owner)
    return "all agents on rank 0 (" + std::string(traits.name) + "); " +
           std::to_string(partition.ranks()) + " ranks";
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

// Collective: what the asynchronous schedule saw, summed over the ranks.
record::Concurrency concurrency_record(const RunConfig& config, const ConcurrencyStats& mine,
                                       const comm::Communicator& comm) {
  std::vector<double> sums = {static_cast<double>(mine.messages), mine.lag_sum};
  comm.sum_in_place(sums);
  const double lag_max = comm.max(mine.lag_max);
  record::Concurrency c;
  const bool reproducible = schedule_traits(config.schedule()).reproducible;
  c.set_reproducible(reproducible || comm.size() == 1);
  if (!reproducible)
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

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

class OneBetaRun final : public RunKind {
 public:
  OneBetaRun(const RunConfig& config, const RunInputs& inputs)
      : config_(config), inputs_(inputs), asymmetry_(weight_asymmetry(inputs.agents.precisions)) {}

  [[nodiscard]] MeasurementPlan plan() const override {
    MeasurementPlan p;
    p.replicas = config_.chains();
    p.temperatures = 1;
    p.n_agents = inputs_.glass->couplings.size();
    p.chain_series = true;
    p.beta = config_.beta();
    p.exact = inputs_.exact ? &*inputs_.exact : nullptr;
    p.directed_edges = inputs_.glass->couplings.directed_edges();
    p.entropy_production = config_.entropy_production();
    return p;
  }

  void describe(const IsingSegment& segment, record::Status& st,
                const std::string& state) override {
    const auto& series = segment.observer().chain_series();
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
    const double now = now_seconds();
    const bool due = state == "running" && now - verdict_time_ >= 20 * verdict_cost_;
    if (!final_verdict_ && (state == "interrupted" || due)) {
      verdict_ =
          verify_chains(config_, series, inputs_.exact, kernel(segment), asymmetry_).expected;
      verdict_cost_ = now_seconds() - now;
      verdict_time_ = now;
    }
    *st.mutable_stationarity() = verdict_;
  }

  void complete(IsingSegment& segment, const comm::Communicator& comm, const RunOptions& options,
                RunResult& result) override;

 private:
  // The exact kernel reference of an exact run, computed once on the rank that asks (rank 0).
  const KernelReference* kernel(const IsingSegment& segment) {
    if (!inputs_.exact) return nullptr;
    if (!kernel_)
      kernel_ = exact_kernel_reference(config_, *inputs_.exact, segment.population().colouring(),
                                       asymmetry_);
    return &*kernel_;
  }

  const RunConfig& config_;
  const RunInputs& inputs_;
  double asymmetry_;
  std::optional<KernelReference> kernel_;
  record::Comparison verdict_;  // status.json's latest verdict
  bool final_verdict_ = false;  // verdict_ is the finished run's
  double verdict_time_ = 0;
  double verdict_cost_ = 0;
};

void OneBetaRun::complete(IsingSegment& segment, const comm::Communicator& comm,
                          const RunOptions& options, RunResult& result) {
  const Population<IsingBlock>& population = segment.population();
  const AgentId n = inputs_.glass->couplings.size();
  const AgentId n_free = n - static_cast<AgentId>(inputs_.clamped.size());
  const std::uint64_t hash = population.state_hash(comm);
  result.per_agent.magnetization = segment.observer().magnetizations(comm, population);
  result.per_agent.correlation = segment.observer().edge_correlations(comm);
  const std::vector<std::string> hosts = distinct_hosts(comm);
  const record::Concurrency concurrency =
      concurrency_record(config_, population.schedule().concurrency(), comm);
  if (!comm.is_root()) return;

  const std::vector<ChainSeries>& series = segment.observer().chain_series();  // moved out last
  result.sample_sweeps = std::move(segment.sample_sweeps());
  record::Summary& s = result.summary;
  fill_run_summary(
      s, config_,
      {n, n_free, config_.chains(), static_cast<std::int64_t>(result.sample_sweeps.size()),
       inputs_.glass->description, asymmetry_, hash, segment.total_wall(), segment.wall(),
       segment.first_sweep(), segment.segments(),
       layout_text(inputs_.partition, schedule_traits(config_.schedule())), hosts,
       options.command_line},
      comm.size());
  s.set_n_clamped(static_cast<std::int32_t>(inputs_.clamped.size()));
  s.set_beta(config_.beta());
  s.set_colours(population.colours());
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

  const KernelReference* k = kernel(segment);
  Verdicts verdicts = verify_chains(config_, series, inputs_.exact, k, asymmetry_);
  *s.mutable_stationarity() = std::move(verdicts.expected);
  for (auto& alternative : verdicts.alternatives) *s.add_alternatives() = std::move(alternative);
  result.references = std::move(verdicts.references);
  if (inputs_.exact) result.free_agents = inputs_.exact->free_agents;
  s.set_policy_precision(config_.policy_precision());
  s.set_asymmetry(config_.instance().asymmetry());
  s.set_staleness(config_.staleness());
  *s.mutable_concurrency() = concurrency;
  summarise_irreversibility(s, config_, series, inputs_.exact, k, population.colouring(), n_free);
  verdict_ = s.stationarity();
  final_verdict_ = true;
  segment.write_final_status();
  result.series = segment.observer().take_chain_series();
}

}  // namespace

std::unique_ptr<RunKind> one_beta_run(const RunConfig& config, const RunInputs& inputs) {
  return std::make_unique<OneBetaRun>(config, inputs);
}

}  // namespace spinfer
