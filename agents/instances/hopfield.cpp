#include "agents/instances/hopfield.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <string_view>
#include <utility>

#include "agents/core/disorder_draws.hpp"
#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// Word 3 of the counter is 0 as in instances.cpp, and the purposes differ from its "Coup"/"Fiel",
// so pattern, corruption and coupling draws never share a counter.
constexpr std::uint32_t kPatternPurpose = 0x50617474;  // "Patt"
constexpr std::uint32_t kCorruptPurpose = 0x436f7272;  // "Corr"

using Words = DisorderWords;

// Unbiased integer in [0, bound) for draw number `draw`: 64-bit words are rejected below
// 2^64 mod bound (then the remainder is uniform); a rejection moves to the next attempt counter.
std::uint64_t uniform_below(std::uint64_t seed, std::uint64_t draw, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  for (std::uint64_t attempt = 0;; ++attempt) {
    const Words w = disorder_draw(seed, kCorruptPurpose, draw, attempt);
    const std::uint64_t r = (static_cast<std::uint64_t>(w[0]) << 32) | w[1];
    if (r >= threshold) return r % bound;
  }
}

Error line_error(const std::string& path, int line, const std::string& problem) {
  return Error(path + ":" + std::to_string(line) + ": " + problem);
}

enum class Encoding { unknown, plus_minus, zero_one };

// Reads one entry; `encoding` is fixed by the first entry that tells them apart ("-1" or "0").
std::int8_t parse_entry(std::string_view token, Encoding& encoding, const std::string& path,
                        int line) {
  auto fixed = [&](Encoding e) {
    if (encoding != Encoding::unknown && encoding != e) {
      throw line_error(path, line,
                       "entry '" + std::string(token) + "' mixes the 0/1 and -1/+1 encodings");
    }
    encoding = e;
  };
  if (token == "1" || token == "+1") return 1;
  if (token == "-1") {
    fixed(Encoding::plus_minus);
    return -1;
  }
  if (token == "0") {
    fixed(Encoding::zero_one);
    return -1;
  }
  throw line_error(path, line, "entry '" + std::string(token) + "' is not -1, +1, 0 or 1");
}

}  // namespace

std::vector<std::int8_t> Patterns::pattern(int mu) const {
  const auto row = values.row(mu);
  return {row.data(), row.data() + row.size()};
}

Patterns random_patterns(int count, AgentId agents, std::uint64_t seed) {
  if (count < 1) throw field_error("hopfield.patterns", count, "must be >= 1");
  if (agents < 2 || agents > std::numeric_limits<std::int32_t>::max()) {
    throw field_error("hopfield.agents", agents, "must be in [2, 2^31 - 1]");
  }
  Patterns patterns;
  patterns.values.resize(count, agents);
  // One Philox block gives 128 bits: entries (mu, 128 b .. 128 b + 127) come from block b.
  for (int mu = 0; mu < count; ++mu) {
    Words w{};
    for (AgentId i = 0; i < agents; ++i) {
      const int bit = static_cast<int>(i % 128);
      if (bit == 0) {
        w = disorder_draw(seed, kPatternPurpose, static_cast<std::uint64_t>(mu),
                          static_cast<std::uint64_t>(i / 128));
      }
      patterns.values(mu, i) = ((w[bit / 32] >> (bit % 32)) & 1u) ? 1 : -1;
    }
  }
  patterns.source = "seed=" + std::to_string(seed);
  return patterns;
}

