#pragma once
// Entropy production along a trajectory with a known kernel: every update adds log K_forward -
// log K_backward (for one agent acting from s to s', log P(s' | e) - log P(s | e), with
// IsingBlock::log_action_probability), and the terms of a sweep add up to that sweep's total.
// The mean total per sweep estimates sweep_entropy_production (entropy_production.hpp); its error
// comes from the autocorrelation-aware estimate_mean over the per-sweep totals.
#include <span>
#include <vector>

#include "agents/statistics/statistics.hpp"

namespace spinfer {

class EntropyProductionMeter {
 public:
  // One elementary log-ratio term of the current sweep.
  void add(double log_forward_minus_backward) { current_ += log_forward_minus_backward; }
  void add(double log_forward, double log_backward) { current_ += log_forward - log_backward; }

  // Closes the current sweep (its total may be zero: a sweep without moves produces nothing).
  void end_sweep();
  // A whole sweep's total at once, e.g. after summing the ranks' shares of it.
  void add_sweep(double total);

  [[nodiscard]] std::span<const double> sweep_totals() const { return totals_; }
  // Mean per sweep with its standard error; needs at least two closed sweeps to be meaningful.
  [[nodiscard]] MeanEstimate per_sweep() const;

 private:
  double current_ = 0;
  std::vector<double> totals_;
};

}  // namespace spinfer
