#pragma once
// Per-pair precisions from a file, one direction at a time: the way to give an asymmetric
// population (gamma_ij != gamma_ji) exactly rather than through add_antisymmetric_part.
#include <string>

#include "agents/ising/spin_glass.hpp"

namespace spinfer {

// Lines: `i j w_ij` is the weight of the DIRECTED edge i -> j (agent i's precision about agent j's
// spin, the term w_ij s_j in i's evidence), so `i j` and `j i` are two separate entries; `field i
// h_i`; `agents N` (otherwise N = largest id + 1); `#` starts a comment. The weights are couplings
// J: agents_from_spin_glass multiplies them by beta, as for read_coupling_list. A pair listed in
// one direction only gets weight 0 in the other, stored as an explicit edge so that the sparsity
// pattern stays symmetric (colourings and halo exchanges rely on it). Errors name the file, the
// line and its text.
SpinGlass read_directed_coupling_list(const std::string& path);

}  // namespace spinfer
