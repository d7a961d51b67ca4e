#pragma once
// Counter-based random streams (Philox4x32-10). A random number is a pure function of
// (seed, purpose, chain, sweep, index), never of the rank that draws it: the same seed gives the
// same trajectory whatever the decomposition. One Philox block yields four 32-bit words; agent
// i's action uniform in a sweep is lane i % 4 of block i / 4.
#include <Random123/philox.h>

#include <array>
#include <cstdint>

#include "agents/core/weighted_graph.hpp"

namespace spinfer {

enum class StreamPurpose : std::uint32_t {
  initial_state = 0x5eed0001,
  action = 0x5eed0002,
  site_selection = 0x5eed0003,
  antisymmetric_coupling = 0x5eed0004,  // keyed by the pair (min id, max id), not by a sweep
  tempering_swap = 0x5eed0010,          // chain = replica, block = lower temperature of the pair
};

using RandomBlock = std::array<std::uint32_t, 4>;

inline RandomBlock random_block(std::uint64_t seed, StreamPurpose purpose, std::uint32_t chain,
                                std::uint64_t sweep, std::uint64_t block) {
  using Philox = r123::Philox4x32;
  // Counter layout: block index (32 bits), sweep (48 bits), chain (16 bits), purpose (32 bits).
  const Philox::ctr_type counter = {
      {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(sweep),
       static_cast<std::uint32_t>((sweep >> 32) & 0xffffu) | (chain << 16),
       static_cast<std::uint32_t>(purpose)}};
  const Philox::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const auto out = Philox()(counter, key);
  return {out[0], out[1], out[2], out[3]};
}

// Writes the 32-bit uniform of every agent in [first, first + count) into out[0..count).
void fill_agent_uniforms(std::uint64_t seed, StreamPurpose purpose, std::uint32_t chain,
                         std::uint64_t sweep, AgentId first, std::int64_t count,
                         std::uint32_t* out);

inline double to_unit_interval(std::uint32_t word) {
  return (word + 0.5) * 0x1p-32;
}

}  // namespace spinfer
