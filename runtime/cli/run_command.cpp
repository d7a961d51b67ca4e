#include "runtime/cli/run_command.hpp"

#include <cstdio>
#include <iostream>

#include "runtime/cli/exit_codes.hpp"
#include "runtime/fragility/reference_bias.hpp"
#include "runtime/results/outputs.hpp"
#include "runtime/results/report.hpp"
#include "runtime/run/interrupts.hpp"
#include "runtime/run/rank_agreement.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {
namespace {

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

// A signal stopped the run after a checkpoint: say how to continue, once, and exit 75.
int report_interruption(const comm::Communicator& comm, int signal, std::int64_t sweeps,
                        const std::string& out) {
  comm.barrier();  // rank 0 has written the checkpoint
  finish_on_further_signals(kInterrupted);
  if (comm.is_root())
    std::cerr << "spinfer: stopped by signal " << signal << " after sweep " << sweeps
              << "; checkpoint in " << out << "/; continue with: spinfer run --resume " << out
              << std::endl;
  return kInterrupted;
}

// The configuration of a resumed run: the checkpoint's, or what the command line gives when it
// describes the same run (operational settings such as checkpoint and progress may change).
RunConfig resumed_config(const Arguments& args, const record::Checkpoint& checkpoint) {
  RunConfig config = checkpoint.config();
  if (!args.config.path && args.config.overrides.empty() && !args.config.seed) return config;
  RunConfig given = resolve_config(args.config);
  const std::string difference = config_difference(config, given);
  if (!difference.empty())
    throw field_error("--resume", args.resume,
                      "checkpoint is for another configuration (" + difference + ")");
  return given;
}

}  // namespace

std::string default_out_dir(const RunConfig& config) {
  return "runs/" + config.name() + "-seed" + std::to_string(config.seed());
}

int run_in_directory(const comm::Communicator& comm, const RunRequest& request) {
  const RunConfig& config = request.config;
  RunInputs inputs;
  on_all_ranks(comm, [&] { inputs = prepare_run(config, comm.size()); });
  // Only once every rank has its inputs is anything written.
  on_all_ranks(comm, [&] {
    if (!comm.is_root()) return;
    claim_run_directory(request.directory, request.use);
    write_file_atomically(request.directory + "/config.json", to_json(config) + "\n");
  });
  RunOptions options;
  options.show_progress = !request.quiet;
  options.command_line = request.command_line;
  options.directory = request.directory;
  options.resume = request.resume;
  const std::string& out = request.directory;
  RunResult result;
  abort_all_on_error(comm, [&] {
    result = run(config, inputs, comm, options);
    if (config.bias_reference() && !result.interrupted_by)
      attach_reference_bias(config, comm, result);
    if (comm.is_root() && !result.interrupted_by) {
      write_outputs(out, config, result);
      remove_checkpoint(out);
    }
  });
  if (result.interrupted_by)
    return report_interruption(comm, result.interrupted_by, result.completed_sweeps, out);
  if (comm.is_root() && !request.quiet) print_report(std::cout, result.summary, out);
  return 0;
}

int run_command(const comm::Communicator& world, const Arguments& args, int argc, char** argv) {
  RunRequest request;
  ResumePoint resume_point;
  const bool resuming = !args.resume.empty();
  if (resuming) resume_point = load_resume_point(world, args.resume);
  on_all_ranks(world, [&] {
    request.config =
        resuming ? resumed_config(args, resume_point.checkpoint) : resolve_config(args.config);
  });
  request.directory = resuming           ? args.resume
                      : args.out.empty() ? default_out_dir(request.config)
                                         : args.out;
  request.use = resuming         ? DirectoryUse::resume
                : args.overwrite ? DirectoryUse::overwrite
                                 : DirectoryUse::fresh;
  request.resume = resuming ? &resume_point : nullptr;
  request.quiet = args.quiet;
  request.command_line = command_line(argc, argv);
  return run_in_directory(world, request);
}

}  // namespace spinfer
