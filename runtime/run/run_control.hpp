#pragma once
// When the ranks stop, checkpoint and report, decided identically on every rank. Signals reach
// ranks at different moments and only rank 0 keeps the clock, so the ranks compare notes in
// one small all-reduce every `period` sweeps; rank 0 tunes the period to about a tenth of a
// second, so a pre-empted job reacts quickly and a fast small run does not pay per sweep.
#include <cstdint>

#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"

namespace spinfer {

class RunControl {
 public:
  RunControl(const comm::Communicator& comm, const config::Checkpointing& settings,
             bool checkpoints, std::int64_t total_sweeps);

  struct Decision {
    bool stop = false;        // a signal arrived somewhere: checkpoint (if enabled) and stop
    bool checkpoint = false;  // write a checkpoint now
    bool status = false;      // rank 0: rewrite status.json now
  };
  // Call after every sweep with the number of sweeps completed; collective at agreed sweeps.
  Decision after_sweep(std::int64_t done);
  void checkpoint_written() { last_checkpoint_ = comm_.wall_time(); }

 private:
  const comm::Communicator& comm_;
  config::Checkpointing settings_;
  bool checkpoints_;
  std::int64_t total_;
  std::int64_t period_ = 1;
  std::int64_t next_check_ = 1;
  std::int64_t last_check_sweep_ = 0;
  double last_check_time_;
  double last_checkpoint_;
  double last_status_;
};

}  // namespace spinfer
