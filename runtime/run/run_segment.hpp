#pragma once
// One segment of a run -- from a fresh start or a checkpoint to the end or a signal -- as both
// kinds of run (independent chains at one beta, and replicas x temperatures) go through it: the
// sweep loop, when to measure, the stop/checkpoint/status decisions every rank agrees on
// (RunControl), checkpoint writing (the record's common part and the series file), status.json
// and the resume bookkeeping. What a sweep does, what a measurement records and what a checkpoint
// holds of the physics are the derived class's hooks.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/run/simulation.hpp"
#include "summary.pb.h"

namespace spinfer {

class RunSegment {
 public:
  RunSegment(const RunSegment&) = delete;
  RunSegment& operator=(const RunSegment&) = delete;
  virtual ~RunSegment() = default;

  // Collective. Returns the number of sweeps completed; stops early on a signal.
  std::int64_t run();

  // Rank 0, once the run's results are known: status.json says finished.
  void write_final_status();

  [[nodiscard]] bool interrupted() const { return interrupted_; }
  [[nodiscard]] double wall() const { return wall_; }  // this segment's sweep loop
  [[nodiscard]] double cpu() const { return cpu_; }    // this process, same loop
  [[nodiscard]] double total_wall() const { return earlier_wall_ + wall_; }  // every segment
  [[nodiscard]] std::int64_t first_sweep() const { return first_sweep_; }
  [[nodiscard]] int segments() const { return segments_; }
  std::vector<std::int64_t>& sample_sweeps() { return sample_sweeps_; }

 protected:
  RunSegment(const RunConfig& config, std::int64_t n_agents, const comm::Communicator& comm,
             const RunOptions& options);

  // For the derived constructor, once its own state exists: continue the bookkeeping from
  // `checkpoint`, and (rank 0 of a run with a directory) open the checkpoint writer for series
  // rows of `series_width` words.
  void resume_bookkeeping(const record::Checkpoint& checkpoint);
  void open_checkpoints(int series_width);

  // Sweep `sweep` (0-based), and whatever goes with it (swaps, retuning). Collective.
  virtual void advance(std::int64_t sweep, bool measured) = 0;
  // Record a measurement after `done` sweeps. Collective.
  virtual void measure(std::int64_t done) = 0;
  // This kind's part of the checkpoint record after `done` sweeps, complete on rank 0.
  // Collective.
  virtual void fill_checkpoint(std::int64_t done, record::Checkpoint& checkpoint) = 0;
  // Rank 0: the series rows from `first_row` on, for the series file.
  virtual void encode_series(std::int64_t first_row, std::vector<std::uint64_t>& out) const = 0;
  // Rank 0: the running estimates in status.json (state: running, interrupted or finished).
  virtual void describe(record::Status& status, const std::string& state) = 0;
  // After the loop, before the results are read. Collective.
  virtual void end_of_loop() = 0;

  const RunConfig& config_;
  const comm::Communicator& comm_;
  const RunOptions& options_;
  const std::int64_t total_;  // burn-in + measured sweeps

 private:
  void save_checkpoint(std::int64_t done);
  void write_current_status(std::int64_t done, const std::string& state);

  std::int64_t n_agents_;
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
