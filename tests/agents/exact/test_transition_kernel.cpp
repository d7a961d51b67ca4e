#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/core/error.hpp"
#include "agents/exact/asymmetry.hpp"
#include "agents/exact/transition_kernel.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"

using namespace spinfer;

namespace {

double logistic(double x) {
  return 1 / (1 + std::exp(-x));
}

// A 3x3 periodic EA lattice with fields and asymmetric precisions: 512 states, odd cycles.
WeightedGraph lattice_precisions(double asymmetry) {
  SpinGlass glass = edwards_anderson(2, 3, CouplingDistribution::gaussian, 0, 1, 4);
  add_fields(glass, 0.1, 0.4, 5);
  return add_antisymmetric_part(agents_from_spin_glass(glass, 0.8).precisions, asymmetry, 6);
}

KernelSpec spec_of(KernelSchedule schedule, const std::vector<std::vector<int>>& classes = {},
                   ActionRule rule = ActionRule::sample_posterior, double alpha = 1.0) {
  KernelSpec spec;
  spec.schedule = schedule;
  spec.colour_classes = classes;
  spec.rule = rule;
  spec.policy_precision = alpha;
  return spec;
}

ReducedModel two_agents(double g01, double g10, double z0, double z1) {
  ReducedModel m;
  m.free_agents = {0, 1};
  m.gamma = Eigen::MatrixXd{{0, g01}, {g10, 0}};
  m.zeta = Eigen::Vector2d(z0, z1);
  return m;
}

}  // namespace

TEST_CASE("two asymmetric agents: every schedule's kernel against the formulas") {
  const double g01 = 0.7, g10 = -0.4, z0 = 0.3, z1 = -0.2, alpha = 1.5;
  const ReducedModel m = two_agents(g01, g10, z0, z1);
  // P(agent k acts s | state x); bit k of x is agent k's spin.
  const auto p = [&](int k, int s, int x) {
    const double other = ((x >> (1 - k)) & 1) ? 1.0 : -1.0;
    const double field = k == 0 ? z0 + g01 * other : z1 + g10 * other;
    return logistic(2 * alpha * s * field);
  };
  const auto spin = [](int x, int k) { return ((x >> k) & 1) ? 1 : -1; };

  const Eigen::MatrixXd sync =
      transition_matrix(m, spec_of(KernelSchedule::synchronous, {}, {}, alpha));
  const Eigen::MatrixXd single =
      transition_matrix(m, spec_of(KernelSchedule::random_sequential, {}, {}, alpha));
  const Eigen::MatrixXd chromatic =
      transition_matrix(m, spec_of(KernelSchedule::chromatic, {{1}, {0}}, {}, alpha));
  for (int x = 0; x < 4; ++x) {
    for (int y = 0; y < 4; ++y) {
      CAPTURE(x);
      CAPTURE(y);
      CHECK(sync(x, y) == doctest::Approx(p(0, spin(y, 0), x) * p(1, spin(y, 1), x)));
      // One update: pick agent 0 or 1 with probability 1/2; it keeps or flips its bit.
      double expected = 0;
      for (int k = 0; k < 2; ++k) {
        const int other_bits_same = ((x ^ y) & ~(1 << k)) == 0;
        expected += 0.5 * other_bits_same * p(k, spin(y, k), x);
      }
      CHECK(single(x, y) == doctest::Approx(expected));
      // Chromatic: agent 1 acts first, then agent 0 on the state agent 1 left.
      double sweep = 0;
      for (int mid = 0; mid < 4; ++mid) {
        if (((mid ^ x) & 1) != 0 || ((mid ^ y) & 2) != 0) continue;
        sweep += p(1, spin(mid, 1), x) * p(0, spin(y, 0), mid);
      }
      CHECK(chromatic(x, y) == doctest::Approx(sweep));
    }
  }
}

