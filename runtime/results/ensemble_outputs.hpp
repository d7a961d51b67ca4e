#pragma once
// The files an ensemble run leaves in its directory (rank 0), each written atomically:
//   observables.csv        one row per temperature: every observable, its error and tau_int,
//                          and the exact value when the instance was enumerated
//   overlap_histogram.csv  P(q) per temperature (and the exact P(q) when enumerated)
//   tempering.csv          swap acceptance per neighbouring pair, round trips
//   timeseries.csv         every measurement of every replica at every temperature
//   agents.csv             <s_i> per agent and temperature
//   ground_state.csv       the lowest-energy state seen
//   pattern_overlaps.csv   hopfield: <m^mu> per pattern and temperature
//   config.json, summary.json (last: present means complete)
#include <ostream>
#include <string>

#include "runtime/run/ensemble_run.hpp"

namespace spinfer {

void write_ensemble_outputs(const std::string& directory, const RunConfig& config,
                            const EnsembleResult& result);

// A few lines for the terminal.
void print_ensemble_report(std::ostream& out, const record::Summary& summary,
                           const std::string& out_dir);

}  // namespace spinfer
