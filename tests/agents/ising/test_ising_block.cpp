#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/ising_block.hpp"
#include "tests/agents/ising/block_test_inputs.hpp"

using namespace spinfer;

namespace {

constexpr double kBeta = 0.7;
constexpr std::uint64_t kSeed = 42;

WeightedGraph ea_precisions() {
  const auto glass = edwards_anderson(2, 4, CouplingDistribution::bimodal, 0.0, 1.0, 3);
  return agents_from_spin_glass(glass, kBeta).precisions;
}

// The same graph plus one agent without neighbours and prior precision `zeta`.
WeightedGraph with_isolated_agent(WeightedGraph g, double zeta) {
  g.row_offsets.push_back(g.row_offsets.back());
  g.fields.push_back(zeta);
  return g;
}

std::vector<std::int8_t> random_state(std::int64_t n, std::uint64_t sweep) {
  return testing::random_state(kSeed, n, sweep);
}

std::vector<std::uint32_t> action_uniforms(std::int64_t n, std::uint64_t sweep) {
  return testing::action_uniforms(kSeed, n, sweep);
}

using testing::all_rows;

double direct_evidence(const WeightedGraph& g, std::int64_t i, const std::int8_t* state) {
  double e = 0;
  for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k)
    e += g.weights[k] * state[g.columns[k]];
  return e;
}

// Every agent of g acting on `state` with ising_agent::act, one at a time, no block involved.
std::vector<std::int8_t> direct_actions(const WeightedGraph& g, ActionRule rule,
                                        const std::vector<std::int8_t>& state,
                                        const std::vector<std::uint32_t>& uniforms) {
  std::vector<std::int8_t> out(state.size());
  for (std::int64_t i = 0; i < g.size(); ++i)
    out[i] = ising_agent::act(rule, g.fields[i], direct_evidence(g, i, state.data()), uniforms[i]);
  return out;
}

std::vector<std::int8_t> block_actions(const IsingBlock& block,
                                       const std::vector<std::int8_t>& state,
                                       const std::vector<std::uint32_t>& uniforms) {
  std::vector<std::int8_t> out(state.size(), 0);
  block.act(all_rows(block.rows()), 0, state.data(), out.data(), uniforms.data());
  return out;
}

// Uniforms one below and at each agent's own threshold: the two sides of its decision, where a
// table entry off by one unit would show.
std::vector<std::vector<std::uint32_t>> boundary_uniforms(const WeightedGraph& g,
                                                          const std::vector<std::int8_t>& state) {
  std::vector<std::uint32_t> below(state.size()), at(state.size());
  for (std::int64_t i = 0; i < g.size(); ++i) {
    const double p = ising_agent::posterior_up(g.fields[i], direct_evidence(g, i, state.data()));
    const std::uint64_t t = ising_agent::up_threshold(p);
    below[i] = static_cast<std::uint32_t>(t == 0 ? 0 : std::min<std::uint64_t>(t - 1, 0xffffffffu));
    at[i] = static_cast<std::uint32_t>(std::min<std::uint64_t>(t, 0xffffffffu));
  }
  return {below, at};
}

// beta E = -sum_{i<j} beta J_ij s_i s_j - sum_i beta h_i s_i, straight from the spin glass.
double beta_energy(const SpinGlass& glass, const std::vector<std::int8_t>& s) {
  const WeightedGraph& g = glass.couplings;
  double e = 0;
  for (std::int64_t i = 0; i < g.size(); ++i) {
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k)
      if (g.columns[k] > i) e -= g.weights[k] * s[i] * s[g.columns[k]];
    e -= g.fields[i] * s[i];
  }
  return kBeta * e;
}

}  // namespace

