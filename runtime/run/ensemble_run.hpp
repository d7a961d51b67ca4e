#pragma once
// An ensemble run: R replicas x T temperatures of one instance, with parallel tempering between
// neighbouring temperatures, simulated annealing, or neither (independent replicas). Collective
// over the world; the results are complete on rank 0. The trajectory is a pure function of
// (configuration, seed): the same on every rank count and layout.
#include <memory>
#include <optional>
#include <vector>

#include "agents/instances/hopfield.hpp"
#include "agents/ising/spin_glass.hpp"
#include "agents/statistics/observables.hpp"
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/decomposition/ensemble_layout.hpp"
#include "runtime/observe/ensemble_analysis.hpp"
#include "runtime/observe/ensemble_observer.hpp"
#include "runtime/run/simulation.hpp"
#include "summary.pb.h"

namespace spinfer {

struct EnsembleInputs {
  std::shared_ptr<const SpinGlass> glass;
  std::optional<Patterns> patterns;  // hopfield instances
  std::vector<double> betas;         // the starting ladder
  EnsembleLayout layout;
  ScheduleKind schedule = ScheduleKind::chromatic;
};

// Throws spinfer::Error on bad input, including a layout the rank count does not allow. No
// communication.
EnsembleInputs prepare_ensemble(const RunConfig& config, int ranks);

struct EnsembleResult {
  record::Summary summary;
  EnsembleSeries series;
  std::vector<std::int64_t> sample_sweeps;
  std::vector<double> sample_betas;  // annealing: beta of the sweep before each measurement
  std::vector<OverlapHistogram> histograms;
  std::vector<double> magnetizations;  // [k * N + i]
  std::vector<ExactReference> exact;   // per temperature, when the instance is enumerated
  EnsembleObserver::Best best;
  std::shared_ptr<const SpinGlass> glass;
  int interrupted_by = 0;  // as RunResult
  std::int64_t completed_sweeps = 0;
  double cpu_seconds = 0;  // CPU time of this rank's process in the sweep loop (benchmarks)
};

EnsembleResult run_ensemble(const RunConfig& config, const EnsembleInputs& inputs,
                            const comm::Communicator& world, const RunOptions& options = {});

// prepare_ensemble then run_ensemble (tests).
EnsembleResult run_ensemble(const RunConfig& config, const comm::Communicator& world,
                            const RunOptions& options = {});

}  // namespace spinfer
