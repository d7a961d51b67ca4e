#include "agents/exact/known_results.hpp"

#include <cmath>
#include <numbers>

#include "agents/core/error.hpp"

namespace spinfer::known_results {
namespace {

double require_temperature(double temperature) {
  if (!std::isfinite(temperature) || temperature <= 0) {
    throw field_error("temperature", temperature, "must be finite and > 0");
  }
  return temperature;
}

}  // namespace

double ising_2d_critical_temperature() {
  return 2.0 / std::log(1.0 + std::numbers::sqrt2);
}

double ising_2d_energy_per_spin(double temperature) {
  const double b2 = 2.0 / require_temperature(temperature);
  const double k = 2.0 * std::sinh(b2) / (std::cosh(b2) * std::cosh(b2));
  const double t = std::tanh(b2);
  const double prefactor = 2.0 * t * t - 1.0;
  // At T_c the modulus reaches 1, where K diverges only logarithmically while its prefactor
  // vanishes linearly: the product tends to 0. Rounding can put k a hair above 1 there.
  const double elliptic_term =
      k >= 1.0 ? 0.0 : (2.0 / std::numbers::pi) * prefactor * std::comp_ellint_1(k);
  return -(1.0 / t) * (1.0 + elliptic_term);
}

double ising_2d_spontaneous_magnetization(double temperature) {
  require_temperature(temperature);
  if (temperature >= ising_2d_critical_temperature()) return 0.0;
  const double s = std::sinh(2.0 / temperature);
  const double inner = 1.0 - 1.0 / (s * s * s * s);
  return inner > 0 ? std::pow(inner, 0.125) : 0.0;
}

double sk_annealed_energy_per_spin(double beta, long long n) {
  if (n < 1) throw field_error("n", n, "must be >= 1");
  return -beta * static_cast<double>(n - 1) / (2.0 * static_cast<double>(n));
}

double sk_annealed_log_partition_per_spin(double beta, long long n) {
  if (n < 1) throw field_error("n", n, "must be >= 1");
  return std::numbers::ln2 +
         beta * beta * static_cast<double>(n - 1) / (4.0 * static_cast<double>(n));
}

}  // namespace spinfer::known_results
