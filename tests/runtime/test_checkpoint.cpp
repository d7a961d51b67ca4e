#include "runtime/checkpoint.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "runtime/config.hpp"
#include "tests/test_support.hpp"
#include "version.hpp"

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
  chain->add_magnetization(0.25);
  chain->add_energy(-0.5);
  chain->add_state(5);
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
