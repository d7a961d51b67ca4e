#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/config/config.hpp"
#include "runtime/fragility/fragility.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;

TEST_CASE("fragility: every knob becomes --set assignments that resolve") {
  for (const std::string& knob : fragility_knobs()) {
    const std::string value = knob == "schedule" ? "synchronous" : "2";
    ConfigSource source;
    source.overrides = knob_overrides(knob, value);
    const RunConfig config = resolve_config(source);
    if (knob == "asymmetry") CHECK(config.instance().asymmetry() == 2);
    if (knob == "policy_precision") CHECK(config.policy_precision() == 2);
    if (knob == "staleness") {
      CHECK(config.schedule() == RunConfig::stale);
      CHECK(config.staleness() == 2);
    }
    if (knob == "schedule") CHECK(config.schedule() == RunConfig::synchronous);
  }
  CHECK(testing::error_message([] {
          knob_overrides("temperature", "1");
        }).find("--knob = temperature") != std::string::npos);
  // Values go through the configuration's own validation.
  ConfigSource bad;
  bad.overrides = knob_overrides("staleness", "-1");
  CHECK(testing::error_message([&] { resolve_config(bad); }).find("staleness = -1") !=
        std::string::npos);
}
