#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/ising_block.hpp"
#include "tests/agents/ising/block_test_inputs.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

constexpr std::uint64_t kSeed = 11;

// The block an ensemble run builds: weights J, the ladder's betas as scales.
IsingBlock ladder_block(const WeightedGraph& couplings, std::vector<double> betas, bool lookup) {
  return IsingBlock(couplings, std::move(betas),
                    IsingBlockOptions{.lookup_allowed = lookup, .tabled_single_updates = true});
}

std::vector<std::int8_t> random_state(std::int64_t n, std::uint64_t sweep) {
  return testing::random_state(kSeed, n, sweep);
}

std::vector<std::uint32_t> uniforms(std::int64_t n, std::uint64_t sweep) {
  return testing::action_uniforms(kSeed, n, sweep);
}

using testing::all_rows;

// E = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i, straight from the instance.
double energy(const SpinGlass& glass, const std::vector<std::int8_t>& s) {
  const WeightedGraph& g = glass.couplings;
  double e = 0;
  for (std::int64_t i = 0; i < g.size(); ++i) {
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k)
      if (g.columns[k] > i) e -= g.weights[k] * s[i] * s[g.columns[k]];
    e -= g.fields[i] * s[i];
  }
  return e;
}

// Every agent acting once on `state` at ladder index k, and IsingBlock at beta_k.
int differences_from_ising_block(const SpinGlass& glass, const std::vector<double>& betas,
                                 int sweeps) {
  const IsingBlock ladder =
      ladder_block(glass.couplings, betas, has_common_precision(glass.couplings));
  int differences = 0;
  for (std::size_t k = 0; k < betas.size(); ++k) {
    const WeightedGraph gamma = agents_from_spin_glass(glass, betas[k]).precisions;
    const IsingBlock block(gamma, ActionRule::sample_posterior, has_common_precision(gamma));
    const auto rows = all_rows(gamma.size());
    for (int sweep = 0; sweep < sweeps; ++sweep) {
      const auto s = random_state(gamma.size(), static_cast<std::uint64_t>(sweep));
      const auto u = uniforms(gamma.size(), static_cast<std::uint64_t>(sweep));
      std::vector<std::int8_t> a(s.size()), b(s.size());
      block.act(rows, 0, s.data(), a.data(), u.data());
      ladder.act(rows, static_cast<int>(k), s.data(), b.data(), u.data());
      for (std::size_t i = 0; i < s.size(); ++i) {
        differences += a[i] != b[i];
        differences += ladder.act_one(static_cast<std::int32_t>(i), static_cast<int>(k), s.data(),
                                      u[i]) != b[i];
      }
    }
  }
  return differences;
}

}  // namespace

TEST_CASE(
    "ising block at a ladder of scales: lookup path acts as IsingBlock at every beta, bit for "
    "bit") {
  const std::vector<double> betas{0.1, 0.44, 0.9, 2.5};
  for (int d : {2, 3}) {
    const SpinGlass glass = edwards_anderson(d, 4, CouplingDistribution::bimodal, 0, 1.0, 5);
    REQUIRE(ladder_block(glass.couplings, betas, true).uses_lookup_table());
    CHECK(differences_from_ising_block(glass, betas, 200) == 0);
  }
  // Irregular degree with a common |J| and field: the table without the unrolled loop.
  SpinGlass rr = random_regular(30, 3, CouplingDistribution::bimodal, 0, 0.7, 2);
  add_fields(rr, 0.25, 0.0, 1);
  REQUIRE(ladder_block(rr.couplings, betas, true).uses_lookup_table());
  CHECK(differences_from_ising_block(rr, betas, 200) == 0);
}

TEST_CASE(
    "ising block at a ladder of scales: general path agrees with IsingBlock but for last-bit "
    "ties") {
  // beta (sum J s) and sum (beta J) s differ in the last bit; a decision can flip only when the
  // uniform lands within a few ulps of the threshold: probability ~1e-15 per update.
  const SpinGlass glass = sherrington_kirkpatrick(24, CouplingDistribution::gaussian, 0, 1, 3);
  REQUIRE_FALSE(ladder_block(glass.couplings, {1.0}, true).uses_lookup_table());
  CHECK(differences_from_ising_block(glass, {0.3, 1.0, 1.7}, 300) == 0);
}

TEST_CASE(
    "ising block at a ladder of scales: measured energy is the instance's energy at any split") {
  for (const SpinGlass& glass :
       {edwards_anderson(3, 4, CouplingDistribution::bimodal, 0, 1.0, 5),
        sherrington_kirkpatrick(20, CouplingDistribution::gaussian, 0, 1, 4)}) {
    const IsingBlock block =
        ladder_block(glass.couplings, {1.0}, has_common_precision(glass.couplings));
    for (std::uint64_t t = 0; t < 20; ++t) {
      const auto s = random_state(glass.couplings.size(), t);
      const IsingBlock::Sums sums = block.measure(s.data());
      // Fixed point rounds each agent's term by at most 2^-29; the double sums are exact to ~1e-14.
      const double n = static_cast<double>(s.size());
      CHECK(std::fabs(fixed_point::to_double(sums.energy_fixed) - energy(glass, s)) <=
            n * 0x1p-29 + 1e-12);
      CHECK(sums.spin == std::accumulate(s.begin(), s.end(), std::int64_t{0}));
    }
  }
}

TEST_CASE("ising block at a ladder of scales: betas are checked and can be replaced") {
  const SpinGlass glass = edwards_anderson(2, 4, CouplingDistribution::bimodal, 0, 1.0, 5);
  CHECK(testing::error_message([&] {
          ladder_block(glass.couplings, {0.5, -1.0}, true);
        }).find("beta = -1") != std::string::npos);
  CHECK(testing::error_message([&] {
          ladder_block(glass.couplings, {}, true);
        }).find("temperatures") != std::string::npos);
  IsingBlock block = ladder_block(glass.couplings, {0.5}, true);
  block.set_scales({0.2, 0.4, 0.0});  // beta = 0 is the start of a linear anneal: coin flips
  CHECK(block.temperatures() == 3);
  CHECK(block.scale(2) == 0.0);
  const auto s = random_state(16, 0);
  int up = 0;
  for (std::uint32_t u = 0; u < 1000; ++u) up += block.act_one(3, 2, s.data(), u * 4294967u) > 0;
  CHECK(up == doctest::Approx(500).epsilon(0.01));  // half of an evenly spread grid of uniforms
}

}  // namespace spinfer
