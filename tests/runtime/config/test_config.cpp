#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "agents/core/error.hpp"
#include "runtime/config/config.hpp"

using namespace spinfer;

namespace {

namespace fs = std::filesystem;

// A private directory in the temp directory, removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir()
      : path_(fs::temp_directory_path() /
              ("spinfer-config-" + std::to_string(::getpid()) + "-" + std::to_string(next_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    std::ofstream(file) << text;
    return file.string();
  }
  [[nodiscard]] const fs::path& path() const { return path_; }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

// A minimal valid run around `extra` (a JSON fragment of further top-level members, or "").
std::string run_json(const std::string& extra = "") {
  std::string json = R"({"instance": {"kind": "sk", "n": 8}, "sweeps": 1000)";
  if (!extra.empty()) json += ", " + extra;
  return json + "}";
}

RunConfig resolve_text(const std::string& json, std::vector<std::string> overrides = {}) {
  const TempDir dir;
  return resolve_config({dir.write("run.json", json), std::move(overrides), std::nullopt});
}

RunConfig resolve_overrides(std::vector<std::string> overrides) {
  return resolve_config({std::nullopt, std::move(overrides), std::nullopt});
}

// The message of the spinfer::Error that `resolve` throws; fails the test if it throws nothing
// or something else.
std::string error_message(const auto& resolve) {
  try {
    resolve();
  } catch (const Error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);  // main() prints it as one line
    CHECK_FALSE(message.empty());
    return message;
  } catch (const std::exception& e) {
    FAIL("not a spinfer::Error: " << e.what());
  }
  FAIL("no error");
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the embedded default run resolves with every field present") {
  const RunConfig c = resolve_config(ConfigSource{});
  CHECK_NOTHROW(validate_config(c));
  CHECK(c.name() == "default");
  CHECK(c.instance().kind() == config::Instance::sk);
  CHECK(c.instance().has_n());
  CHECK(c.instance().has_distribution());
  CHECK(c.instance().has_coupling_mean());
  CHECK(c.instance().has_coupling_scale());
  CHECK(c.instance().has_field());
  CHECK(c.instance().has_field_spread());
  CHECK(c.instance().has_seed());
  CHECK(c.has_beta());
  CHECK(c.beta() == 0.8);
  CHECK(c.has_schedule());
  CHECK(c.has_action());
  CHECK(c.has_sweeps());
  CHECK(c.has_burn_in());
  CHECK(c.burn_in() == c.sweeps() / 10);
  CHECK(c.has_measure_interval());
  CHECK(c.has_chains());
  CHECK(c.has_seed());
  CHECK(c.has_verification());
  CHECK(c.verification().has_false_alarm_rate());
  CHECK(c.verification().has_max_exact_agents());
  CHECK(c.verification().has_min_effective_samples());
  CHECK(c.has_progress());
  CHECK(c.progress().has_interval_seconds());
  CHECK(c.clamped_size() == 0);
}

TEST_CASE("a file gets the defaults of every field it leaves out") {
  const RunConfig c = resolve_text(run_json());
  CHECK(c.name() == "run");
  CHECK(c.beta() == 1.0);
  CHECK(c.schedule() == RunConfig::chromatic);
  CHECK(c.action() == RunConfig::sample_posterior);
  CHECK(c.sweeps() == 1000);
  CHECK(c.burn_in() == 100);
  CHECK(c.chains() == 2);
  CHECK(c.instance().distribution() == config::Instance::gaussian);
  CHECK(c.instance().coupling_scale() == 1.0);
  CHECK(c.instance().seed() == 1);
  CHECK(c.verification().false_alarm_rate() == 0.01);

  // Values given are kept, including zeros that equal no default.
  const RunConfig given = resolve_text(run_json(R"("burn_in": 0, "beta": 0.25)"));
  CHECK(given.has_burn_in());
  CHECK(given.burn_in() == 0);
  CHECK(given.beta() == 0.25);
}

TEST_CASE("lattice kinds get dimensions 2 and, for EA, bimodal couplings") {
  const RunConfig ea =
      resolve_text(R"({"instance": {"kind": "edwards_anderson", "length": 8}, "sweeps": 10})");
  CHECK(ea.instance().dimensions() == 2);
  CHECK(ea.instance().distribution() == config::Instance::bimodal);
  CHECK(ea.instance().coupling_mean() == 0.0);
  CHECK(ea.instance().coupling_scale() == 1.0);

  const RunConfig ferro =
      resolve_text(R"({"instance": {"kind": "ferromagnet", "length": 5}, "sweeps": 10})");
  CHECK(ferro.instance().dimensions() == 2);
  CHECK(ferro.instance().coupling_mean() == 1.0);
  CHECK_FALSE(ferro.instance().has_distribution());

  const RunConfig ea3 = resolve_text(
      R"({"instance": {"kind": "edwards_anderson", "length": 4, "dimensions": 3,
          "distribution": "gaussian"}, "sweeps": 10})");
  CHECK(ea3.instance().dimensions() == 3);
  CHECK(ea3.instance().distribution() == config::Instance::gaussian);
}

