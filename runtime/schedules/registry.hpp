#pragma once
// Every schedule spinfer knows. Adding one is: its header in this folder (the sweep class
// template and its ScheduleTraits), its value in the Schedule enum of comm/proto/config.proto,
// and its line in `Schedules` below. Nothing else in the runtime names a schedule.
#include <memory>
#include <tuple>

#include "runtime/schedules/asynchronous_schedule.hpp"
#include "runtime/schedules/chromatic_schedule.hpp"
#include "runtime/schedules/random_sequential_schedule.hpp"
#include "runtime/schedules/stale_schedule.hpp"
#include "runtime/schedules/synchronous_schedule.hpp"

namespace spinfer {

using Schedules =
    std::tuple<ChromaticKind, RandomSequentialKind, SynchronousKind, StaleKind, AsynchronousKind>;

// The traits of `kind`; throws spinfer::Error naming `schedule` for a value no schedule has.
const ScheduleTraits& schedule_traits(RunConfig::Schedule kind);

// Collective over inputs.comm (halo plans).
template <class Block>
std::unique_ptr<Schedule<Block>> make_schedule(RunConfig::Schedule kind,
                                               const ScheduleInputs<Block>& inputs) {
  std::unique_ptr<Schedule<Block>> made;
  std::apply(
      [&]<class... Kind>(Kind...) {
        ((Kind::traits.kind == kind && !made
              ? void(made = std::make_unique<typename Kind::template Sweep<Block>>(inputs))
              : void()),
         ...);
      },
      Schedules{});
  if (!made) schedule_traits(kind);  // throws for an unknown kind
  return made;
}

}  // namespace spinfer
