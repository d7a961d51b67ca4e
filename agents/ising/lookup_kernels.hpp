#pragma once
// The inner loops of IsingBlock's lookup path (integer evidence, tabled thresholds), internal to
// agents/ising. With the degree D known at compile time, rows are consecutive runs of D edges:
// the row offsets need not be loaded and the edge loop unrolls completely (square and cubic
// lattices). D = 0 is the general CSR loop.
#include <cstdint>
#include <span>

namespace spinfer::lookup_kernels {

// Arithmetic instead of a conditional: the decision is a coin flip at high temperature, and a
// branch on it mispredicts half the time.
inline std::int8_t spin_from_bit(bool up) {
  return static_cast<std::int8_t>(2 * int{up} - 1);
}

struct Graph {
  const std::int64_t* offsets;
  const std::int32_t* columns;
  const std::int8_t* signs;
};

// sum_j sign_ij s_j of row i. The kernels pass the graph by value: a store through an int8_t
// pointer may alias anything, so pointers read from memory (a struct behind a reference) would
// be reloaded after every spin written.
template <int D>
inline int integer_evidence(const Graph g, std::int32_t i, const std::int8_t* state) {
  int k = 0;
  if constexpr (D > 0) {
    const std::int64_t e = static_cast<std::int64_t>(i) * D;
    for (int d = 0; d < D; ++d) k += g.signs[e + d] * state[g.columns[e + d]];
  } else {
    for (auto e = g.offsets[i]; e < g.offsets[i + 1]; ++e) k += g.signs[e] * state[g.columns[e]];
  }
  return k;
}

// Every listed agent acts; with Count, returns sum_i s_i' k_i (new spin times evidence).
template <int D, bool Count>
std::int64_t act(const Graph g, std::span<const std::int32_t> agents,
                 const std::uint64_t* threshold, const std::int8_t* state_in,
                 std::int8_t* state_out, const std::uint32_t* uniforms) {
  std::int64_t bonds = 0;
  for (const std::int32_t i : agents) {
    const int k = integer_evidence<D>(g, i, state_in);
    const std::int8_t s = spin_from_bit(uniforms[i] < threshold[k]);
    state_out[i] = s;
    if constexpr (Count) bonds += s * k;
  }
  return bonds;
}

// The same in place, adding each flip's fixed-point log-odds (signed by the new spin): the
// entropy production costs one table load and a multiply-add per agent, no branch.
template <int D>
std::uint64_t act_entropy(const Graph g, std::span<const std::int32_t> agents,
                          const std::uint64_t* threshold, const std::uint64_t* flip_fixed,
                          std::int8_t* state, const std::uint32_t* uniforms) {
  std::uint64_t sum = 0;
  for (const std::int32_t i : agents) {
    const int k = integer_evidence<D>(g, i, state);
    const std::int8_t before = state[i];
    const std::int8_t after = spin_from_bit(uniforms[i] < threshold[k]);
    state[i] = after;
    // (after - before) / 2 is 0 without a flip, else the new spin.
    sum += static_cast<std::uint64_t>((after - before) / 2) * flip_fixed[k];
  }
  return sum;
}

// sum_i s_i k_i and sum_i s_i over rows 0..rows-1: plain integer sums the compiler can
// vectorise, so that an energy costs well under a sweep.
template <int D>
void bond_sums(const Graph g, std::int64_t rows, const std::int8_t* state, std::int64_t& bonds,
               std::int64_t& spins) {
  std::int64_t b = 0, s = 0;
  for (std::int64_t i = 0; i < rows; ++i) {
    b += state[i] * integer_evidence<D>(g, static_cast<std::int32_t>(i), state);
    s += state[i];
  }
  bonds = b;
  spins = s;
}

// Calls f.template operator()<D>() with D the compile-time degree for 4 and 6, else 0.
template <class F>
decltype(auto) with_degree(std::int64_t regular_degree, F&& f) {
  switch (regular_degree) {
    case 4:
      return f.template operator()<4>();
    case 6:
      return f.template operator()<6>();
    default:
      return f.template operator()<0>();
  }
}

}  // namespace spinfer::lookup_kernels
