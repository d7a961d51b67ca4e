#pragma once
// From the configuration to the spin glass and the clamped agents.
#include <vector>

#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/hopfield.hpp"
#include "agents/ising/spin_glass.hpp"
#include "runtime/config/config.hpp"

namespace spinfer {

SpinGlass build_instance(const config::Instance& instance);

// The stored patterns of a hopfield instance (random from instance.seed, or read from the file).
// Throws spinfer::Error on unreadable files and a cue_pattern the file does not have.
Patterns hopfield_patterns(const config::Instance& instance);

// Checks the clamped ids against the population size; throws naming clamped[k].
std::vector<ClampedAgent> clamped_agents(const RunConfig& config, AgentId n_agents);

}  // namespace spinfer