TEST_CASE("kernels are row-stochastic and as sparse as their schedule") {
  const WeightedGraph g = lattice_precisions(0.5);
  const Colouring colouring = colour_graph(g);
  const ReducedModel m = reduce_clamped(g, {});
  const auto classes = colour_classes(m, colouring);
  REQUIRE(classes.size() == static_cast<std::size_t>(colouring.colours));
  REQUIRE(classes.size() >= 3);  // odd cycles: not bipartite
  for (const ActionRule rule : {ActionRule::sample_posterior, ActionRule::posterior_mode}) {
    for (const auto schedule : {KernelSchedule::random_sequential, KernelSchedule::chromatic,
                                KernelSchedule::synchronous}) {
      const SweepSteps steps = sweep_steps(m, spec_of(schedule, classes, rule, 0.7));
      CHECK(steps.repeats == (schedule == KernelSchedule::random_sequential ? 9 : 1));
      CHECK(steps.kernels.size() == (schedule == KernelSchedule::chromatic ? classes.size() : 1u));
      for (const SparseKernel& k : steps.kernels) {
        const Eigen::MatrixXd dense(k);
        CHECK(dense.minCoeff() >= 0);
        CHECK((dense.rowwise().sum().array() - 1).abs().maxCoeff() < 1e-13);
        if (rule == ActionRule::sample_posterior && schedule == KernelSchedule::random_sequential)
          CHECK(k.nonZeros() == 512 * 10);  // stay, or flip one of 9 agents
        if (rule == ActionRule::sample_posterior && schedule == KernelSchedule::synchronous)
          CHECK(k.nonZeros() == 512 * 512);
      }
    }
  }
}

TEST_CASE("a chromatic phase is a joint update of an uncoupled class") {
  const WeightedGraph g = lattice_precisions(0.5);
  const ReducedModel m = reduce_clamped(g, {});
  const auto classes = colour_classes(m, colour_graph(g));
  const SweepSteps steps = sweep_steps(m, spec_of(KernelSchedule::chromatic, classes));
  // The class's agents do not see each other, so the phase equals their single-site kernels
  // applied one after the other (in any order).
  const SweepSteps single = sweep_steps(m, spec_of(KernelSchedule::random_sequential));
  const Eigen::MatrixXd pick_one(single.kernels.front());
  for (std::size_t c = 0; c < classes.size(); ++c) {
    Eigen::MatrixXd one_by_one = Eigen::MatrixXd::Identity(512, 512);
    for (int k : classes[c]) {
      // Agent k alone: the single-update kernel restricted to agent k's moves, times n.
      Eigen::MatrixXd agent_k = Eigen::MatrixXd::Zero(512, 512);
      for (int x = 0; x < 512; ++x) {
        const int y = x ^ (1 << k);
        agent_k(x, y) = 9 * pick_one(x, y);
        agent_k(x, x) = 1 - agent_k(x, y);
      }
      one_by_one = one_by_one * agent_k;
    }
    CHECK((one_by_one - Eigen::MatrixXd(steps.kernels[c])).cwiseAbs().maxCoeff() < 1e-14);
  }
}

TEST_CASE("colour classes and specifications are validated") {
  const ReducedModel m = two_agents(0.5, 0.5, 0, 0);
  CHECK_THROWS_AS((void)sweep_steps(m, spec_of(KernelSchedule::chromatic, {{0, 1}})), Error);
  CHECK_THROWS_AS((void)sweep_steps(m, spec_of(KernelSchedule::chromatic, {{0}})), Error);
  CHECK_THROWS_AS((void)sweep_steps(m, spec_of(KernelSchedule::chromatic, {{0}, {1}, {1}})), Error);
  CHECK_THROWS_AS((void)sweep_steps(m, spec_of(KernelSchedule::chromatic, {{0}, {2}})), Error);
  CHECK_NOTHROW((void)sweep_steps(m, spec_of(KernelSchedule::chromatic, {{0}, {1}})));
  CHECK_THROWS_AS((void)sweep_steps(m, spec_of(KernelSchedule::synchronous, {}, {}, -1.0)), Error);

  ReducedModel big;
  big.gamma = Eigen::MatrixXd::Zero(13, 13);
  big.zeta = Eigen::VectorXd::Zero(13);
  CHECK_THROWS_AS((void)sweep_steps(big, spec_of(KernelSchedule::random_sequential)), Error);

  // colour_classes maps global colours onto free-agent indices and drops empty colours.
  const WeightedGraph g = lattice_precisions(0.0);
  const Colouring colouring = colour_graph(g);
  std::vector<ClampedAgent> clamped;
  for (AgentId i = 0; i < g.size(); ++i)
    if (colouring.colour_of[i] == 1) clamped.push_back({i, 1});
  const ReducedModel reduced = reduce_clamped(g, clamped);
  const auto classes = colour_classes(reduced, colouring);
  REQUIRE(classes.size() == static_cast<std::size_t>(colouring.colours - 1));
  for (const auto& members : classes) {
    const int colour = colouring.colour_of[reduced.free_agents[members.front()]];
    CHECK(colour != 1);
    for (int k : members) CHECK(colouring.colour_of[reduced.free_agents[k]] == colour);
  }
}
