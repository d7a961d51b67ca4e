#include "agents/core/random_streams.hpp"

namespace spinfer {

void fill_agent_uniforms(std::uint64_t seed, StreamPurpose purpose, std::uint32_t chain,
                         std::uint64_t sweep, AgentId first, std::int64_t count,
                         std::uint32_t* out) {
  AgentId agent = first;
  const AgentId end = first + count;
  // Ragged head: agents before the first block boundary.
  while (agent < end && agent % 4 != 0) {
    *out++ = random_block(seed, purpose, chain, sweep, agent / 4)[agent % 4];
    ++agent;
  }
  // Whole blocks: the loop the compiler vectorises.
  const std::int64_t blocks = (end - agent) / 4;
  const auto first_block = static_cast<std::uint64_t>(agent / 4);
  for (std::int64_t b = 0; b < blocks; ++b) {
    const RandomBlock r = random_block(seed, purpose, chain, sweep, first_block + b);
    out[4 * b] = r[0];
    out[4 * b + 1] = r[1];
    out[4 * b + 2] = r[2];
    out[4 * b + 3] = r[3];
  }
  out += 4 * blocks;
  agent += 4 * blocks;
  for (; agent < end; ++agent)
    *out++ = random_block(seed, purpose, chain, sweep, agent / 4)[agent % 4];
}

}  // namespace spinfer
