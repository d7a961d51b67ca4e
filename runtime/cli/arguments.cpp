#include "runtime/cli/arguments.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "agents/core/error.hpp"
#include "runtime/fragility/fragility.hpp"

namespace spinfer {

const char* const kUsage = R"(usage:
  mpirun -np P spinfer run [CONFIG.json] [--set FIELD=VALUE ...] [--seed S] [--out DIR]
                           [--overwrite] [--quiet]
      Simulate a population of active-inference agents and verify which distribution the
      collective samples. Without CONFIG the embedded default runs. Outputs go to DIR
      (default runs/NAME-seedS): summary.json, timeseries.csv, config.json, agents.csv, edges.csv;
      status.json while running; checkpoint.pb until done. An existing DIR is refused unless
      --overwrite. SIGTERM/SIGINT: checkpoint at the next sweep and exit 75.
      With `temperatures` or `annealing` given, or a hopfield instance: replicas x temperatures
      with parallel tempering or annealing (layout.groups shares them among the ranks); also
      observables.csv, overlap_histogram.csv, tempering.csv, ground_state.csv.
  mpirun -np P spinfer run --resume DIR [CONFIG.json] [--set ...] [--quiet]
      Continue an interrupted run from DIR/checkpoint.pb, on any number of ranks. A CONFIG or
      --set given too must describe the same run (checkpoint, progress, layout may differ).
  spinfer status DIR
      Print the live status of a running or finished run.
  spinfer meanfield [CONFIG.json] [--set ...] [--out DIR] [--compare RUN_DIR] [--overwrite]
      Naive mean-field and TAP magnetizations and free energies of the configured instance at
      its beta (every beta of its temperature ladder), with a convergence report; --compare
      solves at the betas of a finished run of the same instance and measures how far each
      approximation is from its sampled <s_i>. Small instances are also enumerated exactly.
      Outputs DIR/meanfield.csv and meanfield.json (default runs/NAME-meanfield).
  spinfer config [CONFIG.json] [--set FIELD=VALUE ...] [--seed S]
      Print the fully resolved configuration (defaults filled in) and exit.
  mpirun -np P spinfer fragility CONFIG.json --knob KNOB --values V1,V2,... [--set ...]
                                 [--out DIR] [--overwrite] [--quiet] [--no-plot]
      Sweep one knob that breaks the agents/spin-glass equivalence -- asymmetry (instance.
      asymmetry k), policy_precision (alpha), staleness (schedule stale, d) or schedule (names)
      -- one run per value. Small populations: exact kernel law vs Boltzmann(J_sym),
      Boltzmann(J), Little, and entropy production, exact and sampled. Large ones: biases of m,
      energy, edge correlations against the exact schedule. DIR (default
      runs/NAME-fragility-KNOB): fragility.csv, fragility.json, fragility.png.
  mpirun -np P spinfer bench [--lengths 32,64] [--seconds T] [--tempering L,T,R]
      Agent updates per second, chromatic schedule, 3D +-J EA lattice, on 1 and on P ranks;
      then parallel tempering of R replicas x T temperatures of the L^3 lattice (default
      16,32,2) on P ranks against one replica per rank, per core.
  spinfer --version | --help
)";

namespace {

std::uint32_t parse_seed(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value > 0xffffffffull || text[0] == '-')
    throw field_error("--seed", text, "must be an integer in [0, 4294967295]");
  return static_cast<std::uint32_t>(value);
}

}  // namespace

Arguments parse_arguments(int argc, char** argv) {
  Arguments a;
  if (argc < 2) throw Error(std::string("no command given\n") + kUsage);
  a.command = argv[1];
  for (int k = 2; k < argc; ++k) {
    const std::string arg = argv[k];
    const auto value = [&]() -> std::string {
      if (k + 1 >= argc) throw field_error(arg, "(missing)", "needs a value");
      return argv[++k];
    };
    if (arg == "--set") {
      a.config.overrides.push_back(value());
    } else if (arg == "--seed") {
      a.config.seed = parse_seed(value());
    } else if (arg == "--out") {
      a.out = value();
    } else if (arg == "--resume" && a.command == "run") {
      a.resume = value();
    } else if (arg == "--knob" && a.command == "fragility") {
      a.knob = value();
      knob_overrides(a.knob, "0");  // throws for an unknown knob
    } else if (arg == "--values" && a.command == "fragility") {
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');)
        if (!item.empty()) a.values.push_back(item);
    } else if (arg == "--no-plot" && a.command == "fragility") {
      a.plot = false;
    } else if (arg == "--compare" && a.command == "meanfield") {
      a.compare = value();
    } else if (arg == "--overwrite" &&
               (a.command == "run" || a.command == "fragility" || a.command == "meanfield")) {
      a.overwrite = true;
    } else if (arg == "--quiet") {
      a.quiet = true;
    } else if (arg == "--lengths" && a.command == "bench") {
      a.bench.lengths.clear();
      std::stringstream list(value());
      for (std::string item; std::getline(list, item, ',');) {
        const int length = std::atoi(item.c_str());
        if (length < 4 || length % 2 != 0)
          throw field_error("--lengths", item, "lattice sides must be even and >= 4");
        a.bench.lengths.push_back(length);
      }
    } else if (arg == "--seconds" && a.command == "bench") {
      a.bench.min_seconds = std::atof(value().c_str());
      if (!(a.bench.min_seconds > 0)) throw field_error("--seconds", argv[k], "must be > 0");
      a.tempering.min_seconds = a.bench.min_seconds;
    } else if (arg == "--tempering" && a.command == "bench") {
      const std::string text = value();
      auto& t = a.tempering;
      if (std::sscanf(text.c_str(), "%d,%d,%d", &t.length, &t.temperatures, &t.replicas) != 3 ||
          t.length < 4 || t.length % 2 != 0 || t.temperatures < 1 || t.replicas < 1)
        throw field_error("--tempering", text,
                          "expected L,T,R: even L >= 4, T >= 1 temperatures, R >= 1 replicas");
    } else if (!arg.empty() && arg[0] != '-' && a.command == "status" && a.out.empty()) {
      a.out = arg;
    } else if (!arg.empty() && arg[0] != '-' && !a.config.path && a.command != "bench" &&
               a.command != "status") {
      a.config.path = arg;
    } else {
      throw field_error("argument", arg, "not understood (see spinfer --help)");
    }
  }
  if (!a.resume.empty() && !a.out.empty())
    throw field_error("--out", a.out,
                      "cannot be combined with --resume (the run stays in its DIR)");
  if (!a.resume.empty() && a.overwrite)
    throw field_error("--overwrite", "", "cannot be combined with --resume");
  if (a.command == "status" && a.out.empty()) throw field_error("status", "(missing)", "needs DIR");
  if (a.command == "fragility" && a.knob.empty())
    throw field_error("--knob", "(missing)", "fragility needs --knob and --values");
  return a;
}

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int k = 0; k < argc; ++k) line += (k ? " " : "") + std::string(argv[k]);
  return line;
}

}  // namespace spinfer
