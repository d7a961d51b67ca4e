#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <string>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/instances/instances.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

// Upper-triangle couplings J_ij (i < j) in row order.
std::vector<double> upper_couplings(const WeightedGraph& g) {
  std::vector<double> values;
  for (AgentId i = 0; i < g.size(); ++i) {
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      if (g.columns[k] > i) values.push_back(g.weights[k]);
    }
  }
  return values;
}

std::vector<std::int32_t> row(const WeightedGraph& g, AgentId i) {
  return {g.columns.begin() + g.row_offsets[i], g.columns.begin() + g.row_offsets[i + 1]};
}

// Simple graph: no loops, no repeated neighbour (rows strictly ascending), weights symmetric.
// Counts violations so that a broken large graph reports once, not once per edge.
void check_simple_symmetric(const WeightedGraph& g) {
  int loops = 0, unsorted = 0, asymmetric = 0;
  for (AgentId i = 0; i < g.size(); ++i) {
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      loops += g.columns[k] == i;
      unsorted += k > g.row_offsets[i] && g.columns[k - 1] >= g.columns[k];
      asymmetric += edge_weight(g, g.columns[k], i) != g.weights[k];
    }
  }
  CHECK(loops == 0);
  CHECK(unsorted == 0);
  CHECK(asymmetric == 0);
}

// Number of agents whose degree differs from `degree`.
int irregular(const WeightedGraph& g, AgentId degree) {
  int count = 0;
  for (AgentId i = 0; i < g.size(); ++i) count += g.degree(i) != degree;
  return count;
}

// A uniquely named file in the temp directory, removed when the test ends.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("spinfer-" + std::to_string(::getpid()) + "-" + name)) {
    std::ofstream(path_) << text;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  [[nodiscard]] std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("SK Gaussian couplings have mean J0/N and variance J^2/N") {
  const AgentId n = 200;
  const double j0 = 1.5, j = 1.0;
  const auto glass = sherrington_kirkpatrick(n, CouplingDistribution::gaussian, j0, j, 7);
  const auto& g = glass.couplings;
  CHECK(g.size() == n);
  CHECK(irregular(g, n - 1) == 0);
  check_simple_symmetric(g);
  CHECK_FALSE(glass.lattice.has_value());
  CHECK(glass.description.find("SK N=200") != std::string::npos);

  const auto values = upper_couplings(g);
  const double m = static_cast<double>(values.size());
  REQUIRE(m == n * (n - 1) / 2);
  double mean = 0;
  for (double v : values) mean += v;
  mean /= m;
  double var = 0;
  for (double v : values) var += (v - mean) * (v - mean);
  var /= m - 1;
  // For M independent N(mu, sigma^2) draws: the sample mean has standard error sigma / sqrt(M);
  // the unbiased sample variance s^2 has Var(s^2) = 2 sigma^4 / (M - 1), so its standard error is
  // sigma^2 sqrt(2 / (M - 1)). Here mu = J0/N, sigma^2 = J^2/N and M = N(N-1)/2 = 19900.
  const double target_var = j * j / n;
  const double se_mean = std::sqrt(target_var / m);
  const double se_var = target_var * std::sqrt(2.0 / (m - 1));
  CHECK(std::abs(mean - j0 / n) < 5 * se_mean);
  CHECK(std::abs(var - target_var) < 5 * se_var);
}

TEST_CASE("SK bimodal couplings are exactly J0/N +- J/sqrt(N), with equal odds") {
  const AgentId n = 200;
  const double j0 = -0.5, j = 2.0;
  const auto glass = sherrington_kirkpatrick(n, CouplingDistribution::bimodal, j0, j, 11);
  const double centre = j0 / static_cast<double>(n);
  const double spread = j / std::sqrt(static_cast<double>(n));
  const auto values = upper_couplings(glass.couplings);
  double plus = 0;
  int other = 0;
  for (double v : values) {
    plus += v == centre + spread;
    other += v != centre + spread && v != centre - spread;
  }
  CHECK(other == 0);
  // Fraction of + signs: Bernoulli(1/2) mean over M draws has standard error 0.5 / sqrt(M).
  const double m = static_cast<double>(values.size());
  CHECK(std::abs(plus / m - 0.5) < 5 * 0.5 / std::sqrt(m));
}

