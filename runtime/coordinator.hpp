#pragma once
// Aggregation of the collective state. Every rank measures its own agents; one reduction per
// measured sweep brings magnetization, energy, free energy and (exact runs) the visited state
// to rank 0, which keeps the series. Per-agent magnetizations and edge correlations are
// accumulated where the agents live and gathered once at the end.
#include <optional>
#include <vector>

#include "checkpoint.pb.h"
#include "collective.hpp"
#include "stationarity.hpp"

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

  struct PerAgent {
    std::vector<double> magnetization;  // global id order
    std::vector<double> correlation;    // <s_i s_j> per directed edge, global CSR order
  };
  [[nodiscard]] PerAgent gather(const comm::Communicator& comm) const;  // full on rank 0

  // Checkpoints: the series (rank 0) and the per-agent sums, gathered into / restored from the
  // record. save() is collective; restore() reads only what this rank needs.
  void save(const comm::Communicator& comm, record::Checkpoint& checkpoint) const;
  void restore(const record::Checkpoint& checkpoint, const Collective& collective);

 private:
  AgentId n_agents_;
  double beta_;
  bool exact_;
  std::int64_t directed_edges_;
  bool entropy_production_;
  std::vector<std::uint64_t> bit_value_;  // per owned row: 2^bit for free agents (exact runs)
  std::vector<ChainSeries> series_;
  std::vector<double> spin_sum_;
  std::vector<double> edge_sum_;
  std::int64_t samples_ = 0;
};

}  // namespace spinfer
