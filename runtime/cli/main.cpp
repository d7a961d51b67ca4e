// The spinfer command line. The only file that touches the MPI world communicator (through
// comm::Environment) and the only place that catches exceptions.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include "comm/communicator.hpp"
#include "runtime/cli/bench.hpp"
#include "runtime/cli/bench_tempering.hpp"
#include "runtime/cli/meanfield_command.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/fragility/fragility.hpp"
#include "runtime/fragility/reference_bias.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/io/run_directory.hpp"
#include "runtime/io/status.hpp"
#include "runtime/io/version.hpp"
#include "runtime/results/ensemble_outputs.hpp"
#include "runtime/results/outputs.hpp"
#include "runtime/results/report.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/rank_agreement.hpp"
#include "runtime/run/simulation.hpp"

namespace spinfer {
namespace {

constexpr int kInputError = 2;
constexpr int kInternalError = 1;
// sysexits' EX_TEMPFAIL: stopped by a signal with a checkpoint written, resume to continue.
constexpr int kInterrupted = 75;

const char* kUsage = R"(usage:
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

struct Arguments {
  std::string command;
  ConfigSource config;
  std::string out;
  std::string resume;
  bool overwrite = false;
  bool quiet = false;
  BenchOptions bench;
  std::string knob;                 // fragility
  std::vector<std::string> values;  // fragility
  bool plot = true;                 // fragility
  TemperingBenchOptions tempering;
  std::string compare;  // meanfield --compare
};

std::uint32_t parse_seed(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value > 0xffffffffull || text[0] == '-')
    throw field_error("--seed", text, "must be an integer in [0, 4294967295]");
  return static_cast<std::uint32_t>(value);
}

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

std::string default_out_dir(const RunConfig& config) {
  return "runs/" + config.name() + "-seed" + std::to_string(config.seed());
}

std::string command_line(int argc, char** argv) {
  std::string line;
  for (int k = 0; k < argc; ++k) line += (k ? " " : "") + std::string(argv[k]);
  return line;
}

// Rank 0 reads the checkpoint and sends the others its bytes without the per-agent and per-edge
// sums, which it later scatters so that each rank holds only its own share (they are most of a
// large population's record); rank 0 alone keeps the series rows too. Only rank 0 needs to see
// the run directory, as with every other output.
ResumePoint load_resume_point(const comm::Communicator& world, const std::string& directory) {
  std::string bytes;
  ResumePoint point;
  on_all_ranks(world, [&] {
    if (!world.is_root()) return;
    point.checkpoint = read_checkpoint(directory);
    point.series = read_series(directory, point.checkpoint.series());
    if (world.size() > 1) bytes = encode_checkpoint_without_sums(point.checkpoint);
  });
  world.broadcast(bytes);
  if (!world.is_root())
    point.checkpoint = decode_checkpoint(bytes, directory + "/" + kCheckpointName);
  return point;
}

// A completed run's checkpoint files go: summary.json says the run is done.
void remove_checkpoint(const std::string& directory) {
  std::remove((directory + "/" + kCheckpointName).c_str());
  std::remove((directory + "/" + kSeriesName).c_str());
}

// Replicas x temperatures (tempering, annealing, hopfield): the same directory, checkpoint and
// signal handling as ordinary runs, other results.
// A signal stopped the run after a checkpoint: say how to continue, once, and exit 75.
int report_interruption(const comm::Communicator& world, int signal, std::int64_t sweeps,
                        const std::string& out) {
  world.barrier();  // rank 0 has written the checkpoint
  finish_on_further_signals(kInterrupted);
  if (world.is_root())
    std::cerr << "spinfer: stopped by signal " << signal << " after sweep " << sweeps
              << "; checkpoint in " << out << "/; continue with: spinfer run --resume " << out
              << std::endl;
  return kInterrupted;
}

int finish_ensemble(const comm::Communicator& world, const RunConfig& config,
                    const EnsembleInputs& inputs, const RunOptions& options, bool quiet) {
  EnsembleResult result;
  const std::string& out = options.directory;
  try {
    result = run_ensemble(config, inputs, world, options);
    if (world.is_root() && !result.interrupted_by) {
      write_ensemble_outputs(out, config, result);
      remove_checkpoint(out);
    }
  } catch (const Error& e) {
    std::cerr << "spinfer: error on rank " << world.rank() << ": " << e.what() << std::endl;
    comm::Environment::abort_all(kInputError);
  }
  if (result.interrupted_by)
    return report_interruption(world, result.interrupted_by, result.completed_sweeps, out);
  if (world.is_root() && !quiet) print_ensemble_report(std::cout, result.summary, out);
  return 0;
}

int run_command(const comm::Communicator& world, const Arguments& args, int argc, char** argv) {
  const bool resuming = !args.resume.empty();
  RunConfig config;
  RunInputs inputs;
  EnsembleInputs ensemble_inputs;
  bool ensemble = false;
  ResumePoint resume_point;
  if (resuming) resume_point = load_resume_point(world, args.resume);
  const record::Checkpoint& checkpoint = resume_point.checkpoint;
  std::string out;
  on_all_ranks(world, [&] {
    if (resuming) {
      config = checkpoint.config();
      if (args.config.path || !args.config.overrides.empty() || args.config.seed) {
        const RunConfig given = resolve_config(args.config);
        const std::string difference = config_difference(config, given);
        if (!difference.empty())
          throw field_error("--resume", args.resume,
                            "checkpoint is for another configuration (" + difference + ")");
        config = given;  // operational settings (checkpoint, progress) may change
      }
    } else {
      config = resolve_config(args.config);
    }
    ensemble = is_ensemble_run(config);
    if (ensemble)
      ensemble_inputs = prepare_ensemble(config, world.size());
    else
      inputs = prepare_run(config, world.size());
    out = resuming ? args.resume : args.out.empty() ? default_out_dir(config) : args.out;
  });
  // Only once every rank has its inputs is anything written.
  on_all_ranks(world, [&] {
    if (world.is_root()) {
      if (resuming)
        claim_run_directory(out, DirectoryUse::resume);
      else
        claim_run_directory(out, args.overwrite ? DirectoryUse::overwrite : DirectoryUse::fresh);
      write_file_atomically(out + "/config.json", to_json(config) + "\n");
    }
  });
  RunOptions options;
  options.show_progress = !args.quiet;
  options.command_line = command_line(argc, argv);
  options.directory = out;
  options.resume = resuming ? &resume_point : nullptr;
  if (ensemble) return finish_ensemble(world, config, ensemble_inputs, options, args.quiet);
  RunResult result;
  try {
    result = run_simulation(config, inputs, world, options);
    if (config.bias_reference() && !result.interrupted_by)
      attach_reference_bias(config, world, result);
    if (world.is_root() && !result.interrupted_by) {
      write_run_outputs(out, config, result);
      remove_checkpoint(out);
    }
  } catch (const Error& e) {
    // Mid-run, on this rank only (a full disk, say): the others may be waiting in a collective.
    std::cerr << "spinfer: error on rank " << world.rank() << ": " << e.what() << std::endl;
    comm::Environment::abort_all(kInputError);
  }
  if (result.interrupted_by)
    return report_interruption(world, result.interrupted_by, result.completed_sweeps, out);
  if (world.is_root() && !args.quiet) print_report(std::cout, result.summary, out);
  return 0;
}

int dispatch(const comm::Communicator& world, int argc, char** argv) {
  if (argc >= 2 && (!std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help"))) {
    if (world.is_root()) std::cout << kUsage;
    return 0;
  }
  if (argc >= 2 && !std::strcmp(argv[1], "--version")) {
    if (world.is_root())
      std::cout << "spinfer " << kVersion << " (" << kBuildType << ", " << kCompiler << ", "
                << comm::Environment::library_version() << ")\n";
    return 0;
  }
  Arguments args;
  on_all_ranks(world, [&] { args = parse_arguments(argc, argv); });
  if (args.command == "run") return run_command(world, args, argc, argv);
  if (args.command == "config") {
    RunConfig config;
    on_all_ranks(world, [&] { config = resolve_config(args.config); });
    if (world.is_root()) std::cout << to_json(config) << "\n";
    return 0;
  }
  if (args.command == "status") {
    on_all_ranks(world, [&] {
      if (world.is_root())
        std::cout << format_status(read_status(args.out), run_directory_in_use(args.out));
    });
    return 0;
  }
  if (args.command == "meanfield") {
    run_meanfield(world, {args.config, args.out, args.compare, args.overwrite, args.quiet},
                  std::cout);
    return 0;
  }
  if (args.command == "bench") {
    run_bench(world, args.bench, std::cout);
    run_tempering_bench(world, args.tempering, std::cout);
    return 0;
  }
  if (args.command == "fragility") {
    FragilityOptions fragility;
    fragility.config = args.config;
    fragility.knob = args.knob;
    fragility.values = args.values;
    fragility.out = args.out;
    fragility.overwrite = args.overwrite;
    fragility.quiet = args.quiet;
    fragility.plot = args.plot;
    fragility.command_line = command_line(argc, argv);
    return run_fragility(world, fragility);
  }
  on_all_ranks(world, [&] {
    throw field_error("command", args.command,
                      "unknown (run, config, status, meanfield, fragility, bench)");
  });
  return 0;
}

}  // namespace
}  // namespace spinfer

int main(int argc, char** argv) {
  spinfer::comm::Environment environment(argc, argv);
  const spinfer::comm::Communicator world = environment.world();
  spinfer::install_interrupt_handlers();
  try {
    return spinfer::dispatch(world, argc, argv);
  } catch (const spinfer::ErrorElsewhere&) {
    return spinfer::kInputError;  // the failing rank printed the message
  } catch (const spinfer::Error& e) {
    std::cerr << "spinfer: error: " << e.what() << std::endl;
    return spinfer::kInputError;
  } catch (const std::exception& e) {
    // Seen by this rank alone, mid-run: the others may be waiting in a collective.
    std::cerr << "spinfer: internal error on rank " << world.rank() << ": " << e.what()
              << std::endl;
    spinfer::comm::Environment::abort_all(spinfer::kInternalError);
  }
}