TEST_CASE("bad files are refused with the offending field named") {
  SUBCASE("unknown key") {
    CHECK(contains(error_message([] { resolve_text(run_json(R"("betta": 1)")); }), "betta"));
    CHECK(contains(
        error_message([] { resolve_text(R"({"instance": {"kind": "sk", "n": 8, "nn": 3}})"); }),
        "nn"));
  }
  SUBCASE("wrong type") {
    CHECK(contains(error_message([] { resolve_text(run_json(R"("beta": "x")")); }), "beta"));
  }
  SUBCASE("not a number") {
    CHECK(contains(error_message([] { resolve_text(run_json(R"("beta": "NaN")")); }), "beta"));
    CHECK(contains(error_message([] { resolve_text(run_json(R"("beta": -1)")); }), "beta"));
  }
  SUBCASE("zero sweeps") {
    const std::string json = R"({"instance": {"kind": "sk", "n": 8}, "sweeps": 0})";
    CHECK(contains(error_message([&] { resolve_text(json); }), "sweeps"));
  }
  SUBCASE("misspelt schedule") {
    CHECK(contains(error_message([] { resolve_text(run_json(R"("schedule": "chromatc")")); }),
                   "schedule"));
  }
  SUBCASE("malformed JSON") {
    CHECK_THROWS_AS(resolve_text(R"({"instance": {"kind": "sk", "n": 8},)"), Error);
    CHECK_THROWS_AS(resolve_text("not json at all"), Error);
    const TempDir dir;
    const std::string path = dir.write("broken.json", "{\"beta\": 1,\n\n");
    CHECK(contains(error_message([&] { resolve_config({path, {}, std::nullopt}); }), path));
  }
  SUBCASE("missing file") {
    const TempDir dir;
    const std::string path = (dir.path() / "nowhere.json").string();
    CHECK(contains(error_message([&] { resolve_config({path, {}, std::nullopt}); }), path));
  }
  SUBCASE("field not used by the instance kind") {
    const std::string json = R"({"instance": {"kind": "sk", "n": 8, "degree": 3}})";
    CHECK(contains(error_message([&] { resolve_text(json); }), "instance.degree"));
    const std::string lattice = R"({"instance": {"kind": "ferromagnet", "length": 4, "n": 16}})";
    CHECK(contains(error_message([&] { resolve_text(lattice); }), "instance.n"));
  }
  SUBCASE("required field missing") {
    CHECK(contains(error_message([] { resolve_text(R"({"instance": {"kind": "sk"}})"); }),
                   "instance.n"));
    CHECK(contains(error_message([] { resolve_text(R"({"beta": 1})"); }), "instance.kind"));
  }
  SUBCASE("bad clamps") {
    const auto twice =
        run_json(R"("clamped": [{"agent": 1, "value": 1}, {"agent": 1, "value": -1}])");
    CHECK(contains(error_message([&] { resolve_text(twice); }), "clamped[1].agent"));
    const auto zero = run_json(R"("clamped": [{"agent": 2, "value": 0}])");
    CHECK(contains(error_message([&] { resolve_text(zero); }), "clamped[0].value"));
  }
}

