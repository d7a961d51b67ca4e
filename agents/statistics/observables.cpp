#include "agents/statistics/observables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numeric>
#include <string>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Standard error of the mean of the values, sqrt(s^2 / n) with the unbiased s^2.
double standard_error_of(const std::vector<double>& values) {
  const auto n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / (n - 1) / n);
}

std::vector<double> mapped(std::span<const double> x, double (*f)(double)) {
  std::vector<double> y(x.size());
  for (std::size_t t = 0; t < x.size(); ++t) y[t] = f(x[t]);
  return y;
}

double square(double x) {
  return x * x;
}
double fourth(double x) {
  return x * x * x * x;
}
double absolute(double x) {
  return std::abs(x);
}

Estimate as_estimate(const JackknifeEstimate& j) {
  return {j.value, j.error};
}

void require_agents(std::int64_t n) {
  if (n < 1) throw field_error("agents", n, "must be >= 1");
}

}  // namespace

BinningAnalysis binning_analysis(std::span<const double> series) {
  BinningAnalysis result;
  const std::size_t m = series.size();
  if (m == 0) {
    result.mean = kNaN;
    result.standard_error = result.naive_error = std::numeric_limits<double>::infinity();
    return result;
  }
  result.mean = std::accumulate(series.begin(), series.end(), 0.0) / static_cast<double>(m);
  if (m < 2) {
    result.standard_error = result.naive_error = std::numeric_limits<double>::infinity();
    return result;
  }

  std::vector<double> bins(series.begin(), series.end());
  result.naive_error = standard_error_of(bins);
  result.standard_error = result.naive_error;
  if (result.naive_error == 0 || !std::isfinite(result.naive_error)) {
    result.converged = result.naive_error == 0;  // a constant series has nothing to bin
    result.errors.push_back(result.naive_error);
    return result;
  }
  const double naive_variance = result.naive_error * result.naive_error;

  std::int64_t bin_size = 1;
  while (bins.size() >= static_cast<std::size_t>(BinningAnalysis::kMinBins)) {
    const double error = standard_error_of(bins);
    const double tau = 0.5 * error * error / naive_variance;
    result.errors.push_back(error);
    result.standard_error = error;
    result.tau_int = tau;
    result.bin_size = bin_size;
    if (static_cast<double>(bin_size) >= BinningAnalysis::kPlateauFactor * 2.0 * tau) {
      result.converged = true;
      break;
    }
    // Next level: average neighbouring pairs (an odd last bin is dropped).
    for (std::size_t b = 0; b + 1 < bins.size(); b += 2)
      bins[b / 2] = 0.5 * (bins[b] + bins[b + 1]);
    bins.resize(bins.size() / 2);
    bin_size *= 2;
  }
  if (result.errors.empty()) {
    // Fewer than kMinBins samples: no level is trustworthy; report the naive error unconverged.
    result.errors.push_back(result.naive_error);
  }
  return result;
}

JackknifeEstimate jackknife(const std::vector<std::vector<double>>& series, const MeansFunction& f,
                            int blocks) {
  if (series.empty()) throw field_error("jackknife series", 0, "need at least one series");
  if (blocks < 2) throw field_error("jackknife blocks", blocks, "must be >= 2");
  const std::size_t m = series.front().size();
  for (const auto& x : series) {
    if (x.size() != m) {
      throw field_error("jackknife series length", x.size(),
                        "every series must have " + std::to_string(m) + " samples");
    }
  }
  const auto b_count = static_cast<std::size_t>(blocks);
  if (m < b_count) {
    throw field_error("jackknife samples", m,
                      "fewer than the " + std::to_string(blocks) + " blocks");
  }
  const std::size_t length = m / b_count;
  const std::size_t skip = m - length * b_count;
  const std::size_t k_count = series.size();

  // block_sums[b * K + k]: sum of series k over block b.
  std::vector<double> block_sums(b_count * k_count, 0.0);
  std::vector<double> totals(k_count, 0.0);
  for (std::size_t k = 0; k < k_count; ++k) {
    for (std::size_t b = 0; b < b_count; ++b) {
      double sum = 0;
      for (std::size_t t = skip + b * length; t < skip + (b + 1) * length; ++t) sum += series[k][t];
      block_sums[b * k_count + k] = sum;
      totals[k] += sum;
    }
  }

  const double used = static_cast<double>(length * b_count);
  std::vector<double> means(k_count);
  for (std::size_t k = 0; k < k_count; ++k) means[k] = totals[k] / used;
  JackknifeEstimate estimate;
  estimate.value = f(means);

  std::vector<double> leave_out(b_count);
  const double kept = used - static_cast<double>(length);
  for (std::size_t b = 0; b < b_count; ++b) {
    for (std::size_t k = 0; k < k_count; ++k) {
      means[k] = (totals[k] - block_sums[b * k_count + k]) / kept;
    }
    leave_out[b] = f(means);
  }
  const double bd = static_cast<double>(b_count);
  const double average = std::accumulate(leave_out.begin(), leave_out.end(), 0.0) / bd;
  double sum = 0;
  for (double v : leave_out) sum += (v - average) * (v - average);
  estimate.error = std::sqrt((bd - 1) / bd * sum);
  estimate.bias_corrected = bd * estimate.value - (bd - 1) * average;
  return estimate;
}

