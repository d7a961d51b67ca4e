#pragma once
// Checkpoint files: DIR/checkpoint.pb holds a record::Checkpoint wrapped with a CRC-32, written
// atomically (temporary file, fsync, rename) so that the previous checkpoint stays in place
// until the new one is complete; the measured series it refers to are in DIR/checkpoint.series
// (series_journal.hpp). Reading refuses, with a one-line error, anything that is missing,
// truncated, corrupt, from another spinfer version or for another configuration.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "checkpoint.pb.h"
#include "runtime/config/config.hpp"
#include "runtime/io/series_journal.hpp"

namespace spinfer {

inline constexpr const char* kCheckpointName = "checkpoint.pb";

void write_checkpoint(const std::string& directory, const record::Checkpoint& checkpoint);

// Where a run stands when it checkpoints, common to single-temperature and ensemble runs.
struct CheckpointStamp {
  std::int64_t completed_sweeps = 0;
  std::int64_t n_agents = 0;
  double wall_seconds = 0;  // over every segment so far
  int ranks = 0;
  int segments = 0;
};
// Fills the version, configuration and bookkeeping fields of `checkpoint`.
void stamp_checkpoint(record::Checkpoint& checkpoint, const RunConfig& config,
                      const CheckpointStamp& stamp);

// Throws spinfer::Error naming the file and what is wrong with it.
record::Checkpoint read_checkpoint(const std::string& directory);

// A run's checkpoint record must fit protobuf's 2 GiB message limit: checked when the run is
// prepared, not found out at its first checkpoint. `state_bytes`: the spins stored (one byte per
// agent per chain, system or delayed state); `sums`: how many integer accumulators, none larger
// in magnitude than `max_sum`. Throws spinfer::Error naming the population when it cannot fit.
struct CheckpointShape {
  std::int64_t n_agents = 0;
  std::int64_t state_bytes = 0;
  std::int64_t sums = 0;
  std::int64_t max_sum = 0;
};
std::int64_t checkpoint_bytes_bound(const CheckpointShape& shape);
void require_checkpoint_fits(const CheckpointShape& shape);

// What a resumed run starts from: the record (on every rank) and the series rows its mark
// covers (on rank 0, which alone keeps the series).
struct ResumePoint {
  record::Checkpoint checkpoint;
  std::vector<std::uint64_t> series;
};

// The sweep numbers (sweeps completed) at which a run of `config` has measured once `completed`
// sweeps are done: the measured series need not store them.
std::vector<std::int64_t> measured_sweeps(const RunConfig& config, std::int64_t completed);

// Rank 0's side of a segment's checkpoints: appends the rows measured since the last checkpoint
// to the series file, then writes the record with their mark. Either segment kind (single
// temperature, ensemble) fills the record's own part and hands it here.
class CheckpointWriter {
 public:
  // `series_width` words per measured row. Resuming: the series file keeps exactly the rows of
  // `resume`, after checking that they fit this run (throws spinfer::Error if not).
  CheckpointWriter(const std::string& directory, const RunConfig& config, int series_width,
                   const ResumePoint* resume);

  // Rows already durable; the caller passes the ones after them to write().
  [[nodiscard]] std::int64_t series_rows() const { return journal_.rows(); }
  void write(record::Checkpoint& checkpoint, std::span<const std::uint64_t> new_rows);

  // The last write's size (checkpoint.pb plus the rows appended) and duration, for status.json.
  [[nodiscard]] std::int64_t last_bytes() const { return last_bytes_; }
  [[nodiscard]] double last_seconds() const { return last_seconds_; }

 private:
  std::string directory_;
  SeriesJournal journal_;
  std::int64_t last_bytes_ = 0;
  double last_seconds_ = 0;
};

// Checkpoint bytes as stored, and back; the bytes travel from rank 0 to the others on resume.
std::string encode_checkpoint(const record::Checkpoint& checkpoint);
// The bytes the other ranks get on resume: the record without its per-agent and per-edge sums
// (most of a large population's record), which rank 0 scatters by owner instead. `checkpoint`
// is left as it was.
std::string encode_checkpoint_without_sums(record::Checkpoint& checkpoint);
record::Checkpoint decode_checkpoint(const std::string& bytes, const std::string& source);

// Empty when `given` describes the same run as `checkpointed`, else the first difference, e.g.
// "beta: 0.8 -> 0.9". Operational settings (progress, checkpoint, layout) may differ.
std::string config_difference(const RunConfig& checkpointed, const RunConfig& given);

}  // namespace spinfer
