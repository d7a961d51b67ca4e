#include <doctest/doctest.h>

#include <set>
#include <string>

#include "config.pb.h"
#include "runtime/schedules/registry.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

RunConfig with_staleness(int d) {
  RunConfig config;
  config.set_schedule(RunConfig::stale);
  config.set_staleness(d);
  return config;
}

}  // namespace

TEST_CASE("registry: every schedule of the configuration has traits, and only those") {
  std::set<std::string> names;
  const auto* kinds = RunConfig::Schedule_descriptor();
  for (int v = 0; v < kinds->value_count(); ++v) {
    const auto kind = static_cast<RunConfig::Schedule>(kinds->value(v)->number());
    if (kind == RunConfig::schedule_unspecified) {
      CHECK_THROWS_AS(schedule_traits(kind), Error);
      continue;
    }
    const ScheduleTraits& t = schedule_traits(kind);
    CHECK(t.kind == kind);
    CHECK(std::string(t.name) == RunConfig::Schedule_Name(kind));
    names.insert(t.name);
  }
  CHECK(names.size() == std::tuple_size_v<Schedules>);
}

TEST_CASE("registry: entropy granularity names the elementary step of each schedule") {
  CHECK(std::string(schedule_traits(RunConfig::random_sequential).entropy_granularity) ==
        "single_update");
  CHECK(std::string(schedule_traits(RunConfig::chromatic).entropy_granularity) == "colour_phase");
  CHECK(std::string(schedule_traits(RunConfig::synchronous).entropy_granularity) ==
        "synchronous_step");
  CHECK(std::string(schedule_traits(RunConfig::stale).entropy_granularity) == "stale_update");
  CHECK(std::string(schedule_traits(RunConfig::asynchronous).entropy_granularity) ==
        "asynchronous_update");
}

TEST_CASE("registry: references, steps and kernels follow the dynamics") {
  CHECK(std::string(schedule_traits(RunConfig::synchronous).expected) == "little");
  for (auto kind : {RunConfig::random_sequential, RunConfig::chromatic, RunConfig::stale})
    CHECK(std::string(schedule_traits(kind).expected) == "boltzmann");
  CHECK(schedule_traits(RunConfig::random_sequential).steps_per_sweep(12, 3) == 12);
  CHECK(schedule_traits(RunConfig::chromatic).steps_per_sweep(12, 3) == 3);
  CHECK(schedule_traits(RunConfig::synchronous).steps_per_sweep(12, 3) == 1);
  std::string note;
  CHECK(schedule_traits(RunConfig::stale).kernel(with_staleness(0), note) ==
        KernelSchedule::chromatic);
  CHECK_FALSE(schedule_traits(RunConfig::stale).kernel(with_staleness(2), note).has_value());
  CHECK(note.find("not a Markov chain") != std::string::npos);
  CHECK_FALSE(schedule_traits(RunConfig::asynchronous).kernel(RunConfig{}, note).has_value());
  // Only the Boltzmann samplers run ensembles; only random sequential keeps agents on one rank.
  for (auto kind : {RunConfig::synchronous, RunConfig::stale, RunConfig::asynchronous})
    CHECK_FALSE(schedule_traits(kind).in_ensembles);
  CHECK(schedule_traits(RunConfig::chromatic).in_ensembles);
  CHECK(schedule_traits(RunConfig::random_sequential).single_owner);
  CHECK_FALSE(schedule_traits(RunConfig::asynchronous).reproducible);
}

}  // namespace spinfer
