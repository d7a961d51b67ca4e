#pragma once
// One run, of any kind: configuration in, summary and series out. Collective over the
// communicator; the results are complete on rank 0. The trajectory is a pure function of
// (configuration, seed): under the exact schedules the same on every rank count and layout.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agents/ising/ising_block.hpp"
#include "agents/statistics/observables.hpp"
#include "comm/communicator.hpp"
#include "runtime/observe/ensemble_analysis.hpp"
#include "runtime/population/population.hpp"
#include "runtime/run/run_inputs.hpp"
#include "runtime/run/run_options.hpp"
#include "runtime/verify/stationarity.hpp"
#include "summary.pb.h"

namespace spinfer {

struct RunResult {
  record::Summary summary;
  std::shared_ptr<const SpinGlass> glass;
  std::vector<std::int64_t> sample_sweeps;  // sweep number of each measurement

  // A run at one beta: the chains' series, per-agent magnetizations and per-edge correlations
  // (global order), and for exact runs the reference distributions over the free agents' states
  // by name (bit k of a state index is free_agents[k]).
  std::vector<ChainSeries> series;
  struct PerAgent {
    std::vector<double> magnetization;
    std::vector<double> correlation;  // <s_i s_j> per directed edge, global CSR order
  } per_agent;
  std::vector<std::pair<std::string, std::vector<double>>> references;
  std::vector<AgentId> free_agents;

  // An ensemble: the per-temperature series, P(q), <s_i> per temperature ([k * N + i]), the
  // exact references when enumerated, the lowest state seen.
  EnsembleSeries ensemble_series;
  std::vector<double> sample_betas;  // annealing: beta of the sweep before each measurement
  std::vector<OverlapHistogram> histograms;
  std::vector<double> magnetizations;
  std::vector<ExactReference> exact;
  struct Best {
    bool found = false;
    double energy = 0;  // units of J
    int system = -1;
    std::int64_t sweep = 0;
    std::vector<std::int8_t> spins;  // +-1, global id order
    std::vector<double> system_energy;
  } best;

  // Stopped early by a signal after `completed_sweeps` (checkpointed when a directory was given);
  // nothing else in the result is filled in then.
  int interrupted_by = 0;
  std::int64_t completed_sweeps = 0;
  double cpu_seconds = 0;  // CPU time of this rank's process in the sweep loop (benchmarks)
};

// The population a run of `config` moves (the Ising family), for benchmarks that time its sweeps
// alone. `inputs` must outlive what is built from it.
PopulationSpec<IsingBlock> ising_population(const RunConfig& config, const RunInputs& inputs);

// Collective over `comm`, whose size must be the `ranks` given to prepare_run.
RunResult run(const RunConfig& config, const RunInputs& inputs, const comm::Communicator& comm,
              const RunOptions& options = {});

// prepare_run then run, for callers that trust their input (tests).
RunResult run(const RunConfig& config, const comm::Communicator& comm,
              const RunOptions& options = {});

}  // namespace spinfer