TEST_CASE("the same seed gives the same instance, another seed a different one") {
  for (auto dist : {CouplingDistribution::gaussian, CouplingDistribution::bimodal}) {
    const auto a = sherrington_kirkpatrick(30, dist, 0, 1, 42).couplings;
    const auto b = sherrington_kirkpatrick(30, dist, 0, 1, 42).couplings;
    const auto c = sherrington_kirkpatrick(30, dist, 0, 1, 43).couplings;
    CHECK(a.weights == b.weights);
    CHECK(a.weights != c.weights);
    const auto ea = edwards_anderson(3, 4, dist, 0, 1, 42).couplings;
    CHECK(ea.weights == edwards_anderson(3, 4, dist, 0, 1, 42).couplings.weights);
    CHECK(ea.weights != edwards_anderson(3, 4, dist, 0, 1, 1ull << 32 | 42).couplings.weights);
  }
}

TEST_CASE("bimodal signs are locked to the Philox stream layout") {
  // Pure integer path (no libm), so these signs are the same on every platform; a change here
  // means every stored instance changes too.
  const auto values = upper_couplings(
      sherrington_kirkpatrick(5, CouplingDistribution::bimodal, 0, 1, 2024).couplings);
  std::string signs;
  for (double v : values) signs += v > 0 ? '+' : '-';
  CHECK(signs == "--+----++-");
}

TEST_CASE("EA 2D lattice: degree 4, periodic neighbours, shape recorded") {
  for (std::int64_t length : {3, 4, 5}) {
    const auto glass = edwards_anderson(2, length, CouplingDistribution::gaussian, 0, 1, 3);
    const auto& g = glass.couplings;
    REQUIRE(g.size() == length * length);
    CHECK(irregular(g, 4) == 0);
    check_simple_symmetric(g);
    REQUIRE(glass.lattice.has_value());
    CHECK(glass.lattice->dimensions == 2);
    CHECK(glass.lattice->length == length);
  }
  const auto g = edwards_anderson(2, 4, CouplingDistribution::bimodal, 0, 1, 3).couplings;
  // id = x + 4y. (0,0): x+-1 -> 1, 3 (wrap); y+-1 -> 4, 12 (wrap).
  CHECK(row(g, 0) == std::vector<std::int32_t>{1, 3, 4, 12});
  // (3,3) = 15: x -> 14, 12 (wrap); y -> 11, 3 (wrap).
  CHECK(row(g, 15) == std::vector<std::int32_t>{3, 11, 12, 14});
  // (1,2) = 9: interior.
  CHECK(row(g, 9) == std::vector<std::int32_t>{5, 8, 10, 13});
  for (double w : g.weights) CHECK(std::abs(w) == 1.0);
}

TEST_CASE("EA 3D lattice: degree 6, periodic neighbours") {
  const auto glass = edwards_anderson(3, 3, CouplingDistribution::gaussian, 0, 1, 5);
  const auto& g = glass.couplings;
  REQUIRE(g.size() == 27);
  CHECK(irregular(g, 6) == 0);
  check_simple_symmetric(g);
  CHECK(glass.lattice->dimensions == 3);
  // id = x + 3(y + 3z). (0,0,0): x -> 1, 2; y -> 3, 6; z -> 9, 18.
  CHECK(row(g, 0) == std::vector<std::int32_t>{1, 2, 3, 6, 9, 18});
  // (2,2,2) = 26: x -> 25, 24; y -> 23, 20; z -> 17, 8.
  CHECK(row(g, 26) == std::vector<std::int32_t>{8, 17, 20, 23, 24, 25});
  const auto big = edwards_anderson(3, 6, CouplingDistribution::gaussian, 0, 1, 5).couplings;
  CHECK(irregular(big, 6) == 0);
}