TEST_CASE("the lookup table acts exactly as ising_agent::act on a +-J lattice") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock regular(g, ActionRule::sample_posterior, has_common_precision(g));
  REQUIRE(regular.uses_lookup_table());
  // An isolated agent with the same zeta keeps the table but breaks the regular degree; one with
  // another zeta forces the general path. Rows 0..15 are the lattice in all three blocks.
  const WeightedGraph g_irregular = with_isolated_agent(g, 0.0);
  const WeightedGraph g_general = with_isolated_agent(g, 0.3);
  const IsingBlock irregular(g_irregular, ActionRule::sample_posterior,
                             has_common_precision(g_irregular));
  const IsingBlock general(g_general, ActionRule::sample_posterior,
                           has_common_precision(g_general));
  REQUIRE(irregular.uses_lookup_table());
  REQUIRE_FALSE(general.uses_lookup_table());

  int differences = 0;
  for (std::uint64_t sweep = 0; sweep < 500; ++sweep) {
    const auto state = random_state(g.size() + 1, sweep);
    std::vector<std::vector<std::uint32_t>> trials = boundary_uniforms(g_general, state);
    trials.push_back(action_uniforms(g.size() + 1, sweep));
    for (const auto& u : trials) {
      const auto expected = direct_actions(g_general, ActionRule::sample_posterior, state, u);
      const auto a = block_actions(regular, state, u);
      const auto b = block_actions(irregular, state, u);
      const auto c = block_actions(general, state, u);
      for (std::int64_t i = 0; i < g.size(); ++i)
        differences += (a[i] != expected[i]) + (b[i] != expected[i]) + (c[i] != expected[i]);
      differences += c[g.size()] != expected[g.size()];
    }
  }
  CHECK(differences == 0);
}

TEST_CASE("act_one agrees with act and with ising_agent::act") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock block(g, ActionRule::sample_posterior, has_common_precision(g));
  const auto state = random_state(g.size(), 7);
  const auto u = action_uniforms(g.size(), 7);
  const auto expected = direct_actions(g, ActionRule::sample_posterior, state, u);
  for (std::int32_t i = 0; i < block.rows(); ++i) {
    CHECK(block.act_one(i, 0, state.data(), u[i]) == expected[i]);
    CHECK(block.evidence(i, state.data()) == direct_evidence(g, i, state.data()));
  }
}

TEST_CASE("measure: spin sum, beta E and the sum of the agents' free energies") {
  SpinGlass with_fields = edwards_anderson(2, 4, CouplingDistribution::bimodal, 0.0, 1.0, 3);
  add_fields(with_fields, 0.2, 0.5, 9);
  const SpinGlass glasses[] = {
      edwards_anderson(2, 4, CouplingDistribution::bimodal, 0.0, 1.0, 3), with_fields,
      sherrington_kirkpatrick(10, CouplingDistribution::gaussian, 0.5, 1.0, 4)};
  for (const SpinGlass& glass : glasses) {
    CAPTURE(glass.description);
    const WeightedGraph g = agents_from_spin_glass(glass, kBeta).precisions;
    const IsingBlock block(g, ActionRule::sample_posterior, has_common_precision(g));
    for (std::uint64_t sweep = 0; sweep < 50; ++sweep) {
      const auto s = random_state(g.size(), sweep);
      const IsingBlock::Sums sums = block.measure_with_free_energy(s.data());
      CHECK(sums.spin == std::accumulate(s.begin(), s.end(), 0));
      // Each row's term is rounded once to a multiple of 2^-28; the sums carry at most n such
      // errors of 2^-29 each (plus rounding far below that in the direct sums).
      const double tolerance = static_cast<double>(g.size()) * 0.5 / fixed_point::kScale + 1e-12;
      CHECK(std::abs(sums.energy() - beta_energy(glass, s)) < tolerance);

      double free_energy = 0;
      for (std::int64_t i = 0; i < g.size(); ++i) {
        double log_normaliser = ising_agent::log_2cosh(g.fields[i]);
        for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k)
          log_normaliser += ising_agent::log_2cosh(g.weights[k]);
        free_energy +=
            ising_agent::free_energy(g.fields[i], direct_evidence(g, i, s.data()), log_normaliser);
      }
      CHECK(std::abs(sums.free_energy() - free_energy) < tolerance);
    }
  }
}

TEST_CASE("synchronous action reads state_in only and leaves it unchanged") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock block(g, ActionRule::sample_posterior, has_common_precision(g));
  for (std::uint64_t sweep = 0; sweep < 20; ++sweep) {
    const auto before = random_state(g.size(), sweep);
    auto state_in = before;
    const auto u = action_uniforms(g.size(), sweep);
    std::vector<std::int8_t> state_out(before.size(), 0);
    block.act(all_rows(g.size()), 0, state_in.data(), state_out.data(), u.data());
    CHECK(state_in == before);
    CHECK(state_out == direct_actions(g, ActionRule::sample_posterior, before, u));
  }
}

