#pragma once
// Estimators and tests for autocorrelated Markov-chain output. Pure functions, no MPI.
#include <cstdint>
#include <span>
#include <vector>

namespace spinfer {

// Integrated autocorrelation time tau_int = 1/2 + sum_{t>=1} rho(t), with Sokal's automatic
// window (smallest W with W >= c * tau_int(W), c = 6). The variance of a sample mean of M
// correlated samples is var * 2 tau_int / M. Returns 0.5 for constant or too short series.
double integrated_autocorrelation_time(std::span<const double> series);

struct MeanEstimate {
  double mean = 0;
  double standard_error = 0;  // sqrt(var * 2 tau_int / M)
  double tau_int = 0.5;
  double effective_samples = 0;  // M / (2 tau_int)
};
MeanEstimate estimate_mean(std::span<const double> series);

// Upper tail P(X >= x) of a chi-square variable with `dof` degrees of freedom.
double chi_square_survival(double x, double dof);
// Two-sided normal tail P(|Z| >= |z|).
double normal_two_sided_p(double z);

// Pearson goodness-of-fit of state counts against reference probabilities, for autocorrelated
// samples: the statistic is divided by `inflation` (2 tau_int of the slowest observable), i.e.
// computed on the effective sample size. Cells whose expected effective count is below
// `min_expected` are pooled into one cell (dropped if that pooled cell is still below it).
struct GoodnessOfFit {
  double statistic = 0;
  int dof = 0;
  double p_value = 1;
  int cells = 0;  // cells used after pooling
};
GoodnessOfFit pooled_chi_square(const std::vector<std::uint64_t>& counts,
                                const std::vector<double>& probabilities, double inflation,
                                double min_expected = 5.0);

// Distances between an empirical distribution (counts) and a reference distribution.
double total_variation(const std::vector<std::uint64_t>& counts,
                       const std::vector<double>& probabilities);
// KL(empirical || reference), summed over visited states (finite whenever reference > 0).
double kl_divergence(const std::vector<std::uint64_t>& counts,
                     const std::vector<double>& probabilities);

// Agreement of several independent chains on one observable.
struct ChainAgreement {
  double rhat = 1;               // split-chain Gelman-Rubin potential scale reduction
  double effective_samples = 0;  // sum over chains of M / (2 tau_int)
  double p_value = 1;            // chi-square test of equal chain means, tau-corrected errors
};
ChainAgreement compare_chains(const std::vector<std::vector<double>>& chains);

}  // namespace spinfer
