#pragma once
// The project's only door to MPI (Boost.MPI underneath). runtime/ talks to other ranks through
// this class and never includes an MPI header; a Communicator is passed in, never global.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace boost::mpi {
class communicator;
}

namespace spinfer::comm {

class Communicator {
 public:
  explicit Communicator(const boost::mpi::communicator& raw);

  [[nodiscard]] int rank() const;
  [[nodiscard]] int size() const;
  [[nodiscard]] bool is_root() const { return rank() == 0; }

  void barrier() const;
  [[nodiscard]] double wall_time() const;

  // All-reductions; every rank gets the result.
  void sum_in_place(std::span<double> values) const;
  // Modulo 2^64, so exact and independent of the order in which ranks are added: fixed-point
  // sums that must not depend on the decomposition travel this way.
  void sum_wrapping_in_place(std::span<std::uint64_t> values) const;
  [[nodiscard]] std::uint64_t sum_wrapping(std::uint64_t value) const;  // modulo 2^64
  [[nodiscard]] int min(int value) const;
  [[nodiscard]] int max(int value) const;
  [[nodiscard]] double max(double value) const;

  // Concatenation of every rank's values in rank order, on rank 0 (empty elsewhere).
  [[nodiscard]] std::vector<double> gather_to_root(std::span<const double> values) const;
  [[nodiscard]] std::vector<std::int8_t> gather_to_root(std::span<const std::int8_t> values) const;
  [[nodiscard]] std::vector<std::int64_t> gather_to_root(
      std::span<const std::int64_t> values) const;
  [[nodiscard]] std::vector<std::string> gather_to_root(const std::string& value) const;

  // Every rank's values concatenated in rank order, on every rank (counts may differ).
  [[nodiscard]] std::vector<std::int8_t> all_gather(std::span<const std::int8_t> values) const;

  // Rank 0's `value` on every rank.
  void broadcast(std::string& value) const;

  // The inverse of gather_to_root for data that rank 0 alone holds (a checkpoint's per-agent
  // sums): each rank names the ranges of rank 0's `all` it needs and gets their concatenation,
  // and no rank but 0 ever holds more. Every rank passes the `expected` length of `all` (others
  // pass an empty `all`); when rank 0's differs or any rank's range falls outside it, every
  // rank returns nullopt, so the caller can refuse the data on all ranks alike.
  struct Range {
    std::int64_t offset = 0;
    std::int64_t count = 0;
  };
  [[nodiscard]] std::optional<std::vector<std::int64_t>> scatter_ranges(
      std::span<const std::int64_t> all, std::int64_t expected,
      std::span<const Range> wanted) const;

  // The name MPI gives this rank's host.
  [[nodiscard]] static std::string processor_name();

  // Ranks with the same colour form a new communicator, ordered by key.
  [[nodiscard]] Communicator split(int colour, int key) const;

  [[nodiscard]] const boost::mpi::communicator& raw() const { return *raw_; }

 private:
  std::shared_ptr<boost::mpi::communicator> raw_;
};

// Owns MPI initialisation and finalisation; exactly one, in main().
class Environment {
 public:
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  [[nodiscard]] Communicator world() const;
  [[nodiscard]] static std::string library_version();
  // Ends every rank at once; for failures seen by one rank only.
  [[noreturn]] static void abort_all(int exit_code);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinfer::comm
