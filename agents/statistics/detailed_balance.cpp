#include "agents/statistics/detailed_balance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/SparseCholesky>
#include <Eigen/SparseCore>

#include "agents/statistics/statistics.hpp"

namespace spinfer {
namespace {

// Crossings of one unordered pair {low, high}, per stretch of the trajectory.
struct PairCounts {
  std::vector<std::uint64_t> up;    // low -> high
  std::vector<std::uint64_t> down;  // high -> low
  std::uint64_t up_total = 0;
  std::uint64_t down_total = 0;
};

// (a - b) log(a / b), the pair's contribution to the plug-in entropy production.
double flux_term(double a, double b) {
  return (a - b) * std::log(a / b);
}

// A pair kept in the test: its endpoints' vertex indices, crossings and net flux low -> high.
struct KeptPair {
  int low;
  int high;
  double crossings;
  double flux;
};

// The part of sum J^2 / n that is not circulation: (B J)^T (B D B^T)^+ (B J), with B the
// incidence matrix of the kept pairs and D = diag(n). A reversible chain's net fluxes on the
// whole transition graph are circulations (divergence-free, up to the path's two ends), but the
// pairs left out for having few crossings carry flux too, so the kept pairs' fluxes are not.
// Removing their divergence (the weighted-Laplacian projection onto the kept graph's cycle
// space) leaves a statistic that is chi-square with the cycle rank as dof; without it the test
// rejects reversible chains once many pairs are left out. One vertex per component is grounded,
// which makes the Laplacian positive definite.
double divergence_part(const std::vector<KeptPair>& kept, std::vector<int> root_of) {
  const auto vertices = static_cast<int>(root_of.size());
  std::vector<int> reduced(static_cast<std::size_t>(vertices), -1);
  int size = 0;
  for (int v = 0; v < vertices; ++v)
    if (root_of[v] != v) reduced[v] = size++;
  if (size == 0) return 0;
  Eigen::VectorXd divergence = Eigen::VectorXd::Zero(size);
  std::vector<Eigen::Triplet<double>> entries;
  for (const KeptPair& p : kept) {
    const int a = reduced[p.low], b = reduced[p.high];
    if (a >= 0) {
      divergence[a] += p.flux;
      entries.emplace_back(a, a, p.crossings);
    }
    if (b >= 0) {
      divergence[b] -= p.flux;
      entries.emplace_back(b, b, p.crossings);
    }
    if (a >= 0 && b >= 0) {
      entries.emplace_back(a, b, -p.crossings);
      entries.emplace_back(b, a, -p.crossings);
    }
  }
  Eigen::SparseMatrix<double> laplacian(size, size);
  laplacian.setFromTriplets(entries.begin(), entries.end());
  const Eigen::SimplicialLDLT<Eigen::SparseMatrix<double>> solver(laplacian);
  if (solver.info() != Eigen::Success) throw std::runtime_error("detailed_balance_test: Laplacian");
  return divergence.dot(solver.solve(divergence));
}

// Connected components of the graph on the pairs' states, by union-find.
class Components {
 public:
  void join(std::uint64_t x, std::uint64_t y) {
    const int a = root(index(x)), b = root(index(y));
    if (a == b) return;
    parent_[a] = b;
    --count_;
  }
  [[nodiscard]] int vertices() const { return static_cast<int>(parent_.size()); }
  [[nodiscard]] int count() const { return count_; }
  // A state's vertex index (a new vertex the first time) and a vertex's component root.
  int index(std::uint64_t state) {
    const auto [it, fresh] = ids_.emplace(state, static_cast<int>(parent_.size()));
    if (fresh) {
      parent_.push_back(it->second);
      ++count_;
    }
    return it->second;
  }
  int root(int v) {
    while (parent_[v] != v) v = parent_[v] = parent_[parent_[v]];  // path halving
    return v;
  }

