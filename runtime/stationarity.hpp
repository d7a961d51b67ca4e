#pragma once
// The coordinator's verdict: does the collective sample the distribution it should?
//  - Small populations (free agents <= max_exact_agents): the visited states are compared with
//    exact references by enumeration: TV, KL, a pooled chi-square on state counts and z-scores of
//    every m_i and every edge correlation C_ij, all corrected for autocorrelation.
//  - Large populations: independent chains must agree on energy and |m| (split R-hat, effective
//    sample size, chi-square test of equal means).
// Each verdict is `consistent`, `rejected` (p < false-alarm rate) or `undetermined` (too few
// effective samples to tell).
#include <cstdint>
#include <string>
#include <vector>

#include "agents/exact_oracle.hpp"
#include "summary.pb.h"

namespace spinfer {

// What the coordinator recorded for one chain: one entry per measured sweep.
struct ChainSeries {
  std::vector<double> magnetization;
  std::vector<double> energy;        // per agent
  std::vector<double> free_energy;   // per agent
  std::vector<std::uint32_t> state;  // exact runs only: bit k = free agent k is +1
  // Entropy production of the measured sweep (+infinity: an update with an impossible reverse),
  // when the run measures it.
  std::vector<double> entropy_production;
  std::vector<double> edge_correlation;  // mean of s_i s_j over the interaction edges
};

struct VerificationSettings {
  double false_alarm_rate = 0.01;
  double min_effective_samples = 100;
};

// The slowest integrated autocorrelation time among the observables the exact test relies on:
// every spin, every product on an interaction edge, magnetization, energy and the indicators of
// the most visited states. Computed once per run, shared by all references.
double slowest_autocorrelation(const std::vector<ChainSeries>& chains, const ReducedModel& model);

record::Comparison compare_with_exact(const std::string& reference,
                                      const std::vector<double>& probabilities,
                                      const std::vector<ChainSeries>& chains,
                                      const ReducedModel& model, double tau_slowest,
                                      const VerificationSettings& settings);

record::Comparison compare_between_chains(const std::vector<ChainSeries>& chains,
                                          const VerificationSettings& settings);

}  // namespace spinfer
