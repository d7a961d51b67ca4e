#pragma once
// The configuration of ensemble runs (replicas x temperatures: parallel tempering, annealing,
// Hopfield retrieval): when a run is one, its defaults, its validation and its ladder.
#include <cstdint>
#include <vector>

#include "runtime/config/config.hpp"

namespace spinfer {

// True when the run gives `temperatures` or `annealing`, or its instance is a Hopfield network.
bool is_ensemble_run(const RunConfig& config);

// Called by resolve_config with the user's configuration (before defaults) and the merged one:
// refuses ensemble-only fields in ordinary runs and `chains` in ensemble runs, and merges the
// ensemble defaults (config_defaults.cpp) under the user's values.
void resolve_ensemble(const RunConfig& user, RunConfig& config);

// Throws on the first invalid ensemble field; nothing to check for ordinary runs. Called by
// validate_config.
void validate_ensemble(const RunConfig& config);

// The starting inverse temperatures, ascending: the listed or geometric ladder; {beta_start} for
// annealing (the ladder then moves every sweep); {beta} otherwise.
std::vector<double> initial_ladder(const RunConfig& config);

// Annealing runs: beta during sweep `sweep` (0-based) of the run, burn-in included.
double annealing_beta(const RunConfig& config, std::int64_t sweep);

}  // namespace spinfer
