#pragma once
// The population the benchmarks time: one chromatic chain of the 3D +-J Edwards-Anderson
// lattice at beta 0.5, built exactly as `spinfer run` builds it, so that the kernel rate measured
// is the rate runs get. beta = 0.5 is in the paramagnetic phase; the rate does not depend on it
// (one table lookup per update).
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/run/run.hpp"

namespace spinfer {

class BenchPopulation {
 public:
  // Collective over `comm`.
  BenchPopulation(const comm::Communicator& comm, int length);

  void sweep(std::uint64_t sweep) { population_.sweep(sweep, temperature_of_); }
  [[nodiscard]] std::int64_t agents() const { return inputs_.glass->couplings.size(); }
  [[nodiscard]] const Population<IsingBlock>& population() const { return population_; }

 private:
  static RunConfig config_for(int length);

  RunConfig config_;
  RunInputs inputs_;
  Population<IsingBlock> population_;
  std::vector<int> temperature_of_{0};
};

}  // namespace spinfer
