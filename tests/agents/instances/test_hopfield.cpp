#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "agents/core/random_streams.hpp"
#include "agents/instances/hopfield.hpp"
#include "agents/ising/ising_agent.hpp"
#include "agents/statistics/statistics.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

using testing::error_message;
using testing::TempDir;

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

int count_differences(const std::vector<std::int8_t>& a, const std::vector<std::int8_t>& b) {
  int d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d += a[i] != b[i];
  return d;
}

}  // namespace

TEST_CASE("random patterns: +-1 entries, reproducible, balanced and uncorrelated") {
  const Patterns p = random_patterns(20, 1000, 7);
  REQUIRE(p.count() == 20);
  REQUIRE(p.agents() == 1000);
  CHECK(p.source == "seed=7");
  CHECK(random_patterns(20, 1000, 7).values == p.values);
  CHECK(random_patterns(20, 1000, 8).values != p.values);
  long plus = 0;
  for (int mu = 0; mu < p.count(); ++mu) {
    for (AgentId i = 0; i < p.agents(); ++i) {
      REQUIRE((p.values(mu, i) == 1 || p.values(mu, i) == -1));
      plus += p.values(mu, i) == 1;
    }
  }
  // 20000 fair bits: the count of +1 has standard deviation sqrt(20000) / 2 ~ 71; allow 5 of them.
  CHECK(std::abs(plus - 10000) < 5 * 71);
  // Distinct patterns overlap by O(1/sqrt(N)) ~ 0.032; 5 standard deviations is 0.16.
  for (int mu = 1; mu < p.count(); ++mu) {
    CHECK(std::abs(overlaps(p, p.pattern(0))[mu]) < 0.16);
  }
  CHECK(error_message([] { random_patterns(0, 10, 1); }) == "hopfield.patterns = 0: must be >= 1");
  CHECK(error_message([] { random_patterns(2, 1, 1); }) ==
        "hopfield.agents = 1: must be in [2, 2^31 - 1]");
}

TEST_CASE("Hopfield couplings: symmetric Hebbian sums over patterns, complete graph") {
  const Patterns p = random_patterns(3, 9, 11);
  const SpinGlass glass = hopfield(p);
  const WeightedGraph& g = glass.couplings;
  REQUIRE(g.size() == 9);
  CHECK(g.directed_edges() == 9 * 8);
  CHECK(weight_asymmetry(g) == 0.0);
  for (AgentId i = 0; i < 9; ++i) {
    CHECK(g.fields[i] == 0.0);
    CHECK(g.degree(i) == 8);
    for (AgentId j = 0; j < 9; ++j) {
      if (i == j) continue;
      int sum = 0;
      for (int mu = 0; mu < 3; ++mu) sum += p.values(mu, i) * p.values(mu, j);
      CHECK(edge_weight(g, i, j) == doctest::Approx(sum / 9.0).epsilon(1e-15));
    }
  }
  CHECK(glass.description == "Hopfield N=9 P=3 patterns seed=11");
  CHECK(!glass.lattice);
}

TEST_CASE("overlaps with stored patterns") {
  const Patterns p = random_patterns(4, 50, 3);
  for (int mu = 0; mu < 4; ++mu) {
    const auto m = overlaps(p, p.pattern(mu));
    CHECK(m[mu] == 1.0);
    auto flipped = p.pattern(mu);
    for (auto& s : flipped) s = static_cast<std::int8_t>(-s);
    CHECK(overlaps(p, flipped)[mu] == -1.0);
    // Flipping 5 of 50 spins lowers the overlap by 2 * 5 / 50.
    auto cue = p.pattern(mu);
    for (int i = 0; i < 5; ++i) cue[i] = static_cast<std::int8_t>(-cue[i]);
    CHECK(overlaps(p, cue)[mu] == doctest::Approx(0.8).epsilon(1e-15));
  }
  CHECK(error_message([&] { overlaps(p, std::vector<std::int8_t>(49, 1)); }) ==
        "spins = 49: must have one entry per pattern site (50)");
}

