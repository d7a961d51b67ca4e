#include <doctest/doctest.h>

#include <filesystem>

#include "runtime/cli/run_command.hpp"
#include "tests/test_support.hpp"

namespace spinfer {

TEST_CASE("run_in_directory: a run into a directory of its own, held against a second one") {
  testing::TempDir dir;
  RunRequest request;
  request.config = testing::config_with({R"(instance={"kind":"sk","n":6})", "sweeps=200"});
  request.directory = (dir.path() / "r").string();
  request.quiet = true;
  CHECK(run_in_directory(testing::self(), request) == 0);
  namespace fs = std::filesystem;
  CHECK(fs::exists(fs::path(request.directory) / "summary.json"));
  CHECK_FALSE(fs::exists(fs::path(request.directory) / "checkpoint.pb"));  // removed when done
  // The directory is this process's for as long as it lives (its lock is held).
  request.use = DirectoryUse::overwrite;
  CHECK(testing::error_message([&] {
          run_in_directory(testing::self(), request);
        }).find("another spinfer run is using this directory") != std::string::npos);
}

TEST_CASE("default_out_dir: runs/NAME-seedS") {
  CHECK(default_out_dir(testing::config_with({"name=x", "seed=3"})) == "runs/x-seed3");
}

}  // namespace spinfer
