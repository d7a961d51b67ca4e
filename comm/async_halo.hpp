#pragma once
// Halo values sent without waiting for anyone: the asynchronous schedule's communication. A rank
// posts the values of one channel (one colour) as soon as it has them and, whenever it likes,
// applies whatever messages have arrived, in the order each peer sent them. Nothing blocks until
// settle(), which every rank calls at the same points (before a measurement, a checkpoint, the
// end of the run) to bring every ghost up to date again.
#include <cstdint>
#include <memory>
#include <vector>

#include "halo_exchange.hpp"

namespace spinfer::comm {

class AsyncHalo {
 public:
  // How old the applied values were: receiver's stamp - (sender's stamp + 1), in stamp units
  // (the caller's clock; 0 when the receiver is exactly one stamp behind, as in lockstep).
  struct Lag {
    std::int64_t messages = 0;
    double sum_abs = 0;
    double max_abs = 0;
  };

  // channels[c] is `full` restricted to channel c's slots (HaloExchange::restricted).
  AsyncHalo(const std::vector<HaloExchange>& channels, HaloExchange full);
  ~AsyncHalo();
  AsyncHalo(const AsyncHalo&) = delete;
  AsyncHalo& operator=(const AsyncHalo&) = delete;

  // Sends channel c's owned values, stamped, to the peers that need them; returns at once.
  void post(int channel, std::int64_t stamp, const std::int8_t* state, int copies,
            std::int64_t stride);
  // Applies every message that has arrived so far; `now` is the receiver's stamp.
  void deliver(std::int8_t* state, int copies, std::int64_t stride, std::int64_t now, Lag& lag);
  // Collective: applies every message still in flight, completes the sends, then exchanges the
  // whole halo as HaloExchange does.
  void settle(std::int8_t* state, int copies, std::int64_t stride, std::int64_t now, Lag& lag);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinfer::comm
