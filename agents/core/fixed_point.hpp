#pragma once
// Sums that must not depend on how the agents are split over ranks. Floating-point addition is
// not associative, so a total built from per-rank partial sums changes in its last bits with the
// rank count. Each term is instead rounded once to a multiple of 2^-28 and added as a 64-bit
// integer with wrapping arithmetic, which is associative and commutative: every decomposition
// gives the same bits. The total must stay below 2^35 in magnitude (3.4e10, e.g. 10^9 agents
// with |term| < 30); the rounding error is at most 2^-29 (1.9e-9) per term.
#include <cmath>
#include <cstdint>

namespace spinfer::fixed_point {

inline constexpr double kScale = 268435456.0;  // 2^28

inline std::uint64_t from_double(double x) {
  return static_cast<std::uint64_t>(std::llround(x * kScale));  // two's complement
}

inline double to_double(std::uint64_t sum) {
  return static_cast<double>(static_cast<std::int64_t>(sum)) / kScale;
}

}  // namespace spinfer::fixed_point
