#include "runtime/io/checkpoint.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "runtime/config/config.hpp"
#include "runtime/io/version.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

record::Checkpoint sample_checkpoint() {
  record::Checkpoint cp;
  cp.set_version(kVersion);
  *cp.mutable_config() = resolve_config({});
  cp.set_completed_sweeps(1234);
  cp.set_n_agents(3);
  auto* chain = cp.add_chains();
  chain->set_spins(std::string("\x01\x00\x01", 3));
  cp.mutable_series()->set_rows(2);
  cp.mutable_series()->set_width(4);
  cp.mutable_series()->set_crc32(0xdeadbeef);
  cp.add_spin_sum(1);
  cp.add_spin_sum(-1);
  cp.add_spin_sum(3);
  cp.set_samples(7);
  return cp;
}

}  // namespace

TEST_CASE("checkpoint: written and read back unchanged") {
  TempDir dir;
  const record::Checkpoint cp = sample_checkpoint();
  write_checkpoint(dir.path().string(), cp);
  const record::Checkpoint back = read_checkpoint(dir.path().string());
  CHECK(back.SerializeAsString() == cp.SerializeAsString());
}

TEST_CASE("checkpoint: any single corrupted byte or any truncation is refused") {
  const std::string bytes = encode_checkpoint(sample_checkpoint());
  // Every byte position, flipped in one bit: the CRC (or the envelope's structure) catches it.
  for (std::size_t k = 0; k < bytes.size(); ++k) {
    std::string bad = bytes;
    bad[k] = static_cast<char>(bad[k] ^ 0x10);
    CAPTURE(k);
    CHECK(error_message([&] { decode_checkpoint(bad, "cp"); }).find("checkpoint = cp") == 0);
  }
  for (std::size_t length : {std::size_t{0}, std::size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    CAPTURE(length);
    CHECK(error_message([&] { decode_checkpoint(bytes.substr(0, length), "cp"); }) != "(no error)");
  }
}

TEST_CASE("checkpoint: another version is refused, naming both") {
  record::Checkpoint cp = sample_checkpoint();
  cp.set_version("0.0.1+old");
  const std::string message =
      error_message([&] { decode_checkpoint(encode_checkpoint(cp), "cp"); });
  CHECK(message.find("0.0.1+old") != std::string::npos);
  CHECK(message.find(kVersion) != std::string::npos);
}

TEST_CASE("checkpoint: a missing file names the directory") {
  TempDir dir;
  CHECK(error_message([&] { read_checkpoint(dir.path().string()); }).find("no checkpoint.pb") !=
        std::string::npos);
}

TEST_CASE("config_difference: names the changed field, ignores operational settings") {
  const RunConfig base = resolve_config({});
  CHECK(config_difference(base, base).empty());

  RunConfig operational = base;
  operational.mutable_checkpoint()->set_interval_sweeps(17);
  operational.mutable_progress()->set_interval_seconds(99);
  CHECK(config_difference(base, operational).empty());

  RunConfig other = base;
  other.set_beta(0.9);
  CHECK(config_difference(base, other).find("beta") != std::string::npos);
  RunConfig other_instance = base;
  other_instance.mutable_instance()->set_seed(2);
  CHECK(config_difference(base, other_instance).find("seed") != std::string::npos);
}

TEST_CASE(
    "checkpoint size: a record that cannot fit in 2 GiB is refused when the run is prepared") {
  // 3D lattice, 2 chains, 10^6 samples: 2 spin bytes and 1 + 6 sums of at most 2 * 10^6 (a
  // 4-byte zigzag varint) per agent, 30 bytes an agent in all.
  const auto shape = [](std::int64_t n) { return CheckpointShape{n, 2 * n, 7 * n, 2'000'000}; };
  CHECK(checkpoint_bytes_bound(shape(1'000'000)) == 30'000'000 + (1 << 20));
  CHECK(error_message([&] { require_checkpoint_fits(shape(64'000'000)); }) == "(no error)");
  const std::string message = error_message([&] { require_checkpoint_fits(shape(128'000'000)); });
  CHECK(message.find("instance = 128000000 agents") == 0);
  CHECK(message.find("2 GiB") != std::string::npos);
}

TEST_CASE("checkpoint size: the bound holds, and is tight, for a real record") {
  // 100000 agents of a 3D lattice, 2 chains, every sum at the largest magnitude allowed.
  constexpr std::int64_t n = 100'000, max_sum = 2'000'000;
  record::Checkpoint cp = sample_checkpoint();
  cp.clear_chains();
  cp.clear_spin_sum();
  for (int c = 0; c < 2; ++c) cp.add_chains()->set_spins(std::string(n, '\x01'));
  for (std::int64_t i = 0; i < n; ++i) cp.add_spin_sum(-max_sum);
  for (std::int64_t e = 0; e < 6 * n; ++e) cp.add_edge_sum(max_sum);
  const auto bytes = static_cast<std::int64_t>(encode_checkpoint(cp).size());
  const std::int64_t bound = checkpoint_bytes_bound({n, 2 * n, 7 * n, max_sum});
  CHECK(bytes <= bound);
  CHECK(bytes >= bound - (1 << 20));  // nothing but the fixed overhead to spare
}
