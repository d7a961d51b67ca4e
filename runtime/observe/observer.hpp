#pragma once
// The coordinator of every run: what is measured of the collective, how it reaches rank 0, and
// what rank 0 keeps. At every measurement each rank sums, over the agents it owns and for the
// systems its group holds, what the MeasurementPlan asks for; every so many measurements (and
// before a checkpoint or the end) one flush brings a whole batch together in one integer
// all-reduce, identical bits at every rank count and layout. Batching keeps the ranks from
// waiting for each other at every measurement, which costs most on a shared machine.
//
// A run at one beta and an ensemble are the same to it: systems at temperature slots, R per
// temperature (a run at one beta has one temperature and its chains as replicas). The plan says
// which quantities the run's analysis needs: the per-chain series a run at one beta verifies
// (with free energies, visited states, edge correlations, entropy production) or the
// per-temperature series of an ensemble (with replica overlaps, Hopfield overlaps, the lowest
// energy seen).
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/hopfield.hpp"
#include "agents/statistics/observables.hpp"
#include "checkpoint.pb.h"
#include "comm/communicator.hpp"
#include "runtime/observe/ensemble_analysis.hpp"
#include "runtime/population/population.hpp"
#include "runtime/verify/stationarity.hpp"

namespace spinfer {

struct MeasurementPlan {
  int replicas = 1;      // systems per temperature (the chains of a run at one beta)
  int temperatures = 1;  // a run at one beta: 1
  AgentId n_agents = 0;
  // Per-chain series (a run at one beta): energy and free energy from each agent's own terms,
  // in precision units, divided by `beta` per agent; else per-temperature series in units of J.
  bool chain_series = false;
  double beta = 1;
  const ReducedModel* exact = nullptr;  // chain series: record the free agents' visited state
  std::int64_t directed_edges = 0;      // chain series, > 0: edge products and per-edge sums
  bool entropy_production = false;      // chain series: the sweep's entropy production
  bool replica_overlaps = false;        // temperature series: q per pair of replicas, P(q)
  bool lowest_energy = false;           // temperature series: the best state seen
  const Patterns* patterns = nullptr;   // temperature series: Hopfield overlaps
};

template <class Block>
class Observer {
 public:
  using State = typename Block::State;
  // A batch holds at most this many measurements, and this many bytes of states per rank.
  static constexpr int kMaxBatch = 256;
  static constexpr std::size_t kMaxBatchBytes = std::size_t{32} << 20;

  // Collective: the ranks agree on the batch size.
  Observer(const comm::Communicator& world, const Population<Block>& population,
           const MeasurementPlan& plan);

  // `sweep` is the number of sweeps completed; temperature_of[s] is system s's slot as this
  // rank knows it (current for its group's systems). Collective only when it completes a batch.
  void measure(const comm::Communicator& world, const Population<Block>& population,
               std::span<const int> temperature_of, std::int64_t sweep);
  // Processes the measurements still pending. Collective.
  void flush(const comm::Communicator& world, const Population<Block>& population);

  // After flush(), on rank 0:
  [[nodiscard]] const std::vector<ChainSeries>& chain_series() const { return chains_; }
  [[nodiscard]] std::vector<ChainSeries> take_chain_series() { return std::move(chains_); }
  [[nodiscard]] const EnsembleSeries& series() const { return series_; }
  [[nodiscard]] const std::vector<OverlapHistogram>& histograms() const { return histograms_; }
  [[nodiscard]] std::int64_t samples() const { return samples_; }
  [[nodiscard]] std::int64_t recorded() const;  // rows rank 0 holds

  // <s_i> at every temperature, [k * N + i], on rank 0. Collective.
  [[nodiscard]] std::vector<double> magnetizations(const comm::Communicator& world,
                                                   const Population<Block>& population) const;
  // <s_i s_j> per directed edge in global CSR order, on rank 0 (chain series). Collective.
  [[nodiscard]] std::vector<double> edge_correlations(const comm::Communicator& world) const;

  struct Best {
    bool found = false;
    double energy = 0;  // units of J
    int system = -1;
    std::int64_t sweep = 0;
    std::vector<State> values;          // global id order (rank 0)
    std::vector<double> system_energy;  // lowest per system
  };
  // The lowest-energy state seen at a measurement, gathered to rank 0. Collective; after flush().
  [[nodiscard]] Best best(const comm::Communicator& world) const;

  // Checkpoints: save() flushes and fills the record on rank 0; restore() reads what this rank
  // needs, the per-agent sums scattered from rank 0. Both collective.
  void save(const comm::Communicator& world, const Population<Block>& population,
            record::Checkpoint& checkpoint);
  void restore(const comm::Communicator& world, const record::Checkpoint& checkpoint,
               const Population<Block>& population);

  // The series as rows of 64-bit words for the checkpoint's series file (rank 0, after
  // flush()): one row per measurement.
  [[nodiscard]] int series_width() const;
  void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const;
  // Replaces the series (and the P(q) histograms that follow from them) with `rows`.
  void restore_series(std::span<const std::uint64_t> rows);

 private:
  [[nodiscard]] std::size_t words_per_system() const;
  void record_batch(const std::vector<std::uint64_t>& sums, const std::vector<int>& permutations,
                    const Population<Block>& population);
  void record_chains(const std::uint64_t* row);
  void record_lowest(const std::uint64_t* row, int t, const Population<Block>& population);
  [[nodiscard]] std::vector<std::uint64_t> agent_sums_to_root(
      const comm::Communicator& world, const Population<Block>& population) const;

  MeasurementPlan plan_;
  int systems_;
  int patterns_;
  std::vector<State> local_patterns_;     // [mu * owned + row]
  std::vector<std::uint64_t> bit_value_;  // per owned row: 2^bit for free agents (exact runs)
  std::vector<ChainSeries> chains_;
  EnsembleSeries series_;
  std::vector<OverlapHistogram> histograms_;
  std::vector<std::int64_t> agent_sums_;  // [k * owned + row]
  std::vector<std::int64_t> edge_sums_;   // per owned directed edge (chain series)
  std::int64_t samples_ = 0;              // measurements
  int batch_limit_ = 1;
  bool keep_values_;  // the batch keeps the owned values (overlaps, lowest energy)
  bool found_ = false;
  std::int64_t best_fixed_ = 0;
  int best_system_ = -1;
  std::int64_t best_sweep_ = 0;
  std::vector<State> best_values_;  // owned rows, when this rank's group holds the system
  std::vector<std::int64_t> system_best_;
  // The batch: per measurement, the sweep, every system's slot (as this rank knows it), this
  // rank's sums for its group's systems, and its owned values of them.
  std::vector<std::int64_t> pending_sweeps_;
  std::vector<int> pending_temperatures_;    // [t * systems + s]
  std::vector<std::uint64_t> pending_sums_;  // [(t * local + c) * words + ...]
  std::vector<State> pending_values_;        // [(t * local + c) * owned + row]
};

}  // namespace spinfer
