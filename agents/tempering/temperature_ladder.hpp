#pragma once
// Inverse-temperature ladders for parallel tempering. A ladder is a vector of betas in ascending
// order: index 0 is the hottest replica (smallest beta), the last index the coldest.
#include <span>
#include <vector>

namespace spinfer {

// count betas from beta_min to beta_max (both included) with a constant ratio between neighbours,
// which gives roughly uniform swap acceptance when the specific heat is constant. Throws
// spinfer::Error unless count >= 2 and 0 < beta_min < beta_max, both finite.
std::vector<double> geometric_ladder(double beta_min, double beta_max, int count);

// Throws spinfer::Error unless `betas` has at least 2 entries, all finite, > 0 and strictly
// ascending.
void validate_ladder(std::span<const double> betas);

// Moves the interior betas toward equal swap acceptance between neighbours, keeping the endpoints.
// acceptance_rates[k] is the measured acceptance of swaps between betas[k] and betas[k+1].
//
// For Gaussian energy distributions of width sigma(beta) the acceptance across a small gap is
// erfc(delta_beta sigma / 2), so d_k = erfc^-1(A_k) is a length additive along the ladder:
// d_k / delta_beta_k estimates sigma / 2 on gap k. The new betas cut the accumulated length into
// equal parts (piecewise-linear inverse), which makes every acceptance equal in one step when the
// model holds and converges by iteration when it does not. `step` in (0, 1] moves only that
// fraction of the way (feedback damping for noisy rates). The result is strictly ascending.
std::vector<double> retune_ladder(std::span<const double> betas,
                                  std::span<const double> acceptance_rates, double step = 1.0);

// Metropolis acceptance of exchanging the configurations of replicas at beta_i and beta_j, with
// energies E_i and E_j (in units of J): min(1, exp((beta_i - beta_j)(E_i - E_j))).
double swap_acceptance(double beta_i, double beta_j, double energy_i, double energy_j);

}  // namespace spinfer
