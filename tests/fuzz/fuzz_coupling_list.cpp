// libFuzzer target for the coupling-list reader: the bytes are a coupling file. spinfer::Error is
// the only acceptable failure; an accepted file must give a simple symmetric graph with finite
// values whose agent count, couplings and fields agree with a naive re-reading of the same text.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <sstream>
#include <string>
#include <typeinfo>
#include <utility>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/instances/instances.hpp"

namespace {

using spinfer::AgentId;

const std::string kSource = "fuzz.couplings";

// Aborting makes libFuzzer save the input as a crash artifact.
[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_coupling_list finding: %s\n", what.c_str());
  std::abort();
}

void check_error_message(const spinfer::Error& e) {
  const std::string message = e.what();
  if (message.rfind(kSource + ":", 0) != 0) finding("error does not name the file: " + message);
  if (message.find_first_of("\n\r") != std::string::npos) finding("multi-line error: " + message);
}

// What an accepted file says, read the slow obvious way (streams instead of from_chars); only
// called on text the reader accepted, so every token is known to be well formed.
struct Expected {
  AgentId agents = 0;
  std::map<std::pair<AgentId, AgentId>, double> couplings;  // (i, j) as written
  std::map<AgentId, double> fields;
};

Expected reread(const std::string& text) {
  Expected out;
  AgentId declared = -1, largest = -1;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    for (char& c : line)
      if (c == '\t' || c == '\r' || c == '\v' || c == '\f') c = ' ';
    std::istringstream tokens(line.substr(0, line.find('#')));
    std::string first;
    if (!(tokens >> first)) continue;
    if (first == "agents") {
      tokens >> declared;
      continue;
    }
    AgentId i = 0, j = 0;
    double value = 0;
    if (first == "field") {
      std::string id, number;
      tokens >> id >> number;
      i = std::stoll(id);
      out.fields[i] = std::strtod(number.c_str(), nullptr);
      j = i;
    } else {
      std::string second, number;
      tokens >> second >> number;
      i = std::stoll(first);
      j = std::stoll(second);
      value = std::strtod(number.c_str(), nullptr);
      out.couplings[{i, j}] = value;
    }
    largest = std::max({largest, i, j});
  }
  out.agents = declared >= 0 ? declared : largest + 1;
  return out;
}

void check_accepted(const spinfer::SpinGlass& glass, const std::string& text) {
  const auto& g = glass.couplings;
  const AgentId n = g.size();
  if (n < 1 || n > spinfer::kMaxCouplingListAgents) finding("agent count out of range");
  if (static_cast<AgentId>(g.row_offsets.size()) != n + 1 || g.row_offsets.front() != 0 ||
      g.row_offsets.back() != g.directed_edges() || g.weights.size() != g.columns.size())
    finding("inconsistent CSR arrays");
  for (AgentId i = 0; i < n; ++i) {
    if (!std::isfinite(g.fields[i])) finding("non-finite field");
    if (g.row_offsets[i] > g.row_offsets[i + 1]) finding("row offsets decrease");
    for (auto k = g.row_offsets[i]; k < g.row_offsets[i + 1]; ++k) {
      const AgentId j = g.columns[k];
      if (j < 0 || j >= n || j == i) finding("neighbour id out of range or self-coupling");
      if (k > g.row_offsets[i] && g.columns[k - 1] >= j) finding("row not strictly ascending");
      if (!std::isfinite(g.weights[k])) finding("non-finite coupling");
    }
  }
  if (spinfer::weight_asymmetry(g) != 0) finding("asymmetric couplings");

  const Expected expected = reread(text);
  if (n != expected.agents)
    finding("agent count " + std::to_string(n) + ", file says " + std::to_string(expected.agents));
  if (g.directed_edges() != 2 * static_cast<AgentId>(expected.couplings.size()))
    finding("coupling count differs from the file's coupling lines");
  for (const auto& [pair, value] : expected.couplings)
    if (spinfer::edge_weight(g, pair.first, pair.second) != value)
      finding("coupling value differs");
  auto field = expected.fields.begin();  // sorted by agent, so walked alongside
  for (AgentId i = 0; i < n; ++i) {
    const bool listed = field != expected.fields.end() && field->first == i;
    if (g.fields[i] != (listed ? field->second : 0.0)) finding("field value differs");
    if (listed) ++field;
  }
  if (glass.lattice) finding("a coupling list has no lattice shape");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  spinfer::SpinGlass glass;
  try {
    glass = spinfer::read_coupling_list(in, kSource);
  } catch (const spinfer::Error& e) {
    check_error_message(e);
    return 0;
  } catch (const std::exception& e) {
    finding(std::string("not a spinfer::Error: ") + typeid(e).name() + ": " + e.what());
  }
  check_accepted(glass, text);
  return 0;
}