TEST_CASE("corrupt flips exactly round(fraction N) spins, uniformly") {
  const Patterns p = random_patterns(1, 7, 5);
  const auto xi = p.pattern(0);
  CHECK(corrupt(xi, 0.0, 1) == xi);
  CHECK(count_differences(corrupt(xi, 1.0, 1), xi) == 7);
  CHECK(count_differences(corrupt(xi, 0.5, 1), xi) == 4);  // 3.5 rounds away from zero
  CHECK(count_differences(corrupt(xi, 0.2, 1), xi) == 1);  // 1.4
  CHECK(count_differences(corrupt(xi, 0.3, 1), xi) == 2);  // 2.1
  CHECK(corrupt(xi, 0.3, 9) == corrupt(xi, 0.3, 9));
  CHECK(error_message([&] { corrupt(xi, 1.5, 1); }) ==
        "hopfield.corruption = 1.5: must be in [0, 1]");

  // Every site is chosen with probability k / N: over many seeds the flip counts per site follow
  // a multinomial-like law; a chi-square test against equal expectations (p-value above 1e-4;
  // the counts are negatively correlated, which only lowers the statistic).
  constexpr int kSites = 20;
  constexpr int kSeeds = 4000;
  const std::vector<std::int8_t> ones(kSites, 1);
  std::vector<std::uint64_t> counts(kSites, 0);
  for (int seed = 0; seed < kSeeds; ++seed) {
    const auto cue = corrupt(ones, 0.25, static_cast<std::uint64_t>(seed));
    for (int i = 0; i < kSites; ++i) counts[i] += cue[i] == -1;
  }
  const auto fit = pooled_chi_square(counts, std::vector<double>(kSites, 1.0 / kSites), 1.0);
  INFO("chi2 " << fit.statistic << " dof " << fit.dof);
  CHECK(fit.p_value > 1e-4);
}

TEST_CASE("zero-temperature dynamics retrieves a stored pattern from a corrupted cue") {
  // Load P / N = 0.025, far below the capacity 0.138: a cue with 20% of the spins wrong (overlap
  // 0.6) flows back to the stored pattern; the other overlaps stay at the O(1/sqrt(N)) noise.
  constexpr AgentId kN = 200;
  const Patterns p = random_patterns(5, kN, 21);
  const WeightedGraph g = hopfield(p).couplings;
  auto s = corrupt(p.pattern(2), 0.2, 4);
  std::vector<double> history;  // overlap with the target after every sweep
  history.push_back(overlaps(p, s)[2]);
  for (int sweep = 0; sweep < 5; ++sweep) {
    for (AgentId i = 0; i < kN; ++i) {
      double evidence = 0;
      for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e) {
        evidence += g.weights[e] * s[g.columns[e]];
      }
      const auto u = random_block(1, StreamPurpose::action, 0, sweep, i / 4)[i % 4];
      s[i] = ising_agent::act(ActionRule::posterior_mode, 0.0, evidence, u);
    }
    history.push_back(overlaps(p, s)[2]);
  }
  CHECK(history.front() == doctest::Approx(0.6));
  CHECK(history[1] > history[0]);  // one sweep already moves toward the pattern
  CHECK(history.back() >= 0.98);
  const auto final_overlaps = overlaps(p, s);
  for (int mu = 0; mu < p.count(); ++mu) {
    if (mu != 2) CHECK(std::abs(final_overlaps[mu]) < 0.3);  // 4 / sqrt(200) ~ 0.28
  }
}

TEST_CASE("read_patterns: both encodings, comments, and errors naming file and line") {
  TempDir dir;
  const auto pm = write_file(dir, "pm.txt", "# two patterns\n+1 -1 1\n\n-1 -1 +1  # tail\n");
  const Patterns a = read_patterns(pm);
  REQUIRE(a.count() == 2);
  REQUIRE(a.agents() == 3);
  CHECK(a.pattern(0) == std::vector<std::int8_t>{1, -1, 1});
  CHECK(a.pattern(1) == std::vector<std::int8_t>{-1, -1, 1});
  CHECK(a.source == "file " + pm);
  CHECK(hopfield(a).description == "Hopfield N=3 P=2 patterns file " + pm);

  const auto zo = write_file(dir, "zo.txt", "0 1 1 0\n");
  CHECK(read_patterns(zo).pattern(0) == std::vector<std::int8_t>{-1, 1, 1, -1});

  const auto mixed = write_file(dir, "mixed.txt", "1 0 1\n1 -1 1\n");
  CHECK(error_message([&] { read_patterns(mixed); }) ==
        mixed + ":2: entry '-1' mixes the 0/1 and -1/+1 encodings");
  const auto bad = write_file(dir, "bad.txt", "1 -1\n1 2\n");
  CHECK(error_message([&] { read_patterns(bad); }) == bad + ":2: entry '2' is not -1, +1, 0 or 1");
  const auto ragged = write_file(dir, "ragged.txt", "1 -1 1\n# c\n1 -1\n");
  CHECK(error_message([&] { read_patterns(ragged); }) ==
        ragged + ":3: pattern has 2 entries, the first has 3");
  const auto empty = write_file(dir, "empty.txt", "# nothing\n");
  CHECK(error_message([&] { read_patterns(empty); }) ==
        "hopfield.patterns_path = " + empty + ": contains no pattern");
  CHECK(error_message([&] {
          read_patterns((dir.path() / "missing").string());
        }).ends_with("missing: cannot read file"));
}

}  // namespace spinfer
