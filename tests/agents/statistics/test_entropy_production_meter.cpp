#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/exact/kernel_oracle.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/ising_block.hpp"
#include "agents/statistics/entropy_production_meter.hpp"

using namespace spinfer;

namespace {

constexpr std::uint64_t kSeed = 2024;
constexpr std::uint64_t kBurnIn = 200;
constexpr std::uint64_t kSweeps = 20000;

__extension__ using uint128 = unsigned __int128;

WeightedGraph sk_precisions(double asymmetry) {
  SpinGlass glass = sherrington_kirkpatrick(6, CouplingDistribution::gaussian, 0.2, 1.0, 3);
  add_fields(glass, 0.1, 0.3, 4);
  return add_antisymmetric_part(agents_from_spin_glass(glass, 1.2).precisions, asymmetry, 17);
}

std::vector<std::int8_t> initial_state(std::int64_t n) {
  std::vector<std::uint32_t> words(static_cast<std::size_t>(n));
  fill_agent_uniforms(kSeed, StreamPurpose::initial_state, 0, 0, 0, n, words.data());
  std::vector<std::int8_t> s;
  for (std::uint32_t w : words) s.push_back(static_cast<std::int8_t>(w >> 31 ? 1 : -1));
  return s;
}

// log P(agent i acts `to` | state) - log P(agent i acts `from` | state after): one agent's share
// of log K_forward - log K_backward. Sequential steps leave agent i's evidence unchanged.
double log_ratio(const IsingBlock& block, std::int32_t i, const std::int8_t* before,
                 const std::int8_t* after) {
  return block.log_action_probability(i, 0, before, after[i]) -
         block.log_action_probability(i, 0, after, before[i]);
}

// The runtime's random-sequential sweep: n uniform picks from Philox site-selection words.
EntropyProductionMeter run_random_sequential(const IsingBlock& block) {
  const auto n = static_cast<std::uint64_t>(block.rows());
  auto s = initial_state(block.rows());
  EntropyProductionMeter meter;
  for (std::uint64_t sweep = 0; sweep < kBurnIn + kSweeps; ++sweep) {
    for (std::uint64_t step = 0; step < n; ++step) {
      const RandomBlock r = random_block(kSeed, StreamPurpose::site_selection, 0, sweep, step);
      const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
      const auto i = static_cast<std::int32_t>((static_cast<uint128>(bits) * n) >> 64);
      auto after = s;
      after[i] = block.act_one(i, 0, s.data(), r[2]);
      meter.add(log_ratio(block, i, s.data(), after.data()));
      s = after;
    }
    if (sweep >= kBurnIn)
      meter.end_sweep();
    else
      meter = EntropyProductionMeter();
  }
  return meter;
}

// Every agent acts on the previous state: forward uses the old evidence, backward the new.
EntropyProductionMeter run_synchronous(const IsingBlock& block) {
  const auto n = block.rows();
  std::vector<std::int32_t> all(static_cast<std::size_t>(n));
  std::iota(all.begin(), all.end(), 0);
  auto s = initial_state(n);
  std::vector<std::uint32_t> u(static_cast<std::size_t>(n));
  EntropyProductionMeter meter;
  for (std::uint64_t sweep = 0; sweep < kBurnIn + kSweeps; ++sweep) {
    fill_agent_uniforms(kSeed, StreamPurpose::action, 0, sweep, 0, n, u.data());
    std::vector<std::int8_t> next(s.size());
    block.act(all, 0, s.data(), next.data(), u.data());
    double total = 0;
    for (std::int32_t i : all) total += log_ratio(block, i, s.data(), next.data());
    if (sweep >= kBurnIn) meter.add_sweep(total);
    s = next;
  }
  return meter;
}

double exact_per_sweep(const WeightedGraph& g, KernelSchedule schedule) {
  KernelSpec spec;
  spec.schedule = schedule;
  return analyse_kernel(reduce_clamped(g, {}), spec).entropy_production_per_sweep;
}

}  // namespace

TEST_CASE("the meter sums terms into sweeps and averages the sweeps") {
  EntropyProductionMeter meter;
  meter.add(0.5);
  meter.add(2.0, 1.25);
  meter.end_sweep();
  meter.end_sweep();  // a sweep without moves
  meter.add_sweep(3.0);
  REQUIRE(meter.sweep_totals().size() == 3);
  CHECK(meter.sweep_totals()[0] == 1.25);
  CHECK(meter.sweep_totals()[1] == 0.0);
  CHECK(meter.per_sweep().mean == doctest::Approx((1.25 + 0 + 3) / 3));
}

TEST_CASE("sampled entropy production matches the exact kernel's within 4 standard errors") {
  struct Case {
    const char* name;
    double asymmetry;
    KernelSchedule schedule;
  };
  for (const Case& c :
       {Case{"asymmetric random sequential", 0.5, KernelSchedule::random_sequential},
        Case{"symmetric random sequential", 0.0, KernelSchedule::random_sequential},
        Case{"asymmetric synchronous", 0.5, KernelSchedule::synchronous}}) {
    CAPTURE(c.name);
    const WeightedGraph g = sk_precisions(c.asymmetry);
    const IsingBlock block(g, ActionRule::sample_posterior, false);
    const EntropyProductionMeter meter = c.schedule == KernelSchedule::synchronous
                                             ? run_synchronous(block)
                                             : run_random_sequential(block);
    const MeanEstimate sampled = meter.per_sweep();
    const double exact = exact_per_sweep(g, c.schedule);
    MESSAGE(std::string(c.name) << ": sampled " << sampled.mean << " +- " << sampled.standard_error
                                << " (tau_int " << sampled.tau_int << "), exact " << exact);
    CHECK(std::abs(sampled.mean - exact) < 4 * sampled.standard_error);
    if (c.asymmetry > 0) CHECK(sampled.mean > 10 * sampled.standard_error);  // resolved, not 0
  }
}
