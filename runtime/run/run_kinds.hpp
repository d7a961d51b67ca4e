#pragma once
// The two questions a run is asked, on the same segment (runtime-internal to runtime/run):
// which law the independent chains of a run at one beta sample (one_beta_run.cpp), and what the
// replicas x temperatures of an ensemble measure per temperature (ensemble_run.cpp). Each says
// what status.json shows while the run goes and completes the result once it is done.
#include <memory>

#include "agents/ising/ising_block.hpp"
#include "runtime/run/run.hpp"
#include "runtime/run/segment.hpp"

namespace spinfer {

using IsingSegment = Segment<IsingBlock>;

class RunKind {
 public:
  virtual ~RunKind() = default;
  // What the observer measures for this question.
  [[nodiscard]] virtual MeasurementPlan plan() const = 0;
  // Rank 0: the running estimates of status.json.
  virtual void describe(const IsingSegment& segment, record::Status& status,
                        const std::string& state) = 0;
  // Collective: the summary, series and tables of the finished run (complete on rank 0).
  virtual void complete(IsingSegment& segment, const comm::Communicator& comm,
                        const RunOptions& options, RunResult& result) = 0;
};

std::unique_ptr<RunKind> one_beta_run(const RunConfig& config, const RunInputs& inputs);
std::unique_ptr<RunKind> ensemble_run(const RunConfig& config, const RunInputs& inputs);

}  // namespace spinfer
