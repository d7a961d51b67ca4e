#pragma once
// The tables of an ensemble run (rank 0):
//   observables.csv        one row per temperature: every observable, its error and tau_int,
//                          and the exact value when the instance was enumerated
//   overlap_histogram.csv  P(q) per temperature (and the exact P(q) when enumerated)
//   tempering.csv          swap acceptance per neighbouring pair, round trips
//   timeseries.csv         every measurement of every replica at every temperature
//   agents.csv             <s_i> per agent and temperature
//   ground_state.csv       the lowest-energy state seen
//   pattern_overlaps.csv   hopfield: <m^mu> per pattern and temperature
#include <vector>

#include "runtime/results/output_file.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {

std::vector<OutputFile> ensemble_tables(const RunResult& result);

}  // namespace spinfer
