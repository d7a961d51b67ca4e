#include "agents/instances/instances.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "agents/core/disorder_draws.hpp"
#include "agents/core/error.hpp"
#include "agents/instances/line_reader.hpp"

namespace spinfer {
namespace {

// Purposes of disorder_draw (disorder_draws.hpp): couplings and fields independent for one seed.
constexpr std::uint32_t kCouplingPurpose = 0x436f7570;  // "Coup"
constexpr std::uint32_t kFieldPurpose = 0x4669656c;     // "Fiel"

using Words = DisorderWords;

// (2k + 1) / 2^53 for a 52-bit k: strictly inside (0, 1) and exact in a double, so log() is safe.
double open_unit(std::uint32_t hi, std::uint32_t lo) {
  const std::uint64_t k = ((static_cast<std::uint64_t>(hi) << 32) | lo) >> 12;
  return (static_cast<double>(k) + 0.5) * 0x1p-52;
}

// Box-Muller on the four words of one Philox block. sqrt is exact in IEEE 754; log and cos come
// from libm, which gives identical results wherever the same libm is used (as on a cluster).
double gaussian(const Words& w) {
  const double radius = std::sqrt(-2.0 * std::log(open_unit(w[0], w[1])));
  return radius * std::cos(2.0 * std::numbers::pi * open_unit(w[2], w[3]));
}

double draw_coupling(CouplingDistribution dist, double mean, double scale, std::uint64_t seed,
                     std::int64_t a, std::int64_t b) {
  const Words w = disorder_draw(seed, kCouplingPurpose, a, b);
  if (dist == CouplingDistribution::bimodal) return (w[0] >> 31) ? mean + scale : mean - scale;
  return mean + scale * gaussian(w);
}

const char* distribution_name(CouplingDistribution dist) {
  return dist == CouplingDistribution::bimodal ? "bimodal" : "gaussian";
}

void require_finite(const char* field, double value) {
  if (!std::isfinite(value)) throw field_error(field, value, "must be finite");
}

void require_agent_count(AgentId n, AgentId minimum) {
  if (n < minimum || n > std::numeric_limits<std::int32_t>::max()) {
    throw field_error("instance.n", n, "must be in [" + std::to_string(minimum) + ", 2^31 - 1]");
  }
}

// Periodic hypercubic lattice; each bond is generated once, from `site` in direction +d.
template <class Weight>
SpinGlass lattice_glass(int dimensions, std::int64_t length, Weight weight) {
  if (dimensions != 2 && dimensions != 3) {
    throw field_error("instance.dimensions", dimensions, "must be 2 or 3");
  }
  // L = 2 would make the +d and -d neighbours coincide (a duplicate bond).
  if (length < 3) throw field_error("instance.length", length, "must be at least 3");
  std::int64_t n = 1;
  for (int d = 0; d < dimensions; ++d) {
    if (n > std::numeric_limits<std::int32_t>::max() / length) {
      throw field_error("instance.length", length, "lattice has more than 2^31 - 1 sites");
    }
    n *= length;
  }
  std::vector<UndirectedEdge> edges;
  edges.reserve(static_cast<std::size_t>(n * dimensions));
  for (std::int64_t site = 0; site < n; ++site) {
    std::int64_t stride = 1;
    for (int d = 0; d < dimensions; ++d, stride *= length) {
      const std::int64_t coordinate = (site / stride) % length;
      const std::int64_t step = coordinate + 1 == length ? -(length - 1) * stride : stride;
      edges.push_back({site, site + step, weight(site, d)});
    }
  }
  SpinGlass glass;
  glass.couplings = symmetric_graph(n, edges, std::vector<double>(n, 0.0), "instance");
  glass.lattice = LatticeShape{dimensions, length};
  return glass;
}

std::string lattice_text(int dimensions, std::int64_t length) {
  return std::to_string(dimensions) + "D L=" + std::to_string(length);
}

// Unbiased integer in [0, bound): reject the 2^64 mod bound lowest raw values, so the rest is a
// whole number of copies of [0, bound). std::mt19937_64's raw output is fixed by the standard.
std::uint64_t below(std::mt19937_64& gen, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t r = gen();
    if (r >= threshold) return r % bound;
  }
}

// Configuration model with early rejection. Matching the first unmatched stub with a uniform
// choice among the remaining ones gives a uniform perfect matching whatever the stubs' current
// order, so the permuted array is reused across attempts. An attempt stops at its first loop or
// multi-edge; rejecting whole attempts keeps the result uniform over simple regular graphs.
struct StubMatching {
  StubMatching(AgentId n, int agent_degree)
      : degree(agent_degree),
        stubs(static_cast<std::size_t>(n * degree)),
        partners(stubs.size()),
        found(static_cast<std::size_t>(n)) {
    for (std::size_t k = 0; k < stubs.size(); ++k) stubs[k] = static_cast<AgentId>(k) / degree;
  }

