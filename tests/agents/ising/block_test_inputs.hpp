#pragma once
// Inputs the IsingBlock tests feed a block: a random +-1 state, the action uniforms of one sweep
// (both from the counter streams, so each test sees the same numbers a run would), all rows.
#include <cstdint>
#include <numeric>
#include <vector>

#include "agents/core/random_streams.hpp"

namespace spinfer::testing {

inline std::vector<std::int8_t> random_state(std::uint64_t seed, std::int64_t n,
                                             std::uint64_t sweep) {
  std::vector<std::uint32_t> words(static_cast<std::size_t>(n));
  fill_agent_uniforms(seed, StreamPurpose::initial_state, 0, sweep, 0, n, words.data());
  std::vector<std::int8_t> state;
  for (std::uint32_t w : words) state.push_back(static_cast<std::int8_t>(w >> 31 ? 1 : -1));
  return state;
}

inline std::vector<std::uint32_t> action_uniforms(std::uint64_t seed, std::int64_t n,
                                                  std::uint64_t sweep) {
  std::vector<std::uint32_t> u(static_cast<std::size_t>(n));
  fill_agent_uniforms(seed, StreamPurpose::action, 0, sweep, 0, n, u.data());
  return u;
}

inline std::vector<std::int32_t> all_rows(std::int64_t n) {
  std::vector<std::int32_t> rows(static_cast<std::size_t>(n));
  std::iota(rows.begin(), rows.end(), 0);
  return rows;
}

}  // namespace spinfer::testing
