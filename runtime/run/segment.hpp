#pragma once
// One segment of a run -- from a fresh start or a checkpoint to the end or a signal -- for every
// run: the sweep loop over the population (its schedule, its tempering), when to measure (the
// observer), the stop/checkpoint/status decisions every rank agrees on (RunControl), checkpoint
// writing (the record and the series file), status.json and the resume bookkeeping. What a run's
// status says of its results so far is its analysis's (a callback).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/observe/observer.hpp"
#include "runtime/population/population.hpp"
#include "runtime/run/run_options.hpp"
#include "runtime/run/tempering_control.hpp"
#include "summary.pb.h"

namespace spinfer {

template <class Block>
class Segment {
 public:
  // Rank 0: fills the running estimates of status.json (state: running, interrupted, finished).
  using Describe = std::function<void(record::Status&, const std::string& state)>;

  // Collective: builds the population (halo plans) and the observer, and restores a checkpoint.
  Segment(const RunConfig& config, const PopulationSpec<Block>& population,
          const MeasurementPlan& plan, std::vector<double> scales, const comm::Communicator& world,
          const RunOptions& options);
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  // Collective. Returns the number of sweeps completed; stops early on a signal.
  std::int64_t run();
  void set_describe(Describe describe) { describe_ = std::move(describe); }
  // Rank 0, once the run's results are known: status.json says finished.
  void write_final_status();

  [[nodiscard]] Population<Block>& population() { return population_; }
  [[nodiscard]] const Population<Block>& population() const { return population_; }
  [[nodiscard]] Observer<Block>& observer() { return observer_; }
  [[nodiscard]] const Observer<Block>& observer() const { return observer_; }
  [[nodiscard]] const TemperingControl& tempering() const { return tempering_; }
  [[nodiscard]] bool interrupted() const { return interrupted_; }
  [[nodiscard]] double wall() const { return wall_; }  // this segment's sweep loop
  [[nodiscard]] double cpu() const { return cpu_; }    // this process, same loop
  [[nodiscard]] double total_wall() const { return earlier_wall_ + wall_; }  // every segment
  [[nodiscard]] std::int64_t first_sweep() const { return first_sweep_; }
  [[nodiscard]] int segments() const { return segments_; }
  std::vector<std::int64_t>& sample_sweeps() { return sample_sweeps_; }

 private:
  void advance(std::int64_t sweep, bool measured);
  void end_of_loop();
  void restore(const record::Checkpoint& checkpoint);
  void fill_checkpoint(std::int64_t done, record::Checkpoint& checkpoint);
  void save_checkpoint(std::int64_t done);
  void write_current_status(std::int64_t done, const std::string& state);

  const RunConfig& config_;
  const comm::Communicator& world_;
  const RunOptions& options_;
  const std::int64_t total_;  // burn-in + measured sweeps
  const std::int64_t n_agents_;
  const bool entropy_production_;  // the plan measures it: the measured sweeps tally it
  Population<Block> population_;
  TemperingControl tempering_;
  Observer<Block> observer_;
  Describe describe_;
  std::int64_t first_sweep_ = 0;
  std::int64_t done_ = 0;
  std::int64_t last_checkpoint_sweep_ = 0;
  std::vector<std::int64_t> sample_sweeps_;
  double earlier_wall_ = 0;
  double start_ = 0;
  double wall_ = 0;
  double cpu_ = 0;
  int segments_ = 1;
  bool interrupted_ = false;
  std::optional<CheckpointWriter> writer_;  // rank 0 of a run with a directory
  int checkpoints_written_ = 0;             // by this segment
};

}  // namespace spinfer
