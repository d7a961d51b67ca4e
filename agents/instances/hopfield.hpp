#pragma once
// Hopfield networks: P stored patterns xi^mu in {-1, +1}^N and the Hebbian couplings
// J_ij = (1/N) sum_mu xi_i^mu xi_j^mu (i != j) that make them attractors, plus the tools of a
// retrieval experiment: a corrupted cue and the overlaps m^mu = (1/N) sum_i xi_i^mu s_i.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "agents/ising/spin_glass.hpp"

namespace spinfer {

using PatternMatrix = Eigen::Matrix<std::int8_t, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Patterns {
  PatternMatrix values;  // P x N, row mu is pattern mu, entries -1 or +1
  std::string source;    // how they were made, for descriptions ("seed=7", "file x.txt")

  [[nodiscard]] int count() const { return static_cast<int>(values.rows()); }
  [[nodiscard]] AgentId agents() const { return values.cols(); }
  [[nodiscard]] std::vector<std::int8_t> pattern(int mu) const;
};

// P independent uniform patterns; entry (mu, i) depends only on (seed, mu, i).
Patterns random_patterns(int count, AgentId agents, std::uint64_t seed);

// One pattern per line as whitespace-separated entries, either +1/-1 (or 1/-1) or 0/1 (0 meaning
// -1), one encoding per file; `#` starts a comment, blank lines are skipped. Every pattern must
// have the same length. Errors name the file, the line and the offending entry.
Patterns read_patterns(const std::string& path);

// The dense Hopfield spin glass: every pair i < j is an edge (even when J_ij happens to be 0, so
// the graph is the complete graph whatever the patterns), no fields.
SpinGlass hopfield(const Patterns& patterns);

// A copy of `pattern` with exactly round(fraction * N) spins flipped, chosen uniformly without
// replacement by a counter-based stream keyed by `seed`. fraction in [0, 1].
std::vector<std::int8_t> corrupt(std::span<const std::int8_t> pattern, double fraction,
                                 std::uint64_t seed);

// m^mu = (1/N) sum_i xi_i^mu s_i for every stored pattern.
std::vector<double> overlaps(const Patterns& patterns, std::span<const std::int8_t> spins);

}  // namespace spinfer
