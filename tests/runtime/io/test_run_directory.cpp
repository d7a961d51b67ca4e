#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

#include "agents/core/error.hpp"
#include "runtime/io/run_directory.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Names of the entries in `directory` containing `part`.
int entries_containing(const fs::path& directory, const std::string& part) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(directory))
    count += entry.path().filename().string().find(part) != std::string::npos;
  return count;
}

int entries(const fs::path& directory) {
  return entries_containing(directory, "");
}

}  // namespace

TEST_CASE("write_file_atomically writes the content byte for byte") {
  const TempDir dir;
  const fs::path file = dir.path() / "out.csv";
  std::string content = "a,b\n1,2\n";
  content += std::string("\0\r\n\xff", 4);  // binary bytes and a NUL survive
  content += std::string(1 << 20, 'x');     // larger than one write() may take
  write_file_atomically(file.string(), content);
  CHECK(read_file(file) == content);
  CHECK(entries(dir.path()) == 1);
  CHECK(entries_containing(dir.path(), ".tmp.") == 0);

  write_file_atomically((dir.path() / "empty").string(), "");
  CHECK(fs::exists(dir.path() / "empty"));
  CHECK(fs::file_size(dir.path() / "empty") == 0);
}

TEST_CASE("write_file_atomically replaces an existing file") {
  const TempDir dir;
  const fs::path file = dir.path() / "summary.json";
  std::ofstream(file) << std::string(1000, 'o');  // longer than the new content
  write_file_atomically(file.string(), "{}\n");
  CHECK(read_file(file) == "{}\n");
  write_file_atomically(file.string(), "second");
  CHECK(read_file(file) == "second");
  CHECK(entries(dir.path()) == 1);
  CHECK(entries_containing(dir.path(), ".tmp.") == 0);
}

TEST_CASE("writing into a missing directory throws and creates nothing") {
  const TempDir dir;
  const fs::path missing = dir.path() / "missing";
  const std::string path = (missing / "out.txt").string();
  CHECK_THROWS_AS(write_file_atomically(path, "content"), Error);
  try {
    write_file_atomically(path, "content");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }
  CHECK_FALSE(fs::exists(missing));
  CHECK(entries(dir.path()) == 0);
}

TEST_CASE("ensure_writable_directory creates nested directories and leaves no probe") {
  const TempDir dir;
  const fs::path nested = dir.path() / "a" / "b" / "c";
  ensure_writable_directory(nested.string());
  CHECK(fs::is_directory(nested));
  CHECK(entries(nested) == 0);
  CHECK_NOTHROW(ensure_writable_directory(nested.string()));  // existing directory is fine

  // A regular file where the directory should be.
  const fs::path file = dir.path() / "plain";
  std::ofstream(file) << "x";
  CHECK_THROWS_AS(ensure_writable_directory(file.string()), Error);
  CHECK_THROWS_AS(ensure_writable_directory((file / "below").string()), Error);
}

TEST_CASE("run_directory_in_use: only while a run holds the directory's lock") {
  TempDir dir;
  const std::string path = dir.path().string();
  CHECK_FALSE(run_directory_in_use(path));  // never claimed
  std::ofstream(dir.path() / ".lock").put('\n');
  CHECK_FALSE(run_directory_in_use(path));          // left behind by a run that has ended
  claim_run_directory(path, DirectoryUse::resume);  // this process holds it until it exits
  CHECK(run_directory_in_use(path));
  CHECK(error_message([&] {
          claim_run_directory(path, DirectoryUse::resume);
        }).find("another spinfer run is using this directory") != std::string::npos);
}

TEST_CASE(
    "claim_run_directory: a look at the lock (spinfer status) as a run starts does not stop it") {
  TempDir dir;
  const std::string path = dir.path().string();
  std::ofstream(dir.path() / ".lock").put('\n');
  // Someone holds the lock shared for 100 ms, as run_directory_in_use does for an instant; a
  // claim made meanwhile waits for it instead of refusing. The lock is taken before the claim
  // starts, so the claim meets it.
  const int fd = ::open((dir.path() / ".lock").c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_SH | LOCK_NB) == 0);
  std::thread looker([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ::close(fd);
  });
  CHECK_NOTHROW(claim_run_directory(path, DirectoryUse::resume));
  looker.join();
  CHECK(run_directory_in_use(path));
}
