#include <doctest/doctest.h>

#include <vector>

#include "runtime/cli/arguments.hpp"
#include "tests/test_support.hpp"

namespace spinfer {
namespace {

Arguments parse(std::vector<std::string> words) {
  words.insert(words.begin(), "spinfer");
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  return parse_arguments(static_cast<int>(argv.size()), argv.data());
}

std::string refusal(std::vector<std::string> words) {
  return testing::error_message([&] { parse(std::move(words)); });
}

}  // namespace

TEST_CASE("arguments: a run with its configuration, overrides and options") {
  const Arguments a = parse({"run", "c.json", "--set", "beta=1", "--set", "chains=3", "--seed", "9",
                             "--out", "d", "--overwrite", "--quiet"});
  CHECK(a.command == "run");
  CHECK(a.config.path == "c.json");
  CHECK(a.config.overrides == std::vector<std::string>{"beta=1", "chains=3"});
  CHECK(a.config.seed == 9u);
  CHECK(a.out == "d");
  CHECK(a.overwrite);
  CHECK(a.quiet);
  CHECK(parse({"run", "--resume", "d"}).resume == "d");
  CHECK(parse({"bench", "--lengths", "16,32"}).bench.lengths == std::vector<int>{16, 32});
}

TEST_CASE("arguments: what does not belong is refused, naming it") {
  CHECK(refusal({"run", "--seed", "-1"}).find("--seed = -1") == 0);
  CHECK(refusal({"run", "--resume", "d", "--out", "e"}).find("--out = e") == 0);
  CHECK(refusal({"run", "--knob", "x"}).find("argument = --knob") == 0);
  CHECK(refusal({"status"}).find("status") == 0);
  CHECK(refusal({"bench", "--lengths", "7"}).find("--lengths = 7") == 0);
  CHECK(refusal({"fragility", "c.json"}).find("--knob") == 0);
  CHECK(refusal({}).find("no command given") == 0);
}

}  // namespace spinfer