TEST_CASE("lattice generators validate dimensions and length") {
  const auto gauss = CouplingDistribution::gaussian;
  CHECK_THROWS_AS((void)edwards_anderson(1, 8, gauss, 0, 1, 1), Error);
  CHECK_THROWS_AS((void)edwards_anderson(4, 8, gauss, 0, 1, 1), Error);
  CHECK_THROWS_AS((void)edwards_anderson(2, 2, gauss, 0, 1, 1), Error);
  CHECK_THROWS_AS((void)ferromagnet(3, 2, 1.0), Error);
  CHECK_THROWS_AS((void)ferromagnet(3, 100000, 1.0), Error);
  CHECK(error_message([] { (void)ferromagnet(2, 2, 1.0); }).find("instance.length = 2") == 0);
  CHECK(error_message([&] {
          (void)edwards_anderson(5, 4, gauss, 0, 1, 1);
        }).find("instance.dimensions = 5") == 0);
}

TEST_CASE("ferromagnet: every bond equals the coupling") {
  const auto glass = ferromagnet(2, 6, 0.75);
  CHECK(glass.couplings.size() == 36);
  CHECK(glass.couplings.directed_edges() == 36 * 4);
  CHECK(glass.couplings.weights == std::vector<double>(36 * 4, 0.75));
  CHECK(glass.lattice->length == 6);
}

TEST_CASE("random regular graphs are simple and regular") {
  struct Case {
    AgentId n;
    int degree;
  };
  for (auto [n, degree] : {Case{100, 3}, Case{51, 4}, Case{30, 5}, Case{2, 1}, Case{4, 3}}) {
    CAPTURE(n);
    CAPTURE(degree);
    const auto glass = random_regular(n, degree, CouplingDistribution::bimodal, 0, 1, 9);
    const auto& g = glass.couplings;
    REQUIRE(g.size() == n);
    CHECK(irregular(g, degree) == 0);
    check_simple_symmetric(g);
    CHECK(std::all_of(g.weights.begin(), g.weights.end(), [](double w) { return w * w == 1; }));
  }
  const auto a = random_regular(60, 3, CouplingDistribution::gaussian, 0, 1, 1).couplings;
  const auto b = random_regular(60, 3, CouplingDistribution::gaussian, 0, 1, 1).couplings;
  const auto c = random_regular(60, 3, CouplingDistribution::gaussian, 0, 1, 2).couplings;
  CHECK(a.columns == b.columns);
  CHECK(a.weights == b.weights);
  CHECK(a.columns != c.columns);
}

TEST_CASE("random regular graphs are uniform over simple graphs") {
  // The 2-regular simple graphs on 4 labelled agents are the 3 four-cycles, told apart by the
  // agent opposite 0. Over S seeds each has count ~ Binomial(S, 1/3), standard error
  // sqrt(S * 1/3 * 2/3).
  const int seeds = 600;
  std::vector<int> count(4, 0);
  for (int seed = 0; seed < seeds; ++seed) {
    const auto g = random_regular(4, 2, CouplingDistribution::bimodal, 0, 1, seed).couplings;
    const auto neighbours = row(g, 0);
    REQUIRE(neighbours.size() == 2);
    ++count[6 - neighbours[0] - neighbours[1]];  // 1 + 2 + 3 minus the two neighbours
  }
  const double se = std::sqrt(seeds * (1.0 / 3) * (2.0 / 3));
  for (int opposite = 1; opposite <= 3; ++opposite) {
    CAPTURE(opposite);
    CHECK(std::abs(count[opposite] - seeds / 3.0) < 5 * se);
  }
}

TEST_CASE("random regular validates its parameters") {
  const auto gauss = CouplingDistribution::gaussian;
  CHECK_THROWS_AS((void)random_regular(5, 3, gauss, 0, 1, 1), Error);    // n * d odd
  CHECK_THROWS_AS((void)random_regular(4, 4, gauss, 0, 1, 1), Error);    // d >= n
  CHECK_THROWS_AS((void)random_regular(4, 0, gauss, 0, 1, 1), Error);    // d < 1
  CHECK_THROWS_AS((void)random_regular(40, 20, gauss, 0, 1, 1), Error);  // never simple
}

