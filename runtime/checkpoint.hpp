#pragma once
// Checkpoint files: DIR/checkpoint.pb holds a record::Checkpoint wrapped with a CRC-32, written
// atomically (temporary file, fsync, rename) so that the previous checkpoint stays in place
// until the new one is complete. Reading refuses, with a one-line error, anything that is
// missing, truncated, corrupt, from another spinfer version or for another configuration.
#include <cstdint>
#include <string>
#include <vector>

#include "checkpoint.pb.h"
#include "config.hpp"

namespace spinfer {

inline constexpr const char* kCheckpointName = "checkpoint.pb";

void write_checkpoint(const std::string& directory, const record::Checkpoint& checkpoint);

// Where a run stands when it checkpoints, common to single-temperature and ensemble runs.
struct CheckpointStamp {
  std::int64_t completed_sweeps = 0;
  std::int64_t n_agents = 0;
  const std::vector<std::int64_t>* sample_sweeps = nullptr;
  double wall_seconds = 0;  // over every segment so far
  int ranks = 0;
  int segments = 0;
};
// Fills the version, configuration and bookkeeping fields of `checkpoint`.
void stamp_checkpoint(record::Checkpoint& checkpoint, const RunConfig& config,
                      const CheckpointStamp& stamp);

// Throws spinfer::Error naming the file and what is wrong with it.
record::Checkpoint read_checkpoint(const std::string& directory);

// Checkpoint bytes as stored, and back; the bytes travel from rank 0 to the others on resume.
std::string encode_checkpoint(const record::Checkpoint& checkpoint);
record::Checkpoint decode_checkpoint(const std::string& bytes, const std::string& source);

// Empty when `given` describes the same run as `checkpointed`, else the first difference, e.g.
// "beta: 0.8 -> 0.9". Operational settings (progress, checkpoint, layout) may differ.
std::string config_difference(const RunConfig& checkpointed, const RunConfig& given);

}  // namespace spinfer
