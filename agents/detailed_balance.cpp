#include "detailed_balance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

#include "statistics.hpp"

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

 private:
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

  std::map<std::uint64_t, int> ids_;
  std::vector<int> parent_;
  int count_ = 0;
};

}  // namespace

DetailedBalanceTest detailed_balance_test(std::span<const std::uint64_t> trajectory,
                                          std::uint64_t min_count, int blocks) {
  if (min_count < 1) throw std::invalid_argument("detailed_balance_test: min_count must be >= 1");
  if (blocks < 2) throw std::invalid_argument("detailed_balance_test: blocks must be >= 2");
  DetailedBalanceTest test;
  if (trajectory.size() < 2) return test;
  const std::uint64_t steps = trajectory.size() - 1;
  test.transitions = steps;

  const auto block_count = static_cast<std::size_t>(blocks);
  std::vector<std::uint64_t> block_steps(block_count, 0);
  std::map<std::pair<std::uint64_t, std::uint64_t>, PairCounts> pairs;
  for (std::uint64_t t = 0; t < steps; ++t) {
    const std::size_t block = static_cast<std::size_t>(t * block_count / steps);
    ++block_steps[block];
    const std::uint64_t x = trajectory[t], y = trajectory[t + 1];
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
  double flux_sum = 0;
  for (const auto& [pair, c] : pairs) {
    const std::uint64_t n = c.up_total + c.down_total;
    if (n < min_count) continue;
    ++test.pairs;
    components.join(pair.first, pair.second);
    const double difference = static_cast<double>(c.up_total) - static_cast<double>(c.down_total);
    test.statistic += difference * difference / static_cast<double>(n);
    if (c.up_total > 0 && c.down_total > 0) {
      crossed_both_ways.push_back(&c);
      flux_sum += flux_term(static_cast<double>(c.up_total), static_cast<double>(c.down_total));
    }
  }
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

}  // namespace spinfer