Estimate susceptibility(std::span<const double> magnetization, std::int64_t n, double beta,
                        int blocks) {
  require_agents(n);
  const double scale = static_cast<double>(n) * beta;
  return as_estimate(jackknife(
      {mapped(magnetization, absolute), mapped(magnetization, square)},
      [scale](std::span<const double> x) { return scale * (x[1] - x[0] * x[0]); }, blocks));
}

Estimate specific_heat(std::span<const double> energy_per_spin, std::int64_t n, double beta,
                       int blocks) {
  require_agents(n);
  const double scale = static_cast<double>(n) * beta * beta;
  return as_estimate(jackknife(
      {std::vector<double>(energy_per_spin.begin(), energy_per_spin.end()),
       mapped(energy_per_spin, square)},
      [scale](std::span<const double> x) { return scale * (x[1] - x[0] * x[0]); }, blocks));
}

Estimate binder_cumulant(std::span<const double> magnetization, int blocks) {
  return as_estimate(jackknife(
      {mapped(magnetization, square), mapped(magnetization, fourth)},
      [](std::span<const double> x) { return 1.0 - x[1] / (3.0 * x[0] * x[0]); }, blocks));
}

Estimate overlap_binder(std::span<const double> overlap, int blocks) {
  return as_estimate(jackknife(
      {mapped(overlap, square), mapped(overlap, fourth)},
      [](std::span<const double> x) { return 0.5 * (3.0 - x[1] / (x[0] * x[0])); }, blocks));
}

Estimate spin_glass_susceptibility(std::span<const double> overlap, std::int64_t n, int blocks) {
  require_agents(n);
  const auto nd = static_cast<double>(n);
  return as_estimate(jackknife(
      {mapped(overlap, square)}, [nd](std::span<const double> x) { return nd * x[0]; }, blocks));
}

Estimate edwards_anderson_parameter(std::span<const double> overlap) {
  const BinningAnalysis b = binning_analysis(mapped(overlap, absolute));
  return {b.mean, b.standard_error};
}

double edwards_anderson_from_magnetizations(std::span<const double> local_magnetizations) {
  if (local_magnetizations.empty()) return kNaN;
  double sum = 0;
  for (double m : local_magnetizations) sum += m * m;
  return sum / static_cast<double>(local_magnetizations.size());
}

double replica_overlap(std::span<const std::int8_t> a, std::span<const std::int8_t> b) {
  if (a.size() != b.size() || a.empty()) {
    throw field_error(
        "replica size", b.size(),
        "replicas must be non-empty and equally long (" + std::to_string(a.size()) + ")");
  }
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  return static_cast<double>(sum) / static_cast<double>(a.size());
}

OverlapHistogram::OverlapHistogram(std::int64_t n) : n_(n) {
  require_agents(n);
  counts_.assign(static_cast<std::size_t>(std::min(n, kMaxIntervals) + 1), 0);
}

void OverlapHistogram::add_agreements(std::int64_t agreements) {
  if (agreements < -n_ || agreements > n_) {
    throw field_error("overlap agreements", agreements,
                      "must be in [-N, N] with N = " + std::to_string(n_));
  }
  // Nearest centre: floor(x + 1/2) with x = (a + N) B / (2N), in integers (no rounding error).
  const auto intervals = static_cast<std::int64_t>(counts_.size()) - 1;
  const std::int64_t bin = ((agreements + n_) * intervals + n_) / (2 * n_);
  ++counts_[static_cast<std::size_t>(bin)];
  ++total_;
}

void OverlapHistogram::add(std::span<const std::int8_t> a, std::span<const std::int8_t> b) {
  if (static_cast<std::int64_t>(a.size()) != n_ || static_cast<std::int64_t>(b.size()) != n_) {
    throw field_error("replica size", a.size() == b.size() ? a.size() : b.size(),
                      "histogram is for N = " + std::to_string(n_));
  }
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += a[i] * b[i];
  add_agreements(sum);
}

void OverlapHistogram::merge(const OverlapHistogram& other) {
  if (other.n_ != n_) {
    throw field_error("overlap histogram N", other.n_,
                      "cannot merge into N = " + std::to_string(n_));
  }
  for (std::size_t k = 0; k < counts_.size(); ++k) counts_[k] += other.counts_[k];
  total_ += other.total_;
}

double OverlapHistogram::centre(std::size_t bin) const {
  return -1.0 + 2.0 * static_cast<double>(bin) / static_cast<double>(counts_.size() - 1);
}

std::vector<double> OverlapHistogram::probabilities() const {
  std::vector<double> p(counts_.size(), 0.0);
  if (total_ == 0) return p;
  for (std::size_t k = 0; k < p.size(); ++k) {
    p[k] = static_cast<double>(counts_[k]) / static_cast<double>(total_);
  }
  return p;
}

}  // namespace spinfer
