#include "runtime/schedules/registry.hpp"

#include "agents/core/error.hpp"

namespace spinfer {

const ScheduleTraits& schedule_traits(RunConfig::Schedule kind) {
  const ScheduleTraits* found = nullptr;
  std::apply(
      [&]<class... Kind>(Kind...) {
        ((Kind::traits.kind == kind ? void(found = &Kind::traits) : void()), ...);
      },
      Schedules{});
  if (!found) throw field_error("schedule", static_cast<int>(kind), "no such schedule");
  return *found;
}

}  // namespace spinfer
