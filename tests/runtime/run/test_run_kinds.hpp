#pragma once
// A run's pieces built by hand on one rank, for the tests of the run kinds.
#include <memory>

#include "runtime/run/run_kinds.hpp"
#include "tests/test_support.hpp"

namespace spinfer::testing {

struct PreparedRun {
  RunOptions options;  // the segment keeps a reference
  RunConfig config;
  RunInputs inputs;
  std::unique_ptr<RunKind> kind;
  std::unique_ptr<IsingSegment> segment;
  explicit PreparedRun(RunConfig c)
      : config(std::move(c)),
        inputs(prepare_run(config, 1)),
        kind(inputs.ensemble ? ensemble_run(config, inputs) : one_beta_run(config, inputs)),
        segment(std::make_unique<IsingSegment>(config, ising_population(config, inputs),
                                               kind->plan(), inputs.scales, self(), options)) {}
};

}  // namespace spinfer::testing
