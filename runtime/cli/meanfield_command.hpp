#pragma once
// `spinfer meanfield CONFIG [--out DIR] [--compare RUN_DIR]`: naive mean-field and TAP
// magnetizations of the configured instance at its beta (or every beta of its ladder), with the
// Plefka free energies and a convergence report; compared with the <s_i> a sampling run of the
// same instance measured, and with enumeration when the instance is small. Rank 0 computes.
#include <ostream>
#include <string>

#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"

namespace spinfer {

struct MeanFieldArguments {
  ConfigSource config;
  std::string out;      // directory for meanfield.csv and meanfield.json
  std::string compare;  // run directory with agents.csv and config.json, or empty
  bool overwrite = false;
  bool quiet = false;
};

// Throws spinfer::Error (collectively) on bad input.
void run_meanfield(const comm::Communicator& world, const MeanFieldArguments& arguments,
                   std::ostream& out);

}  // namespace spinfer
