#pragma once
// Progress of a long run, on rank 0 only: a line rewritten in place when stderr is a terminal,
// a status line every `interval_seconds` otherwise (batch logs).
#include <chrono>
#include <cstdint>

namespace spinfer {

class Progress {
 public:
  Progress(bool enabled, std::int64_t total_sweeps, double interval_seconds);
  void update(std::int64_t sweeps_done);
  void finish();

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool terminal_;
  std::int64_t total_;
  double interval_;
  Clock::time_point start_;
  Clock::time_point last_;
  bool printed_ = false;
};

}  // namespace spinfer
