#pragma once
// Is the run out of equilibrium? Two measurements from the trajectory, next to the exact kernel:
//  - the entropy production per sweep accumulated at runtime (each elementary step adds
//    log K(x->y) / K(y->x) from the known action probabilities), with an autocorrelation-aware
//    error bar: zero within error in detailed balance, positive in a non-equilibrium steady state;
//  - a detailed-balance test on the observed transitions between the free agents' joint states
//    (exact runs). A chromatic sweep K_1 ... K_C is not reversible even when every phase is, so
//    colour-phase schedules are tested per phase: with measure_interval = 1 the state after
//    phase c of sweep t is rebuilt exactly from the states after sweeps t - 1 and t (phase c
//    changes only colour c). Sequential and synchronous runs are tested per sweep (a power of a
//    reversible kernel is reversible).
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/config/config.hpp"
#include "runtime/verify/stationarity.hpp"
#include "summary.pb.h"

namespace spinfer {

// `granularity` names the schedule's elementary steps (ScheduleTraits::entropy_granularity);
// `exact_per_sweep` is the exact kernel's (NaN when there is none).
record::EntropyProduction summarise_entropy_production(const std::vector<ChainSeries>& chains,
                                                       const std::string& granularity,
                                                       int steps_per_sweep, double exact_per_sweep,
                                                       const VerificationSettings& settings);

// `phase_masks[c]`: the free-agent bits that colour phase c changes, in phase order (empty for
// schedules without colour phases).
record::DetailedBalance observed_detailed_balance(const std::vector<ChainSeries>& chains,
                                                  const RunConfig& config,
                                                  const std::vector<std::uint32_t>& phase_masks,
                                                  const VerificationSettings& settings);

}  // namespace spinfer
