#include "runtime/run/run_control.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/run/interrupts.hpp"

namespace spinfer {
namespace {

constexpr double kCheckSeconds = 0.1;
constexpr std::int64_t kMaxPeriod = 1 << 16;

}  // namespace

RunControl::RunControl(const comm::Communicator& comm, const config::Checkpointing& settings,
                       bool checkpoints, std::int64_t total_sweeps)
    : comm_(comm), settings_(settings), checkpoints_(checkpoints), total_(total_sweeps) {
  last_check_time_ = last_checkpoint_ = last_status_ = comm_.wall_time();
}

RunControl::Decision RunControl::after_sweep(std::int64_t done) {
  const std::int64_t every = settings_.interval_sweeps();
  const bool scheduled_checkpoint = checkpoints_ && every > 0 && done % every == 0;
  if (done < next_check_ && done != total_ && !scheduled_checkpoint) return {};

  const double now = comm_.wall_time();
  std::array<std::uint64_t, 3> votes{static_cast<std::uint64_t>(interrupt_signal() != 0), 0, 0};
  if (comm_.is_root()) {
    votes[1] = checkpoints_ && now - last_checkpoint_ >= settings_.interval_seconds();
    const double rate =
        static_cast<double>(done - last_check_sweep_) / std::max(now - last_check_time_, 1e-9);
    votes[2] = static_cast<std::uint64_t>(
        std::clamp<double>(std::floor(rate * kCheckSeconds), 1.0, static_cast<double>(kMaxPeriod)));
  }
  comm_.sum_wrapping_in_place(votes);
  period_ = static_cast<std::int64_t>(votes[2]);
  next_check_ = done + period_;
  last_check_sweep_ = done;
  last_check_time_ = now;

  Decision d;
  const bool finished = done >= total_;
  d.stop = votes[0] > 0 && !finished;
  d.checkpoint = checkpoints_ && !finished && (d.stop || votes[1] > 0 || scheduled_checkpoint);
  d.status = comm_.is_root() &&
             (d.stop || d.checkpoint || now - last_status_ >= settings_.status_seconds());
  if (d.status) last_status_ = now;
  return d;
}

}  // namespace spinfer
