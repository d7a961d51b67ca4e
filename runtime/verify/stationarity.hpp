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

#include "agents/exact/exact_oracle.hpp"
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

// What the exact test needs of the series, whatever the reference: computed once per run and
// shared by every reference compared with (the autocorrelation times cost O(samples x window)
// for each of them, the comparisons themselves O(states + observables)).
struct ExactSeriesSummary {
  std::vector<std::uint64_t> counts;  // visits of every free-agent state, all chains
  // Every spin k, then the product on every interaction edge (k < l, in row order): its sum over
  // all samples of all chains, and sum over chains of 2 tau_int x samples (the variance
  // inflation of the pooled mean, sample-weighted).
  struct Moment {
    double sum = 0;
    double inflation_weighted = 0;
  };
  std::vector<Moment> moments;
  // The slowest tau_int among the spins, edge products, magnetization, energy and the indicators
  // of the most visited states.
  double tau_slowest = 0.5;
};
ExactSeriesSummary summarise_for_exact(const std::vector<ChainSeries>& chains,
                                       const ReducedModel& model);

record::Comparison compare_with_exact(const std::string& reference,
                                      const std::vector<double>& probabilities,
                                      const ExactSeriesSummary& summary, const ReducedModel& model,
                                      const VerificationSettings& settings);

record::Comparison compare_between_chains(const std::vector<ChainSeries>& chains,
                                          const VerificationSettings& settings);

}  // namespace spinfer
