#include "runtime/io/series_journal.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <numeric>

#include "runtime/config/config.hpp"
#include "runtime/io/checkpoint.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

constexpr int kWidth = 3;

// Rows first .. first+count-1 of a recognisable series: word k of row t is 1000 t + k.
std::vector<std::uint64_t> rows(std::uint64_t first, std::uint64_t count) {
  std::vector<std::uint64_t> words;
  for (std::uint64_t t = first; t < first + count; ++t)
    for (std::uint64_t k = 0; k < kWidth; ++k) words.push_back(1000 * t + k);
  return words;
}

std::string series_path(const TempDir& dir) {
  return (dir.path() / kSeriesName).string();
}

void flip_byte(const std::string& path, std::size_t at) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(at));
  const char c = static_cast<char>(file.get());
  file.seekp(static_cast<std::streamoff>(at));
  file.put(static_cast<char>(c ^ 0x01));
}

}  // namespace

TEST_CASE("series journal: appended rows come back by their mark, in any number of pieces") {
  TempDir dir;
  SeriesJournal journal(dir.path().string(), kWidth);
  journal.append(rows(0, 5));
  journal.append({});  // a checkpoint with nothing new measured
  const record::SeriesMark mark = journal.append(rows(5, 7));
  CHECK(mark.rows() == 12);
  CHECK(mark.width() == kWidth);
  CHECK(read_series(dir.path().string(), mark) == rows(0, 12));
  CHECK(std::filesystem::file_size(series_path(dir)) == 12 * kWidth * 8);
}

TEST_CASE("series journal: rows appended after a mark leave that older checkpoint valid") {
  TempDir dir;
  SeriesJournal journal(dir.path().string(), kWidth);
  const record::SeriesMark older = journal.append(rows(0, 4));
  journal.append(rows(4, 6));  // a newer checkpoint whose record was never renamed into place
  CHECK(read_series(dir.path().string(), older) == rows(0, 4));
}

TEST_CASE("series journal: resuming drops the rows past the mark and continues after it") {
  TempDir dir;
  record::SeriesMark older;
  {
    SeriesJournal journal(dir.path().string(), kWidth);
    older = journal.append(rows(0, 4));
    journal.append(rows(100, 3));  // lost with the checkpoint that never completed
  }
  const std::vector<std::uint64_t> kept = read_series(dir.path().string(), older);
  SeriesJournal resumed(dir.path().string(), kWidth, kept);
  CHECK(resumed.rows() == 4);
  CHECK(std::filesystem::file_size(series_path(dir)) == 4 * kWidth * 8);
  const record::SeriesMark mark = resumed.append(rows(4, 2));
  CHECK(read_series(dir.path().string(), mark) == rows(0, 6));
  // The same mark as a journal that was never interrupted.
  TempDir fresh;
  SeriesJournal straight(fresh.path().string(), kWidth);
  CHECK(straight.append(rows(0, 6)).crc32() == mark.crc32());
}

TEST_CASE("series journal: a fresh run empties a file left by an earlier one") {
  TempDir dir;
  { SeriesJournal(dir.path().string(), kWidth).append(rows(0, 9)); }
  SeriesJournal journal(dir.path().string(), kWidth);
  const record::SeriesMark mark = journal.append(rows(0, 2));
  CHECK(mark.rows() == 2);
  CHECK(read_series(dir.path().string(), mark) == rows(0, 2));
}

TEST_CASE("series journal: any corrupted byte, a short file or a missing one is refused") {
  TempDir dir;
  const record::SeriesMark mark = SeriesJournal(dir.path().string(), kWidth).append(rows(0, 4));
  const std::string path = series_path(dir);
  for (std::size_t at = 0; at < 4 * kWidth * 8; ++at) {
    CAPTURE(at);
    flip_byte(path, at);
    CHECK(error_message([&] { read_series(dir.path().string(), mark); }).find("checksum") !=
          std::string::npos);
    flip_byte(path, at);
  }
  CHECK(read_series(dir.path().string(), mark) == rows(0, 4));

  std::filesystem::resize_file(path, 4 * kWidth * 8 - 1);
  CHECK(error_message([&] { read_series(dir.path().string(), mark); }).find("truncated") !=
        std::string::npos);
  std::filesystem::remove(path);
  const std::string missing = error_message([&] { read_series(dir.path().string(), mark); });
  CHECK(missing.find(kSeriesName) != std::string::npos);
  CHECK(missing.find("checkpoint needs it") != std::string::npos);
  // A mark of no rows needs no file.
  CHECK(read_series(dir.path().string(), record::SeriesMark{}).empty());
}

TEST_CASE("measured_sweeps: the sweeps the run loop measures at") {
  RunConfig config = resolve_config({});
  config.set_burn_in(10);
  config.set_measure_interval(3);
  // The loop measures after sweep `done` when done > burn_in and (done - burn_in) % k == 0.
  std::vector<std::int64_t> expected;
  for (std::int64_t done = 1; done <= 30; ++done)
    if (done > 10 && (done - 10) % 3 == 0) expected.push_back(done);
  CHECK(measured_sweeps(config, 30) == expected);
  CHECK(measured_sweeps(config, 10).empty());
  CHECK(measured_sweeps(config, 12).empty());
  CHECK(measured_sweeps(config, 13) == std::vector<std::int64_t>{13});
}

TEST_CASE("checkpoint writer: a resume point whose series does not fit the run is refused") {
  TempDir dir;
  RunConfig config = resolve_config({});
  config.set_burn_in(0);
  config.set_measure_interval(1);
  ResumePoint point;
  point.checkpoint.set_completed_sweeps(4);
  {
    SeriesJournal journal(dir.path().string(), kWidth);
    *point.checkpoint.mutable_series() = journal.append(rows(0, 4));
  }
  point.series = read_series(dir.path().string(), point.checkpoint.series());
  CHECK(error_message([&] { CheckpointWriter(dir.path().string(), config, kWidth, &point); }) ==
        "(no error)");
  // Another row width (another chain count, say), or more sweeps than rows.
  CHECK(error_message([&] {
          CheckpointWriter(dir.path().string(), config, kWidth + 1, &point);
        }).find("do not match the run") != std::string::npos);
  point.checkpoint.set_completed_sweeps(5);
  CHECK(error_message([&] {
          CheckpointWriter(dir.path().string(), config, kWidth, &point);
        }).find("do not match the run") != std::string::npos);
}
