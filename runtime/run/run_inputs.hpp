#pragma once
// Everything a run needs that can be wrong in the user's input, built without any communication
// so that errors can be agreed on before the ranks start talking.
#include <memory>
#include <optional>
#include <vector>

#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/hopfield.hpp"
#include "agents/ising/agent_population.hpp"
#include "agents/ising/spin_glass.hpp"
#include "runtime/config/config.hpp"
#include "runtime/decomposition/ensemble_layout.hpp"
#include "runtime/decomposition/partition.hpp"

namespace spinfer {

struct RunInputs {
  std::shared_ptr<const SpinGlass> glass;  // shared with RunResult, never copied
  // What the run is asked: an ensemble (replicas x temperatures, judged per temperature), or
  // independent chains at one beta (judged on the states they visit).
  bool ensemble = false;
  // A run at one beta acts with the precisions gamma = beta J, zeta = beta h (scale 1); an
  // ensemble with J itself, scaled by each temperature's beta.
  AgentPopulation agents;
  std::vector<double> scales;
  std::optional<Patterns> patterns;  // hopfield instances
  EnsembleLayout layout;
  Partition partition;  // inside every group
  std::vector<ClampedAgent> clamped;
  std::optional<Partition> stale_domains;
  std::optional<ReducedModel> exact;  // one beta, when the free agents are few enough

  // The graph the agents act with (gamma or J).
  [[nodiscard]] const WeightedGraph& graph() const {
    return ensemble ? glass->couplings : agents.precisions;
  }
  [[nodiscard]] int systems() const { return layout.systems(); }
  [[nodiscard]] int temperatures() const { return static_cast<int>(scales.size()); }
  [[nodiscard]] int replicas() const { return systems() / temperatures(); }
};

// Throws spinfer::Error on bad input (unreadable coupling file, clamped ids, a rank count or
// layout the population does not allow, a schedule an ensemble cannot run).
RunInputs prepare_run(const RunConfig& config, int ranks);

}  // namespace spinfer
