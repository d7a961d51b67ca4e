#pragma once
// TemperingControl's family-generic members; instantiated in tempering_control.cpp.
#include <type_traits>

#include "agents/core/fixed_point.hpp"
#include "agents/tempering/temperature_ladder.hpp"
#include "runtime/config/ensemble_config.hpp"
#include "runtime/run/tempering_control.hpp"

namespace spinfer {

template <class Block>
void TemperingControl::before_sweep(std::int64_t sweep, Population<Block>& population) {
  if (config_.has_annealing()) set_scales({annealing_beta(config_, sweep)}, population);
}

template <class Block>
void TemperingControl::after_sweep(std::int64_t done, const comm::Communicator& world,
                                   Population<Block>& population) {
  if (temperatures() > 1 && swap_interval_ > 0 && done % swap_interval_ == 0)
    swap(done, world, population);
  if (retune_window_ > 0 && done % retune_window_ == 0 && retunes_ < retune_rounds_ &&
      done <= config_.burn_in()) {
    merge(world, population);
    set_scales(retune_ladder(scales_, exchange_.window_acceptance_rates(),
                             config_.temperatures().retune().step()),
               population);
    exchange_.reset_window();
    ++retunes_;
  }
  if (done == config_.burn_in()) exchange_.reset_statistics();
}

// One round of swap attempts. When every group holds whole replicas, a group decides its own
// replicas' swaps from its own energies, without talking to the other groups; the decisions
// are the ones the whole world would make, and merge() gathers them when needed.
template <class Block>
void TemperingControl::swap(std::int64_t done, const comm::Communicator& world,
                            const Population<Block>& population) {
  const bool local = replica_local(population);
  const std::vector<std::uint64_t> fixed =
      population.energies(local ? population.group_comm() : world);
  std::vector<double> energies(fixed.size());
  for (std::size_t s = 0; s < fixed.size(); ++s) energies[s] = fixed_point::to_double(fixed[s]);
  const int t = temperatures();
  const int first = local ? population.first_system() / t : 0;
  const int end =
      local ? (population.first_system() + population.local_systems()) / t : exchange_.replicas();
  exchange_.attempt_swaps(config_.seed(), static_cast<std::uint64_t>(done), energies, scales_,
                          first, end);
  stale_ = local;
}

template <class Block>
bool TemperingControl::replica_local(const Population<Block>& population) const {
  const EnsembleLayout& layout = population.layout();
  if (layout.groups == 1) return false;  // nothing to keep apart
  for (int g = 0; g < layout.groups; ++g)
    if (layout.first_system[g] % temperatures() != 0) return false;
  return true;
}

template <class Block>
void TemperingControl::merge(const comm::Communicator& world, const Population<Block>& population) {
  if (!stale_) return;
  stale_ = false;
  const int t = temperatures(), pairs = t - 1, replicas = exchange_.replicas();
  const std::size_t width = static_cast<std::size_t>(3 * t + 4 * pairs + 2);
  std::vector<std::uint64_t> v(width * static_cast<std::size_t>(replicas), 0);
  ReplicaExchange::State x = exchange_.state();
  const bool contribute = population.layout().rank_in_group(world.rank()) == 0;
  const auto slices = [&](auto&& visit) {  // visit(replica, value&, slot)
    for (int a = 0; a < replicas; ++a) {
      std::uint64_t* at = v.data() + width * static_cast<std::size_t>(a);
      for (int k = 0; k < t; ++k) {
        visit(a, x.temperature_of[a * t + k], at++);
        visit(a, x.trip_label[a * t + k], at++);
        visit(a, x.trip_start[a * t + k], at++);
      }
      for (int k = 0; k < pairs; ++k) {
        visit(a, x.attempts[a * pairs + k], at++);
        visit(a, x.accepted[a * pairs + k], at++);
        visit(a, x.window_attempts[a * pairs + k], at++);
        visit(a, x.window_accepted[a * pairs + k], at++);
      }
      visit(a, x.round_trips[a], at++);
      visit(a, x.round_trip_sweeps[a], at++);
    }
  };
  slices([&](int a, auto& value, std::uint64_t* slot) {
    if (contribute && population.holds(a * t)) *slot = static_cast<std::uint64_t>(value);
  });
  world.sum_wrapping_in_place(v);
  slices([](int, auto& value, std::uint64_t* slot) {
    value = static_cast<std::remove_reference_t<decltype(value)>>(*slot);
  });
  exchange_.restore(x);
}

template <class Block>
void TemperingControl::set_scales(std::vector<double> scales, Population<Block>& population) {
  if (scales == scales_) return;
  scales_ = scales;
  population.block().set_scales(std::move(scales));
}

template <class Block>
void TemperingControl::restore(const record::EnsembleState& st, Population<Block>& population) {
  ReplicaExchange::State x;
  x.temperature_of.assign(st.temperature_of().begin(), st.temperature_of().end());
  x.rounds = st.swap_rounds();
  x.attempts.assign(st.attempts().begin(), st.attempts().end());
  x.accepted.assign(st.accepted().begin(), st.accepted().end());
  x.window_attempts.assign(st.window_attempts().begin(), st.window_attempts().end());
  x.window_accepted.assign(st.window_accepted().begin(), st.window_accepted().end());
  x.trip_label.assign(st.trip_label().begin(), st.trip_label().end());
  x.trip_start.assign(st.trip_start().begin(), st.trip_start().end());
  x.round_trips.assign(st.round_trips().begin(), st.round_trips().end());
  x.round_trip_sweeps.assign(st.round_trip_sweeps().begin(), st.round_trip_sweeps().end());
  exchange_.restore(x);
  set_scales({st.betas().begin(), st.betas().end()}, population);
  retunes_ = st.retunes_done();
}

}  // namespace spinfer
