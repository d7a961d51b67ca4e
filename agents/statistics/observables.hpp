#pragma once
// Error analysis of Monte Carlo time series and the thermodynamic observables built on it.
// Every estimator returns a value with a standard error that accounts for autocorrelation:
// binning for plain means, a blocked jackknife for nonlinear functions of means.
//
// Conventions (per spin, J = 1 units): m = (1/N) sum_i s_i, e = E/N with
// E = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i, and q = (1/N) sum_i s_i^a s_i^b between two
// replicas a, b at the same temperature.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace spinfer {

struct Estimate {
  double value = 0;
  double error = 0;  // one standard error
};

// Binning (blocking) analysis of the mean of a correlated series. Level k averages blocks of 2^k
// samples; the standard error of the block means grows with k until blocks are much longer than
// the correlation time, then stays on a plateau. The chosen level is the first with blocks at
// least kPlateauFactor * 2 tau_k long (tau_k the estimate at that level; the bias of the squared
// error is about tau / block) and at least kMinBins blocks; if none qualifies the largest level
// with kMinBins blocks is used and `converged` is false.
struct BinningAnalysis {
  static constexpr int kMinBins = 32;
  static constexpr double kPlateauFactor = 10;

  double mean = 0;
  double standard_error = 0;  // from the chosen level
  double naive_error = 0;     // sqrt(var / M), as if the samples were independent
  // tau_int = se^2 / (2 naive_error^2), the convention of statistics.hpp (1/2 + sum_{t>=1} rho(t),
  // 0.5 for independent samples); the other common convention sum_{t>=1} rho(t) is tau_int - 1/2.
  double tau_int = 0.5;
  std::int64_t bin_size = 1;   // block length at the chosen level
  bool converged = false;      // a plateau level was found
  std::vector<double> errors;  // standard error at every level with >= kMinBins blocks
};
BinningAnalysis binning_analysis(std::span<const double> series);

// Blocked jackknife of f(<x_0>, <x_1>, ...) over equally long series x_0, x_1, ... (one per
// observable, sample t of every series from the same configuration). The series are cut into
// `blocks` contiguous blocks (the first M mod blocks samples are dropped so all blocks are equal);
// blocks much longer than the autocorrelation time make the error account for it.
// value = f(all means); error = sqrt((B-1)/B sum_b (f_b - mean_b f_b)^2), f_b leaving block b out;
// bias_corrected = B f(all) - (B-1) mean_b f_b.
struct JackknifeEstimate {
  double value = 0;
  double error = 0;
  double bias_corrected = 0;
};
using MeansFunction = std::function<double(std::span<const double> means)>;
JackknifeEstimate jackknife(const std::vector<std::vector<double>>& series, const MeansFunction& f,
                            int blocks = 32);

// The derived observables, each a blocked jackknife over the given per-sample series.
// Magnetic susceptibility per spin chi = N beta (<m^2> - <|m|>^2): with |m| because a finite
// system without a field visits both signs of m, so <m> = 0 and <m^2> alone would not vanish in
// the paramagnet like the infinite-system chi. (The exact counterpart reports both conventions.)
Estimate susceptibility(std::span<const double> magnetization, std::int64_t n, double beta,
                        int blocks = 32);
// Specific heat per spin C = beta^2 N (<e^2> - <e>^2).
Estimate specific_heat(std::span<const double> energy_per_spin, std::int64_t n, double beta,
                       int blocks = 32);
// Binder cumulant U = 1 - <m^4> / (3 <m^2>^2): 0 for Gaussian m, 2/3 for m = +-1.
Estimate binder_cumulant(std::span<const double> magnetization, int blocks = 32);
// Overlap Binder ratio g = (1/2)(3 - <q^4> / <q^2>^2): 0 for Gaussian q, 1 for q = +-1.
Estimate overlap_binder(std::span<const double> overlap, int blocks = 32);
// Spin-glass susceptibility chi_SG = N <q^2>.
Estimate spin_glass_susceptibility(std::span<const double> overlap, std::int64_t n,
                                   int blocks = 32);
// Edwards-Anderson order parameter estimated as <|q|>: the position of the peaks of P(q) when
// they are sharp, and 0 (up to finite size, ~ N^-1/2) in the paramagnet.
Estimate edwards_anderson_parameter(std::span<const double> overlap);
// The same parameter from time-averaged local magnetizations, q_EA = (1/N) sum_i <s_i>^2; valid
// when the run stays in one ergodic component (or a field breaks the symmetry).
double edwards_anderson_from_magnetizations(std::span<const double> local_magnetizations);

// q = (1/N) sum_i a_i b_i for two spin configurations of equal length.
double replica_overlap(std::span<const std::int8_t> a, std::span<const std::int8_t> b);

// Histogram of q over [-1, 1] with bin centres -1 + 2k/B, k = 0..B, B = min(N, kMaxIntervals):
// for N <= kMaxIntervals every attainable q = -1 + 2k/N has a bin of its own, for larger N the
// attainable values are rounded to the nearest centre.
class OverlapHistogram {
 public:
  static constexpr std::int64_t kMaxIntervals = 256;

  explicit OverlapHistogram(std::int64_t n);

  // agreements = sum_i a_i b_i, an integer in [-N, N] with the parity of N: no rounding.
  void add_agreements(std::int64_t agreements);
  void add(std::span<const std::int8_t> a, std::span<const std::int8_t> b);
  void merge(const OverlapHistogram& other);  // same N

  [[nodiscard]] std::int64_t agents() const { return n_; }
  [[nodiscard]] std::size_t bins() const { return counts_.size(); }
  [[nodiscard]] double centre(std::size_t bin) const;
  [[nodiscard]] const std::vector<std::uint64_t>& counts() const { return counts_; }
  [[nodiscard]] std::uint64_t total() const { return total_; }
  // counts / total, the probability of each bin (all 0 when empty).
  [[nodiscard]] std::vector<double> probabilities() const;

 private:
  std::int64_t n_;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
};

}  // namespace spinfer
