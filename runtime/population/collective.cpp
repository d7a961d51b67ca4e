#include "runtime/population/collective.hpp"

#include <algorithm>

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "agents/core/state_hash.hpp"

namespace spinfer {

std::optional<Partition> stale_domain_partition(const AgentPopulation& agents, int domains) {
  if (domains == 0) return std::nullopt;
  try {
    return balanced_partition(agents.precisions.size(), domains, agents.lattice);
  } catch (const Error&) {
    throw field_error("stale_domains", domains,
                      "more domains than " +
                          std::string(agents.lattice ? "lattice planes" : "agents") +
                          " to cut the population into");
  }
}

bool uses_colour_phases(ScheduleKind schedule) {
  return schedule == ScheduleKind::chromatic || schedule == ScheduleKind::stale ||
         schedule == ScheduleKind::asynchronous;
}

Partition partition_for(const AgentPopulation& agents, ScheduleKind schedule, int ranks) {
  const AgentId n = agents.precisions.size();
  if (schedule == ScheduleKind::random_sequential) return single_owner_partition(n, ranks);
  return balanced_partition(n, ranks, agents.lattice);
}

Collective::Collective(const comm::Communicator& comm, const AgentPopulation& agents,
                       const Partition& partition, const CollectiveSpec& spec)
    : domain_(make_local_domain(agents.precisions, partition, comm.rank())),
      global_edge_offset_(agents.precisions.row_offsets[domain_.owned_first]),
      global_edges_(agents.precisions.row_offsets.back()),
      colouring_(uses_colour_phases(spec.schedule) ? colour_graph(agents.precisions) : Colouring{}),
      block_(domain_.precisions, spec.action, has_common_precision(agents.precisions),
             spec.policy_precision),
      states_(spec.chains, domain_.slots()) {
  std::vector<std::int8_t> clamp_value(static_cast<std::size_t>(agents.precisions.size()), 0);
  for (const auto& c : spec.clamped) clamp_value[c.agent] = c.value;
  for (std::int64_t row = 0; row < domain_.owned_count; ++row)
    if (clamp_value[domain_.global_id(row)] == 0)
      free_rows_.push_back(static_cast<std::int32_t>(row));

  // Initial spins, ghosts included, are a function of (seed, chain, global id) alone, so every
  // rank agrees on its ghosts before the first exchange.
  for (int c = 0; c < spec.chains; ++c) {
    std::int8_t* s = states_.chain(c);
    for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
      const AgentId g = domain_.global_id(slot);
      const auto word = random_block(spec.seed, StreamPurpose::initial_state,
                                     static_cast<std::uint32_t>(c), 0, g / 4)[g % 4];
      s[slot] = clamp_value[g] != 0 ? clamp_value[g] : ((word >> 31) ? 1 : -1);
    }
  }
  schedule_ =
      make_schedule(spec.schedule, ScheduleInputs{comm, domain_, colouring_, free_rows_, spec.seed,
                                                  block_, spec.staleness, spec.stale_domains});
}

std::vector<std::int8_t> Collective::owned_bytes(int chain) const {
  const std::int8_t* s = states_.chain(chain);
  std::vector<std::int8_t> bytes(static_cast<std::size_t>(domain_.owned_count));
  for (std::int64_t row = 0; row < domain_.owned_count; ++row) bytes[row] = s[row] > 0 ? 1 : 0;
  return bytes;
}

void Collective::restore_chain(int chain, std::string_view bytes) {
  const auto n = static_cast<AgentId>(bytes.size());
  std::int8_t* s = states_.chain(chain);
  for (std::int64_t slot = 0; slot < domain_.slots(); ++slot) {
    const AgentId g = domain_.global_id(slot);
    if (g >= n)
      throw field_error("checkpoint", "chain " + std::to_string(chain),
                        "holds " + std::to_string(n) + " agents, the population more");
    s[slot] = bytes[static_cast<std::size_t>(g)] != 0 ? 1 : -1;
  }
}

void Collective::restore_history(int chain, int index, std::int64_t completed,
                                 std::string_view bytes) {
  for (std::int64_t slot = 0; slot < domain_.slots(); ++slot)
    if (domain_.global_id(slot) >= static_cast<AgentId>(bytes.size()))
      throw field_error("checkpoint", "stale history of chain " + std::to_string(chain),
                        "holds fewer agents than the population");
  schedule_->restore_history(chain, index, completed, bytes);
}

std::uint64_t Collective::state_hash(const comm::Communicator& comm) const {
  std::uint64_t sum = 0;
  for (int c = 0; c < states_.chains(); ++c) {
    const std::int8_t* s = states_.chain(c);
    for (std::int64_t row = 0; row < domain_.owned_count; ++row) {
      const auto g = static_cast<std::uint64_t>(domain_.global_id(row));
      sum += agent_state_hash(static_cast<std::uint64_t>(c), g, s[row]);
    }
  }
  return comm.sum_wrapping(sum);
}

}  // namespace spinfer
