#pragma once
// Closed-form results that sampled runs are checked against. Units: J = 1, k_B = 1, T = 1/beta.
namespace spinfer::known_results {

// Critical temperature of the square-lattice ferromagnet, T_c = 2 / ln(1 + sqrt 2).
double ising_2d_critical_temperature();

// Onsager's internal energy per spin of the infinite square-lattice ferromagnet (J = 1):
//   u = -coth(2b) [1 + (2/pi) (2 tanh^2(2b) - 1) K(k)],  k = 2 sinh(2b) / cosh^2(2b),
// with K the complete elliptic integral of the first kind. Continuous at T_c, where u = -sqrt 2.
double ising_2d_energy_per_spin(double temperature);

// Yang's spontaneous magnetization (1 - sinh(2/T)^-4)^(1/8) below T_c, 0 at and above it.
double ising_2d_spontaneous_magnetization(double temperature);

// Sherrington-Kirkpatrick with J_ij ~ N(0, 1/N), no field: the annealed (disorder-averaged
// numerator and denominator) energy per spin -beta (N-1) / (2N). It equals the quenched average
// in the paramagnetic phase (beta < 1) as N grows.
double sk_annealed_energy_per_spin(double beta, long long n);

// The annealed log-partition function per spin of the same model: ln 2 + beta^2 (N-1) / (4N).
double sk_annealed_log_partition_per_spin(double beta, long long n);

}  // namespace spinfer::known_results
