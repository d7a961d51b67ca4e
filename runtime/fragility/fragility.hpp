#pragma once
// `spinfer fragility`: break the equivalence one knob at a time and measure how far the
// collective moves away from a spin-glass sampler. One run per knob value, on every rank:
//  - small populations (free agents <= max_exact_agents): the exact kernel's stationary law
//    against Boltzmann(J_sym), Boltzmann(J) and Little (TV, KL) and its exact entropy
//    production, next to the sampled TV and the entropy production measured along the
//    trajectory;
//  - large populations: biases of m, energy and edge correlations against one reference run of
//    the exact schedule (reference_bias.hpp), with error bars, and the measured entropy
//    production.
// Writes DIR/fragility.csv (one row per value), DIR/fragility.json (the knob and every run's
// summary) and DIR/fragility.png (tools/plot_fragility.py).
#include <string>
#include <vector>

#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"

namespace spinfer {

// The knobs: asymmetry (instance.asymmetry), policy_precision, staleness (schedule stale),
// schedule (a schedule name per value).
const std::vector<std::string>& fragility_knobs();

struct FragilityOptions {
  ConfigSource config;
  std::string knob;
  std::vector<std::string> values;
  std::string out;  // empty: runs/NAME-fragility-KNOB
  bool overwrite = false;
  bool quiet = false;
  bool plot = true;
  std::string command_line;
};

// The --set assignments that put `value` on `knob`. Throws spinfer::Error for an unknown knob.
std::vector<std::string> knob_overrides(const std::string& knob, const std::string& value);

// Collective. Returns the process exit code (0).
int run_fragility(const comm::Communicator& world, const FragilityOptions& options);

}  // namespace spinfer
