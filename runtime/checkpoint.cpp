#include "checkpoint.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <boost/crc.hpp>
#include <fstream>
#include <sstream>

#include "agents/error.hpp"
#include "outputs.hpp"
#include "version.hpp"

namespace spinfer {

void stamp_checkpoint(record::Checkpoint& checkpoint, const RunConfig& config,
                      const CheckpointStamp& stamp) {
  checkpoint.set_version(kVersion);
  *checkpoint.mutable_config() = config;
  checkpoint.set_completed_sweeps(stamp.completed_sweeps);
  checkpoint.set_n_agents(stamp.n_agents);
  if (stamp.sample_sweeps)
    *checkpoint.mutable_sample_sweeps() = {stamp.sample_sweeps->begin(),
                                           stamp.sample_sweeps->end()};
  checkpoint.set_wall_seconds(stamp.wall_seconds);
  checkpoint.set_ranks(stamp.ranks);
  checkpoint.set_segments(stamp.segments);
}
namespace {

constexpr const char* kFormat = "spinfer-checkpoint-1";

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
