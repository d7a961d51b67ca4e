#pragma once
// A configuration's population built on one rank, as a run would build it, for serial tests.
#include "runtime/run/run.hpp"
#include "tests/test_support.hpp"

namespace spinfer::testing {

struct BuiltPopulation {
  RunConfig config;
  RunInputs inputs;
  Population<IsingBlock> population;
  explicit BuiltPopulation(RunConfig c)
      : config(std::move(c)),
        inputs(prepare_run(config, 1)),
        population(self(), ising_population(config, inputs)) {}
};

}  // namespace spinfer::testing
