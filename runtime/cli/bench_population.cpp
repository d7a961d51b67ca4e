#include "runtime/cli/bench_population.hpp"

namespace spinfer {

RunConfig BenchPopulation::config_for(int length) {
  ConfigSource source;
  source.overrides = {
      R"(instance={"kind":"edwards_anderson","dimensions":3,"distribution":"bimodal","length":)" +
          std::to_string(length) + R"(,"seed":1})",
      "beta=0.5", "chains=1", "schedule=chromatic"};
  return resolve_config(source);
}

BenchPopulation::BenchPopulation(const comm::Communicator& comm, int length)
    : config_(config_for(length)),
      inputs_(prepare_run(config_, comm.size())),
      population_(comm, ising_population(config_, inputs_)) {}

}  // namespace spinfer
