#pragma once
// Live status of a run in DIR/status.json (rewritten atomically by rank 0) and its printing.
#include <cstdint>
#include <string>

#include "summary.pb.h"

namespace spinfer {

inline constexpr const char* kStatusName = "status.json";

void write_status(const std::string& directory, const record::Status& status);

// The progress part of a status, common to single-temperature and ensemble runs: state, sweep,
// rate over this segment (which began at `first_sweep`, `elapsed` seconds ago), time left,
// rank count, host, pid, segment, last checkpoint (sweep, size, time to write), time of writing.
struct StatusProgress {
  std::string state;  // running, interrupted, finished
  std::string name;
  std::int64_t sweep = 0;
  std::int64_t first_sweep = 0;
  std::int64_t total_sweeps = 0;
  double elapsed = 0;
  int ranks = 0;
  std::int64_t last_checkpoint_sweep = 0;
  int segment = 1;              // 1 for the first run in DIR, +1 for every resume
  int checkpoints_written = 0;  // by this segment
  std::int64_t last_checkpoint_bytes = 0;
  double last_checkpoint_seconds = 0;
};
record::Status progress_status(const StatusProgress& progress);

// Throws spinfer::Error when DIR has no readable status.json.
record::Status read_status(const std::string& directory);

// A few human-readable lines. `in_use`: whether a spinfer process holds the run directory now,
// so that a "running" status left by a killed run is called what it is.
std::string format_status(const record::Status& status, bool in_use = true);

// Now, as "2026-11-23T10:15:00Z".
std::string utc_timestamp();

}  // namespace spinfer