TEST_CASE("--set overrides reach nested, enum and repeated fields") {
  const RunConfig c = resolve_overrides(
      {"beta=0.5", "instance.n=10", "schedule=synchronous", "action=posterior_mode",
       R"(clamped=[{"agent":1,"value":-1}])", "name=my run", "verification.false_alarm_rate=0.05"});
  CHECK(c.beta() == 0.5);
  CHECK(c.instance().n() == 10);
  CHECK(c.instance().kind() == config::Instance::sk);  // the rest of the instance is kept
  CHECK(c.schedule() == RunConfig::synchronous);
  CHECK(c.action() == RunConfig::posterior_mode);
  REQUIRE(c.clamped_size() == 1);
  CHECK(c.clamped(0).agent() == 1);
  CHECK(c.clamped(0).value() == -1);
  CHECK(c.name() == "my run");
  CHECK(c.verification().false_alarm_rate() == 0.05);

  // A repeated field is replaced, not appended to; later overrides win.
  const TempDir dir;
  const std::string path =
      dir.write("run.json", run_json(R"("clamped": [{"agent": 0, "value": 1}], "beta": 2)"));
  const RunConfig replaced = resolve_config(
      {path, {R"(clamped=[{"agent":3,"value":1}])", "beta=3", "beta=4"}, std::nullopt});
  REQUIRE(replaced.clamped_size() == 1);
  CHECK(replaced.clamped(0).agent() == 3);
  CHECK(replaced.beta() == 4.0);
}

TEST_CASE("bad overrides name the field") {
  CHECK(contains(error_message([] { resolve_overrides({"nosuch=1"}); }), "nosuch"));
  CHECK(contains(error_message([] { resolve_overrides({"beta"}); }), "beta"));
  CHECK(contains(error_message([] { resolve_overrides({"=1"}); }), "--set"));
  CHECK(
      contains(error_message([] { resolve_overrides({"instance.nosuch=1"}); }), "instance.nosuch"));
  CHECK(contains(error_message([] { resolve_overrides({"beta.x=1"}); }), "beta"));
  CHECK(contains(error_message([] { resolve_overrides({"clamped.agent=1"}); }), "clamped.agent"));
  CHECK(contains(error_message([] { resolve_overrides({"beta=x"}); }), "beta"));
  CHECK(contains(error_message([] { resolve_overrides({"beta=0"}); }), "beta"));
  CHECK(contains(error_message([] { resolve_overrides({"schedule=chromatc"}); }), "schedule"));
  CHECK(
      contains(error_message([] { resolve_overrides({"instance.degree=3"}); }), "instance.degree"));
  CHECK(contains(error_message([] { resolve_overrides({"sweeps=0"}); }), "sweeps"));
}

TEST_CASE("--seed sets the dynamics seed over the file and overrides") {
  CHECK(resolve_overrides({}).seed() == 1);
  CHECK(resolve_overrides({"seed=7"}).seed() == 7);
  const RunConfig c = resolve_config({std::nullopt, {"seed=7"}, 12345u});
  CHECK(c.seed() == 12345u);
  CHECK(c.instance().seed() == 1);  // the disorder seed is a separate field
}

TEST_CASE("to_json prints every field and round-trips through resolve_config") {
  const RunConfig c = resolve_overrides({"beta=0.5", R"(clamped=[{"agent":2,"value":1}])"});
  const std::string json = to_json(c, false);
  CHECK(json.find('\n') == std::string::npos);
  CHECK(contains(json, "\"burn_in\""));
  CHECK(contains(json, "\"false_alarm_rate\""));
  const RunConfig again = resolve_text(json);
  CHECK(again.SerializeAsString() == c.SerializeAsString());
}

TEST_CASE("--set gives string fields their text even when it looks like a number") {
  ConfigSource source;
  source.overrides = {"name=2024", "instance.n=10"};
  const RunConfig c = resolve_config(source);
  CHECK(c.name() == "2024");
  CHECK(c.instance().n() == 10);
}

TEST_CASE("parse_config_text takes resolve_config's path from text in memory") {
  const std::string json = run_json(R"("beta": 0.25)");
  const RunConfig from_text = parse_config_text(json, "inline", {"sweeps=500"}, 9u);
  const TempDir dir;
  const RunConfig from_file = resolve_config({dir.write("run.json", json), {"sweeps=500"}, 9u});
  CHECK(from_text.SerializeAsString() == from_file.SerializeAsString());
  CHECK(from_text.beta() == 0.25);
  CHECK(from_text.sweeps() == 500);
  CHECK(from_text.seed() == 9u);
  CHECK(from_text.chains() == 2);  // defaults merged in
  CHECK(contains(error_message([] { parse_config_text("{\"beta\": 1,", "inline text"); }),
                 "inline text: "));
  CHECK(contains(error_message([] { parse_config_text(run_json(R"("chains": 0)"), "x"); }),
                 "chains = 0"));
}

