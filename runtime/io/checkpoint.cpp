#include "runtime/io/checkpoint.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <bit>
#include <boost/crc.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "agents/core/error.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/version.hpp"

namespace spinfer {

void stamp_checkpoint(record::Checkpoint& checkpoint, const RunConfig& config,
                      const CheckpointStamp& stamp) {
  checkpoint.set_version(kVersion);
  *checkpoint.mutable_config() = config;
  checkpoint.set_completed_sweeps(stamp.completed_sweeps);
  checkpoint.set_n_agents(stamp.n_agents);
  checkpoint.set_wall_seconds(stamp.wall_seconds);
  checkpoint.set_ranks(stamp.ranks);
  checkpoint.set_segments(stamp.segments);
}
namespace {

constexpr const char* kFormat = "spinfer-checkpoint-2";

std::uint32_t crc32_of(const std::string& bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

}  // namespace

std::string encode_checkpoint(const record::Checkpoint& checkpoint) {
  record::CheckpointFile file;
  file.set_format(kFormat);
  if (!checkpoint.SerializeToString(file.mutable_payload()))
    throw std::runtime_error("checkpoint serialisation failed");
  file.set_crc32(crc32_of(file.payload()));
  return file.SerializeAsString();
}

std::string encode_checkpoint_without_sums(record::Checkpoint& checkpoint) {
  // Swapped out while the rest is encoded, and back: a copy would double rank 0's memory.
  google::protobuf::RepeatedField<std::int64_t> spin_sum, edge_sum;
  const auto swap_sums = [&] {
    spin_sum.Swap(checkpoint.mutable_spin_sum());
    edge_sum.Swap(checkpoint.mutable_edge_sum());
  };
  swap_sums();
  std::string bytes = encode_checkpoint(checkpoint);
  swap_sums();
  return bytes;
}

record::Checkpoint decode_checkpoint(const std::string& bytes, const std::string& source) {
  record::CheckpointFile file;
  if (bytes.empty() || !file.ParseFromString(bytes) || file.format() != kFormat)
    throw field_error("checkpoint", source, "not a spinfer checkpoint (truncated or corrupt)");
  if (crc32_of(file.payload()) != file.crc32())
    throw field_error("checkpoint", source, "checksum mismatch (corrupt or truncated)");
  record::Checkpoint checkpoint;
  if (!checkpoint.ParseFromString(file.payload()))
    throw field_error("checkpoint", source, "payload does not parse (corrupt)");
  if (checkpoint.version() != kVersion)
    throw field_error("checkpoint", source,
                      "written by spinfer " + checkpoint.version() + ", this is " + kVersion);
  return checkpoint;
}

void write_checkpoint(const std::string& directory, const record::Checkpoint& checkpoint) {
  write_file_atomically(directory + "/" + kCheckpointName, encode_checkpoint(checkpoint));
}

std::int64_t checkpoint_bytes_bound(const CheckpointShape& shape) {
  // A zigzag varint of |x| <= max_sum: 7 bits a byte.
  const auto zigzag = static_cast<std::uint64_t>(shape.max_sum) * 2 + 1;
  const std::int64_t varint = (std::bit_width(zigzag) + 6) / 7;
  // Configuration, counters, per-system and per-replica bookkeeping, field tags: far below this.
  constexpr std::int64_t kOverhead = std::int64_t{1} << 20;
  return shape.state_bytes + shape.sums * varint + kOverhead;
}

void require_checkpoint_fits(const CheckpointShape& shape) {
  // The record travels as the payload of the CheckpointFile envelope: both must stay below 2^31.
  constexpr std::int64_t kLimit = (std::int64_t{1} << 31) - (std::int64_t{1} << 16);
  const std::int64_t bytes = checkpoint_bytes_bound(shape);
  if (bytes <= kLimit) return;
  char gigabytes[32];
  std::snprintf(gigabytes, sizeof gigabytes, "%.1f", static_cast<double>(bytes) / 1e9);
  throw field_error("instance", std::to_string(shape.n_agents) + " agents",
                    std::string("a checkpoint of this run would need up to ") + gigabytes +
                        " GB, more than the 2 GiB a protobuf record holds (use fewer chains or "
                        "replicas, or a smaller population)");
}

std::vector<std::int64_t> measured_sweeps(const RunConfig& config, std::int64_t completed) {
  std::vector<std::int64_t> sweeps;
  const std::int64_t interval = config.measure_interval();
  for (std::int64_t done = config.burn_in() + interval; done <= completed; done += interval)
    sweeps.push_back(done);
  return sweeps;
}

namespace {

std::span<const std::uint64_t> resumed_rows(const RunConfig& config, int width,
                                            const ResumePoint* resume) {
  if (!resume) return {};
  const record::SeriesMark& mark = resume->checkpoint.series();
  const auto expected = static_cast<std::int64_t>(
      measured_sweeps(config, resume->checkpoint.completed_sweeps()).size());
  if (mark.rows() != expected || (expected > 0 && mark.width() != width) ||
      resume->series.size() != static_cast<std::size_t>(mark.rows() * mark.width()))
    throw field_error("checkpoint", "series",
                      std::to_string(mark.rows()) + " rows of " + std::to_string(mark.width()) +
                          " words do not match the run (" + std::to_string(expected) + " of " +
                          std::to_string(width) + ")");
  return resume->series;
}

}  // namespace

CheckpointWriter::CheckpointWriter(const std::string& directory, const RunConfig& config,
                                   int series_width, const ResumePoint* resume)
    : directory_(directory),
      journal_(directory, series_width, resumed_rows(config, series_width, resume)) {}

void CheckpointWriter::write(record::Checkpoint& checkpoint,
                             std::span<const std::uint64_t> new_rows) {
  const auto start = std::chrono::steady_clock::now();
  *checkpoint.mutable_series() = journal_.append(new_rows);
  const std::string bytes = encode_checkpoint(checkpoint);
  write_file_atomically(directory_ + "/" + kCheckpointName, bytes);
  last_bytes_ = static_cast<std::int64_t>(bytes.size() + new_rows.size_bytes());
  last_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

record::Checkpoint read_checkpoint(const std::string& directory) {
  const std::string path = directory + "/" + kCheckpointName;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw field_error("--resume", directory, "no " + std::string(kCheckpointName) + " in it");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw field_error("checkpoint", path, "cannot read file");
  return decode_checkpoint(bytes.str(), path);
}

std::string config_difference(const RunConfig& checkpointed, const RunConfig& given) {
  namespace pb = google::protobuf;
  pb::util::MessageDifferencer differencer;
  const pb::Descriptor* d = RunConfig::descriptor();
  differencer.IgnoreField(d->FindFieldByName("progress"));
  differencer.IgnoreField(d->FindFieldByName("checkpoint"));
  // How ranks share an ensemble's systems changes where they are computed, not the results.
  differencer.IgnoreField(d->FindFieldByName("layout"));
  std::string report;
  differencer.ReportDifferencesToString(&report);
  if (differencer.Compare(checkpointed, given)) return "";
  // One difference per line ("modified: beta: 0.8 -> 0.9"); the first is enough.
  std::string first = report.substr(0, report.find('\n'));
  return first.empty() ? "configurations differ" : first;
}

}  // namespace spinfer