  // True when this attempt produced a simple graph; `work` counts the steps spent.
  bool attempt(std::mt19937_64& gen, std::int64_t& work) {
    std::fill(found.begin(), found.end(), 0);
    work += static_cast<std::int64_t>(found.size());
    for (std::size_t k = 0; k < stubs.size(); k += 2, ++work) {
      std::swap(stubs[k + 1], stubs[k + 1 + below(gen, stubs.size() - k - 1)]);
      const AgentId a = stubs[k], b = stubs[k + 1];
      if (a == b) return false;
      const auto first = partners.begin() + a * degree;
      if (std::find(first, first + found[a], b) != first + found[a]) return false;
      partners[a * degree + found[a]++] = b;
      partners[b * degree + found[b]++] = a;
    }
    return true;
  }

  int degree;
  std::vector<AgentId> stubs;     // agent owning each stub
  std::vector<AgentId> partners;  // partners[a * degree + k]: k-th neighbour found for agent a
  std::vector<int> found;         // neighbours found so far, per agent
};

// --- coupling lists -------------------------------------------------------------------------

// Parses the lines of a coupling list; the checks that need the whole file run in finish().
class CouplingListParser {
 public:
  explicit CouplingListParser(std::string path) : at_{std::move(path)} {}

  void parse(int line, const std::string& raw) {
    const auto tokens = at_.next(line, raw);
    if (tokens.empty()) return;
    if (tokens[0] == "agents") {
      if (tokens.size() != 2) fail("expected 'agents N'");
      if (declared_) fail("agents declared twice");
      const AgentId n = id(tokens[1], "agent count");
      if (n == 0) fail("agent count must be positive");
      if (n > kMaxCouplingListAgents)
        fail("more than 2^24 agents, the most a coupling list may have");
      declared_ = n;
    } else if (tokens[0] == "field") {
      if (tokens.size() != 3) fail("expected 'field I VALUE'");
      const AgentId i = note_id(id(tokens[1], "agent id"));
      const double h = real(tokens[2], "field");
      if (!field_lines_.emplace(i, line).second) fail("duplicate field");
      fields_.emplace_back(i, h);
    } else if (starts_like_number(tokens[0])) {
      if (tokens.size() != 3) fail("expected 'I J COUPLING'");
      const AgentId i = note_id(id(tokens[0], "agent id"));
      const AgentId j = note_id(id(tokens[1], "agent id"));
      const double w = real(tokens[2], "coupling");
      if (i == j) fail("self-coupling");
      const auto [it, fresh] = coupling_lines_.emplace(std::minmax(i, j), line);
      if (!fresh) fail("duplicate coupling (first on line " + std::to_string(it->second) + ")");
      edges_.push_back({i, j, w});
    } else {
      fail("unknown keyword '" + std::string(tokens[0]) + "'");
    }
  }

