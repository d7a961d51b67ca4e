#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/config/ensemble_config.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

RunConfig resolve(std::vector<std::string> overrides) {
  return resolve_config({std::nullopt, std::move(overrides), std::nullopt});
}

std::string error(std::vector<std::string> overrides) {
  const std::string message = testing::error_message([&] { resolve(std::move(overrides)); });
  CHECK(message.find('\n') == std::string::npos);
  return message;
}

const std::string kLadder =
    R"(temperatures={"kind":"geometric","beta_min":0.2,"beta_max":1.6,"count":5})";

}  // namespace

TEST_CASE("ensemble config: temperatures, annealing or a hopfield instance make an ensemble run") {
  CHECK_FALSE(is_ensemble_run(resolve({})));
  const RunConfig pt = resolve({kLadder});
  CHECK(is_ensemble_run(pt));
  CHECK(pt.replicas() == 2);
  CHECK(pt.tempering().swap_interval() == 1);
  CHECK(pt.layout().groups() == 0);
  CHECK(pt.temperatures().retune().rounds() == 0);
  const std::vector<double> ladder = initial_ladder(pt);
  REQUIRE(ladder.size() == 5);
  CHECK(ladder.front() == 0.2);
  CHECK(ladder.back() == 1.6);
  CHECK(ladder[1] / ladder[0] == doctest::Approx(ladder[4] / ladder[3]));

  const RunConfig listed = resolve({R"(temperatures={"betas":[0.3,0.5]})"});
  CHECK(listed.temperatures().kind() == config::Ladder::listed);
  CHECK(initial_ladder(listed) == std::vector<double>{0.3, 0.5});

  const RunConfig anneal =
      resolve({R"(annealing={"kind":"geometric","beta_start":0.1,"beta_end":10})", "sweeps=101"});
  CHECK(anneal.burn_in() == 0);  // the whole run is the schedule
  CHECK(initial_ladder(anneal) == std::vector<double>{0.1});
  CHECK(annealing_beta(anneal, 0) == 0.1);
  CHECK(annealing_beta(anneal, 100) == 10.0);
  CHECK(annealing_beta(anneal, 50) == doctest::Approx(1.0));

  const RunConfig hop = resolve({R"(instance={"kind":"hopfield","n":50,"patterns":3})"});
  CHECK(is_ensemble_run(hop));
  CHECK(hop.instance().corruption() == 0.1);
  CHECK(initial_ladder(hop) == std::vector<double>{hop.beta()});
}

TEST_CASE("ensemble config: bad ensembles are one-line errors naming the field and value") {
  CHECK(error({"replicas=4"}).find("replicas = (given): used by ensemble runs only") == 0);
  CHECK(error({"tempering.swap_interval=3"}).find("tempering = (given)") == 0);
  CHECK(error({kLadder, "chains=3"}).find("chains = 3: not used by ensemble runs") == 0);
  CHECK(error({kLadder, "replicas=0"}).find("replicas = 0") == 0);
  CHECK(error({kLadder, "tempering.swap_interval=-1"}).find("tempering.swap_interval = -1") == 0);
  CHECK(error({kLadder, "tempering.swap_interval=0", R"(temperatures.retune={"rounds":1})"})
            .find("retuning needs swaps") != std::string::npos);
  CHECK(error({kLadder, "action=posterior_mode"}).find("action = posterior_mode") == 0);
  CHECK(error({R"(temperatures={"betas":[0.5,0.3]})"}).find("temperatures.betas: ") == 0);
  CHECK(error({R"(temperatures={"betas":[0.5,0.3]})"}).find("ascending") != std::string::npos);
  CHECK(error({R"(temperatures={"betas":[-1]})"}).find("temperatures.betas[0] = -1") == 0);
  CHECK(error({R"(temperatures={"kind":"geometric","beta_min":0.2,"count":4})"})
            .find("temperatures.beta_max = (missing)") == 0);
  CHECK(error({R"(temperatures={"kind":"geometric","beta_min":1,"beta_max":0.5,"count":4})"})
            .find("ladder.beta_max = 0.5") != std::string::npos);
  CHECK(error({R"(temperatures={"betas":[0.2,0.4],"count":3})"})
            .find("temperatures.count = (given): only for kind geometric") == 0);
  CHECK(error({R"(temperatures={})"}).find("temperatures = (no betas)") == 0);
  CHECK(error({kLadder, R"(temperatures.retune={"rounds":10})", "burn_in=15"})
            .find("temperatures.retune.rounds = 10: burn_in = 15 is too short") == 0);
  CHECK(error({kLadder, R"(temperatures.retune={"rounds":1,"step":0})", "burn_in=100"})
            .find("temperatures.retune.step = 0") == 0);
  CHECK(error({R"(annealing={"kind":"linear","beta_start":0.1,"beta_end":2})", kLadder})
            .find("annealing = (given): cannot be combined with temperatures") == 0);
  CHECK(error({R"(annealing={"beta_start":0.1,"beta_end":2})"})
            .find("annealing.kind = annealing_unspecified") == 0);
  CHECK(error({R"(annealing={"kind":"geometric","beta_start":0,"beta_end":2})"})
            .find("annealing.beta_start = 0") == 0);
  CHECK(error({R"(instance={"kind":"hopfield","n":50})"}).find("instance.patterns = (missing)") ==
        0);
  CHECK(error({R"(instance={"kind":"hopfield","n":50,"patterns":3,"corruption":1.5})"})
            .find("instance.corruption = 1.5") == 0);
  CHECK(error({R"(instance={"kind":"hopfield","n":50,"patterns":3,"cue_pattern":3})"})
            .find("instance.cue_pattern = 3") == 0);
  CHECK(error({R"(instance={"kind":"sk","n":50,"patterns":3})"})
            .find("instance.patterns = (given): not used by instance kind sk") == 0);
}

}  // namespace spinfer
