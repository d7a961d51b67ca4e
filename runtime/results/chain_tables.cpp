#include "runtime/results/chain_tables.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "agents/core/error.hpp"
#include "runtime/io/csv_text.hpp"

namespace spinfer {

namespace {

std::string timeseries_csv(const RunResult& r) {
  CsvText out;
  out << "sweep,chain,magnetization,energy_per_agent,free_energy_per_agent\n";
  for (std::size_t t = 0; t < r.sample_sweeps.size(); ++t)
    for (std::size_t c = 0; c < r.series.size(); ++c)
      out << r.sample_sweeps[t] << ',' << c << ',' << r.series[c].magnetization[t] << ','
          << r.series[c].energy[t] << ',' << r.series[c].free_energy[t] << '\n';
  return std::move(out).str();
}

std::string agents_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  out << "agent,field,magnetization\n";
  const auto& g = r.glass->couplings;
  for (AgentId i = 0; i < g.size(); ++i)
    out << i << ',' << g.fields[i] << ',' << r.per_agent.magnetization[i] << '\n';
  return out.str();
}

std::string edges_csv(const RunResult& r) {
  std::ostringstream out;
  out.precision(10);
  out << "i,j,coupling,correlation\n";
  const auto& g = r.glass->couplings;
  for (AgentId i = 0; i < g.size(); ++i)
    for (auto e = g.row_offsets[i]; e < g.row_offsets[i + 1]; ++e)
      if (g.columns[e] > i)
        out << i << ',' << g.columns[e] << ',' << g.weights[e] << ',' << r.per_agent.correlation[e]
            << '\n';
  return out.str();
}

// Exact runs: every state that was visited or that some reference gives weight worth seeing at
// this sample size, with its empirical frequency and reference probabilities.
std::string distribution_csv(const RunResult& r) {
  const std::size_t states = r.references.front().second.size();
  std::vector<std::uint64_t> counts(states, 0);
  std::uint64_t total = 0;
  for (const auto& chain : r.series)
    for (auto state : chain.state) ++counts[state], ++total;
  const double floor = 0.1 / static_cast<double>(std::max<std::uint64_t>(total, 1));
  std::ostringstream out;
  out.precision(10);
  out << "state,spins,count,frequency";
  for (const auto& [name, p] : r.references) out << ',' << name;
  out << '\n';
  for (std::size_t s = 0; s < states; ++s) {
    bool shown = counts[s] > 0;
    for (const auto& reference : r.references) shown = shown || reference.second[s] > floor;
    if (!shown) continue;
    out << s << ',';
    for (std::size_t k = 0; k < r.free_agents.size(); ++k) out << ((s >> k) & 1u ? '+' : '-');
    out << ',' << counts[s] << ',' << static_cast<double>(counts[s]) / static_cast<double>(total);
    for (const auto& reference : r.references) out << ',' << reference.second[s];
    out << '\n';
  }
  return out.str();
}

}  // namespace

std::vector<OutputFile> chain_tables(const RunResult& result) {
  std::vector<OutputFile> files = {{"timeseries.csv", timeseries_csv(result)},
                                   {"agents.csv", agents_csv(result)},
                                   {"edges.csv", edges_csv(result)}};
  if (!result.references.empty()) files.push_back({"distribution.csv", distribution_csv(result)});
  return files;
}

}  // namespace spinfer
