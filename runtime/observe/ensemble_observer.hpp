#pragma once
// The coordinator of an ensemble run. At every measurement each rank sums, over the agents it
// owns and for the systems its group holds, spins, energy (fixed point) and Hopfield pattern
// overlaps, keeps a copy of those spins, and notes the temperature permutation. Every so many
// measurements (and before a checkpoint or the end) one flush brings a whole batch together:
// the permutations are merged, the spins of systems in other groups arrive for the replica
// overlaps sum_i s_i^a s_i^b (every pair of replicas at every temperature), and one integer
// all-reduce makes every total, identical bits at every layout. Batching keeps the ranks from
// waiting for each other at every measurement, which costs most on a shared machine.
//
// Rank 0 keeps the series and the P(q) histograms; every rank tracks the lowest energy seen (the
// group that holds it keeps its spins) and the per-temperature spin sums of its own agents.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "agents/instances/hopfield.hpp"
#include "agents/statistics/observables.hpp"
#include "agents/tempering/replica_exchange.hpp"
#include "checkpoint.pb.h"
#include "comm/communicator.hpp"
#include "runtime/observe/ensemble_analysis.hpp"
#include "runtime/population/ensemble.hpp"

namespace spinfer {

class EnsembleObserver {
 public:
  // A batch holds at most this many measurements, and this many bytes of spins per rank.
  static constexpr int kMaxBatch = 256;
  static constexpr std::size_t kMaxBatchBytes = std::size_t{32} << 20;

  // Collective: the ranks agree on the batch size.
  EnsembleObserver(const comm::Communicator& world, const Ensemble& ensemble, int replicas,
                   int temperatures, AgentId n_agents, const std::optional<Patterns>& patterns);

  // `sweep` is the number of sweeps completed. Collective only when it completes a batch. The
  // temperature_of of the systems this rank's group holds must be current (the others may lag).
  void measure(const comm::Communicator& world, const Ensemble& ensemble,
               const ReplicaExchange& exchange, std::int64_t sweep);
  // Processes the measurements still pending. Collective.
  void flush(const comm::Communicator& world, const Ensemble& ensemble);

  // After flush():
  [[nodiscard]] const EnsembleSeries& series() const { return series_; }   // rank 0
  [[nodiscard]] const std::vector<OverlapHistogram>& histograms() const {  // rank 0
    return histograms_;
  }
  [[nodiscard]] std::int64_t samples() const { return samples_; }

  // <s_i> at every temperature, [k * N + i], on rank 0. Collective.
  [[nodiscard]] std::vector<double> magnetizations(const comm::Communicator& world,
                                                   const Ensemble& ensemble) const;

  struct Best {
    bool found = false;
    double energy = 0;  // units of J
    int system = -1;
    std::int64_t sweep = 0;
    std::vector<std::int8_t> spins;     // +-1, global id order (rank 0)
    std::vector<double> system_energy;  // lowest per system
  };
  // The lowest-energy state seen at a measurement, spins gathered to rank 0. Collective; call
  // after flush().
  [[nodiscard]] Best best(const comm::Communicator& world) const;

  // Checkpoints: save() flushes and fills `state` on rank 0; restore() reads what this rank
  // needs, the per-agent sums scattered from rank 0 (the other ranks' copies of a resumed record
  // leave them out). Both collective.
  void save(const comm::Communicator& world, const Ensemble& ensemble,
            record::EnsembleState& state);
  void restore(const comm::Communicator& world, const record::EnsembleState& state,
               const Ensemble& ensemble);

  // The series as rows of 64-bit words (bits of the doubles) for the checkpoint's series file,
  // on rank 0, after flush(): per measurement the energies, magnetizations and pattern overlaps
  // in (temperature, replica) order, then the replica overlaps in (temperature, pair) order.
  [[nodiscard]] int series_width() const;
  // Rows first_row .. samples()-1, appended to `out`.
  void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const;
  // Replaces the series (and the P(q) histograms that follow from it) with `rows`.
  void restore_series(std::span<const std::uint64_t> rows);

 private:
  void record_batch(const std::vector<std::uint64_t>& sums, const std::vector<int>& permutations,
                    const Ensemble& ensemble);

  int replicas_;
  int temperatures_;
  AgentId n_;
  int patterns_;
  std::vector<std::int8_t> local_patterns_;  // [mu * owned + row]
  EnsembleSeries series_;
  std::vector<OverlapHistogram> histograms_;
  std::vector<std::int64_t> spin_sums_;  // [k * owned + row]
  std::int64_t samples_ = 0;
  int batch_limit_ = 1;
  bool found_ = false;
  std::int64_t best_fixed_ = 0;
  int best_system_ = -1;
  std::int64_t best_sweep_ = 0;
  std::vector<std::int8_t> best_spins_;  // owned rows, when this rank's group holds the system
  std::vector<std::int64_t> system_best_;
  // The batch: per measurement, the sweep, every system's temperature (as this rank knows it),
  // this rank's sums for its group's systems, and its owned spins of them.
  std::vector<std::int64_t> pending_sweeps_;
  std::vector<int> pending_temperatures_;    // [t * systems + s]
  std::vector<std::uint64_t> pending_sums_;  // [t * local * (2 + P) + ...]
  std::vector<std::int8_t> pending_spins_;   // [(t * local + c) * owned + row]
};

}  // namespace spinfer
