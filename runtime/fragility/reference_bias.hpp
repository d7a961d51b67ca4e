#pragma once
// Large populations have no exact law to compare with; their departure is measured against the
// exact schedule instead: a reference run on the same instance and seed with the chromatic (or
// random-sequential) heat-bath kernel on the symmetric couplings J_sym, policy precision 1, no
// staleness -- the sampler the equivalence promises. The biases of magnetization, |m|, energy
// and the mean edge correlation come with error bars from each run's autocorrelation-corrected
// standard errors; per-edge correlations are summarised by their RMS difference next to the RMS
// a bias-free pair of runs would show from sampling noise alone.
#include "comm/communicator.hpp"
#include "runtime/config/config.hpp"
#include "runtime/run/run.hpp"
#include "runtime/verify/stationarity.hpp"
#include "summary.pb.h"

namespace spinfer {

// The reference configuration: the schedule becomes chromatic (random_sequential stays), and
// asymmetry, policy precision, staleness and the reference request itself are reset.
RunConfig exact_schedule_config(const RunConfig& config);

// prepare_run for the reference, with the couplings replaced by their symmetric part (a
// directed coupling file's asymmetry is in the file, not in the configuration).
RunInputs prepare_reference_run(const RunConfig& reference, int ranks);

// Rank 0's results of both runs in, the comparison out.
record::ReferenceBias compare_with_reference(const RunResult& run, const RunResult& reference,
                                             const RunConfig& reference_config,
                                             const VerificationSettings& settings);

// Collective: runs the reference for `config` and sets result.summary.bias on rank 0.
void attach_reference_bias(const RunConfig& config, const comm::Communicator& comm,
                           RunResult& result);

}  // namespace spinfer