TEST_CASE("error messages quote user text on one line, control characters escaped") {
  const std::string set = error_message([] { resolve_overrides({"no\rsuch\x1b[2J=1"}); });
  CHECK(set.find_first_of("\r\x1b") == std::string::npos);
  CHECK(contains(set, "no\\x0dsuch\\x1b[2J"));
  const std::string file = error_message([] { parse_config_text("{\"beta\": 1,", "a\nb.json"); });
  CHECK(contains(file, "a\\x0ab.json: "));
}

TEST_CASE("a --set path ending in a dot names no field") {
  CHECK(contains(error_message([] { resolve_overrides({"beta.=0.5"}); }), "beta."));
  CHECK(contains(error_message([] { resolve_overrides({"instance.=3"}); }), "instance."));
}

TEST_CASE("random regular sizes are capped before the generator allocates") {
  const auto rr = [](int n, int degree) {
    return resolve_overrides({R"(instance={"kind":"random_regular","n":)" + std::to_string(n) +
                              R"(,"degree":)" + std::to_string(degree) + "}"});
  };
  CHECK(rr(16777216, 3).instance().n() == 16777216);
  CHECK(rr(40, 16).instance().degree() == 16);
  CHECK(contains(error_message([&] { rr(16777217, 3); }), "instance.n = 16777217"));
  CHECK(contains(error_message([&] { rr(2000000000, 1); }), "instance.n = 2000000000"));
  CHECK(contains(error_message([&] { rr(40, 17); }), "instance.degree = 17"));
}

TEST_CASE("fragility knobs: defaults that change nothing, and validation") {
  const RunConfig plain = resolve_overrides({});
  CHECK(plain.policy_precision() == 1.0);
  CHECK(plain.instance().asymmetry() == 0.0);
  CHECK(plain.staleness() == 0);
  CHECK(plain.stale_domains() == 0);
  CHECK(plain.entropy_production());
  CHECK(plain.max_kernel_agents() == 12);
  CHECK_FALSE(plain.bias_reference());

  const RunConfig stale =
      resolve_overrides({"schedule=stale", "staleness=3", "stale_domains=4", "policy_precision=0"});
  CHECK(stale.schedule() == RunConfig::stale);
  CHECK(stale.staleness() == 3);
  CHECK(resolve_overrides({"schedule=asynchronous"}).schedule() == RunConfig::asynchronous);
  CHECK(resolve_overrides({"instance.asymmetry=-0.5"}).instance().asymmetry() == -0.5);

  CHECK(contains(error_message([] { resolve_overrides({"policy_precision=-1"}); }),
                 "policy_precision = -1"));
  CHECK(contains(error_message([] { resolve_overrides({"policy_precision=NaN"}); }),
                 "policy_precision"));
  CHECK(contains(error_message([] {
                   resolve_overrides({"action=posterior_mode", "policy_precision=2"});
                 }),
                 "not used by action posterior_mode"));
  CHECK(contains(error_message([] { resolve_overrides({"staleness=2"}); }),
                 "only used by schedule stale"));
  CHECK(contains(error_message([] { resolve_overrides({"stale_domains=2"}); }),
                 "only used by schedule stale"));
  CHECK(contains(error_message([] {
                   resolve_overrides({"schedule=stale", "staleness=-1"});
                 }),
                 "staleness = -1"));
  CHECK(contains(error_message([] { resolve_overrides({"max_kernel_agents=13"}); }),
                 "max_kernel_agents = 13"));
  CHECK(contains(error_message([] { resolve_overrides({"instance.asymmetry=inf"}); }),
                 "instance.asymmetry"));
  const std::string directed =
      R"({"instance": {"kind": "directed_coupling_list", "path": "x", "n": 3}})";
  CHECK(contains(error_message([&] { resolve_text(directed); }), "instance.n"));
}
