#include "runtime/run/tempering_control.hpp"

#include "agents/ising/ising_block.hpp"
#include "runtime/run/tempering_control_impl.hpp"

namespace spinfer {

TemperingControl::TemperingControl(const RunConfig& config, int replicas,
                                   std::vector<double> scales)
    : config_(config),
      exchange_(replicas, static_cast<int>(scales.size())),
      scales_(std::move(scales)),
      swap_interval_(config.tempering().swap_interval()),
      retune_rounds_(config.has_temperatures() ? config.temperatures().retune().rounds() : 0),
      retune_window_(retune_rounds_ > 0 ? config.burn_in() / retune_rounds_ : 0) {}

void TemperingControl::fill(record::EnsembleState& st) const {
  const ReplicaExchange::State x = exchange_.state();
  *st.mutable_temperature_of() = {x.temperature_of.begin(), x.temperature_of.end()};
  st.set_swap_rounds(x.rounds);
  *st.mutable_attempts() = {x.attempts.begin(), x.attempts.end()};
  *st.mutable_accepted() = {x.accepted.begin(), x.accepted.end()};
  *st.mutable_window_attempts() = {x.window_attempts.begin(), x.window_attempts.end()};
  *st.mutable_window_accepted() = {x.window_accepted.begin(), x.window_accepted.end()};
  *st.mutable_trip_label() = {x.trip_label.begin(), x.trip_label.end()};
  *st.mutable_trip_start() = {x.trip_start.begin(), x.trip_start.end()};
  *st.mutable_round_trips() = {x.round_trips.begin(), x.round_trips.end()};
  *st.mutable_round_trip_sweeps() = {x.round_trip_sweeps.begin(), x.round_trip_sweeps.end()};
  *st.mutable_betas() = {scales_.begin(), scales_.end()};
  st.set_retunes_done(retunes_);
}

// The agent families: one block of lines each.
template void TemperingControl::before_sweep(std::int64_t, Population<IsingBlock>&);
template void TemperingControl::after_sweep(std::int64_t, const comm::Communicator&,
                                            Population<IsingBlock>&);
template void TemperingControl::merge(const comm::Communicator&, const Population<IsingBlock>&);
template void TemperingControl::restore(const record::EnsembleState&, Population<IsingBlock>&);

}  // namespace spinfer
