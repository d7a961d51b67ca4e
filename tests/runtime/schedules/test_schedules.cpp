// Each schedule on one rank against a replay of its rule by hand: who acts when, on which state,
// with which uniform.
#include <doctest/doctest.h>

#include <numeric>

#include "agents/core/random_streams.hpp"
#include "runtime/run/run.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

__extension__ using uint128 = unsigned __int128;

// SK N = 8 (Gaussian: every agent takes the general path, so a replay one agent at a time
// computes the same bits), one chain.
struct Chain {
  RunConfig config;
  RunInputs inputs;
  Population<IsingBlock> population;
  explicit Chain(const std::string& schedule, std::vector<std::string> more = {})
      : config(make(schedule, std::move(more))),
        inputs(prepare_run(config, 1)),
        population(testing::self(), ising_population(config, inputs)) {}
  static RunConfig make(const std::string& schedule, std::vector<std::string> more) {
    more.insert(more.begin(), {R"(instance={"kind":"sk","n":8,"seed":4})", "chains=1",
                               "schedule=" + schedule, "beta=0.8"});
    return testing::config_with(std::move(more));
  }
  [[nodiscard]] std::vector<std::int8_t> state() const {
    const std::int8_t* s = population.values(0);
    return {s, s + 8};
  }
  void sweep(std::uint64_t t) { population.sweep(t, std::vector<int>{0}); }
};

std::vector<std::uint32_t> uniforms(std::uint64_t seed, std::uint64_t sweep) {
  std::vector<std::uint32_t> u(8);
  fill_agent_uniforms(seed, StreamPurpose::action, 0, sweep, 0, 8, u.data());
  return u;
}

}  // namespace

TEST_CASE("chromatic: colours in order, each on the state the earlier colours left") {
  Chain c("chromatic");
  const IsingBlock& block = c.population.block();
  const Colouring& colouring = c.population.colouring();
  REQUIRE(colouring.colours == 8);  // dense: one agent per colour
  for (std::uint64_t t = 0; t < 5; ++t) {
    std::vector<std::int8_t> s = c.state();
    const auto u = uniforms(c.config.seed(), t);
    for (int colour = 0; colour < colouring.colours; ++colour)
      for (std::int32_t i = 0; i < 8; ++i)
        if (colouring.colour_of[i] == colour) s[i] = block.act_one(i, 0, s.data(), u[i]);
    c.sweep(t);
    CHECK(c.state() == s);
  }
}

TEST_CASE("synchronous: every agent acts on the previous state") {
  Chain c("synchronous");
  const IsingBlock& block = c.population.block();
  for (std::uint64_t t = 0; t < 5; ++t) {
    const std::vector<std::int8_t> before = c.state();
    std::vector<std::int8_t> after(8);
    const auto u = uniforms(c.config.seed(), t);
    for (std::int32_t i = 0; i < 8; ++i) after[i] = block.act_one(i, 0, before.data(), u[i]);
    c.sweep(t);
    CHECK(c.state() == after);
  }
}

TEST_CASE("random sequential: n uniformly chosen agents, one at a time") {
  Chain c("random_sequential");
  const IsingBlock& block = c.population.block();
  for (std::uint64_t t = 0; t < 5; ++t) {
    std::vector<std::int8_t> s = c.state();
    for (std::uint64_t step = 0; step < 8; ++step) {
      const RandomBlock r =
          random_block(c.config.seed(), StreamPurpose::site_selection, 0, t, step);
      const std::uint64_t bits = (static_cast<std::uint64_t>(r[0]) << 32) | r[1];
      const auto i = static_cast<std::int32_t>((static_cast<uint128>(bits) * 8) >> 64);
      s[i] = block.act_one(i, 0, s.data(), r[2]);
    }
    c.sweep(t);
    CHECK(c.state() == s);
  }
}

TEST_CASE("stale with staleness 0 and asynchronous on one rank are chromatic, bit for bit") {
  Chain chromatic("chromatic");
  Chain stale("stale", {"staleness=0"});
  Chain stale_domains("stale", {"staleness=0", "stale_domains=2"});
  Chain asynchronous("asynchronous");
  for (std::uint64_t t = 0; t < 30; ++t)
    for (Chain* x : {&chromatic, &stale, &stale_domains, &asynchronous}) x->sweep(t);
  asynchronous.population.synchronise();
  CHECK(stale.state() == chromatic.state());
  CHECK(stale_domains.state() == chromatic.state());
  CHECK(asynchronous.state() == chromatic.state());
}

TEST_CASE("stale with staleness 2 departs from chromatic and keeps 3 delayed states") {
  Chain chromatic("chromatic");
  Chain stale("stale", {"staleness=2", "stale_domains=2"});
  CHECK(stale.population.history_length() == 3);
  bool differs = false;
  for (std::uint64_t t = 0; t < 30; ++t) {
    chromatic.sweep(t);
    stale.sweep(t);
    differs = differs || stale.state() != chromatic.state();
  }
  CHECK(differs);
}

}  // namespace spinfer
