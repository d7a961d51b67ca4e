#pragma once
// A spin-glass instance: couplings J_ij and fields h_i (energy E = -sum_{i<j} J_ij s_i s_j -
// sum_i h_i s_i), plus the lattice shape when the instance is a periodic lattice (used by the
// runtime to cut the lattice into slabs).
#include <optional>
#include <string>

#include "agents/core/weighted_graph.hpp"

namespace spinfer {

struct LatticeShape {
  int dimensions = 0;       // 2 or 3
  std::int64_t length = 0;  // side L; agent id = x + L*(y + L*z)
};

struct SpinGlass {
  WeightedGraph couplings;  // weights are J_ij, fields are h_i
  std::optional<LatticeShape> lattice;
  std::string description;
};

}  // namespace spinfer
