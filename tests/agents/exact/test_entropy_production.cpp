#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "agents/core/colouring.hpp"
#include "agents/exact/entropy_production.hpp"
#include "agents/exact/stationary_law.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"

using namespace spinfer;

namespace {

// Three states on a ring, stepping forward with probability 0.6 and back with 0.2.
Eigen::MatrixXd cyclic_chain() {
  Eigen::MatrixXd k(3, 3);
  k << 0.2, 0.6, 0.2,  //
      0.2, 0.2, 0.6,   //
      0.6, 0.2, 0.2;
  return k;
}

}  // namespace

TEST_CASE("entropy production of a driven ring and of a reversible chain") {
  const std::vector<double> uniform(3, 1.0 / 3);
  // Each state contributes 0.6 log(0.6 / 0.2) + 0.2 log(0.2 / 0.6) = 0.4 log 3.
  const double driven = 0.4 * std::log(3.0);
  const Eigen::MatrixXd k = cyclic_chain();
  CHECK(entropy_production(uniform, k) == doctest::Approx(driven).epsilon(1e-14));
  CHECK(entropy_production(uniform, SparseKernel(k.sparseView())) ==
        doctest::Approx(driven).epsilon(1e-14));

  Eigen::MatrixXd birth_death(3, 3);
  birth_death << 0.6, 0.4, 0.0, 0.2, 0.2, 0.6, 0.0, 0.2, 0.8;
  const StationaryLaw law = stationary_law(birth_death);
  CHECK(std::abs(entropy_production(law.p, birth_death)) < 1e-15);
  // Away from its stationary law the same kernel has a nonzero (here negative) log-ratio mean:
  // the definition is meant for the stationary process.
  CHECK(entropy_production(uniform, birth_death) != doctest::Approx(0.0));
}

TEST_CASE("an impossible reverse gives +infinity, unless the forward move is never made") {
  Eigen::MatrixXd one_way(2, 2);
  one_way << 0.5, 0.5, 0.0, 1.0;
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(entropy_production(std::vector<double>{0.5, 0.5}, one_way) == inf);
  CHECK(entropy_production(std::vector<double>{0.5, 0.5}, SparseKernel(one_way.sparseView())) ==
        inf);
  CHECK(entropy_production(std::vector<double>{0.0, 1.0}, one_way) == 0.0);
}

TEST_CASE("sweep entropy production follows the law through the phases") {
  Eigen::MatrixXd a(3, 3), b(3, 3);
  a << 0.5, 0.5, 0.0, 0.3, 0.3, 0.4, 0.0, 0.9, 0.1;
  b << 0.1, 0.1, 0.8, 0.2, 0.7, 0.1, 0.5, 0.25, 0.25;
  SweepSteps steps;
  steps.kernels = {SparseKernel(a.sparseView()), SparseKernel(b.sparseView())};
  const std::vector<double> pi = stationary_law(a * b).p;
  const Eigen::RowVectorXd after_a = Eigen::Map<const Eigen::RowVectorXd>(pi.data(), 3) * a;
  const std::vector<double> mid(after_a.data(), after_a.data() + 3);
  CHECK(sweep_entropy_production(steps, pi) ==
        doctest::Approx(entropy_production(pi, a) + entropy_production(mid, b)).epsilon(1e-14));
  steps.repeats = 2;  // pi is the law of the whole sweep, so the second pass repeats the first
  CHECK(sweep_entropy_production(steps, pi) ==
        doctest::Approx(2 * (entropy_production(pi, a) + entropy_production(mid, b))));
}

TEST_CASE("symmetric chromatic: every phase reversible, the whole sweep not") {
  // Why detailed-balance tests of a chromatic run must look at phases, not sweeps: K1 K2 is
  // reversed by K2 K1, so its log-ratio mean is positive although Boltzmann is stationary.
  SpinGlass glass = edwards_anderson(2, 3, CouplingDistribution::gaussian, 0, 1, 8);
  add_fields(glass, 0.0, 0.5, 9);
  const WeightedGraph g = agents_from_spin_glass(glass, 0.9).precisions;
  const ReducedModel m = reduce_clamped(g, {});
  KernelSpec spec;
  spec.schedule = KernelSchedule::chromatic;
  spec.colour_classes = colour_classes(m, colour_graph(g));
  const SweepSteps steps = sweep_steps(m, spec);
  const Eigen::MatrixXd sweep = transition_matrix(steps);
  const std::vector<double> pi = stationary_law(sweep).p;
  CHECK(std::abs(sweep_entropy_production(steps, pi)) < 1e-12);
  const double sweep_level = entropy_production(pi, sweep);
  MESSAGE("sweep-level log-ratio mean of a symmetric chromatic sweep: " << sweep_level);
  CHECK(sweep_level > 0.01);
}
