#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <set>
#include <vector>

#include "agents/core/random_streams.hpp"

using namespace spinfer;

namespace {

constexpr std::uint64_t kSeed = 0x0123456789abcdefULL;

std::vector<std::uint32_t> uniforms(std::uint64_t seed, StreamPurpose purpose, std::uint32_t chain,
                                    std::uint64_t sweep, AgentId first, std::int64_t count) {
  // One guard word past the end catches writes beyond out[count - 1].
  std::vector<std::uint32_t> out(static_cast<std::size_t>(count) + 1, 0xdeadbeefu);
  fill_agent_uniforms(seed, purpose, chain, sweep, first, count, out.data());
  CHECK(out.back() == 0xdeadbeefu);
  out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("agent g's uniform is lane g % 4 of block g / 4") {
  const auto purpose = StreamPurpose::action;
  for (AgentId first : {AgentId{0}, AgentId{1}, AgentId{2}, AgentId{3}, AgentId{4}, AgentId{13},
                        AgentId{1'000'003}}) {
    for (std::int64_t count : {0, 1, 3, 5, 17}) {
      CAPTURE(first);
      CAPTURE(count);
      const auto got = uniforms(kSeed, purpose, 3, 77, first, count);
      REQUIRE(got.size() == static_cast<std::size_t>(count));
      int mismatches = 0;
      for (std::int64_t k = 0; k < count; ++k) {
        const AgentId g = first + k;
        const auto block = random_block(kSeed, purpose, 3, 77, static_cast<std::uint64_t>(g / 4));
        mismatches += got[k] != block[g % 4];
      }
      CHECK(mismatches == 0);
    }
  }
}

TEST_CASE("a sub-range gets the same words as the slice of a larger range") {
  const auto whole = uniforms(kSeed, StreamPurpose::action, 0, 5, 0, 64);
  for (AgentId first : {0, 1, 3, 6, 21}) {
    for (std::int64_t count : {1, 2, 7, 30}) {
      CAPTURE(first);
      CAPTURE(count);
      const auto part = uniforms(kSeed, StreamPurpose::action, 0, 5, first, count);
      const std::vector<std::uint32_t> slice(whole.begin() + first, whole.begin() + first + count);
      CHECK(part == slice);
    }
  }
}

TEST_CASE("seed, purpose, chain and sweep each select a different stream") {
  const auto base = uniforms(kSeed, StreamPurpose::action, 1, 10, 0, 8);
  const std::vector<std::vector<std::uint32_t>> variants = {
      base,
      uniforms(kSeed + 1, StreamPurpose::action, 1, 10, 0, 8),
      uniforms(kSeed ^ (1ULL << 40), StreamPurpose::action, 1, 10, 0, 8),  // high key word
      uniforms(kSeed, StreamPurpose::initial_state, 1, 10, 0, 8),
      uniforms(kSeed, StreamPurpose::site_selection, 1, 10, 0, 8),
      uniforms(kSeed, StreamPurpose::action, 2, 10, 0, 8),
      uniforms(kSeed, StreamPurpose::action, 1, 11, 0, 8),
      uniforms(kSeed, StreamPurpose::action, 1, 10 + (1ULL << 32), 0, 8),  // sweep bits 32..47
  };
  const std::set<std::vector<std::uint32_t>> distinct(variants.begin(), variants.end());
  CHECK(distinct.size() == variants.size());
  // Nor do two streams share words position by position.
  for (std::size_t v = 1; v < variants.size(); ++v) {
    CAPTURE(v);
    int equal = 0;
    for (std::size_t k = 0; k < base.size(); ++k) equal += variants[v][k] == base[k];
    CHECK(equal == 0);
  }
}

TEST_CASE("the top 4 bits of the words are uniform (chi-square, 15 degrees of freedom)") {
  const std::int64_t n = 100000;
  const auto words = uniforms(kSeed, StreamPurpose::action, 0, 0, 0, n);
  std::array<std::int64_t, 16> counts{};
  for (std::uint32_t w : words) ++counts[w >> 28];
  const double expected = static_cast<double>(n) / 16;
  double chi2 = 0;
  for (std::int64_t c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // Under uniformity chi2 ~ chi-square(15); P(chi2 > 44.26) = 1e-4. The seed is fixed, so the
  // check is deterministic; the threshold only says a correct generator passes it.
  CAPTURE(chi2);
  CHECK(chi2 < 44.26);
  CHECK(chi2 > 1.0);  // nor suspiciously perfect: P(chi2 < 1) < 1e-6 for 15 dof
}

TEST_CASE("to_unit_interval maps words strictly inside (0, 1)") {
  CHECK(to_unit_interval(0) > 0.0);
  CHECK(to_unit_interval(0xffffffffu) < 1.0);
  CHECK(to_unit_interval(0x80000000u) == doctest::Approx(0.5).epsilon(1e-9));
}