TEST_CASE("coupling list round trip") {
  auto glass = sherrington_kirkpatrick(6, CouplingDistribution::gaussian, 0, 1, 3);
  add_fields(glass, 0.5, 0.3, 4);
  const auto& g = glass.couplings;
  std::ostringstream text;
  text << std::setprecision(17) << "# written by the test\nagents 8  # two isolated agents\n\n";
  for (AgentId i = 0; i < g.size(); ++i) {
    text << "field " << i << " " << g.fields[i] << "\r\n";
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      if (g.columns[k] < i)
        text << "  " << i << "\t" << g.columns[k] << " " << g.weights[k] << "\n";
    }
  }
  const TempFile file("roundtrip.txt", text.str());
  const auto read = read_coupling_list(file.path());
  const auto& r = read.couplings;
  REQUIRE(r.size() == 8);
  CHECK(r.degree(6) == 0);
  CHECK(r.degree(7) == 0);
  CHECK(r.fields[7] == 0.0);
  for (AgentId i = 0; i < g.size(); ++i) {
    CHECK(r.fields[i] == g.fields[i]);
    CHECK(row(r, i) == row(g, i));
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      CHECK(edge_weight(r, i, g.columns[k]) == g.weights[k]);
    }
  }
  CHECK(read.description.find(file.path()) != std::string::npos);

  const TempFile inferred("inferred.txt", "0 4 1.5\n2 1 -1e-3\n");
  const auto small = read_coupling_list(inferred.path()).couplings;
  CHECK(small.size() == 5);
  CHECK(edge_weight(small, 4, 0) == 1.5);
  CHECK(edge_weight(small, 1, 2) == -1e-3);
}

TEST_CASE("malformed coupling lists name the file and line") {
  struct Case {
    const char* name;
    const char* text;
    int line;
  };
  const Case cases[] = {
      {"nan", "agents 3\n0 1 nan\n", 2},
      {"inf-field", "0 1 1\n\nfield 1 -inf\n", 3},
      {"self", "# comment\n1 1 0.5\n", 2},
      {"duplicate", "0 1 1\n1 2 1\n1 0 2\n", 3},
      {"too-few", "0 1\n", 1},
      {"too-many", "0 1 1 1\n", 1},
      {"field-count", "field 1\n", 1},
      {"agents-count", "agents\n", 1},
      {"keyword", "0 1 1\nbond 0 1 1\n", 2},
      {"negative", "0 1 1\n-1 2 1\n", 2},
      {"junk-number", "0 1 1.5x\n", 1},
      {"junk-id", "0 1x 1.5\n", 1},
      {"beyond-declared", "agents 3\n0 3 1\n", 2},
      {"beyond-declared-late", "0 1 1\n0 5 1\nagents 3\n", 2},
      {"twice-declared", "agents 3\nagents 3\n", 2},
      {"zero-agents", "agents 0\n", 1},
      {"field-twice", "field 0 1\nfield 0 2\n", 2},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const TempFile file(std::string(c.name) + ".txt", c.text);
    CHECK_THROWS_AS((void)read_coupling_list(file.path()), Error);
    const auto message = error_message([&] { (void)read_coupling_list(file.path()); });
    CAPTURE(message);
    CHECK(message.find(file.path() + ":" + std::to_string(c.line) + ": ") == 0);
  }
  const auto nan = error_message([] {
    const TempFile file("nan-text.txt", "0 1 nan\n");
    (void)read_coupling_list(file.path());
  });
  CHECK(nan.find("'0 1 nan'") != std::string::npos);

  const TempFile empty("empty.txt", "# nothing here\n\n");
  CHECK_THROWS_AS((void)read_coupling_list(empty.path()), Error);
  const std::string missing = "/nonexistent/spinfer/couplings.txt";
  CHECK_THROWS_AS((void)read_coupling_list(missing), Error);
  CHECK(error_message([&] { (void)read_coupling_list(missing); }) ==
        "instance.path = " + missing + ": cannot read file");
}

