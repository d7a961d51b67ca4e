#pragma once
// Detailed balance tested on observed transitions, without knowing the kernel. A reversible
// stationary chain crosses every pair of states equally often in both directions on average, so
// for each unordered pair {x, y} with n = N(x->y) + N(y->x) crossings, N(x->y) is close to
// Binomial(n, 1/2), and (N(x->y) - N(y->x))^2 / n is close to chi-square with one degree of
// freedom. The pooled statistic sums these over the pairs, less the part of it that is
// divergence rather than circulation (below).
//
// Its degrees of freedom are the cycle rank of the graph of pairs used (pairs - states +
// connected components), not the number of pairs: the net flux N(x->y) - N(y->x) into each state
// balances to within one, so only circulations around cycles can be non-zero. A chain whose
// transitions form a tree is reversible whatever its kernel (Kolmogorov's criterion), and the
// test has nothing to test (dof 0, p = 1).
//
// The trajectory must be sampled at the granularity of a step whose kernel should be reversible:
// single-site updates, or sweeps of random sequential updates (a power of a reversible kernel is
// reversible). A chromatic sweep K_1 K_2 at equilibrium is not reversible (its reverse is
// K_2 K_1), so sweep-level transitions of a chromatic run fail this test even though the run
// samples Boltzmann. Nor may the phases of a chromatic run be pooled into one trajectory: the
// chain is periodic, the occupation of the states before each phase fluctuates on its own, and
// the fluxes that follow from those fluctuations are gradients of a different potential in each
// phase, whose sum has circulation -- the pooled statistic then rejects Boltzmann-sampling
// chromatic runs. Test each phase's transitions apart (the overload below): the null is then
// that each phase is in detailed balance with the law the chain enters it in. A phase whose
// colour class is a single agent (dense graphs) has no cycles: nothing to test.
#include <cstdint>
#include <span>
#include <utility>

namespace spinfer {

struct DetailedBalanceTest {
  std::uint64_t transitions = 0;  // steps in the trajectory, self-transitions included
  int pairs = 0;                  // unordered pairs {x, y} with at least min_count crossings
  int dof = 0;                    // cycle rank of the graph of those pairs
  // sum over pairs of J^2 / n (J = N_xy - N_yx, n = N_xy + N_yx), less (B J)^T L^+ (B J) with
  // B the incidence matrix of the pairs used and L = B diag(n) B^T: the pairs left out for too
  // few crossings carry flux too, so the used pairs' net fluxes are not divergence-free, and
  // only their circulation part is chi-square with `dof` degrees of freedom.
  double statistic = 0;
  double p_value = 1;  // chi-square upper tail of `statistic` with `dof`
  // Empirical entropy production per step, sum over pairs of (N_xy - N_yx) log(N_xy / N_yx)
  // divided by `transitions`, over the pairs used that were crossed both ways (a pair crossed
  // one way only has no finite estimate and is left out, which biases the estimate low). At
  // equilibrium (N_xy - N_yx) log(N_xy / N_yx) is close to 2 (N_xy - N_yx)^2 / (N_xy + N_yx),
  // so the estimate is close to 2 statistic / transitions: biased upward by 2 dof / transitions.
  double entropy_production = 0;
  // Blocked jackknife over `blocks` stretches of the path; +infinity below 2 steps per stretch.
  double entropy_production_error = 0;
};

// `trajectory` lists the visited states (any numbering). Throws std::invalid_argument for
// min_count < 1 or blocks < 2.
DetailedBalanceTest detailed_balance_test(std::span<const std::uint64_t> trajectory,
                                          std::uint64_t min_count = 10, int blocks = 20);

// The same on transitions (from, to) of one kernel that need not follow each other, e.g. the
// steps one colour phase makes in every sweep: the divergence of their fluxes is removed as
// above, so the statistic stays chi-square(dof) under detailed balance. In time order (for the
// jackknife's stretches).
using Transition = std::pair<std::uint64_t, std::uint64_t>;
DetailedBalanceTest detailed_balance_test(std::span<const Transition> transitions,
                                          std::uint64_t min_count = 10, int blocks = 20);

}  // namespace spinfer
