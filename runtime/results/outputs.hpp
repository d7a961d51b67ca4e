#pragma once
// The files a single-temperature run leaves behind (io/run_directory.hpp writes each atomically).
#include <string>

#include "runtime/run/simulation.hpp"

namespace spinfer {

// summary.json, timeseries.csv, config.json, agents.csv, edges.csv in `directory` (created if
// missing). Rank 0 only.
void write_run_outputs(const std::string& directory, const RunConfig& config,
                       const RunResult& result);

}  // namespace spinfer
