#pragma once
// CPU seconds this process has used. On a shared machine a rate by CPU time does not count the
// time a rank waited for a core (it still counts a rank spinning in a collective for a peer that
// was descheduled).
#include <time.h>

namespace spinfer {

inline double process_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

}  // namespace spinfer
