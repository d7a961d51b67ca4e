#pragma once
// The states of every system this rank holds (the chains of a run at one beta, the replicas x
// temperatures of an ensemble), in one flat array: system c occupies [c * stride, (c + 1) *
// stride), laid out as the local slots of the LocalDomain (owned agents, then ghosts). The state
// type is the agent family's (int8_t spins for the Ising family).
#include <cstdint>
#include <vector>

namespace spinfer {

template <class State>
class SystemStates {
 public:
  SystemStates(int systems, std::int64_t stride)
      : systems_(systems),
        stride_(stride),
        values_(static_cast<std::size_t>(systems * stride), State{1}) {}

  [[nodiscard]] int systems() const { return systems_; }
  [[nodiscard]] std::int64_t stride() const { return stride_; }
  [[nodiscard]] State* system(int c) { return values_.data() + c * stride_; }
  [[nodiscard]] const State* system(int c) const { return values_.data() + c * stride_; }
  [[nodiscard]] State* data() { return values_.data(); }
  void swap(SystemStates& other) { values_.swap(other.values_); }

 private:
  int systems_;
  std::int64_t stride_;
  std::vector<State> values_;
};

}  // namespace spinfer
