#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/instances/instances.hpp"

using namespace spinfer;

namespace {

// Root-mean-square weight over the directed edges.
double rms_weight(const WeightedGraph& g) {
  double sum = 0;
  for (double w : g.weights) sum += w * w;
  return std::sqrt(sum / static_cast<double>(g.weights.size()));
}

// The antisymmetric part (G - G^T) / 2 of every edge i -> j with i < j.
std::vector<double> upper_antisymmetric(const WeightedGraph& g) {
  std::vector<double> a;
  for (AgentId i = 0; i < g.size(); ++i)
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e)
      if (g.columns[e] > i) a.push_back(0.5 * (g.weights[e] - edge_weight(g, g.columns[e], i)));
  return a;
}

}  // namespace

TEST_CASE("add_antisymmetric_part keeps the symmetric part and adds k times an antisymmetric A") {
  SpinGlass glass = edwards_anderson(2, 16, CouplingDistribution::gaussian, 0.3, 1.0, 5);
  add_fields(glass, 0.1, 0.2, 6);
  const WeightedGraph& j = glass.couplings;
  const double k = 0.5;
  const WeightedGraph gamma = add_antisymmetric_part(j, k, 77);
  REQUIRE(gamma.columns == j.columns);
  REQUIRE(gamma.row_offsets == j.row_offsets);
  CHECK(gamma.fields == j.fields);
  CHECK(weight_asymmetry(gamma) > 0.1);

  // (gamma_ij + gamma_ji) / 2 = J_ij: the two k A terms cancel up to rounding of O(1) values.
  const WeightedGraph back = symmetric_part(gamma);
  for (std::size_t e = 0; e < j.weights.size(); ++e)
    CHECK(back.weights[e] == doctest::Approx(j.weights[e]).epsilon(1e-14).scale(1.0));

  // A_ij / (k s) is standard Gaussian over the 512 bonds: its mean square is 1 within
  // 4 sqrt(2 / 512) = 0.25 and its mean 0 within 4 / sqrt(512) = 0.18 (four standard errors).
  const std::vector<double> a = upper_antisymmetric(gamma);
  REQUIRE(a.size() == 512);
  const double s = rms_weight(j);
  double mean = 0, mean_square = 0;
  for (double x : a) {
    mean += x / (k * s) / static_cast<double>(a.size());
    mean_square += x * x / (k * s * k * s) / static_cast<double>(a.size());
  }
  CHECK(std::abs(mean) < 0.18);
  CHECK(std::abs(mean_square - 1) < 0.25);
}

TEST_CASE("the antisymmetric part is keyed by (seed, pair), not by the graph around the pair") {
  // Two SK instances share the pairs of agents 0..5; A_ij / scale must agree on them.
  const WeightedGraph small =
      sherrington_kirkpatrick(6, CouplingDistribution::gaussian, 0, 1, 1).couplings;
  const WeightedGraph large =
      sherrington_kirkpatrick(9, CouplingDistribution::gaussian, 0, 1, 2).couplings;
  const WeightedGraph a_small = add_antisymmetric_part(small, 1.0, 11);
  const WeightedGraph a_large = add_antisymmetric_part(large, 1.0, 11);
  const WeightedGraph other_seed = add_antisymmetric_part(small, 1.0, 12);
  const double s_small = rms_weight(small), s_large = rms_weight(large);
  int differ_by_seed = 0;
  for (AgentId i = 0; i < 6; ++i) {
    for (AgentId jj = 0; jj < 6; ++jj) {
      if (i == jj) continue;
      const double x = (edge_weight(a_small, i, jj) - edge_weight(small, i, jj)) / s_small;
      const double y = (edge_weight(a_large, i, jj) - edge_weight(large, i, jj)) / s_large;
      CHECK(x == doctest::Approx(y).epsilon(1e-12).scale(1.0));
      differ_by_seed += edge_weight(other_seed, i, jj) != edge_weight(a_small, i, jj);
    }
  }
  CHECK(differ_by_seed == 30);
}

TEST_CASE("asymmetry 0 changes nothing; bad inputs are refused") {
  const WeightedGraph g = edwards_anderson(2, 4, CouplingDistribution::bimodal, 0, 1, 3).couplings;
  const WeightedGraph same = add_antisymmetric_part(g, 0.0, 9);
  CHECK(same.weights == g.weights);
  CHECK(same.columns == g.columns);
  // A ferromagnet's couplings do not spread, but their RMS does not vanish: asymmetry appears.
  const WeightedGraph ferro = ferromagnet(2, 4, 1.0).couplings;
  CHECK(weight_asymmetry(add_antisymmetric_part(ferro, 0.3, 9)) > 0.01);

  CHECK_THROWS_AS((void)add_antisymmetric_part(g, std::nan(""), 1), Error);
  WeightedGraph one_way;  // 0 -> 1 without 1 -> 0
  one_way.row_offsets = {0, 1, 1};
  one_way.columns = {1};
  one_way.weights = {0.5};
  one_way.fields = {0, 0};
  CHECK_THROWS_AS((void)add_antisymmetric_part(one_way, 0.5, 1), Error);

  // symmetric_part fills in the missing direction with weight 0: both ways get 0.25.
  const WeightedGraph sym = symmetric_part(one_way);
  CHECK(edge_weight(sym, 0, 1) == 0.25);
  CHECK(edge_weight(sym, 1, 0) == 0.25);
  CHECK(symmetric_part(g).weights == g.weights);  // a symmetric graph comes back bit for bit
}

TEST_CASE("symmetric_part of a reduced model") {
  ReducedModel m;
  m.free_agents = {0, 1, 2};
  m.gamma = Eigen::MatrixXd{{0, 1, 2}, {3, 0, 4}, {0, -4, 0}};
  m.zeta = Eigen::Vector3d(0.1, 0.2, 0.3);
  const ReducedModel s = symmetric_part(m);
  const Eigen::MatrixXd expected{{0, 2, 1}, {2, 0, 0}, {1, 0, 0}};
  CHECK(s.gamma == expected);
  CHECK(s.zeta == m.zeta);
  CHECK(s.free_agents == m.free_agents);
}
