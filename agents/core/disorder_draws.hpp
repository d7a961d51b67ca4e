#pragma once
// Counter-based draws for building instances (couplings, fields, patterns): the value for a pair,
// bond or agent depends only on (seed, purpose, a, b), never on the order of generation, so
// every rank can build any part of an instance alone. Word 3 of the counter is 0, so these
// counters never meet those of random_streams.hpp (whose word 3 is a nonzero purpose); callers
// pick distinct purpose words ("Coup", "Fiel", "Patt", ...) to keep their draws independent.
#include <Random123/philox.h>

#include <cstdint>

namespace spinfer {

using DisorderWords = r123::Philox4x32::ctr_type;

// a and b are taken modulo 2^32 (agent ids fit: CSR columns are int32).
inline DisorderWords disorder_draw(std::uint64_t seed, std::uint32_t purpose, std::uint64_t a,
                                   std::uint64_t b) {
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const DisorderWords counter = {
      {purpose, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b), 0}};
  return r123::Philox4x32()(counter, key);
}

}  // namespace spinfer
