#pragma once
// Asymmetric precisions gamma_ij != gamma_ji, the knob that breaks detailed balance: the
// collective then has no energy function, and its stationary law is whatever the kernel makes it
// (transition_kernel.hpp computes it exactly for small populations).
#include <cstdint>

#include "agents/core/weighted_graph.hpp"
#include "agents/exact/exact_oracle.hpp"

namespace spinfer {

// gamma = J + k A, A antisymmetric (A_ji = -A_ij) on the sparsity pattern of `couplings`. For
// i < j, A_ij = s g_ij with g_ij a standard Gaussian keyed by (seed, i, j) through Philox and s
// the root-mean-square weight of the symmetric part of `couplings` over its directed edges. With
// that scale k is dimensionless, k = 1 making the antisymmetric part as large as the symmetric one
// whatever the instance's own scale (+-J, SK's 1/sqrt(N)); the RMS rather than the standard
// deviation, so that a ferromagnet, whose couplings do not spread at all, still gets asymmetry.
// Fields are unchanged, and k = 0 returns `couplings` bit for bit. Throws spinfer::Error for a
// non-finite k or an edge i -> j without j -> i (the pattern must be symmetric).
WeightedGraph add_antisymmetric_part(const WeightedGraph& couplings, double k, std::uint64_t seed);

// (G + G^T) / 2 on the union of both directions' patterns, so the result is a symmetric graph
// (a missing direction counts as weight 0). A symmetric graph comes back bit for bit.
WeightedGraph symmetric_part(const WeightedGraph& graph);

// The same for an enumerable model: gamma -> (gamma + gamma^T) / 2. boltzmann_distribution reads
// only gamma's upper triangle, so Boltzmann(J_sym) must be computed on this model.
ReducedModel symmetric_part(const ReducedModel& model);

}  // namespace spinfer
