#pragma once
// Which temperature every system is at, and what moves it: parallel-tempering swaps between
// neighbouring temperatures, the ladder's retuning during burn-in, an annealing schedule. The
// block's scales are the ladder (the betas of an ensemble; the single scale 1 of a run at one
// beta, whose precisions already hold beta, and where nothing ever moves).
#include <cstdint>
#include <vector>

#include "agents/tempering/replica_exchange.hpp"
#include "checkpoint.pb.h"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/population/population.hpp"

namespace spinfer {

class TemperingControl {
 public:
  TemperingControl(const RunConfig& config, int replicas, std::vector<double> scales);

  // Before sweep `sweep` (0-based): the annealing schedule's beta for it.
  template <class Block>
  void before_sweep(std::int64_t sweep, Population<Block>& population);
  // After `done` sweeps: swaps, retuning, the end of burn-in. Collective.
  template <class Block>
  void after_sweep(std::int64_t done, const comm::Communicator& world,
                   Population<Block>& population);

  [[nodiscard]] const ReplicaExchange& exchange() const { return exchange_; }
  [[nodiscard]] const std::vector<int>& temperature_of() const {
    return exchange_.temperature_of();
  }
  [[nodiscard]] const std::vector<double>& scales() const { return scales_; }
  [[nodiscard]] int temperatures() const { return exchange_.temperatures(); }

  // Every rank's exchange state from the groups that own each replica (one all-reduce), when a
  // group-local swap has left it stale. Collective.
  template <class Block>
  void merge(const comm::Communicator& world, const Population<Block>& population);

  // Checkpoints (merge first; fill on rank 0).
  void fill(record::EnsembleState& state) const;
  template <class Block>
  void restore(const record::EnsembleState& state, Population<Block>& population);

 private:
  template <class Block>
  void set_scales(std::vector<double> scales, Population<Block>& population);
  template <class Block>
  void swap(std::int64_t done, const comm::Communicator& world,
            const Population<Block>& population);
  template <class Block>
  [[nodiscard]] bool replica_local(const Population<Block>& population) const;

  const RunConfig& config_;
  ReplicaExchange exchange_;
  std::vector<double> scales_;
  int swap_interval_;
  int retune_rounds_;
  std::int64_t retune_window_;
  int retunes_ = 0;
  bool stale_ = false;  // other groups' replicas have moved since the last merge
};

}  // namespace spinfer
