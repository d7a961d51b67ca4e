#pragma once
// `spinfer run`: a run from its configuration to its directory of results. Resuming reconciles
// the checkpoint with what the command line gives, claims the directory, runs, writes the
// outputs atomically and removes the checkpoint once summary.json is in place.
#include <string>

#include "comm/communicator.hpp"
#include "runtime/cli/arguments.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/io/run_directory.hpp"

namespace spinfer {

// One run into one directory: what `spinfer run` does once the configuration is resolved, and
// what a campaign does for each of its runs.
struct RunRequest {
  RunConfig config;  // resolved and validated
  std::string directory;
  DirectoryUse use = DirectoryUse::fresh;
  const ResumePoint* resume = nullptr;  // with DirectoryUse::resume
  bool quiet = false;
  std::string command_line;
};

// Collective over `comm`, whose ranks all run it. Input errors are agreed on and thrown on every
// rank before anything is written; returns 0, or kInterrupted after a signal and a checkpoint.
int run_in_directory(const comm::Communicator& comm, const RunRequest& request);

// The whole command: arguments to exit code. Collective over the world.
int run_command(const comm::Communicator& world, const Arguments& args, int argc, char** argv);

// runs/NAME-seedS
std::string default_out_dir(const RunConfig& config);

}  // namespace spinfer
