#pragma once
// DIR/checkpoint.series: the coordinator's measured series, persisted for checkpoints. The series
// grows with the run while everything else in a checkpoint has a fixed size, so it is not
// rewritten each time: each checkpoint appends the rows measured since the previous one, makes
// them durable (fdatasync), and records a SeriesMark (rows, width, CRC-32 of those rows) in its
// checkpoint.pb. Rows past a checkpoint's mark -- appended for a newer checkpoint that never got
// renamed into place -- are dropped on resume, so the previous checkpoint stays valid until the
// new one is complete. Rank 0 alone reads and writes it.
#include <boost/crc.hpp>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "checkpoint.pb.h"

namespace spinfer {

inline constexpr const char* kSeriesName = "checkpoint.series";

class SeriesJournal {
 public:
  // `width` 64-bit words per row. A fresh run (no `existing` rows) starts the file empty when it
  // first appends; a resumed one keeps exactly the `existing` rows (as read_series returned them)
  // and drops anything after them at once.
  SeriesJournal(std::string directory, int width, std::span<const std::uint64_t> existing = {});
  ~SeriesJournal();
  SeriesJournal(const SeriesJournal&) = delete;
  SeriesJournal& operator=(const SeriesJournal&) = delete;

  // Appends whole rows, makes them durable, and returns the mark a checkpoint records.
  // Throws spinfer::Error naming the file when the write fails.
  record::SeriesMark append(std::span<const std::uint64_t> words);

  [[nodiscard]] std::int64_t rows() const { return rows_; }

 private:
  void open(bool keep);

  std::string path_;
  int width_;
  int fd_ = -1;
  std::int64_t rows_ = 0;
  boost::crc_32_type crc_;
};

// The rows a checkpoint's mark covers, verified against its CRC; throws spinfer::Error naming
// the file when it is missing, short, or does not match.
std::vector<std::uint64_t> read_series(const std::string& directory,
                                       const record::SeriesMark& mark);

}  // namespace spinfer