TEST_CASE("in-place action is sequential in the order of the agent list") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock block(g, ActionRule::sample_posterior, has_common_precision(g));
  const std::vector<std::int32_t> order = {5, 0, 6, 1, 9, 4, 15, 10};  // neighbours interleaved
  for (std::uint64_t sweep = 0; sweep < 50; ++sweep) {
    auto state = random_state(g.size(), sweep);
    auto expected = state;
    const auto u = action_uniforms(g.size(), sweep);
    for (std::int32_t i : order)
      expected[i] = ising_agent::act(ActionRule::sample_posterior, g.fields[i],
                                     direct_evidence(g, i, expected.data()), u[i]);
    block.act(order, 0, state.data(), state.data(), u.data());
    CHECK(state == expected);
  }
}

TEST_CASE("Gaussian SK and posterior_mode take the general path") {
  const auto sk = sherrington_kirkpatrick(12, CouplingDistribution::gaussian, 0.0, 1.0, 8);
  const WeightedGraph g_sk = agents_from_spin_glass(sk, kBeta).precisions;
  const IsingBlock sk_block(g_sk, ActionRule::sample_posterior, has_common_precision(g_sk));
  CHECK_FALSE(sk_block.uses_lookup_table());

  // Bimodal SK qualifies for the table (every |J| = 1/sqrt(N)), but not under posterior_mode.
  const auto bimodal = sherrington_kirkpatrick(12, CouplingDistribution::bimodal, 0.0, 1.0, 8);
  const WeightedGraph g_bimodal = agents_from_spin_glass(bimodal, kBeta).precisions;
  const IsingBlock bimodal_block(g_bimodal, ActionRule::sample_posterior,
                                 has_common_precision(g_bimodal));
  CHECK(bimodal_block.uses_lookup_table());
  const IsingBlock mode_block(ea_precisions(), ActionRule::posterior_mode,
                              has_common_precision(ea_precisions()));
  CHECK_FALSE(mode_block.uses_lookup_table());

  int differences = 0;
  for (std::uint64_t sweep = 0; sweep < 200; ++sweep) {
    const auto s = random_state(g_sk.size(), sweep);
    const auto u = action_uniforms(g_sk.size(), sweep);
    differences +=
        block_actions(sk_block, s, u) != direct_actions(g_sk, ActionRule::sample_posterior, s, u);
    differences += block_actions(bimodal_block, s, u) !=
                   direct_actions(g_bimodal, ActionRule::sample_posterior, s, u);
    const auto s16 = random_state(16, sweep);
    const auto u16 = action_uniforms(16, sweep);
    differences += block_actions(mode_block, s16, u16) !=
                   direct_actions(mode_block.weights(), ActionRule::posterior_mode, s16, u16);
  }
  CHECK(differences == 0);
}

TEST_CASE("ising_block: the lookup table is used only where the whole population allows it") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock allowed(g, ActionRule::sample_posterior, true);
  const IsingBlock refused(g, ActionRule::sample_posterior, false);
  CHECK(allowed.uses_lookup_table());
  CHECK_FALSE(refused.uses_lookup_table());
  std::vector<std::int8_t> a(static_cast<std::size_t>(g.size()), 1), b = a;
  std::vector<std::uint32_t> u(a.size());
  for (std::size_t i = 0; i < u.size(); ++i) u[i] = static_cast<std::uint32_t>(i * 2654435761u);
  std::vector<std::int32_t> all(a.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int32_t>(i);
  allowed.act(all, 0, a.data(), a.data(), u.data());
  refused.act(all, 0, b.data(), b.data(), u.data());
  CHECK(a == b);
}