 private:
  std::map<std::uint64_t, int> ids_;
  std::vector<int> parent_;
  int count_ = 0;
};

// The test on `steps` transitions, transition t being step(t) = (from, to).
template <class Step>
DetailedBalanceTest test_transitions(std::uint64_t steps, Step step, std::uint64_t min_count,
                                     int blocks) {
  if (min_count < 1) throw std::invalid_argument("detailed_balance_test: min_count must be >= 1");
  if (blocks < 2) throw std::invalid_argument("detailed_balance_test: blocks must be >= 2");
  DetailedBalanceTest test;
  if (steps == 0) return test;
  test.transitions = steps;

  const auto block_count = static_cast<std::size_t>(blocks);
  std::vector<std::uint64_t> block_steps(block_count, 0);
  std::map<std::pair<std::uint64_t, std::uint64_t>, PairCounts> pairs;
  for (std::uint64_t t = 0; t < steps; ++t) {
    const std::size_t block = static_cast<std::size_t>(t * block_count / steps);
    ++block_steps[block];
    const auto [x, y] = step(t);
    if (x == y) continue;
    PairCounts& c = pairs[std::minmax(x, y)];
    if (c.up.empty()) {
      c.up.assign(block_count, 0);
      c.down.assign(block_count, 0);
    }
    if (x < y) {
      ++c.up[block];
      ++c.up_total;
    } else {
      ++c.down[block];
      ++c.down_total;
    }
  }

  Components components;
  std::vector<const PairCounts*> crossed_both_ways;
  std::vector<KeptPair> kept;
  double flux_sum = 0;
  for (const auto& [pair, c] : pairs) {
    const std::uint64_t n = c.up_total + c.down_total;
    if (n < min_count) continue;
    ++test.pairs;
    components.join(pair.first, pair.second);
    const double difference = static_cast<double>(c.up_total) - static_cast<double>(c.down_total);
    test.statistic += difference * difference / static_cast<double>(n);
    kept.push_back({components.index(pair.first), components.index(pair.second),
                    static_cast<double>(n), difference});
    if (c.up_total > 0 && c.down_total > 0) {
      crossed_both_ways.push_back(&c);
      flux_sum += flux_term(static_cast<double>(c.up_total), static_cast<double>(c.down_total));
    }
  }
  std::vector<int> root_of(static_cast<std::size_t>(components.vertices()));
  for (int v = 0; v < components.vertices(); ++v) root_of[v] = components.root(v);
  test.statistic = std::max(0.0, test.statistic - divergence_part(kept, std::move(root_of)));
  test.dof = test.pairs - components.vertices() + components.count();
  if (test.dof > 0) test.p_value = chi_square_survival(test.statistic, test.dof);
  test.entropy_production = flux_sum / static_cast<double>(steps);

  if (steps < 2 * block_count) {
    test.entropy_production_error = std::numeric_limits<double>::infinity();
    return test;
  }
  // Blocked jackknife: the estimate without each stretch in turn. A pair that the left-out
  // stretch leaves crossed one way only drops out of that replicate.
  std::vector<double> replicates(block_count);
  for (std::size_t b = 0; b < block_count; ++b) {
    double sum = 0;
    for (const PairCounts* c : crossed_both_ways) {
      const auto up = static_cast<double>(c->up_total - c->up[b]);
      const auto down = static_cast<double>(c->down_total - c->down[b]);
      if (up > 0 && down > 0) sum += flux_term(up, down);
    }
    replicates[b] = sum / static_cast<double>(steps - block_steps[b]);
  }
  const double mean =
      std::accumulate(replicates.begin(), replicates.end(), 0.0) / static_cast<double>(blocks);
  double spread = 0;
  for (double r : replicates) spread += (r - mean) * (r - mean);
  test.entropy_production_error =
      std::sqrt(spread * static_cast<double>(blocks - 1) / static_cast<double>(blocks));
  return test;
}

}  // namespace

DetailedBalanceTest detailed_balance_test(std::span<const std::uint64_t> trajectory,
                                          std::uint64_t min_count, int blocks) {
  const std::uint64_t steps = trajectory.empty() ? 0 : trajectory.size() - 1;
  return test_transitions(
      steps,
      [&](std::uint64_t t) {
        return std::pair{trajectory[t], trajectory[t + 1]};
      },
      min_count, blocks);
}

DetailedBalanceTest detailed_balance_test(std::span<const Transition> transitions,
                                          std::uint64_t min_count, int blocks) {
  return test_transitions(
      transitions.size(), [&](std::uint64_t t) { return transitions[t]; }, min_count, blocks);
}

}  // namespace spinfer
