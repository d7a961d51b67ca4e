#include "async_halo.hpp"

#include <algorithm>
#include <boost/mpi.hpp>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>

namespace spinfer::comm {

namespace mpi = boost::mpi;

namespace {
constexpr int kValuesTag = 103;
constexpr int kCountTag = 104;
// A message: channel (int32), stamp (int64), then the values of every copy in route order.
constexpr std::size_t kHeader = sizeof(std::int32_t) + sizeof(std::int64_t);
}  // namespace

struct AsyncHalo::Impl {
  struct Route {
    std::vector<std::int32_t> send_slots;
    std::vector<std::int32_t> recv_slots;
  };
  struct Sending {
    std::vector<std::int8_t> buffer;
    mpi::request request;
  };

  explicit Impl(HaloExchange full_plan) : full(std::move(full_plan)) {}

  void apply(int source, std::int8_t* state, int copies, std::int64_t stride, std::int64_t now,
             Lag& lag) {
    std::int32_t channel = 0;
    std::int64_t stamp = 0;
    std::memcpy(&channel, incoming.data(), sizeof channel);
    std::memcpy(&stamp, incoming.data() + sizeof channel, sizeof stamp);
    if (channel < 0 || static_cast<std::size_t>(channel) >= routes.size())
      throw std::logic_error("async halo: message for an unknown channel");
    const auto route = routes[channel].find(source);
    if (route == routes[channel].end()) throw std::logic_error("async halo: unexpected sender");
    const auto& slots = route->second.recv_slots;
    if (incoming.size() != kHeader + slots.size() * copies)
      throw std::logic_error("async halo: message of the wrong size");
    const std::int8_t* in = incoming.data() + kHeader;
    for (int c = 0; c < copies; ++c)
      for (const auto slot : slots) state[c * stride + slot] = *in++;
    ++received[source];
    const double age = std::fabs(static_cast<double>(now - (stamp + 1)));
    ++lag.messages;
    lag.sum_abs += age;
    lag.max_abs = std::max(lag.max_abs, age);
  }

  void receive(const mpi::status& status, std::int8_t* state, int copies, std::int64_t stride,
               std::int64_t now, Lag& lag) {
    const auto count = status.count<std::int8_t>();
    if (!count) throw std::logic_error("async halo: message without a size");
    incoming.resize(static_cast<std::size_t>(*count));
    raw().recv(status.source(), kValuesTag, incoming.data(), *count);
    apply(status.source(), state, copies, stride, now, lag);
  }

  void reap(bool wait) {
    while (!sending.empty()) {
      if (wait)
        sending.front().request.wait();
      else if (!sending.front().request.test())
        return;
      sending.pop_front();
    }
  }

  [[nodiscard]] const mpi::communicator& raw() const { return full.communicator().raw(); }

  std::vector<std::map<int, Route>> routes;  // by channel, then peer rank
  HaloExchange full;
  std::vector<int> peers;                      // every rank this one exchanges with
  std::map<int, std::int64_t> sent, received;  // messages so far, by peer
  std::deque<Sending> sending;
  std::vector<std::int8_t> incoming;
};

AsyncHalo::AsyncHalo(const std::vector<HaloExchange>& channels, HaloExchange full)
    : impl_(std::make_unique<Impl>(std::move(full))) {
  for (const HaloExchange& channel : channels) {
    auto& routes = impl_->routes.emplace_back();
    for (const auto& peer : channel.peer_slots())
      routes[peer.rank] = {{peer.send_slots.begin(), peer.send_slots.end()},
                           {peer.recv_slots.begin(), peer.recv_slots.end()}};
  }
  for (const auto& peer : impl_->full.peer_slots()) {
    impl_->peers.push_back(peer.rank);
    impl_->sent[peer.rank] = 0;
    impl_->received[peer.rank] = 0;
  }
}

AsyncHalo::~AsyncHalo() {
  // Sends still in flight own their buffers; they must complete before the buffers go.
  if (impl_) impl_->reap(true);
}

void AsyncHalo::post(int channel, std::int64_t stamp, const std::int8_t* state, int copies,
                     std::int64_t stride) {
  Impl& m = *impl_;
  m.reap(false);
  const auto channel32 = static_cast<std::int32_t>(channel);
  for (const auto& [rank, route] : m.routes[channel]) {
    if (route.send_slots.empty()) continue;
    Impl::Sending& out = m.sending.emplace_back();
    out.buffer.resize(kHeader + route.send_slots.size() * copies);
    std::memcpy(out.buffer.data(), &channel32, sizeof channel32);
    std::memcpy(out.buffer.data() + sizeof channel32, &stamp, sizeof stamp);
    std::int8_t* values = out.buffer.data() + kHeader;
    for (int c = 0; c < copies; ++c)
      for (const auto slot : route.send_slots) *values++ = state[c * stride + slot];
    out.request =
        m.raw().isend(rank, kValuesTag, out.buffer.data(), static_cast<int>(out.buffer.size()));
    ++m.sent[rank];
  }
}

void AsyncHalo::deliver(std::int8_t* state, int copies, std::int64_t stride, std::int64_t now,
                        Lag& lag) {
  Impl& m = *impl_;
  if (m.peers.empty()) return;
  while (const auto status = m.raw().iprobe(mpi::any_source, kValuesTag))
    m.receive(*status, state, copies, stride, now, lag);
}

void AsyncHalo::settle(std::int8_t* state, int copies, std::int64_t stride, std::int64_t now,
                       Lag& lag) {
  Impl& m = *impl_;
  // Every peer says how many messages it has sent me so far; I receive until I have them all.
  std::map<int, std::int64_t> expected;
  std::vector<mpi::request> counts;
  for (const int peer : m.peers) {
    counts.push_back(m.raw().irecv(peer, kCountTag, expected[peer]));
    counts.push_back(m.raw().isend(peer, kCountTag, m.sent[peer]));
  }
  mpi::wait_all(counts.begin(), counts.end());
  for (const int peer : m.peers)
    while (m.received[peer] < expected[peer])
      m.receive(m.raw().probe(peer, kValuesTag), state, copies, stride, now, lag);
  m.reap(true);
  m.full.exchange(state, copies, stride);
}

}  // namespace spinfer::comm
