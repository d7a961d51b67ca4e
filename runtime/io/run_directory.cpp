#include "runtime/io/run_directory.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <thread>

#include "agents/core/error.hpp"

namespace spinfer {

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp." + std::to_string(getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw field_error("output", path, std::strerror(errno));
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      const int error = errno;
      ::close(fd);
      std::remove(temporary.c_str());
      throw field_error("output", path, std::strerror(error));
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  // errno is read right after the call that failed; close() can report a deferred write error
  // (NFS), so it counts too.
  int error = ::fsync(fd) == 0 ? 0 : errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && std::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    std::remove(temporary.c_str());
    throw field_error("output", path, std::strerror(error));
  }
  // Make the rename itself durable.
  const std::string directory = std::filesystem::path(path).parent_path().string();
  const int dir = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void ensure_writable_directory(const std::string& directory) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) throw field_error("--out", directory, error.message());
  const std::string probe = directory + "/.spinfer-write-test." + std::to_string(getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) throw field_error("--out", directory, std::strerror(errno));
  ::close(fd);
  std::remove(probe.c_str());
}

namespace {

// Every file a run or a study may write: an existing directory holding only these (and the lock)
// is a previous run, replaced by --overwrite.
constexpr const char* kRunFiles[] = {"summary.json", "checkpoint.pb", "checkpoint.series",
                                     "status.json", "config.json", "timeseries.csv", "agents.csv",
                                     "edges.csv", "distribution.csv", "run.png",
                                     // fragility studies
                                     "fragility.csv", "fragility.json", "fragility.png",
                                     // ensemble runs
                                     "observables.csv", "overlap_histogram.csv", "tempering.csv",
                                     "ground_state.csv", "pattern_overlaps.csv"};

constexpr int kLockAttempts = 20;
constexpr std::chrono::milliseconds kLockRetry{25};  // 0.5 s in all

// Held open, locked, until the process ends; the kernel drops the lock when it dies, however.
void lock_directory(const std::string& directory, const char* field) {
  const std::string path = directory + "/.lock";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0644);
  if (fd < 0) throw field_error(field, directory, std::strerror(errno));
  // A run holds the lock for its whole life; `spinfer status` (run_directory_in_use) only for an
  // instant. So a lock that is taken is tried again for a moment before the run is refused: a
  // resume must not fail because someone looked at its status as it started.
  int error = 0;
  for (int attempt = 0; attempt < kLockAttempts; ++attempt) {
    error = ::flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : errno;
    if (error != EWOULDBLOCK) break;
    if (attempt + 1 < kLockAttempts) std::this_thread::sleep_for(kLockRetry);
  }
  if (error != 0) {
    if (error == EWOULDBLOCK) {
      ::close(fd);
      throw field_error(field, directory, "another spinfer run is using this directory");
    }
    // A file system without locks (Lustre mounted without -o flock, say) must not stop the run.
    std::cerr << "spinfer: warning: " << directory << ": cannot lock (" << std::strerror(error)
              << "); nothing keeps a second run out of this directory" << std::endl;
  }
}

}  // namespace

bool run_directory_in_use(const std::string& directory) {
  const int fd = ::open((directory + "/.lock").c_str(), O_RDONLY);
  if (fd < 0) return false;  // never claimed
  // A shared lock is refused while a run holds its exclusive one; taken, it is let go at once.
  // Where locks are not supported (some parallel file systems) nobody can tell: say in use.
  const bool free = ::flock(fd, LOCK_SH | LOCK_NB) == 0;
  ::close(fd);
  return !free;
}

void claim_run_directory(const std::string& directory, DirectoryUse use) {
  namespace fs = std::filesystem;
  const char* field = use == DirectoryUse::resume ? "--resume" : "--out";
  std::error_code error;
  const bool existed = fs::exists(directory, error);
  if (use == DirectoryUse::fresh && existed && !fs::is_empty(directory, error))
    throw field_error(field, directory,
                      "exists and is not empty (--overwrite replaces it, --resume continues it)");
  ensure_writable_directory(directory);
  lock_directory(directory, field);
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    const bool stale_temporary = name.find(".tmp.") != std::string::npos;
    const bool old_result =
        use == DirectoryUse::overwrite &&
        std::find(std::begin(kRunFiles), std::end(kRunFiles), name) != std::end(kRunFiles);
    if (stale_temporary || old_result) fs::remove(entry.path(), error);
  }
}

}  // namespace spinfer
