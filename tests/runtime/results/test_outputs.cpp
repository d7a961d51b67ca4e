// The files a run leaves, for each kind, written from a real (short) run on one rank.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/results/chain_tables.hpp"
#include "runtime/results/ensemble_tables.hpp"
#include "runtime/results/outputs.hpp"
#include "runtime/results/report.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> names(const std::vector<OutputFile>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) out.push_back(f.name);
  return out;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

TEST_CASE("outputs of a run at one beta: tables, config.json and summary.json") {
  const RunResult r =
      run(testing::config_with({R"(instance={"kind":"sk","n":6})", "sweeps=300"}), testing::self());
  const std::vector<OutputFile> tables = chain_tables(r);
  CHECK(names(tables) ==
        std::vector<std::string>{"timeseries.csv", "agents.csv", "edges.csv", "distribution.csv"});
  CHECK(first_line(tables[0].content) ==
        "sweep,chain,magnetization,energy_per_agent,free_energy_per_agent");
  CHECK(std::count(tables[0].content.begin(), tables[0].content.end(), '\n') == 1 + 2 * 300);
  testing::TempDir dir;
  const std::string out = (dir.path() / "run").string();
  write_outputs(out, r.summary.config(), r);
  for (const char* f : {"config.json", "summary.json", "timeseries.csv", "edges.csv"})
    CHECK(fs::exists(fs::path(out) / f));
  std::ostringstream report;
  print_report(report, r.summary, out);
  CHECK(report.str().find("verdict:") != std::string::npos);
}

TEST_CASE("outputs of an ensemble: per-temperature tables and the report") {
  const RunResult r =
      run(testing::config_with({R"(instance={"kind":"edwards_anderson","length":3})",
                                R"(temperatures={"betas":[0.4,0.8]})", "replicas=2", "sweeps=300",
                                "burn_in=10"}),
          testing::self());
  const std::vector<OutputFile> tables = ensemble_tables(r);
  CHECK(names(tables) == std::vector<std::string>{"timeseries.csv", "agents.csv",
                                                  "ground_state.csv", "observables.csv",
                                                  "overlap_histogram.csv", "tempering.csv"});
  CHECK(first_line(tables[3].content).find("temperature_index,beta,temperature,samples") == 0);
  std::ostringstream report;
  print_report(report, r.summary, "DIR");
  CHECK(report.str().find("2 replicas x 2 temperatures") != std::string::npos);
}

}  // namespace spinfer
