#pragma once
// The spins of every independent chain on this rank, in one flat array: chain c occupies
// [c * stride, (c + 1) * stride), laid out as the local slots of the LocalDomain (owned agents,
// then ghosts).
#include <cstdint>
#include <vector>

namespace spinfer {

class ChainStates {
 public:
  ChainStates(int chains, std::int64_t stride)
      : chains_(chains), stride_(stride), spins_(static_cast<std::size_t>(chains * stride), 1) {}

  [[nodiscard]] int chains() const { return chains_; }
  [[nodiscard]] std::int64_t stride() const { return stride_; }
  [[nodiscard]] std::int8_t* chain(int c) { return spins_.data() + c * stride_; }
  [[nodiscard]] const std::int8_t* chain(int c) const { return spins_.data() + c * stride_; }
  [[nodiscard]] std::int8_t* data() { return spins_.data(); }
  void swap(ChainStates& other) { spins_.swap(other.spins_); }

 private:
  int chains_;
  std::int64_t stride_;
  std::vector<std::int8_t> spins_;
};

}  // namespace spinfer
