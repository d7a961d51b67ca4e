#include "communicator.hpp"

#include <algorithm>
#include <boost/mpi.hpp>
#include <boost/mpi/collectives/all_gatherv.hpp>
#include <boost/serialization/vector.hpp>
#include <cstdlib>
#include <functional>
#include <limits>

namespace spinfer::comm {

namespace mpi = boost::mpi;

Communicator::Communicator(const mpi::communicator& raw)
    : raw_(std::make_shared<mpi::communicator>(raw)) {}

int Communicator::rank() const {
  return raw_->rank();
}
int Communicator::size() const {
  return raw_->size();
}
void Communicator::barrier() const {
  raw_->barrier();
}
double Communicator::wall_time() const {
  return MPI_Wtime();
}

void Communicator::sum_in_place(std::span<double> values) const {
  // Every rank passes as many values, so all return here together; Boost.MPI would dereference
  // an empty span's (null) data for the datatype.
  if (size() == 1 || values.empty()) return;
  std::vector<double> out(values.size());
  mpi::all_reduce(*raw_, values.data(), static_cast<int>(values.size()), out.data(),
                  std::plus<double>());
  std::copy(out.begin(), out.end(), values.begin());
}

void Communicator::sum_wrapping_in_place(std::span<std::uint64_t> values) const {
  if (size() == 1 || values.empty()) return;
  std::vector<std::uint64_t> out(values.size());
  mpi::all_reduce(*raw_, values.data(), static_cast<int>(values.size()), out.data(),
                  std::plus<std::uint64_t>());
  std::copy(out.begin(), out.end(), values.begin());
}

std::uint64_t Communicator::sum_wrapping(std::uint64_t value) const {
  // Unsigned addition wraps in MPI_SUM as in C++, so the result does not depend on the order.
  return mpi::all_reduce(*raw_, value, std::plus<std::uint64_t>());
}

int Communicator::min(int value) const {
  return mpi::all_reduce(*raw_, value, mpi::minimum<int>());
}
int Communicator::max(int value) const {
  return mpi::all_reduce(*raw_, value, mpi::maximum<int>());
}
double Communicator::max(double value) const {
  return mpi::all_reduce(*raw_, value, mpi::maximum<double>());
}

namespace {

template <class T>
std::vector<T> gather_values(const mpi::communicator& comm, std::span<const T> values) {
  const int count = static_cast<int>(values.size());
  // Boost.MPI reads *data to find the MPI datatype even when there are no values; an empty span's
  // data() may be null.
  const T none{};
  const T* data = values.empty() ? &none : values.data();
  if (comm.rank() != 0) {
    mpi::gather(comm, count, 0);
    mpi::gatherv(comm, data, count, 0);
    return {};
  }
  std::vector<int> counts;
  mpi::gather(comm, count, counts, 0);
  std::vector<int> displacements(counts.size(), 0);
  for (std::size_t r = 1; r < counts.size(); ++r)
    displacements[r] = displacements[r - 1] + counts[r - 1];
  std::vector<T> all(static_cast<std::size_t>(displacements.back() + counts.back()));
  mpi::gatherv(comm, data, count, all.data(), counts, displacements, 0);
  return all;
}

}  // namespace

std::vector<double> Communicator::gather_to_root(std::span<const double> values) const {
  return gather_values(*raw_, values);
}

std::vector<std::int8_t> Communicator::gather_to_root(std::span<const std::int8_t> values) const {
  return gather_values(*raw_, values);
}

std::vector<std::int64_t> Communicator::gather_to_root(std::span<const std::int64_t> values) const {
  return gather_values(*raw_, values);
}

std::vector<std::string> Communicator::gather_to_root(const std::string& value) const {
  std::vector<std::string> all;
  if (rank() == 0)
    mpi::gather(*raw_, value, all, 0);
  else
    mpi::gather(*raw_, value, 0);
  return all;
}

std::vector<std::int8_t> Communicator::all_gather(std::span<const std::int8_t> values) const {
  if (size() == 1) return {values.begin(), values.end()};
  std::vector<int> counts;
  mpi::all_gather(*raw_, static_cast<int>(values.size()), counts);
  std::size_t total = 0;
  for (int c : counts) total += static_cast<std::size_t>(c);
  // As in gather_values: never hand Boost.MPI a null pointer (it dereferences it for the type).
  const std::int8_t none = 0;
  std::vector<std::int8_t> all(std::max<std::size_t>(total, 1));
  mpi::all_gatherv(*raw_, values.empty() ? &none : values.data(), all.data(), counts);
  all.resize(total);
  return all;
}

void Communicator::broadcast(std::string& value) const {
  mpi::broadcast(*raw_, value, 0);
}

std::optional<std::vector<std::int64_t>> Communicator::scatter_ranges(
    std::span<const std::int64_t> all, std::int64_t expected, std::span<const Range> wanted) const {
  std::int64_t mine = 0;
  // Every count and offset travels as an int, as in MPI itself.
  constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
  bool valid =
      expected <= kIntMax && (!is_root() || static_cast<std::int64_t>(all.size()) == expected);
  for (const Range& r : wanted) {
    valid = valid && r.offset >= 0 && r.count >= 0 && r.offset <= expected - r.count;
    mine += r.count;
  }
  if (min(valid ? 1 : 0) == 0) return std::nullopt;
  std::vector<std::int64_t> out(static_cast<std::size_t>(std::max<std::int64_t>(mine, 1)));
  if (size() == 1) {
    auto at = out.begin();
    for (const Range& r : wanted) at = std::copy_n(all.begin() + r.offset, r.count, at);
    out.resize(static_cast<std::size_t>(mine));
    return out;
  }
  std::vector<std::int64_t> flat;
  for (const Range& r : wanted) flat.insert(flat.end(), {r.offset, r.count});
  std::vector<std::int64_t> send;
  std::vector<int> counts, displacements;
  if (!is_root()) {
    mpi::gather(*raw_, flat, 0);
  } else {
    std::vector<std::vector<std::int64_t>> ranges;
    mpi::gather(*raw_, flat, ranges, 0);
    for (const std::vector<std::int64_t>& rank_ranges : ranges) {
      displacements.push_back(static_cast<int>(send.size()));
      for (std::size_t k = 0; k + 1 < rank_ranges.size(); k += 2)
        send.insert(send.end(), all.begin() + rank_ranges[k],
                    all.begin() + rank_ranges[k] + rank_ranges[k + 1]);
      counts.push_back(static_cast<int>(send.size()) - displacements.back());
    }
  }
  // MPI_Scatterv itself: Boost.MPI 1.74's scatterv on a non-root rank dereferences the null send
  // buffer it passes itself to find the datatype (undefined behaviour, reported by UBSan).
  send.resize(std::max<std::size_t>(send.size(), 1));
  const int result = MPI_Scatterv(send.data(), counts.data(), displacements.data(), MPI_INT64_T,
                                  out.data(), static_cast<int>(mine), MPI_INT64_T, 0, *raw_);
  if (result != MPI_SUCCESS) throw mpi::exception("MPI_Scatterv", result);
  out.resize(static_cast<std::size_t>(mine));
  return out;
}

std::string Communicator::processor_name() {
  return mpi::environment::processor_name();
}

Communicator Communicator::split(int colour, int key) const {
  return Communicator(raw_->split(colour, key));
}

struct Environment::Impl {
  mpi::environment env;
  Impl(int& argc, char**& argv) : env(argc, argv, /*abort_on_exception=*/false) {}
};

Environment::Environment(int& argc, char**& argv) : impl_(std::make_unique<Impl>(argc, argv)) {}
Environment::~Environment() = default;

Communicator Environment::world() const {
  return Communicator(mpi::communicator());
}

std::string Environment::library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<std::size_t>(length));
  if (auto eol = version.find_first_of("\r\n,"); eol != std::string::npos) version.resize(eol);
  return version;
}

void Environment::abort_all(int exit_code) {
  mpi::environment::abort(exit_code);
  std::abort();  // not reached: MPI_Abort ends the process
}

}  // namespace spinfer::comm
