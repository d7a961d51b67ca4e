#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/instances.hpp"
#include "agents/ising/agent_population.hpp"
#include "runtime/run/instance_factory.hpp"
#include "runtime/verify/kernel_reference.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;

namespace {

// SK N = 6 with fields, and `overrides` after it (a later instance.x=... changes one field).
RunConfig sk6_with(std::vector<std::string> overrides) {
  overrides.insert(overrides.begin(),
                   R"(instance={"kind":"sk","n":6,"seed":2,"field_spread":0.3})");
  return testing::config_with(std::move(overrides));
}

struct Population {
  AgentPopulation agents;
  ReducedModel model;
  Colouring colouring;
  double asymmetry;
};

Population population(const RunConfig& config) {
  const SpinGlass glass = build_instance(config.instance());
  Population p{agents_from_spin_glass(glass, config.beta()), {}, {}, 0};
  p.model = reduce_clamped(p.agents.precisions, {});
  p.colouring = colour_graph(p.agents.precisions);
  p.asymmetry = weight_asymmetry(p.agents.precisions);
  return p;
}

KernelReference reference_for(const RunConfig& config) {
  const Population p = population(config);
  return exact_kernel_reference(config, p.model, p.colouring, p.asymmetry);
}

double distance(const KernelReference& k, const std::string& reference) {
  for (const auto& d : k.record.distances())
    if (d.reference() == reference) return d.tv_distance();
  return std::nan("");
}

}  // namespace

TEST_CASE("kernel reference: symmetric heat-bath kernels have the closed-form laws") {
  for (const char* schedule : {"random_sequential", "chromatic", "synchronous"}) {
    const RunConfig config = sk6_with({std::string("schedule=") + schedule});
    const KernelReference k = reference_for(config);
    INFO(schedule);
    REQUIRE(k.law.size() == 64);
    CHECK(k.record.schedule() == schedule);
    const bool synchronous = std::string(schedule) == "synchronous";
    CHECK(distance(k, synchronous ? "little" : "boltzmann") < 1e-12);
    CHECK(distance(k, synchronous ? "boltzmann" : "little") > 0.01);
    CHECK(std::abs(k.record.entropy_production_per_sweep()) < 1e-12);
    CHECK_FALSE(k.governs_verdict);
    CHECK(verdict_reference(config, k) == (synchronous ? "little" : "boltzmann"));
    CHECK_FALSE(kernel_adds_a_reference(config, k));
  }
}

TEST_CASE("kernel reference: asymmetry and policy precision put the kernel's law in charge") {
  for (const char* knob : {"instance.asymmetry=0.8", "policy_precision=1.6"}) {
    const RunConfig config = sk6_with({"schedule=chromatic", knob});
    const KernelReference k = reference_for(config);
    INFO(knob);
    CHECK(k.governs_verdict);
    CHECK(verdict_reference(config, k) == "kernel");
    CHECK(kernel_adds_a_reference(config, k));
    CHECK(distance(k, "boltzmann") > 0.01);  // references at the nominal precisions
    CHECK(k.record.stationary_residual() < 1e-12);
  }
  // Policy precision leaves sequential heat-bath reversible: EP 0; asymmetry does not.
  CHECK(std::abs(reference_for(sk6_with({"policy_precision=1.6"}))
                     .record.entropy_production_per_sweep()) < 1e-12);
  CHECK(reference_for(sk6_with({"instance.asymmetry=0.8"})).record.entropy_production_per_sweep() >
        0.01);
}

TEST_CASE("kernel reference: stale d = 0 is chromatic; the rest say why there is no kernel") {
  const KernelReference fresh = reference_for(sk6_with({"schedule=stale"}));
  CHECK(fresh.record.schedule() == "chromatic");
  CHECK(fresh.law.size() == 64);
  for (const auto& overrides : std::vector<std::vector<std::string>>{
           {"schedule=stale", "staleness=1"},
           {"schedule=asynchronous"},
           {"max_kernel_agents=5"},
           {"action=posterior_mode", "instance.field_spread=0"}}) {
    const KernelReference k = reference_for(sk6_with(overrides));
    INFO(overrides.front() << ": " << k.record.note());
    // posterior_mode without fields has the two ground states as attractors: no unique law.
    CHECK(k.law.empty());
    CHECK_FALSE(k.record.note().empty());
    CHECK(k.record.schedule().empty());
  }
}
