#pragma once
// Exact thermodynamics of a small model by enumerating its 2^n states: the reference that sampled
// observables (observables.hpp) are checked against.
//
// The model is in precision units (exact_oracle.hpp): gamma = beta J, zeta = beta h, with only the
// upper triangle of gamma used, as there. With the inverse temperature beta the energy of a state
// is E = -(1/beta) (sum_{i<j} gamma_ij s_i s_j + sum_i zeta_i s_i)
//      = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i,
// and per-spin quantities divide by N = n, the number of (free) agents.
#include <vector>

#include "agents/exact/exact_oracle.hpp"

namespace spinfer {

struct ExactThermodynamics {
  int agents = 0;
  double beta = 0;
  double log_partition = 0;         // ln Z
  double free_energy_per_spin = 0;  // -ln Z / (beta N)
  double energy_per_spin = 0;       // <E> / N
  double magnetization = 0;         // <m>, m = (1/N) sum_i s_i
  double abs_magnetization = 0;     // <|m|>
  double m2 = 0;                    // <m^2>
  double m4 = 0;                    // <m^4>
  double specific_heat = 0;         // beta^2 N (<e^2> - <e>^2), e = E / N
  double susceptibility = 0;        // N beta (<m^2> - <|m|>^2), the convention of observables.hpp
  double connected_susceptibility = 0;  // N beta (<m^2> - <m>^2)
  double binder = 0;                    // 1 - <m^4> / (3 <m^2>^2)
};

// Throws spinfer::Error unless beta is finite and > 0 and the model has at most
// kMaxEnumeratedAgents agents.
ExactThermodynamics exact_thermodynamics(const ReducedModel& model, double beta);

// Distribution of the overlap q = (1/n) sum_i s_i^a s_i^b between two independent replicas drawn
// from p (2^n states, bit k = spin k as in exact_oracle.hpp): entry k is P(q = -1 + 2k/n).
// P(a xor b = d) = sum_a p(a) p(a xor d) is an autocorrelation on the group of bit flips, which
// the Walsh-Hadamard transform diagonalises: O(n 2^n) instead of O(4^n).
std::vector<double> exact_overlap_distribution(const std::vector<double>& p, int n);
// The same by summing over all pairs of states, O(4^n), for checking (n <= 14).
std::vector<double> overlap_distribution_by_pairs(const std::vector<double>& p, int n);

struct ExactOverlap {
  std::vector<double> distribution;      // P(q = -1 + 2k/n), k = 0..n
  double mean = 0;                       // <q> = (1/n) sum_i <s_i>^2
  double abs_mean = 0;                   // <|q|>, the Edwards-Anderson estimate of observables.hpp
  double q2 = 0;                         // <q^2>
  double q4 = 0;                         // <q^4>
  double binder = 0;                     // (1/2)(3 - <q^4> / <q^2>^2)
  double spin_glass_susceptibility = 0;  // n <q^2>
};
ExactOverlap exact_overlap(const std::vector<double>& p, int n);

}  // namespace spinfer
