#pragma once
// Simulated-annealing schedules: the inverse temperature to use at each sweep.
#include <cstdint>
#include <string>
#include <vector>

namespace spinfer {

enum class AnnealingKind {
  linear,     // beta moves by equal steps (beta_start may be 0: infinite temperature)
  geometric,  // beta moves by equal ratios (both ends > 0)
};

// Parses "linear" or "geometric"; throws spinfer::Error naming `field` otherwise.
AnnealingKind parse_annealing_kind(const std::string& field, const std::string& text);

// beta at sweeps 0 .. sweeps-1, from beta_start at sweep 0 to beta_end at the last sweep (a
// single sweep runs at beta_end). Cooling and heating are both allowed. Throws spinfer::Error on
// sweeps < 1, negative or non-finite betas, or a zero end of a geometric schedule.
std::vector<double> annealing_schedule(AnnealingKind kind, double beta_start, double beta_end,
                                       std::int64_t sweeps);

// Entry `sweep` of annealing_schedule(kind, beta_start, beta_end, sweeps), bit for bit, without
// the vector (long runs). Throws as annealing_schedule does, and unless 0 <= sweep < sweeps.
double annealing_beta(AnnealingKind kind, double beta_start, double beta_end, std::int64_t sweeps,
                      std::int64_t sweep);

}  // namespace spinfer