Patterns read_patterns(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw field_error("hopfield.patterns_path", path, "cannot read file");
  std::vector<std::vector<std::int8_t>> rows;
  Encoding encoding = Encoding::unknown;
  std::string raw;
  for (int line = 1; std::getline(in, raw); ++line) {
    std::istringstream tokens(raw.substr(0, raw.find('#')));
    std::vector<std::int8_t> row;
    for (std::string token; tokens >> token;)
      row.push_back(parse_entry(token, encoding, path, line));
    if (row.empty()) continue;
    if (!rows.empty() && row.size() != rows.front().size()) {
      throw line_error(path, line,
                       "pattern has " + std::to_string(row.size()) + " entries, the first has " +
                           std::to_string(rows.front().size()));
    }
    rows.push_back(std::move(row));
  }
  if (in.bad()) throw field_error("hopfield.patterns_path", path, "cannot read file");
  if (rows.empty()) throw field_error("hopfield.patterns_path", path, "contains no pattern");
  if (rows.front().size() < 2) {
    throw field_error("hopfield.patterns_path", path, "patterns need at least 2 entries");
  }
  Patterns patterns;
  patterns.values.resize(static_cast<Eigen::Index>(rows.size()),
                         static_cast<Eigen::Index>(rows.front().size()));
  for (std::size_t mu = 0; mu < rows.size(); ++mu) {
    for (std::size_t i = 0; i < rows[mu].size(); ++i) patterns.values(mu, i) = rows[mu][i];
  }
  patterns.source = "file " + path;
  return patterns;
}

SpinGlass hopfield(const Patterns& patterns) {
  const AgentId n = patterns.agents();
  if (patterns.count() < 1 || n < 2) {
    throw field_error("hopfield.patterns", patterns.count(), "need >= 1 pattern of >= 2 agents");
  }
  // Integer Gram matrix first: the couplings are then exact multiples of 1/N, the same however
  // the sum is ordered.
  const Eigen::MatrixXi xi = patterns.values.cast<int>();
  const Eigen::MatrixXi gram = xi.transpose() * xi;
  std::vector<UndirectedEdge> edges;
  edges.reserve(static_cast<std::size_t>(n * (n - 1) / 2));
  const double nd = static_cast<double>(n);
  for (AgentId i = 0; i < n; ++i) {
    for (AgentId j = i + 1; j < n; ++j) edges.push_back({i, j, gram(i, j) / nd});
  }
  SpinGlass glass;
  glass.couplings = symmetric_graph(n, edges, std::vector<double>(n, 0.0), "hopfield");
  std::ostringstream text;
  text << "Hopfield N=" << n << " P=" << patterns.count() << " patterns " << patterns.source;
  glass.description = text.str();
  return glass;
}

std::vector<std::int8_t> corrupt(std::span<const std::int8_t> pattern, double fraction,
                                 std::uint64_t seed) {
  if (!(fraction >= 0 && fraction <= 1)) {
    throw field_error("hopfield.corruption", fraction, "must be in [0, 1]");
  }
  const auto n = static_cast<std::uint64_t>(pattern.size());
  const auto flips = static_cast<std::uint64_t>(std::llround(fraction * static_cast<double>(n)));
  // Partial Fisher-Yates: the first `flips` entries of the shuffled order are flipped.
  std::vector<std::uint64_t> order(n);
  for (std::uint64_t i = 0; i < n; ++i) order[i] = i;
  std::vector<std::int8_t> cue(pattern.begin(), pattern.end());
  for (std::uint64_t k = 0; k < flips; ++k) {
    std::swap(order[k], order[k + uniform_below(seed, k, n - k)]);
    cue[order[k]] = static_cast<std::int8_t>(-cue[order[k]]);
  }
  return cue;
}

std::vector<double> overlaps(const Patterns& patterns, std::span<const std::int8_t> spins) {
  if (static_cast<AgentId>(spins.size()) != patterns.agents()) {
    throw field_error(
        "spins", spins.size(),
        "must have one entry per pattern site (" + std::to_string(patterns.agents()) + ")");
  }
  std::vector<double> m(static_cast<std::size_t>(patterns.count()));
  for (int mu = 0; mu < patterns.count(); ++mu) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < spins.size(); ++i) sum += patterns.values(mu, i) * spins[i];
    m[mu] = static_cast<double>(sum) / static_cast<double>(spins.size());
  }
  return m;
}

}  // namespace spinfer
