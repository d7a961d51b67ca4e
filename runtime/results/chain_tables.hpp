#pragma once
// The tables of a run at one beta (rank 0): timeseries.csv (every measurement of every chain),
// agents.csv (<s_i>), edges.csv (<s_i s_j> per interaction edge) and, for exact runs,
// distribution.csv (visited states against the references).
#include <vector>

#include "runtime/results/output_file.hpp"
#include "runtime/run/run.hpp"

namespace spinfer {

std::vector<OutputFile> chain_tables(const RunResult& result);

}  // namespace spinfer
