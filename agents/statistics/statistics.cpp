#include "agents/statistics/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include <boost/math/special_functions/gamma.hpp>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kSokalWindowFactor = 6.0;

double mean_of(std::span<const double> x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

// Population variance (1/M); exactly 0 for a constant series, whose deviations from the rounded
// mean (0.1, 0.1, ... does not average to exactly 0.1) would otherwise look perfectly correlated.
double population_variance(std::span<const double> x, double mean) {
  if (!std::isfinite(mean)) return kNaN;
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  if (*lo == *hi) return 0.0;
  double sum = 0;
  for (double v : x) sum += (v - mean) * (v - mean);
  return sum / static_cast<double>(x.size());
}

void check_same_size(const std::vector<std::uint64_t>& counts,
                     const std::vector<double>& probabilities) {
  if (counts.size() != probabilities.size()) {
    throw std::invalid_argument("counts and probabilities have different sizes");
  }
}

double total_count(const std::vector<std::uint64_t>& counts) {
  double total = 0;
  for (auto c : counts) total += static_cast<double>(c);
  return total;
}

struct Cell {
  double count = 0;
  double probability = 0;
};

}  // namespace

double integrated_autocorrelation_time(std::span<const double> series) {
  const std::size_t m = series.size();
  if (m < 4) return 0.5;
  const double mean = mean_of(series);
  const double c0 = population_variance(series, mean);
  if (!std::isfinite(c0)) return kNaN;  // non-finite samples must not pass as "uncorrelated"
  if (c0 == 0) return 0.5;

  // tau(W) = 1/2 + sum_{t=1..W} rho(t); Sokal's window stops at the first W >= c tau(W), which
  // balances the bias of truncation against the variance growing like W / M.
  double tau = 0.5;
  for (std::size_t w = 1; w <= m / 2; ++w) {
    double cw = 0;
    for (std::size_t i = 0; i + w < m; ++i) cw += (series[i] - mean) * (series[i + w] - mean);
    tau += cw / static_cast<double>(m) / c0;
    if (static_cast<double>(w) >= kSokalWindowFactor * tau) break;
  }
  return std::max(0.5, tau);
}

MeanEstimate estimate_mean(std::span<const double> series) {
  MeanEstimate estimate;
  if (series.empty()) {
    estimate.mean = kNaN;
    estimate.standard_error = kInf;
    return estimate;
  }
  const auto m = static_cast<double>(series.size());
  estimate.mean = mean_of(series);
  estimate.tau_int = integrated_autocorrelation_time(series);
  const double var = population_variance(series, estimate.mean);
  estimate.standard_error = std::sqrt(var * 2.0 * estimate.tau_int / m);
  estimate.effective_samples = m / (2.0 * estimate.tau_int);
  return estimate;
}

double chi_square_survival(double x, double dof) {
  if (std::isnan(x) || std::isnan(dof)) return kNaN;
  if (x <= 0) return 1.0;
  if (dof <= 0) return 0.0;  // the zero-dof chi-square is the point mass at 0
  if (std::isinf(x)) return 0.0;
  return boost::math::gamma_q(dof / 2.0, x / 2.0);
}

double normal_two_sided_p(double z) {
  return std::erfc(std::abs(z) / std::sqrt(2.0));
}

GoodnessOfFit pooled_chi_square(const std::vector<std::uint64_t>& counts,
                                const std::vector<double>& probabilities, double inflation,
                                double min_expected) {
  check_same_size(counts, probabilities);
  // Autocorrelation can only reduce the information in the samples; !(x >= 1) also catches NaN.
  if (!(inflation >= 1.0)) inflation = 1.0;
  GoodnessOfFit fit;
  const double total = total_count(counts);
  if (total == 0) return fit;
  const double effective_total = total / inflation;

  // Cells with zero probability have zero expected count and can never stand alone.
  std::vector<Cell> cells;
  Cell pool;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    const double p = probabilities[s];
    const auto n = static_cast<double>(counts[s]);
    if (p > 0 && effective_total * p >= min_expected) {
      cells.push_back({n, p});
    } else {
      pool.count += n;
      pool.probability += p;
    }
  }
  if (pool.probability > 0 && effective_total * pool.probability >= min_expected) {
    cells.push_back(pool);
  }

  // If the pool was dropped, the kept cells are compared with the reference conditioned on them.
  double kept_count = 0;
  double kept_probability = 0;
  for (const auto& c : cells) {
    kept_count += c.count;
    kept_probability += c.probability;
  }
  fit.cells = static_cast<int>(cells.size());
  if (fit.cells < 2) return fit;
  fit.dof = fit.cells - 1;
  if (kept_count == 0) {
    // Every sample fell in dropped cells although the kept ones expect >= 2 min_expected.
    fit.statistic = kInf;
    fit.p_value = 0;
    return fit;
  }
  double x2 = 0;
  for (const auto& c : cells) {
    const double expected = kept_count * c.probability / kept_probability;
    x2 += (c.count - expected) * (c.count - expected) / expected;
  }
  fit.statistic = x2 / inflation;
  fit.p_value = chi_square_survival(fit.statistic, fit.dof);
  return fit;
}

