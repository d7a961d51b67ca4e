#pragma once
// Aggregation of the collective state. Every rank measures its own agents; one reduction per
// measured sweep brings magnetization, energy, free energy and (exact runs) the visited state
// to rank 0, which keeps the series. Per-agent magnetizations and edge correlations are
// accumulated where the agents live and gathered once at the end.
#include <optional>
#include <span>
#include <vector>

#include "checkpoint.pb.h"
#include "runtime/population/collective.hpp"
#include "runtime/verify/stationarity.hpp"

namespace spinfer {

class Coordinator {
 public:
  // `exact` (when the free agents are few enough to enumerate) fixes which bit of the recorded
  // state index each free agent is.
  // `directed_edges` of the whole population (for the mean edge correlation); with
  // `entropy_production` each measured sweep's entropy production (Collective::entropy_tally)
  // joins the series.
  Coordinator(const Collective& collective, AgentId n_agents, double beta,
              const std::optional<ReducedModel>& exact, std::int64_t directed_edges = 0,
              bool entropy_production = false);

  void measure(const comm::Communicator& comm, const Collective& collective);

  [[nodiscard]] const std::vector<ChainSeries>& series() const { return series_; }  // rank 0
  [[nodiscard]] std::vector<ChainSeries> take_series() { return std::move(series_); }

  struct PerAgent {
    std::vector<double> magnetization;  // global id order
    std::vector<double> correlation;    // <s_i s_j> per directed edge, global CSR order
  };
  [[nodiscard]] PerAgent gather(const comm::Communicator& comm) const;  // full on rank 0

  // Checkpoints: the per-agent sums, gathered into / scattered from the record on rank 0 (the
  // other ranks' copies of a resumed record leave them out). Both collective.
  void save(const comm::Communicator& comm, record::Checkpoint& checkpoint) const;
  void restore(const comm::Communicator& comm, const record::Checkpoint& checkpoint,
               const Collective& collective);

  // The series as rows of 64-bit words for the checkpoint's series file (rank 0): one row per
  // measurement, per chain magnetization, energy and free energy (bits of the doubles), then the
  // state index (exact runs), the edge correlation and the entropy production (when measured).
  [[nodiscard]] int series_width() const;
  [[nodiscard]] std::int64_t series_rows() const;
  // Rows first_row .. series_rows()-1, appended to `out`.
  void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const;
  // Replaces the series with `rows` (a multiple of series_width() words).
  void restore_series(std::span<const std::uint64_t> rows);

 private:
  AgentId n_agents_;
  double beta_;
  bool exact_;
  std::int64_t directed_edges_;
  bool entropy_production_;
  std::vector<std::uint64_t> bit_value_;  // per owned row: 2^bit for free agents (exact runs)
  std::vector<ChainSeries> series_;
  [[nodiscard]] int fields_per_chain() const;

  std::vector<std::int64_t> spin_sum_;  // sums of +-1 values: integers, exact
  std::vector<std::int64_t> edge_sum_;
  std::int64_t samples_ = 0;
};

}  // namespace spinfer
