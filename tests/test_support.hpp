#pragma once
// Helpers shared by the serial unit tests.
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "agents/core/error.hpp"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"

namespace spinfer::testing {

// A private directory in the temp directory, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("spinfer-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  static inline int next_ = 0;
  std::filesystem::path path_;
};

// The message of the spinfer::Error that `build` throws, or "(no error)".
std::string error_message(const auto& build) {
  try {
    build();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// A one-rank communicator for serial tests of the runtime. MPI starts (as a singleton, no
// mpirun) the first time a test asks for it, so tests that never do pay nothing.
const comm::Communicator& self();

// The embedded default configuration with these `--set` overrides, resolved and validated.
RunConfig config_with(std::vector<std::string> overrides);

}  // namespace spinfer::testing
