#include "agents/tempering/replica_exchange.hpp"

#include <numeric>
#include <string>

#include "agents/core/error.hpp"
#include "agents/core/random_streams.hpp"
#include "agents/tempering/temperature_ladder.hpp"

namespace spinfer {
namespace {

std::vector<double> rates(const std::vector<std::int64_t>& attempts,
                          const std::vector<std::int64_t>& accepted) {
  std::vector<double> r(attempts.size(), 0.0);
  for (std::size_t k = 0; k < r.size(); ++k)
    if (attempts[k] > 0) r[k] = static_cast<double>(accepted[k]) / static_cast<double>(attempts[k]);
  return r;
}

}  // namespace

ReplicaExchange::ReplicaExchange(int replicas, int temperatures)
    : replicas_(replicas), temperatures_(temperatures) {
  if (replicas < 1) throw field_error("replicas", replicas, "must be >= 1");
  if (temperatures < 1) throw field_error("temperatures", temperatures, "must be >= 1");
  const auto systems = static_cast<std::size_t>(replicas) * static_cast<std::size_t>(temperatures);
  temperature_of_.resize(systems);
  system_at_.resize(systems);
  for (std::size_t s = 0; s < systems; ++s) {
    temperature_of_[s] = static_cast<int>(s % static_cast<std::size_t>(temperatures));
    system_at_[s] = static_cast<int>(s);
  }
  const auto pairs =
      static_cast<std::size_t>(replicas) * static_cast<std::size_t>(temperatures - 1);
  attempts_.assign(pairs, 0);
  accepted_.assign(pairs, 0);
  window_attempts_.assign(pairs, 0);
  window_accepted_.assign(pairs, 0);
  trip_label_.assign(systems, none);
  trip_start_.assign(systems, 0);
  round_trips_.assign(static_cast<std::size_t>(replicas), 0);
  round_trip_sweeps_.assign(static_cast<std::size_t>(replicas), 0);
  if (temperatures > 1)
    for (std::size_t s = 0; s < systems; ++s)
      if (temperature_of_[s] == 0) trip_label_[s] = from_hottest;
}

void ReplicaExchange::attempt_swaps(std::uint64_t seed, std::uint64_t sweep,
                                    std::span<const double> energies, std::span<const double> betas,
                                    int first, int end) {
  if (end < 0) end = replicas_;
  if (static_cast<int>(betas.size()) != temperatures_ ||
      static_cast<int>(energies.size()) != systems())
    throw field_error("tempering", betas.size(), "energies or betas do not fit the ladder");
  const int parity = static_cast<int>(rounds_ % 2);
  ++rounds_;
  if (temperatures_ < 2) return;
  for (int a = first; a < end; ++a) {
    int* at = system_at_.data() + static_cast<std::ptrdiff_t>(a) * temperatures_;
    const std::size_t counter = static_cast<std::size_t>(a) * (temperatures_ - 1);
    for (int k = parity; k + 1 < temperatures_; k += 2) {
      const int cold = at[k + 1], hot = at[k];
      const double p = swap_acceptance(betas[k], betas[k + 1], energies[hot], energies[cold]);
      const RandomBlock r =
          random_block(seed, StreamPurpose::tempering_swap, static_cast<std::uint32_t>(a), sweep,
                       static_cast<std::uint64_t>(k));
      ++attempts_[counter + k];
      ++window_attempts_[counter + k];
      if (to_unit_interval(r[0]) < p) {
        ++accepted_[counter + k];
        ++window_accepted_[counter + k];
        std::swap(at[k], at[k + 1]);
        temperature_of_[at[k]] = k;
        temperature_of_[at[k + 1]] = k + 1;
      }
    }
  }
  note_ends(sweep, first, end);
}

void ReplicaExchange::note_ends(std::uint64_t sweep, int first, int end) {
  const auto now = static_cast<std::int64_t>(sweep);
  for (std::size_t s = static_cast<std::size_t>(first) * temperatures_;
       s < static_cast<std::size_t>(end) * temperatures_; ++s) {
    const int k = temperature_of_[s];
    const std::size_t a = s / static_cast<std::size_t>(temperatures_);
    if (k == 0) {
      if (trip_label_[s] == from_coldest) {
        ++round_trips_[a];
        round_trip_sweeps_[a] += now - trip_start_[s];
      }
      if (trip_label_[s] != from_hottest) {
        trip_label_[s] = from_hottest;
        trip_start_[s] = now;
      }
    } else if (k == temperatures_ - 1 && trip_label_[s] == from_hottest) {
      trip_label_[s] = from_coldest;
    }
  }
}

std::vector<std::int64_t> ReplicaExchange::per_pair(const std::vector<std::int64_t>& counts) const {
  const auto pairs = static_cast<std::size_t>(temperatures_ - 1);
  std::vector<std::int64_t> total(pairs, 0);
  for (std::size_t i = 0; i < counts.size(); ++i) total[i % pairs] += counts[i];
  return total;
}

std::vector<std::int64_t> ReplicaExchange::attempts() const {
  return per_pair(attempts_);
}

std::vector<std::int64_t> ReplicaExchange::accepted() const {
  return per_pair(accepted_);
}

std::vector<double> ReplicaExchange::acceptance_rates() const {
  return rates(attempts(), accepted());
}

std::vector<double> ReplicaExchange::window_acceptance_rates() const {
  return rates(per_pair(window_attempts_), per_pair(window_accepted_));
}

std::int64_t ReplicaExchange::round_trips() const {
  return std::accumulate(round_trips_.begin(), round_trips_.end(), std::int64_t{0});
}

std::int64_t ReplicaExchange::round_trip_sweeps() const {
  return std::accumulate(round_trip_sweeps_.begin(), round_trip_sweeps_.end(), std::int64_t{0});
}

void ReplicaExchange::reset_window() {
  std::fill(window_attempts_.begin(), window_attempts_.end(), 0);
  std::fill(window_accepted_.begin(), window_accepted_.end(), 0);
}

void ReplicaExchange::reset_statistics() {
  std::fill(attempts_.begin(), attempts_.end(), 0);
  std::fill(accepted_.begin(), accepted_.end(), 0);
  std::fill(round_trips_.begin(), round_trips_.end(), 0);
  std::fill(round_trip_sweeps_.begin(), round_trip_sweeps_.end(), 0);
}

ReplicaExchange::State ReplicaExchange::state() const {
  return {temperature_of_,  rounds_,     attempts_,   accepted_,    window_attempts_,
          window_accepted_, trip_label_, trip_start_, round_trips_, round_trip_sweeps_};
}

void ReplicaExchange::restore(const State& st) {
  const auto systems = static_cast<std::size_t>(this->systems());
  const auto pairs = attempts_.size();
  if (st.temperature_of.size() != systems || st.trip_label.size() != systems ||
      st.trip_start.size() != systems || st.attempts.size() != pairs ||
      st.accepted.size() != pairs || st.window_attempts.size() != pairs ||
      st.window_accepted.size() != pairs ||
      st.round_trips.size() != static_cast<std::size_t>(replicas_) ||
      st.round_trip_sweeps.size() != static_cast<std::size_t>(replicas_))
    throw field_error("checkpoint", "tempering state", "sizes do not match the ladder");
  std::vector<int> at(systems, -1);
  for (std::size_t s = 0; s < systems; ++s) {
    const int k = st.temperature_of[s];
    const std::size_t slot =
        (s / static_cast<std::size_t>(temperatures_)) * static_cast<std::size_t>(temperatures_) +
        static_cast<std::size_t>(k);
    if (k < 0 || k >= temperatures_ || at[slot] != -1)
      throw field_error("checkpoint", "temperature_of[" + std::to_string(s) + "]",
                        "is not a permutation within its replica");
    at[slot] = static_cast<int>(s);
  }
  temperature_of_ = st.temperature_of;
  system_at_ = std::move(at);
  rounds_ = st.rounds;
  attempts_ = st.attempts;
  accepted_ = st.accepted;
  window_attempts_ = st.window_attempts;
  window_accepted_ = st.window_accepted;
  trip_label_ = st.trip_label;
  trip_start_ = st.trip_start;
  round_trips_ = st.round_trips;
  round_trip_sweeps_ = st.round_trip_sweeps;
}

}  // namespace spinfer
