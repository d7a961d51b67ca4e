#pragma once
// The final_state_hash of a population: a wrapping sum over (chain, agent) of a 64-bit mix of
// (chain, global agent id, spin). A sum, so any decomposition over ranks gives the same value;
// keyed by the global id, so it does not depend on who owns which agent.
#include <cstdint>

namespace spinfer {

// SplitMix64's finaliser: every input bit affects every output bit.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// One agent's term; `chain` is the chain or, in ensemble runs, the system index.
constexpr std::uint64_t agent_state_hash(std::uint64_t chain, std::uint64_t agent,
                                         std::int8_t spin) {
  return splitmix64((chain << 48) ^ (agent << 1) ^ (spin > 0 ? 1u : 0u));
}

}  // namespace spinfer
