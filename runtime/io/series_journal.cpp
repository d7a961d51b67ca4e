#include "runtime/io/series_journal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// The file holds the words as they are in memory; its documented format is little-endian.
static_assert(std::endian::native == std::endian::little, "checkpoint.series is little-endian");

constexpr std::size_t kWordBytes = sizeof(std::uint64_t);

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw field_error("checkpoint", path, what);
}

}  // namespace

SeriesJournal::SeriesJournal(std::string directory, int width,
                             std::span<const std::uint64_t> existing)
    : path_(std::move(directory) + "/" + kSeriesName), width_(width) {
  if (existing.empty()) return;  // created on the first append
  rows_ = static_cast<std::int64_t>(existing.size()) / width_;
  crc_.process_bytes(existing.data(), existing.size() * kWordBytes);
  open(/*keep=*/true);
}

SeriesJournal::~SeriesJournal() {
  if (fd_ >= 0) ::close(fd_);
}

void SeriesJournal::open(bool keep) {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | (keep ? 0 : O_TRUNC), 0644);
  if (fd_ < 0) fail(path_, std::strerror(errno));
  const auto bytes = static_cast<off_t>(rows_ * width_ * static_cast<std::int64_t>(kWordBytes));
  if (::ftruncate(fd_, bytes) != 0 || ::lseek(fd_, bytes, SEEK_SET) != bytes)
    fail(path_, std::strerror(errno));
}

record::SeriesMark SeriesJournal::append(std::span<const std::uint64_t> words) {
  if (fd_ < 0) open(/*keep=*/false);
  const auto* data = reinterpret_cast<const char*>(words.data());
  std::size_t left = words.size() * kWordBytes;
  while (left > 0) {
    const ssize_t written = ::write(fd_, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail(path_, std::strerror(errno));
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  if (::fdatasync(fd_) != 0) fail(path_, std::strerror(errno));
  crc_.process_bytes(words.data(), words.size() * kWordBytes);
  rows_ += static_cast<std::int64_t>(words.size()) / width_;
  record::SeriesMark mark;
  mark.set_rows(rows_);
  mark.set_width(width_);
  mark.set_crc32(crc_.checksum());
  return mark;
}

std::vector<std::uint64_t> read_series(const std::string& directory,
                                       const record::SeriesMark& mark) {
  const std::string path = directory + "/" + kSeriesName;
  if (mark.rows() < 0 || mark.width() < 0) fail(path, "the checkpoint's series mark is corrupt");
  const auto words = static_cast<std::size_t>(mark.rows()) * static_cast<std::size_t>(mark.width());
  const std::string rows_text = std::to_string(mark.rows()) + " rows";
  std::vector<std::uint64_t> rows;
  if (words > 0) {
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) fail(path, std::strerror(errno) + std::string(" (the checkpoint needs it)"));
    struct stat info {};
    // Sized before anything is allocated: a short file is refused, not read into a huge buffer.
    if (::fstat(fd, &info) != 0 || static_cast<std::size_t>(info.st_size) < words * kWordBytes) {
      ::close(fd);
      fail(path, "shorter than the checkpoint's " + rows_text + " (truncated)");
    }
    rows.resize(words);
    auto* data = reinterpret_cast<char*>(rows.data());
    std::size_t left = words * kWordBytes;
    while (left > 0) {
      const ssize_t got = ::read(fd, data, left);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(fd);
        fail(path, "cannot read the checkpoint's " + rows_text);
      }
      data += got;
      left -= static_cast<std::size_t>(got);
    }
    ::close(fd);
  }
  boost::crc_32_type crc;
  crc.process_bytes(rows.data(), words * kWordBytes);
  if (crc.checksum() != mark.crc32())
    fail(path, "checksum mismatch over the checkpoint's " + rows_text + " (corrupt)");
  return rows;
}

}  // namespace spinfer
