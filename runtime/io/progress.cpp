#include "runtime/io/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace spinfer {

Progress::Progress(bool enabled, std::int64_t total_sweeps, double interval_seconds)
    : enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      total_(total_sweeps),
      interval_(terminal_ ? 0.25 : interval_seconds),
      start_(Clock::now()),
      last_(start_) {}

void Progress::update(std::int64_t sweeps_done) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (std::chrono::duration<double>(now - last_).count() < interval_) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double fraction = static_cast<double>(sweeps_done) / static_cast<double>(total_);
  const double left = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "%ssweep %lld/%lld (%.1f%%)  %.0f sweeps/s  %.0fs left%s",
               terminal_ ? "\r" : "", static_cast<long long>(sweeps_done),
               static_cast<long long>(total_), 100 * fraction, sweeps_done / elapsed, left,
               terminal_ ? "   " : "\n");
  std::fflush(stderr);
  printed_ = true;
}

void Progress::finish() {
  if (enabled_ && terminal_ && printed_) std::fputs("\r\033[K", stderr);
}

}  // namespace spinfer
