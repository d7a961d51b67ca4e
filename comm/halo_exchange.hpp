#pragma once
// Ghost (halo) exchange for spins. The plan is built from ids and owners only: each rank says
// which global ids it needs and who owns them; the owners learn what to send. Values travel in
// one contiguous buffer per peer and direction.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "communicator.hpp"

namespace spinfer::comm {

class HaloExchange {
 public:
  // This rank owns global ids [owned_first, owned_first + owned_count) at local slots
  // 0..owned_count-1. ghost_ids[k] (ascending within each owner) is mirrored at local slot
  // owned_count + k and owned by rank ghost_owners[k]. Collective: every rank must call it.
  HaloExchange(const Communicator& comm, std::int64_t owned_first, std::int64_t owned_count,
               std::span<const std::int64_t> ghost_ids, std::span<const int> ghost_owners);

  // The same plan restricted to local slots for which keep(slot) is true, on both the sending
  // and the receiving side. Both sides must decide from the same global property (a colour),
  // so that the order of values still matches. Not collective.
  [[nodiscard]] HaloExchange restricted(const std::function<bool(std::int32_t)>& keep) const;

  // The plan peer by peer, for callers that move the values themselves (AsyncHalo).
  struct PeerSlots {
    int rank;
    std::span<const std::int32_t> send_slots;  // owned slots the peer needs, in message order
    std::span<const std::int32_t> recv_slots;  // ghost slots it fills, in message order
  };
  [[nodiscard]] std::vector<PeerSlots> peer_slots() const;
  [[nodiscard]] const Communicator& communicator() const { return *comm_; }

  // Copies owned values into the peers' ghost slots. `copies` state vectors (chains) lie at
  // state + c * stride. Collective over the peers.
  void exchange(std::int8_t* state, int copies, std::int64_t stride);

 private:
  struct Peer {
    int rank = 0;
    std::vector<std::int32_t> send_slots;  // owned slots whose values the peer needs
    std::vector<std::int32_t> recv_slots;  // ghost slots filled from the peer
    std::vector<std::int8_t> send_buffer;
    std::vector<std::int8_t> recv_buffer;
  };
  HaloExchange() = default;

  std::optional<Communicator> comm_;
  std::vector<Peer> peers_;
};

}  // namespace spinfer::comm
