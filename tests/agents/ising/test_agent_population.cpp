#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "agents/core/error.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

SpinGlass glass_with_fields() {
  SpinGlass glass = sherrington_kirkpatrick(9, CouplingDistribution::gaussian, 0.3, 1.0, 5);
  add_fields(glass, 0.2, 0.7, 5);
  return glass;
}

// Three agents on a path 0 - 1 - 2, built by hand so that gamma_01 != gamma_10.
AgentPopulation asymmetric_population() {
  AgentPopulation agents;
  WeightedGraph& g = agents.precisions;
  g.row_offsets = {0, 1, 3, 4};
  g.columns = {1, 0, 2, 1};
  g.weights = {0.5, 0.25, -1.0, -1.0};  // gamma_01 = 0.5, gamma_10 = 0.25
  g.fields = {0.1, 0.0, -0.1};
  return agents;
}

}  // namespace

TEST_CASE("agents_from_spin_glass multiplies couplings and fields by beta") {
  const SpinGlass glass = glass_with_fields();
  const double beta = 0.7;
  const AgentPopulation agents = agents_from_spin_glass(glass, beta);
  const WeightedGraph& j = glass.couplings;
  const WeightedGraph& gamma = agents.precisions;
  CHECK(gamma.row_offsets == j.row_offsets);
  CHECK(gamma.columns == j.columns);
  REQUIRE(gamma.weights.size() == j.weights.size());
  REQUIRE(gamma.fields.size() == j.fields.size());
  for (std::size_t e = 0; e < j.weights.size(); ++e) CHECK(gamma.weights[e] == beta * j.weights[e]);
  for (std::size_t i = 0; i < j.fields.size(); ++i) CHECK(gamma.fields[i] == beta * j.fields[i]);
  CHECK_FALSE(agents.lattice.has_value());

  const auto lattice = agents_from_spin_glass(ferromagnet(3, 4, 1.0), 2.0);
  REQUIRE(lattice.lattice.has_value());
  CHECK(lattice.lattice->dimensions == 3);
  CHECK(lattice.lattice->length == 4);
}

TEST_CASE("spin_glass_from_agents recovers J and h") {
  const SpinGlass glass = glass_with_fields();
  for (double beta : {0.1, 0.7, 3.3}) {
    CAPTURE(beta);
    const SpinGlass back = spin_glass_from_agents(agents_from_spin_glass(glass, beta), beta);
    const WeightedGraph& a = glass.couplings;
    const WeightedGraph& b = back.couplings;
    CHECK(b.row_offsets == a.row_offsets);
    CHECK(b.columns == a.columns);
    REQUIRE(b.weights.size() == a.weights.size());
    REQUIRE(b.fields.size() == a.fields.size());
    // (x beta) / beta is two roundings away from x: relative error <= 2^-52 < 1e-15.
    int off = 0;
    for (std::size_t e = 0; e < a.weights.size(); ++e)
      off += std::abs(b.weights[e] - a.weights[e]) > 1e-15 * std::abs(a.weights[e]);
    for (std::size_t i = 0; i < a.fields.size(); ++i)
      off += std::abs(b.fields[i] - a.fields[i]) > 1e-15 * std::abs(a.fields[i]);
    CHECK(off == 0);
  }
}

TEST_CASE("asymmetric precisions implement no spin glass") {
  const AgentPopulation agents = asymmetric_population();
  CHECK_THROWS_AS(spin_glass_from_agents(agents, 1.0), Error);
  const std::string message = error_message([&] { spin_glass_from_agents(agents, 1.0); });
  CHECK(message.find("precisions") != std::string::npos);
  CHECK(message.find("0.25") != std::string::npos);  // the largest |gamma_ij - gamma_ji|

  // The same graph made symmetric is accepted.
  AgentPopulation symmetric = agents;
  symmetric.precisions.weights[1] = 0.5;
  const SpinGlass glass = spin_glass_from_agents(symmetric, 2.0);
  CHECK(edge_weight(glass.couplings, 0, 1) == 0.25);
  CHECK(edge_weight(glass.couplings, 1, 2) == -0.5);
}

TEST_CASE("beta must be finite and positive") {
  const SpinGlass glass = glass_with_fields();
  const AgentPopulation agents = agents_from_spin_glass(glass, 1.0);
  for (double beta : {0.0, -0.5, std::numeric_limits<double>::quiet_NaN(),
                      std::numeric_limits<double>::infinity()}) {
    CAPTURE(beta);
    CHECK_THROWS_AS(agents_from_spin_glass(glass, beta), Error);
    CHECK_THROWS_AS(spin_glass_from_agents(agents, beta), Error);
    CHECK(error_message([&] { agents_from_spin_glass(glass, beta); }).find("beta") == 0);
  }
}