namespace {

// Every agent of g acting with policy precision alpha, straight from the formula
// logistic(2 alpha (zeta + e)); no ising_agent::act and no block involved.
std::vector<std::int8_t> formula_actions(const WeightedGraph& g, double alpha,
                                         const std::vector<std::int8_t>& state,
                                         const std::vector<std::uint32_t>& uniforms) {
  std::vector<std::int8_t> out(state.size());
  for (std::int64_t i = 0; i < g.size(); ++i) {
    const double x = 2 * alpha * (g.fields[i] + direct_evidence(g, i, state.data()));
    const std::uint64_t threshold = ising_agent::up_threshold(1 / (1 + std::exp(-x)));
    out[i] = uniforms[i] < threshold ? 1 : -1;
  }
  return out;
}

// Uniforms just below and at each agent's threshold under policy precision alpha.
std::vector<std::vector<std::uint32_t>> alpha_boundary_uniforms(
    const WeightedGraph& g, double alpha, const std::vector<std::int8_t>& state) {
  std::vector<std::uint32_t> below(state.size()), at(state.size());
  for (std::int64_t i = 0; i < g.size(); ++i) {
    const double p =
        ising_agent::action_up(alpha, g.fields[i], direct_evidence(g, i, state.data()));
    const std::uint64_t t = ising_agent::up_threshold(p);
    below[i] = static_cast<std::uint32_t>(t == 0 ? 0 : std::min<std::uint64_t>(t - 1, 0xffffffffu));
    at[i] = static_cast<std::uint32_t>(std::min<std::uint64_t>(t, 0xffffffffu));
  }
  return {below, at};
}

}  // namespace

TEST_CASE("policy precision 1 reproduces the old actions exactly on both paths") {
  const WeightedGraph g = ea_precisions();
  const WeightedGraph g_general = with_isolated_agent(g, 0.3);
  for (const WeightedGraph* graph : {&g, &g_general}) {
    const IsingBlock by_default(*graph, ActionRule::sample_posterior, has_common_precision(*graph));
    const IsingBlock explicit_one(*graph, ActionRule::sample_posterior,
                                  has_common_precision(*graph), 1.0);
    CHECK(by_default.uses_lookup_table() == (graph == &g));
    CHECK(explicit_one.policy_precision() == 1.0);
    int differences = 0;
    for (std::uint64_t sweep = 0; sweep < 200; ++sweep) {
      const auto state = random_state(graph->size(), sweep);
      auto trials = boundary_uniforms(*graph, state);  // from posterior_up: the old thresholds
      trials.push_back(action_uniforms(graph->size(), sweep));
      for (const auto& u : trials) {
        // The old action, written out: uniform < round(2^32 posterior_up(zeta, e)).
        std::vector<std::int8_t> old(state.size());
        for (std::int64_t i = 0; i < graph->size(); ++i)
          old[i] = u[i] < ising_agent::up_threshold(ising_agent::posterior_up(
                              graph->fields[i], direct_evidence(*graph, i, state.data())))
                       ? 1
                       : -1;
        differences += block_actions(by_default, state, u) != old;
        differences += block_actions(explicit_one, state, u) != old;
      }
    }
    CHECK(differences == 0);
  }
}

TEST_CASE("policy precision 2: the lookup table and the general path follow the formula") {
  constexpr double kAlpha = 2.0;
  const WeightedGraph g = ea_precisions();
  const WeightedGraph g_general = with_isolated_agent(g, 0.3);
  const IsingBlock table(g, ActionRule::sample_posterior, has_common_precision(g), kAlpha);
  const IsingBlock general(g_general, ActionRule::sample_posterior, has_common_precision(g_general),
                           kAlpha);
  REQUIRE(table.uses_lookup_table());
  REQUIRE_FALSE(general.uses_lookup_table());
  int differences = 0, flips_from_alpha_one = 0;
  for (std::uint64_t sweep = 0; sweep < 300; ++sweep) {
    const auto state = random_state(g_general.size(), sweep);
    auto trials = alpha_boundary_uniforms(g_general, kAlpha, state);
    trials.push_back(action_uniforms(g_general.size(), sweep));
    for (const auto& u : trials) {
      const auto expected = formula_actions(g_general, kAlpha, state, u);
      const auto a = block_actions(table, state, u);
      const auto b = block_actions(general, state, u);
      for (std::int64_t i = 0; i < g.size(); ++i) differences += a[i] != expected[i];
      differences += b != expected;
      flips_from_alpha_one +=
          b != direct_actions(g_general, ActionRule::sample_posterior, state, u);
    }
  }
  CHECK(differences == 0);
  CHECK(flips_from_alpha_one > 0);  // alpha = 2 is not alpha = 1 in disguise
}

