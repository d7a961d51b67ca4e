#pragma once
// Replica-exchange (parallel tempering) bookkeeping for R replicas x T temperatures. System
// s = a T + k is replica a's copy that starts at temperature k; its spins never move, only its
// temperature does: swaps exchange the temperatures of two systems of the same replica at
// neighbouring betas. Every swap decision is a pure function of (seed, round, replica, pair) and
// the systems' energies, so every rank that holds the same energies reaches the same decisions.
//
// Pairs (k, k+1) are attempted in alternating rounds: even k in even rounds, odd k in odd rounds
// (the deterministic even-odd scheme, which moves replicas along the ladder faster than random
// pair choice). Acceptance min(1, exp((beta_k - beta_k+1)(E_k - E_k+1))) is detailed balance for
// the joint distribution of all systems.
//
// Round trips: a system that has visited the hottest temperature, then the coldest, and is back
// at the hottest has made one round trip; its length is counted from the first arrival at the
// hottest end after the previous round trip (or the start).
//
// Every counter is kept per replica, and a round may be restricted to some replicas: ranks that
// hold whole replicas decide their swaps alone, and the states are merged replica by replica
// (State) when all of them are needed.
#include <cstdint>
#include <span>
#include <vector>

namespace spinfer {

class ReplicaExchange {
 public:
  ReplicaExchange(int replicas, int temperatures);

  [[nodiscard]] int replicas() const { return replicas_; }
  [[nodiscard]] int temperatures() const { return temperatures_; }
  [[nodiscard]] int systems() const { return replicas_ * temperatures_; }
  [[nodiscard]] int temperature_of(int system) const { return temperature_of_[system]; }
  [[nodiscard]] int system_at(int replica, int temperature) const {
    return system_at_[replica * temperatures_ + temperature];
  }
  [[nodiscard]] const std::vector<int>& temperature_of() const { return temperature_of_; }

  // One round of swap attempts after `sweep` sweeps, for replicas [first, end) (end -1: all).
  // energies[s] is system s's energy in units of J (identical bits wherever the decision is
  // made; only those of the replicas attempted are read), betas ascending. Every round counts,
  // whichever replicas it covers: the even-odd alternation follows the round number.
  void attempt_swaps(std::uint64_t seed, std::uint64_t sweep, std::span<const double> energies,
                     std::span<const double> betas, int first = 0, int end = -1);

  // Counted since the last reset, per pair k = (k, k+1), summed over the replicas.
  [[nodiscard]] std::vector<std::int64_t> attempts() const;
  [[nodiscard]] std::vector<std::int64_t> accepted() const;
  [[nodiscard]] std::vector<double> acceptance_rates() const;  // 0 where nothing was attempted
  // A second set of counters for retuning windows; reset_window() clears only these.
  [[nodiscard]] std::vector<double> window_acceptance_rates() const;
  void reset_window();
  // Clears the counters and the round-trip statistics (not the systems' trip progress).
  void reset_statistics();

  [[nodiscard]] std::int64_t round_trips() const;  // summed over the replicas
  [[nodiscard]] std::int64_t round_trip_sweeps() const;
  [[nodiscard]] std::int64_t rounds() const { return rounds_; }

  // Everything above, for checkpoints and merging: restore(state()) gives the same object.
  // Per system: temperature_of, trip_label, trip_start (replica a's are [a T, (a + 1) T)). Per
  // replica and pair, [a (T - 1) + k]: the four counters. Per replica: round_trips and
  // round_trip_sweeps.
  struct State {
    std::vector<int> temperature_of;
    std::int64_t rounds = 0;
    std::vector<std::int64_t> attempts, accepted, window_attempts, window_accepted;
    std::vector<int> trip_label;
    std::vector<std::int64_t> trip_start;
    std::vector<std::int64_t> round_trips, round_trip_sweeps;
  };
  [[nodiscard]] State state() const;
  // Throws spinfer::Error when the sizes or the permutation do not fit this ladder.
  void restore(const State& state);

 private:
  enum Trip : int { none = 0, from_hottest = 1, from_coldest = 2 };
  void note_ends(std::uint64_t sweep, int first, int end);
  [[nodiscard]] std::vector<std::int64_t> per_pair(const std::vector<std::int64_t>& counts) const;

  int replicas_;
  int temperatures_;
  std::vector<int> temperature_of_;
  std::vector<int> system_at_;
  std::int64_t rounds_ = 0;
  std::vector<std::int64_t> attempts_, accepted_, window_attempts_, window_accepted_;
  std::vector<int> trip_label_;
  std::vector<std::int64_t> trip_start_;
  std::vector<std::int64_t> round_trips_;
  std::vector<std::int64_t> round_trip_sweeps_;
};

}  // namespace spinfer