  SpinGlass finish() {
    if (declared_ && largest_ >= *declared_) {
      throw line_error(at_.path, largest_line_, largest_text_,
                       "agent id " + std::to_string(largest_) + " >= declared agents " +
                           std::to_string(*declared_));
    }
    const AgentId n = declared_ ? *declared_ : largest_ + 1;
    if (n == 0) throw Error(at_.path + ": no agents (empty coupling list)");
    std::vector<double> fields(static_cast<std::size_t>(n), 0.0);
    for (const auto& [i, h] : fields_) fields[static_cast<std::size_t>(i)] = h;
    SpinGlass glass;
    glass.couplings = symmetric_graph(n, edges_, std::move(fields), at_.path.c_str());
    glass.description = "coupling list " + at_.path + " (" + std::to_string(n) + " agents, " +
                        std::to_string(edges_.size()) + " couplings)";
    return glass;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { at_.fail(problem); }
  AgentId id(std::string_view t, const std::string& what) const { return at_.id(t, what); }
  double real(std::string_view t, const char* what) const { return at_.finite(t, what); }

  // Remembers the largest id and where it was, so that an `agents N` line anywhere in the file
  // can be checked against it.
  AgentId note_id(AgentId i) {
    if (i >= kMaxCouplingListAgents)
      fail("agent id beyond 2^24 agents, the most a coupling list may have");
    if (declared_ && i >= *declared_) {
      fail("agent id " + std::to_string(i) + " >= declared agents " + std::to_string(*declared_));
    }
    if (i > largest_) {
      largest_ = i;
      largest_line_ = at_.line;
      largest_text_ = at_.text;
    }
    return i;
  }

  LineReader at_;
  std::optional<AgentId> declared_;
  AgentId largest_ = -1;
  int largest_line_ = 0;
  std::string largest_text_;
  std::vector<UndirectedEdge> edges_;
  std::map<std::pair<AgentId, AgentId>, int> coupling_lines_;
  std::map<AgentId, int> field_lines_;
  std::vector<std::pair<AgentId, double>> fields_;
};

}  // namespace

SpinGlass sherrington_kirkpatrick(AgentId n, CouplingDistribution dist, double mean, double scale,
                                  std::uint64_t seed) {
  require_agent_count(n, 2);
  require_finite("instance.coupling_mean", mean);
  require_finite("instance.coupling_scale", scale);
  const double nd = static_cast<double>(n);
  const double pair_mean = mean / nd;
  const double pair_scale = scale / std::sqrt(nd);
  std::vector<UndirectedEdge> edges;
  edges.reserve(static_cast<std::size_t>(n * (n - 1) / 2));
  for (AgentId i = 0; i < n; ++i) {
    for (AgentId j = i + 1; j < n; ++j) {
      edges.push_back({i, j, draw_coupling(dist, pair_mean, pair_scale, seed, i, j)});
    }
  }
  SpinGlass glass;
  glass.couplings = symmetric_graph(n, edges, std::vector<double>(n, 0.0), "instance");
  std::ostringstream text;
  text << "SK N=" << n << " " << distribution_name(dist) << " J0=" << mean << " J=" << scale
       << " seed=" << seed;
  glass.description = text.str();
  return glass;
}

SpinGlass edwards_anderson(int dimensions, std::int64_t length, CouplingDistribution dist,
                           double mean, double scale, std::uint64_t seed) {
  require_finite("instance.coupling_mean", mean);
  require_finite("instance.coupling_scale", scale);
  SpinGlass glass = lattice_glass(dimensions, length, [&](std::int64_t site, int d) {
    return draw_coupling(dist, mean, scale, seed, site, d);
  });
  std::ostringstream text;
  text << "EA " << lattice_text(dimensions, length) << " " << distribution_name(dist)
       << " J0=" << mean << " J=" << scale << " seed=" << seed;
  glass.description = text.str();
  return glass;
}

SpinGlass ferromagnet(int dimensions, std::int64_t length, double coupling) {
  require_finite("instance.coupling", coupling);
  SpinGlass glass = lattice_glass(dimensions, length, [&](std::int64_t, int) { return coupling; });
  std::ostringstream text;
  text << "ferromagnet " << lattice_text(dimensions, length) << " J=" << coupling;
  glass.description = text.str();
  return glass;
}

SpinGlass random_regular(AgentId n, int degree, CouplingDistribution dist, double mean,
                         double scale, std::uint64_t seed) {
  require_agent_count(n, 2);
  if (degree < 1 || degree >= n) {
    throw field_error("instance.degree", degree, "must be in [1, agents - 1]");
  }
  if ((n * degree) % 2 != 0) {
    throw field_error("instance.degree", degree, "agents * degree must be even");
  }
  require_finite("instance.coupling_mean", mean);
  require_finite("instance.coupling_scale", scale);

  // A matching is simple with probability about exp(-(d^2 - 1) / 4): fine for small degrees,
  // hopeless for large ones, so give up loudly after a bounded effort (about a second).
  constexpr int kMinAttempts = 1000;
  constexpr std::int64_t kWorkBudget = 100'000'000;
  std::mt19937_64 gen(seed);
  StubMatching matching(n, degree);
  std::int64_t work = 0;
  int attempts = 0;
  bool simple = false;
  while (!simple && (attempts < kMinAttempts || work < kWorkBudget)) {
    simple = matching.attempt(gen, work);
    ++attempts;
  }
  if (!simple) {
    throw Error("instance.degree = " + std::to_string(degree) + ": no simple random regular " +
                "graph found in " + std::to_string(attempts) +
                " configuration-model attempts; use a smaller degree");
  }

  std::vector<UndirectedEdge> edges;
  edges.reserve(matching.stubs.size() / 2);
  for (AgentId i = 0; i < n; ++i) {
    for (int k = 0; k < degree; ++k) {
      const AgentId j = matching.partners[i * degree + k];
      if (i < j) edges.push_back({i, j, draw_coupling(dist, mean, scale, seed, i, j)});
    }
  }
  SpinGlass glass;
  glass.couplings = symmetric_graph(n, edges, std::vector<double>(n, 0.0), "instance");
  std::ostringstream text;
  text << "random regular N=" << n << " d=" << degree << " " << distribution_name(dist)
       << " J0=" << mean << " J=" << scale << " seed=" << seed;
  glass.description = text.str();
  return glass;
}

SpinGlass read_coupling_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw field_error("instance.path", path, "cannot read file");
  return read_coupling_list(in, path);
}

SpinGlass read_coupling_list(std::istream& in, const std::string& source) {
  CouplingListParser parser(source);
  std::string raw;
  for (int line = 1; std::getline(in, raw); ++line) parser.parse(line, raw);
  if (in.bad()) throw field_error("instance.path", source, "cannot read file");
  return parser.finish();
}

void add_fields(SpinGlass& glass, double field, double field_spread, std::uint64_t seed) {
  require_finite("instance.field", field);
  if (!std::isfinite(field_spread) || field_spread < 0) {
    throw field_error("instance.field_spread", field_spread, "must be finite and >= 0");
  }
  auto& fields = glass.couplings.fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    double noise = 0;
    if (field_spread > 0) {
      noise =
          field_spread * gaussian(disorder_draw(seed, kFieldPurpose, static_cast<AgentId>(i), 0));
    }
    fields[i] += field + noise;
  }
  if (field != 0 || field_spread != 0) {
    std::ostringstream text;
    text << " h=" << field << " dh=" << field_spread << " field_seed=" << seed;
    glass.description += text.str();
  }
}

}  // namespace spinfer