TEST_CASE("a coupling list reads from a stream as from a file") {
  std::istringstream in("agents 4\n0 1 0.5\nfield 3 -1\n");
  const auto glass = read_coupling_list(in, "inline");
  const auto& g = glass.couplings;
  REQUIRE(g.size() == 4);
  CHECK(edge_weight(g, 1, 0) == 0.5);
  CHECK(g.fields[3] == -1.0);
  CHECK(glass.description.find("inline") != std::string::npos);
  std::istringstream bad("0 1 1\n0 2 x\n");
  CHECK(error_message([&] { (void)read_coupling_list(bad, "inline"); }).find("inline:2: ") == 0);
}

TEST_CASE("coupling lists hold at most 2^24 agents, refused by line before any allocation") {
  CHECK(kMaxCouplingListAgents == 16777216);
  std::istringstream at_cap("agents 16777216\n0 16777215 1\n");
  CHECK(read_coupling_list(at_cap, "cap").couplings.size() == kMaxCouplingListAgents);
  const std::pair<const char*, int> refused[] = {
      {"agents 16777217\n", 1},
      {"agents 999999999999\n", 1},
      {"0 1 1\n0 16777216 1\n", 2},
      {"field 16777216 0.5\n", 1},
      {"field 9223372036854775807 1\n", 1},
      {"0 99999999999999999999 1\n", 1},
  };
  for (const auto& [text, line] : refused) {
    CAPTURE(text);
    std::istringstream in(text);
    const auto message = error_message([&] { (void)read_coupling_list(in, "big"); });
    CHECK(message.find("big:" + std::to_string(line) + ": ") == 0);
  }
}

TEST_CASE("coupling-list errors escape control characters and cut long lines") {
  std::istringstream stray("0 1 1\n\rbond\x1b 1\n");
  const auto message = error_message([&] { (void)read_coupling_list(stray, "cr"); });
  CHECK(message.find("cr:2: ") == 0);
  CHECK(message.find_first_of("\r\x1b") == std::string::npos);
  CHECK(message.find("\\x0dbond\\x1b") != std::string::npos);
  std::istringstream long_line("0 1 " + std::string(100000, '7') + "x\n");
  CHECK(error_message([&] { (void)read_coupling_list(long_line, "long"); }).size() < 1000);
}

TEST_CASE("add_fields: uniform part plus Gaussian noise keyed by seed and agent") {
  auto glass = ferromagnet(2, 50, 1.0);  // 2500 agents
  add_fields(glass, 0.0, 0.0, 1);
  CHECK(glass.couplings.fields == std::vector<double>(2500, 0.0));
  add_fields(glass, 0.25, 0.0, 1);
  CHECK(glass.couplings.fields == std::vector<double>(2500, 0.25));

  auto noisy = ferromagnet(2, 50, 1.0);
  const double h0 = -0.5, spread = 2.0;
  add_fields(noisy, h0, spread, 8);
  const auto& h = noisy.couplings.fields;
  const double m = static_cast<double>(h.size());
  double mean = 0;
  for (double v : h) mean += v;
  mean /= m;
  double var = 0;
  for (double v : h) var += (v - mean) * (v - mean);
  var /= m - 1;
  // Standard errors as for SK couplings: spread / sqrt(M) and spread^2 sqrt(2 / (M - 1)).
  CHECK(std::abs(mean - h0) < 5 * spread / std::sqrt(m));
  CHECK(std::abs(var - spread * spread) < 5 * spread * spread * std::sqrt(2 / (m - 1)));

  auto same = ferromagnet(2, 50, 1.0);
  add_fields(same, h0, spread, 8);
  CHECK(same.couplings.fields == h);
  auto other = ferromagnet(2, 50, 1.0);
  add_fields(other, h0, spread, 9);
  CHECK(other.couplings.fields != h);
  CHECK_THROWS_AS(add_fields(other, 0, -1, 1), Error);
  CHECK_THROWS_AS(add_fields(other, std::nan(""), 1, 1), Error);
}
