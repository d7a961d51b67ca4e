#pragma once
// Detailed balance tested on observed transitions, without knowing the kernel. A reversible
// stationary chain crosses every pair of states equally often in both directions on average, so
// for each unordered pair {x, y} with n = N(x->y) + N(y->x) crossings, N(x->y) is close to
// Binomial(n, 1/2), and (N(x->y) - N(y->x))^2 / n is close to chi-square with one degree of
// freedom. The pooled statistic sums these over the pairs.
//
// Its degrees of freedom are the cycle rank of the graph of pairs used (pairs - states +
// connected components), not the number of pairs: the net flux N(x->y) - N(y->x) into each state
// balances to within one, so only circulations around cycles can be non-zero. A chain whose
// transitions form a tree is reversible whatever its kernel (Kolmogorov's criterion), and the
// test has nothing to test (dof 0, p = 1).
//
// The trajectory must be sampled at the granularity of a step whose kernel should be reversible:
// single-site updates, or sweeps of random sequential updates (a power of a reversible kernel is
// reversible), or colour phases. A chromatic sweep K_1 K_2 at equilibrium is not reversible
// (its reverse is K_2 K_1), so sweep-level transitions of a chromatic run fail this test even
// though the run samples Boltzmann.
#include <cstdint>
#include <span>

namespace spinfer {

struct DetailedBalanceTest {
  std::uint64_t transitions = 0;  // steps in the trajectory, self-transitions included
  int pairs = 0;                  // unordered pairs {x, y} with at least min_count crossings
  int dof = 0;                    // cycle rank of the graph of those pairs
  double statistic = 0;           // sum over pairs of (N_xy - N_yx)^2 / (N_xy + N_yx)
  double p_value = 1;             // chi-square upper tail of `statistic` with `dof`
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

}  // namespace spinfer
