#include "halo_exchange.hpp"

#include <boost/mpi.hpp>
#include <map>
#include <stdexcept>

namespace spinfer::comm {

namespace mpi = boost::mpi;

namespace {
constexpr int kRequestTag = 101;
constexpr int kHaloTag = 102;
}  // namespace

HaloExchange::HaloExchange(const Communicator& comm, std::int64_t owned_first,
                           std::int64_t owned_count, std::span<const std::int64_t> ghost_ids,
                           std::span<const int> ghost_owners)
    : comm_(comm) {
  const auto& raw = comm.raw();
  const int ranks = comm.size();
  // What I need from each owner, in my ghost order.
  std::map<int, Peer> by_rank;
  std::vector<std::vector<std::int64_t>> requests(ranks);
  for (std::size_t k = 0; k < ghost_ids.size(); ++k) {
    const int owner = ghost_owners[k];
    if (owner == comm.rank() || owner < 0 || owner >= ranks)
      throw std::logic_error("halo: ghost owned by an impossible rank");
    requests[owner].push_back(ghost_ids[k]);
    by_rank[owner].recv_slots.push_back(static_cast<std::int32_t>(owned_count + k));
  }
  std::vector<int> request_counts(ranks), incoming_counts(ranks);
  for (int r = 0; r < ranks; ++r) request_counts[r] = static_cast<int>(requests[r].size());
  mpi::all_to_all(raw, request_counts, incoming_counts);

  std::vector<mpi::request> pending;
  std::vector<std::vector<std::int64_t>> incoming(ranks);
  for (int r = 0; r < ranks; ++r) {
    if (incoming_counts[r] > 0) {
      incoming[r].resize(incoming_counts[r]);
      pending.push_back(raw.irecv(r, kRequestTag, incoming[r].data(), incoming_counts[r]));
    }
    if (request_counts[r] > 0)
      pending.push_back(raw.isend(r, kRequestTag, requests[r].data(), request_counts[r]));
  }
  mpi::wait_all(pending.begin(), pending.end());

  for (int r = 0; r < ranks; ++r) {
    for (const std::int64_t id : incoming[r]) {
      if (id < owned_first || id >= owned_first + owned_count)
        throw std::logic_error("halo: a peer asked for an id this rank does not own");
      by_rank[r].send_slots.push_back(static_cast<std::int32_t>(id - owned_first));
    }
  }
  for (auto& [rank, peer] : by_rank) {
    peer.rank = rank;
    peers_.push_back(std::move(peer));
  }
}

HaloExchange HaloExchange::restricted(const std::function<bool(std::int32_t)>& keep) const {
  HaloExchange subset;
  subset.comm_ = comm_;
  for (const Peer& peer : peers_) {
    Peer kept;
    kept.rank = peer.rank;
    for (auto slot : peer.send_slots)
      if (keep(slot)) kept.send_slots.push_back(slot);
    for (auto slot : peer.recv_slots)
      if (keep(slot)) kept.recv_slots.push_back(slot);
    if (!kept.send_slots.empty() || !kept.recv_slots.empty()) subset.peers_.push_back(kept);
  }
  return subset;
}

std::vector<HaloExchange::PeerSlots> HaloExchange::peer_slots() const {
  std::vector<PeerSlots> out;
  for (const Peer& peer : peers_) out.push_back({peer.rank, peer.send_slots, peer.recv_slots});
  return out;
}

void HaloExchange::exchange(std::int8_t* state, int copies, std::int64_t stride) {
  if (peers_.empty()) return;
  const auto& raw = comm_->raw();
  std::vector<mpi::request> pending;
  pending.reserve(2 * peers_.size());
  for (Peer& peer : peers_) {
    const std::size_t n_recv = peer.recv_slots.size() * copies;
    peer.recv_buffer.resize(n_recv);
    if (n_recv > 0)
      pending.push_back(
          raw.irecv(peer.rank, kHaloTag, peer.recv_buffer.data(), static_cast<int>(n_recv)));
  }
  for (Peer& peer : peers_) {
    peer.send_buffer.resize(peer.send_slots.size() * copies);
    std::int8_t* out = peer.send_buffer.data();
    for (int c = 0; c < copies; ++c)
      for (auto slot : peer.send_slots) *out++ = state[c * stride + slot];
    if (!peer.send_buffer.empty())
      pending.push_back(raw.isend(peer.rank, kHaloTag, peer.send_buffer.data(),
                                  static_cast<int>(peer.send_buffer.size())));
  }
  mpi::wait_all(pending.begin(), pending.end());
  for (const Peer& peer : peers_) {
    const std::int8_t* in = peer.recv_buffer.data();
    for (int c = 0; c < copies; ++c)
      for (auto slot : peer.recv_slots) state[c * stride + slot] = *in++;
  }
}

}  // namespace spinfer::comm