double total_variation(const std::vector<std::uint64_t>& counts,
                       const std::vector<double>& probabilities) {
  check_same_size(counts, probabilities);
  const double total = total_count(counts);
  if (total == 0) return kNaN;  // no empirical distribution
  double sum = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    sum += std::abs(static_cast<double>(counts[s]) / total - probabilities[s]);
  }
  return 0.5 * sum;
}

double kl_divergence(const std::vector<std::uint64_t>& counts,
                     const std::vector<double>& probabilities) {
  check_same_size(counts, probabilities);
  const double total = total_count(counts);
  if (total == 0) return kNaN;
  double sum = 0;
  for (std::size_t s = 0; s < counts.size(); ++s) {
    if (counts[s] == 0) continue;
    if (probabilities[s] <= 0) return kInf;
    const double q = static_cast<double>(counts[s]) / total;
    sum += q * std::log(q / probabilities[s]);
  }
  return sum;
}

ChainAgreement compare_chains(const std::vector<std::vector<double>>& chains) {
  if (chains.size() < 2) {
    throw field_error("chains", chains.size(), "comparing chains needs at least 2 of them");
  }
  // Split R-hat (Gelman et al., BDA3 section 11.4): each chain is cut into a first and a last
  // half of common length n (the middle is dropped when lengths are odd or unequal), so a drift
  // within a chain shows up as disagreement between its halves.
  std::size_t n = chains.front().size() / 2;
  for (const auto& c : chains) n = std::min(n, c.size() / 2);
  if (n < 2) throw field_error("chains", n * 2, "each chain needs at least 4 samples");

  std::vector<double> half_means;
  double within = 0;
  for (const auto& c : chains) {
    for (const std::size_t start : {std::size_t{0}, c.size() - n}) {
      const std::span<const double> half(c.data() + start, n);
      const double mean = mean_of(half);
      half_means.push_back(mean);
      within += population_variance(half, mean) * static_cast<double>(n) / (n - 1.0);
    }
  }
  const auto halves = static_cast<double>(half_means.size());
  within /= halves;
  const double grand = mean_of(half_means);
  double between = 0;
  for (double mean : half_means) between += (mean - grand) * (mean - grand);
  between *= static_cast<double>(n) / (halves - 1.0);

  ChainAgreement agreement;
  const double nd = static_cast<double>(n);
  if (within > 0) {
    agreement.rhat = std::sqrt(((nd - 1.0) / nd * within + between / nd) / within);
  } else {
    agreement.rhat = between > 0 ? kInf : 1.0;  // constant halves: equal or not
  }

  // Equal-means test with tau-corrected standard errors: X2 = sum w_c (x_c - x_pooled)^2 with
  // w_c = 1 / se_c^2 is chi-square with C - 1 dof under the null.
  std::vector<MeanEstimate> estimates;
  bool exact = false;  // some chain is constant, so its mean has no error to weigh
  for (const auto& c : chains) {
    estimates.push_back(estimate_mean(c));
    agreement.effective_samples += estimates.back().effective_samples;
    exact = exact || estimates.back().standard_error == 0;
  }
  if (exact) {
    // A constant chain next to a different mean is a stuck chain: certain disagreement.
    const bool equal = std::all_of(estimates.begin(), estimates.end(),
                                   [&](const auto& e) { return e.mean == estimates.front().mean; });
    agreement.p_value = equal ? 1.0 : 0.0;
    return agreement;
  }
  double weight_sum = 0;
  double weighted_mean = 0;
  for (const auto& e : estimates) {
    const double w = 1.0 / (e.standard_error * e.standard_error);
    weight_sum += w;
    weighted_mean += w * e.mean;
  }
  weighted_mean /= weight_sum;
  double x2 = 0;
  for (const auto& e : estimates) {
    x2 +=
        (e.mean - weighted_mean) * (e.mean - weighted_mean) / (e.standard_error * e.standard_error);
  }
  agreement.p_value = chi_square_survival(x2, static_cast<double>(chains.size() - 1));
  return agreement;
}

}  // namespace spinfer
