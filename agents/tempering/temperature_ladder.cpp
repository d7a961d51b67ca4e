#include "agents/tempering/temperature_ladder.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include <boost/math/special_functions/erf.hpp>

#include "agents/core/error.hpp"

namespace spinfer {
namespace {

// Acceptances of exactly 0 or 1 would give infinite or zero lengths; clipping keeps every gap's
// length finite and positive, so the cumulative length stays strictly increasing.
constexpr double kAcceptanceFloor = 1e-12;

void require_positive_beta(const char* field, double beta) {
  if (!std::isfinite(beta) || beta <= 0) throw field_error(field, beta, "must be finite and > 0");
}

}  // namespace

std::vector<double> geometric_ladder(double beta_min, double beta_max, int count) {
  require_positive_beta("ladder.beta_min", beta_min);
  require_positive_beta("ladder.beta_max", beta_max);
  if (beta_min >= beta_max) {
    throw field_error("ladder.beta_max", beta_max,
                      "must exceed ladder.beta_min = " + std::to_string(beta_min));
  }
  if (count < 2) throw field_error("ladder.count", count, "must be >= 2");
  std::vector<double> betas(static_cast<std::size_t>(count));
  const double log_ratio = std::log(beta_max / beta_min);
  for (int k = 0; k < count; ++k) {
    betas[k] = beta_min * std::exp(log_ratio * k / (count - 1));
  }
  betas.front() = beta_min;  // exact endpoints despite exp/log rounding
  betas.back() = beta_max;
  return betas;
}

void validate_ladder(std::span<const double> betas) {
  if (betas.size() < 2) throw field_error("ladder.count", betas.size(), "must be >= 2");
  for (std::size_t k = 0; k < betas.size(); ++k) {
    require_positive_beta("ladder.beta", betas[k]);
    if (k > 0 && betas[k] <= betas[k - 1]) {
      throw field_error(
          "ladder.beta", betas[k],
          "betas must be strictly ascending (previous is " + std::to_string(betas[k - 1]) + ")");
    }
  }
}

std::vector<double> retune_ladder(std::span<const double> betas,
                                  std::span<const double> acceptance_rates, double step) {
  validate_ladder(betas);
  if (acceptance_rates.size() + 1 != betas.size()) {
    throw field_error(
        "ladder.acceptance_rates", acceptance_rates.size(),
        "need one rate per neighbouring pair (" + std::to_string(betas.size() - 1) + ")");
  }
  for (double a : acceptance_rates) {
    if (!(a >= 0 && a <= 1)) throw field_error("ladder.acceptance_rate", a, "must be in [0, 1]");
  }
  if (!(step > 0 && step <= 1)) throw field_error("ladder.step", step, "must be in (0, 1]");

  const std::size_t gaps = acceptance_rates.size();
  std::vector<double> cumulative(gaps + 1, 0.0);  // length from betas[0] to betas[k]
  for (std::size_t k = 0; k < gaps; ++k) {
    const double a = std::clamp(acceptance_rates[k], kAcceptanceFloor, 1.0 - kAcceptanceFloor);
    cumulative[k + 1] = cumulative[k] + boost::math::erfc_inv(a);
  }

  std::vector<double> tuned(betas.begin(), betas.end());
  std::size_t gap = 0;
  for (std::size_t k = 1; k < gaps; ++k) {
    const double target = cumulative[gaps] * static_cast<double>(k) / static_cast<double>(gaps);
    while (cumulative[gap + 1] < target) ++gap;
    const double fraction = (target - cumulative[gap]) / (cumulative[gap + 1] - cumulative[gap]);
    const double equalised = betas[gap] + fraction * (betas[gap + 1] - betas[gap]);
    tuned[k] = betas[k] + step * (equalised - betas[k]);
  }
  return tuned;
}

double swap_acceptance(double beta_i, double beta_j, double energy_i, double energy_j) {
  const double exponent = (beta_i - beta_j) * (energy_i - energy_j);
  return exponent >= 0 ? 1.0 : std::exp(exponent);
}

}  // namespace spinfer
