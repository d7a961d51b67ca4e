#pragma once
// A record's repeated integers (a checkpoint's per-agent sums) as the contiguous span the
// communicator takes: protobuf's RepeatedField is contiguous but not a std::contiguous_range.
#include <google/protobuf/repeated_field.h>

#include <cstdint>
#include <span>

namespace spinfer {

inline std::span<const std::int64_t> as_span(
    const google::protobuf::RepeatedField<std::int64_t>& values) {
  return {values.data(), static_cast<std::size_t>(values.size())};
}

}  // namespace spinfer
