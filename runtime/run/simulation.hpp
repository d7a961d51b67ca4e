#pragma once
// One run: configuration in, summary and series out. Collective over the communicator; the
// results are complete on rank 0.
#include <memory>
#include <vector>

#include "agents/ising/spin_glass.hpp"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/io/checkpoint.hpp"
#include "runtime/observe/coordinator.hpp"
#include "runtime/population/collective.hpp"
#include "summary.pb.h"

namespace spinfer {

// Everything a run needs that can be wrong in the user's input, built without any
// communication so that errors can be agreed on before the ranks start talking.
struct RunInputs {
  std::shared_ptr<const SpinGlass> glass;  // shared with RunResult, never copied
  AgentPopulation agents;
  CollectiveSpec spec;
  Partition partition;
  std::optional<ReducedModel> exact;  // when the free agents are few enough to enumerate
};

// Throws spinfer::Error on bad input (unreadable coupling file, clamped ids, rank count).
RunInputs prepare_run(const RunConfig& config, int ranks);

struct RunResult {
  record::Summary summary;
  std::vector<ChainSeries> series;          // one per chain
  std::vector<std::int64_t> sample_sweeps;  // sweep number of each measurement
  Coordinator::PerAgent per_agent;
  std::shared_ptr<const SpinGlass> glass;
  // Exact runs: the reference distributions over the free agents' states, by name.
  std::vector<std::pair<std::string, std::vector<double>>> references;
  std::vector<AgentId> free_agents;  // bit k of a state index is free_agents[k]
  // Stopped early by SIGTERM/SIGINT after `completed_sweeps` (checkpointed when a directory was
  // given); nothing else in the result is filled in then.
  int interrupted_by = 0;
  std::int64_t completed_sweeps = 0;
};

struct RunOptions {
  bool show_progress = false;
  std::string command_line;
  // Where checkpoints and status.json go (rank 0); empty: neither is written.
  std::string directory;
  // Continue from this state instead of starting afresh (same configuration, any rank count).
  const ResumePoint* resume = nullptr;
};

// Collective over `comm`, whose size must be the `ranks` given to prepare_run.
RunResult run_simulation(const RunConfig& config, const RunInputs& inputs,
                         const comm::Communicator& comm, const RunOptions& options = {});

// prepare_run then run_simulation, for callers that trust their input (tests).
RunResult run_simulation(const RunConfig& config, const comm::Communicator& comm,
                         const RunOptions& options = {});

// The schedule's own reference: Little's distribution for synchronous runs, Boltzmann otherwise.
std::string expected_reference(RunConfig::Schedule schedule);

}  // namespace spinfer
