// Embedded JSON: the default run, and the defaults of the fields a user leaves out.
#include "runtime/config/config.hpp"

namespace spinfer {

const char* default_run_json() {
  return R"json({
  "name": "default",
  "instance": {"kind": "sk", "n": 12, "distribution": "gaussian", "coupling_mean": 0,
               "coupling_scale": 1, "seed": 1},
  "beta": 0.8,
  "schedule": "chromatic",
  "sweeps": 100000
})json";
}

// Every field not given by the user takes its value from here. The instance is not merged
// field by field across kinds: a user instance gets only the per-kind defaults in config.cpp.
const char* field_defaults_json() {
  return R"json({
  "name": "run",
  "beta": 1.0,
  "schedule": "chromatic",
  "action": "sample_posterior",
  "sweeps": 100000,
  "measure_interval": 1,
  "chains": 2,
  "seed": 1,
  "verification": {"false_alarm_rate": 0.01, "max_exact_agents": 20,
                   "min_effective_samples": 100},
  "progress": {"interval_seconds": 10},
  "checkpoint": {"interval_sweeps": 0, "interval_seconds": 600, "status_seconds": 5},
  "policy_precision": 1.0,
  "staleness": 0,
  "stale_domains": 0,
  "entropy_production": true,
  "max_kernel_agents": 12,
  "bias_reference": false
})json";
}

// Merged under the user's values in ensemble runs only (temperatures, annealing, hopfield).
const char* ensemble_defaults_json() {
  return R"json({
  "replicas": 2,
  "tempering": {"swap_interval": 1},
  "layout": {"groups": 0}
})json";
}

}  // namespace spinfer