TEST_CASE("ising_block: log_action_probability and the policy precision's validation") {
  const WeightedGraph g = ea_precisions();
  const IsingBlock block(g, ActionRule::sample_posterior, true, 0.6);
  const auto state = random_state(g.size(), 3);
  for (std::int32_t i = 0; i < block.rows(); ++i)
    for (int s : {-1, 1})
      CHECK(block.log_action_probability(i, 0, state.data(), s) ==
            ising_agent::log_action_probability(ActionRule::sample_posterior, 0.6, g.fields[i],
                                                direct_evidence(g, i, state.data()), s));
  for (double bad : {-0.5, std::nan(""), HUGE_VAL})
    CHECK_THROWS_AS(IsingBlock(g, ActionRule::sample_posterior, true, bad), Error);
}

TEST_CASE("act_in_place acts as act and sums each flip's log-ratio in fixed point") {
  // Four blocks: +-J lattice (regular-degree lookup), the same with an isolated agent (general
  // lookup loop), Gaussian SK with fields (general path), and posterior_mode. The spins must be
  // act()'s, and the fixed-point sum must equal the sum of the rounded log_flip_ratio terms, a
  // flip with an impossible reverse counted apart.
  SpinGlass sk = sherrington_kirkpatrick(9, CouplingDistribution::gaussian, 0.0, 1.0, 5);
  add_fields(sk, 0.2, 0.4, 6);
  const WeightedGraph lattice = ea_precisions();
  const struct {
    WeightedGraph graph;
    ActionRule rule;
    double alpha;
  } cases[] = {{lattice, ActionRule::sample_posterior, 1.0},
               {with_isolated_agent(lattice, 0.3), ActionRule::sample_posterior, 1.7},
               {agents_from_spin_glass(sk, kBeta).precisions, ActionRule::sample_posterior, 0.6},
               {agents_from_spin_glass(sk, kBeta).precisions, ActionRule::posterior_mode, 1.0}};
  for (const auto& c : cases) {
    const IsingBlock block(c.graph, c.rule, true, c.alpha);
    const auto agents = all_rows(block.rows());
    for (std::uint64_t sweep = 0; sweep < 20; ++sweep) {
      const auto start = random_state(block.rows(), sweep);
      const auto u = action_uniforms(block.rows(), sweep);
      std::vector<std::int8_t> by_act = start, in_place = start, expected_state = start;
      block.act(agents, 0, by_act.data(), by_act.data(), u.data());
      IsingBlock::EntropySum sum;
      block.act_in_place(agents, 0, in_place.data(), u.data(), sum);
      CHECK(in_place == by_act);
      // One agent at a time, as the in-place loop goes, charging each flip as it happens.
      IsingBlock::EntropySum expected;
      for (const std::int32_t i : agents) {
        const std::int8_t before = expected_state[i];
        expected_state[i] = block.act_one(i, 0, expected_state.data(), u[i]);
        if (expected_state[i] == before) continue;
        const double term = block.log_flip_ratio(i, 0, expected_state.data(), expected_state[i]);
        if (std::isfinite(term))
          expected.fixed += fixed_point::from_double(term);
        else
          ++expected.infinite;
      }
      CHECK(sum.fixed == expected.fixed);
      CHECK(sum.infinite == expected.infinite);
    }
  }
}

TEST_CASE("log_flip_ratio is the difference of the log action probabilities") {
  SpinGlass sk = sherrington_kirkpatrick(7, CouplingDistribution::gaussian, 0.0, 1.0, 8);
  add_fields(sk, 0.0, 0.5, 9);
  const IsingBlock block(agents_from_spin_glass(sk, 1.3).precisions, ActionRule::sample_posterior,
                         false, 1.4);
  const auto state = random_state(block.rows(), 3);
  for (std::int32_t i = 0; i < block.rows(); ++i)
    for (int s : {-1, 1})
      CHECK(block.log_flip_ratio(i, 0, state.data(), s) ==
            doctest::Approx(block.log_action_probability(i, 0, state.data(), s) -
                            block.log_action_probability(i, 0, state.data(), -s))
                .epsilon(1e-12));
}
