// The observer on one rank: what each plan records, against sums computed by hand from the
// population's states, and that checkpoints and the series file give it all back.
#include <doctest/doctest.h>

#include "runtime/observe/observer.hpp"
#include "runtime/run/run.hpp"
#include "tests/runtime/population/built_population.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::config_with;

using Built = testing::BuiltPopulation;

MeasurementPlan chain_plan(const Built& b) {
  MeasurementPlan p;
  p.replicas = b.config.chains();
  p.n_agents = b.inputs.glass->couplings.size();
  p.chain_series = true;
  p.beta = b.config.beta();
  p.exact = b.inputs.exact ? &*b.inputs.exact : nullptr;
  p.directed_edges = b.inputs.glass->couplings.directed_edges();
  return p;
}

MeasurementPlan temperature_plan(const Built& b) {
  MeasurementPlan p;
  p.replicas = b.config.replicas();
  p.temperatures = b.inputs.temperatures();
  p.n_agents = b.inputs.glass->couplings.size();
  p.replica_overlaps = true;
  p.lowest_energy = true;
  return p;
}

const char* kSk6 = R"(instance={"kind":"sk","n":6,"seed":8})";

}  // namespace

TEST_CASE("observer, chains: magnetization, energy, free energy and the visited state") {
  Built b(config_with({kSk6, "chains=2", "beta=0.7"}));
  const comm::Communicator& self = testing::self();
  Observer<IsingBlock> observer(self, b.population, chain_plan(b));
  const std::vector<int> at_zero(2, 0);
  std::vector<std::vector<std::int8_t>> seen;
  for (std::uint64_t t = 0; t < 4; ++t) {
    b.population.sweep(t, at_zero);
    observer.measure(self, b.population, at_zero, static_cast<std::int64_t>(t) + 1);
    for (int c = 0; c < 2; ++c)
      seen.emplace_back(b.population.values(c), b.population.values(c) + 6);
  }
  CHECK(observer.recorded() == 0);  // batched
  observer.flush(self, b.population);
  REQUIRE(observer.recorded() == 4);
  for (int t = 0; t < 4; ++t)
    for (int c = 0; c < 2; ++c) {
      const auto& s = seen[static_cast<std::size_t>(2 * t + c)];
      const ChainSeries& series = observer.chain_series()[c];
      int spin = 0;
      std::uint32_t state = 0;
      for (int i = 0; i < 6; ++i) {
        spin += s[i];
        if (s[i] > 0) state |= 1u << i;
      }
      CHECK(series.magnetization[t] == spin / 6.0);
      CHECK(series.state[t] == state);
      const IsingBlock::Sums sums = b.population.block().measure_with_free_energy(s.data());
      CHECK(series.energy[t] == sums.energy() / (0.7 * 6));
      CHECK(series.free_energy[t] == sums.free_energy() / 6);
    }
  // Per-agent means over both chains and all four measurements.
  const std::vector<double> m = observer.magnetizations(self, b.population);
  double m0 = 0;
  for (const auto& s : seen) m0 += s[0];
  CHECK(m[0] == doctest::Approx(m0 / 8));
}

TEST_CASE("observer, temperatures: overlaps per slot, P(q), the lowest energy seen") {
  Built b(config_with({R"(instance={"kind":"edwards_anderson","length":4,"seed":1})",
                       R"(temperatures={"betas":[0.5,1.0]})", "replicas=2"}));
  const comm::Communicator& self = testing::self();
  Observer<IsingBlock> observer(self, b.population, temperature_plan(b));
  // Systems 0, 1 are replica 0 at temperatures 0, 1; 2, 3 replica 1. Swap replica 1's.
  const std::vector<int> temperature_of = {0, 1, 1, 0};
  b.population.sweep(0, temperature_of);
  observer.measure(self, b.population, temperature_of, 1);
  observer.flush(self, b.population);
  const EnsembleSeries& series = observer.series();
  REQUIRE(series.samples() == 1);
  const auto overlap = [&](int x, int y) {
    int dot = 0;
    for (int i = 0; i < 16; ++i) dot += b.population.values(x)[i] * b.population.values(y)[i];
    return dot / 16.0;
  };
  CHECK(series.overlap[0] == overlap(0, 3));  // temperature 0: system 0 and system 3
  CHECK(series.overlap[1] == overlap(1, 2));  // temperature 1: system 1 and system 2
  CHECK(observer.histograms()[0].total() == 1);
  const auto best = observer.best(self);
  REQUIRE(best.found);
  double lowest = 1e9;
  for (int c = 0; c < 4; ++c)
    lowest = std::min(lowest, b.population.block().measure(b.population.values(c)).energy());
  CHECK(best.energy == lowest);
}

TEST_CASE("observer: the series file rows and a checkpoint give back what was measured") {
  for (const bool chains : {true, false}) {
    Built b(chains ? config_with({kSk6, "chains=2"})
                   : config_with({kSk6, R"(temperatures={"betas":[0.5,1.0]})", "replicas=2"}));
    const MeasurementPlan plan = chains ? chain_plan(b) : temperature_plan(b);
    const comm::Communicator& self = testing::self();
    Observer<IsingBlock> first(self, b.population, plan);
    const std::vector<int> temperature_of =
        chains ? std::vector<int>{0, 0} : std::vector<int>{0, 1, 0, 1};
    for (std::uint64_t t = 0; t < 5; ++t) {
      b.population.sweep(t, temperature_of);
      first.measure(self, b.population, temperature_of, static_cast<std::int64_t>(t) + 1);
    }
    record::Checkpoint checkpoint;
    first.save(self, b.population, checkpoint);
    std::vector<std::uint64_t> rows;
    first.encode_series(0, rows);
    CHECK(rows.size() == static_cast<std::size_t>(5 * first.series_width()));
    Observer<IsingBlock> second(self, b.population, plan);
    second.restore(self, checkpoint, b.population);
    second.restore_series(rows);
    CHECK(second.samples() == 5);
    CHECK(second.magnetizations(self, b.population) == first.magnetizations(self, b.population));
    if (chains) {
      CHECK(second.chain_series()[1].energy == first.chain_series()[1].energy);
      CHECK(second.edge_correlations(self) == first.edge_correlations(self));
    } else {
      CHECK(second.series().overlap == first.series().overlap);
      CHECK(second.histograms()[1].counts() == first.histograms()[1].counts());
      CHECK(second.best(self).energy == first.best(self).energy);
    }
  }
}

TEST_CASE("observer: a full batch flushes itself") {
  Built b(config_with({kSk6, "chains=1"}));
  const comm::Communicator& self = testing::self();
  Observer<IsingBlock> observer(self, b.population, chain_plan(b));
  const std::vector<int> at_zero{0};
  for (int t = 0; t < Observer<IsingBlock>::kMaxBatch + 10; ++t)
    observer.measure(self, b.population, at_zero, t + 1);
  CHECK(observer.recorded() == Observer<IsingBlock>::kMaxBatch);
  observer.flush(self, b.population);
  CHECK(observer.recorded() == Observer<IsingBlock>::kMaxBatch + 10);
}

}  // namespace spinfer
