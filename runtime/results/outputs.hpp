#pragma once
// The files every run leaves in its directory, each written atomically (io/run_directory.hpp):
// config.json, the tables its kind produces (chain_tables.hpp, ensemble_tables.hpp), and
// summary.json last, so that its presence means the run's outputs are complete.
#include <string>

#include "runtime/run/run.hpp"

namespace spinfer {

// Creates `directory` if missing. Rank 0 only.
void write_outputs(const std::string& directory, const RunConfig& config, const RunResult& result);

}  // namespace spinfer
