#include "agents/instances/directed_coupling_list.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/instances/instances.hpp"
#include "agents/instances/line_reader.hpp"

namespace spinfer {
namespace {

struct DirectedEdge {
  AgentId from;
  AgentId to;
  double weight;
};

class DirectedListParser {
 public:
  explicit DirectedListParser(std::string path) : at_{std::move(path)} {}

  void parse(int line, std::string raw) {
    const auto tokens = at_.next(line, std::move(raw));
    if (tokens.empty()) return;
    if (tokens[0] == "agents") {
      if (tokens.size() != 2) fail("expected 'agents N'");
      if (declared_) fail("agents declared twice");
      const AgentId n = id(tokens[1], "agent count");
      if (n == 0) fail("agent count must be positive");
      if (largest_ >= n) fail("agent id " + std::to_string(largest_) + " already used");
      declared_ = n;
    } else if (tokens[0] == "field") {
      if (tokens.size() != 3) fail("expected 'field I VALUE'");
      const AgentId i = note(id(tokens[1], "agent id"));
      const double h = real(tokens[2], "field");
      if (!fields_.emplace(i, h).second) fail("duplicate field");
    } else if (starts_like_number(tokens[0])) {
      if (tokens.size() != 3) fail("expected 'I J COUPLING' (the directed edge I -> J)");
      const AgentId i = note(id(tokens[0], "agent id"));
      const AgentId j = note(id(tokens[1], "agent id"));
      const double w = real(tokens[2], "coupling");
      if (i == j) fail("self-coupling");
      const auto [it, fresh] = edge_lines_.emplace(std::make_pair(i, j), line);
      if (!fresh)
        fail("duplicate directed coupling (first on line " + std::to_string(it->second) + ")");
      edges_.push_back({i, j, w});
    } else {
      fail("unknown keyword '" + std::string(tokens[0]) + "'");
    }
  }

  SpinGlass finish() const {
    const AgentId n = declared_ ? *declared_ : largest_ + 1;
    if (n == 0) throw Error(at_.path + ": no agents (empty coupling list)");
    // Every listed direction, plus a zero-weight reverse where the file gave none.
    std::vector<std::vector<std::pair<std::int32_t, double>>> rows(static_cast<std::size_t>(n));
    for (const auto& e : edges_) {
      rows[e.from].emplace_back(static_cast<std::int32_t>(e.to), e.weight);
      if (!edge_lines_.contains({e.to, e.from}))
        rows[e.to].emplace_back(static_cast<std::int32_t>(e.from), 0.0);
    }
    SpinGlass glass;
    WeightedGraph& g = glass.couplings;
    g.fields.assign(static_cast<std::size_t>(n), 0.0);
    for (const auto& [i, h] : fields_) g.fields[i] = h;
    for (auto& row : rows) {
      std::sort(row.begin(), row.end());
      for (const auto& [j, w] : row) {
        g.columns.push_back(j);
        g.weights.push_back(w);
      }
      g.row_offsets.push_back(static_cast<std::int64_t>(g.columns.size()));
    }
    glass.description = "directed coupling list " + at_.path + " (" + std::to_string(n) +
                        " agents, " + std::to_string(edges_.size()) + " directed couplings)";
    return glass;
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { at_.fail(problem); }

  AgentId id(std::string_view t, const std::string& what) const {
    const AgentId value = at_.id(t, what);
    // The same bound as read_coupling_list: one line must not be able to ask for gigabytes.
    if (value >= kMaxCouplingListAgents)
      fail(what + " too large " + std::string(t) + " (must be below " +
           std::to_string(kMaxCouplingListAgents) + ")");
    return value;
  }

  double real(std::string_view t, const char* what) const { return at_.finite(t, what); }

  AgentId note(AgentId i) {
    if (declared_ && i >= *declared_)
      fail("agent id " + std::to_string(i) + " >= declared agents " + std::to_string(*declared_));
    largest_ = std::max(largest_, i);
    return i;
  }

  LineReader at_;
  std::optional<AgentId> declared_;
  AgentId largest_ = -1;
  std::vector<DirectedEdge> edges_;
  std::map<std::pair<AgentId, AgentId>, int> edge_lines_;
  std::map<AgentId, double> fields_;
};

}  // namespace

SpinGlass read_directed_coupling_list(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw field_error("instance.path", path, "cannot read file");
  DirectedListParser parser(path);
  std::string raw;
  for (int line = 1; std::getline(in, raw); ++line) parser.parse(line, raw);
  if (in.bad()) throw field_error("instance.path", path, "cannot read file");
  return parser.finish();
}

}  // namespace spinfer
