#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "agents/core/error.hpp"
#include "agents/exact/exact_oracle.hpp"
#include "agents/instances/directed_coupling_list.hpp"
#include "tests/test_support.hpp"

using namespace spinfer;
using spinfer::testing::error_message;
using spinfer::testing::TempDir;

namespace {

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("directed coupling list: i j and j i are separate precisions") {
  const TempDir dir;
  const std::string path = write(dir, "directed.txt",
                                 "# directed precisions\n"
                                 "agents 4\n"
                                 "0 1 0.5\n"
                                 "1 0 -0.25   # the other direction, another value\n"
                                 "2 1 1.5\r\n"
                                 "field 3 0.7\n");
  const SpinGlass glass = read_directed_coupling_list(path);
  const WeightedGraph& g = glass.couplings;
  REQUIRE(g.size() == 4);
  CHECK(edge_weight(g, 0, 1) == 0.5);
  CHECK(edge_weight(g, 1, 0) == -0.25);
  CHECK(edge_weight(g, 2, 1) == 1.5);
  // 1 -> 2 was not listed: an explicit zero edge keeps the pattern symmetric.
  CHECK(g.degree(1) == 2);
  CHECK(edge_weight(g, 1, 2) == 0.0);
  CHECK(g.degree(3) == 0);
  CHECK(g.fields[3] == 0.7);
  CHECK(g.fields[0] == 0.0);
  CHECK(glass.description.find(path) != std::string::npos);

  // The asymmetry survives into the enumerable model: row i is agent i's evidence.
  const ReducedModel m = reduce_clamped(g, {{2, -1}});
  CHECK(m.gamma(0, 1) == 0.5);
  CHECK(m.gamma(1, 0) == -0.25);
  CHECK(m.zeta[1] == 0.0);  // gamma_12 = 0: agent 1 does not see the clamped agent 2
}

TEST_CASE("malformed directed coupling lists name the file, the line and its text") {
  struct Case {
    const char* name;
    const char* text;
    int line;
  };
  const Case cases[] = {
      {"nan", "agents 3\n0 1 nan\n", 2},
      {"self", "# comment\n1 1 0.5\n", 2},
      {"duplicate", "0 1 1\n1 0 2\n0 1 3\n", 3},
      {"too-few", "0 1\n", 1},
      {"keyword", "0 1 1\nbond 0 1 1\n", 2},
      {"negative", "-1 2 1\n", 1},
      {"junk", "0 1 1.5x\n", 1},
      {"beyond-declared", "agents 3\n0 3 1\n", 2},
      {"declared-too-late", "0 5 1\nagents 3\n", 2},
      {"field-twice", "field 0 1\nfield 0 2\n", 2},
      {"zero-agents", "agents 0\n", 1},
  };
  const TempDir dir;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const std::string path = write(dir, std::string(c.name) + ".txt", c.text);
    const std::string message = error_message([&] { (void)read_directed_coupling_list(path); });
    CAPTURE(message);
    CHECK(message.find(path + ":" + std::to_string(c.line) + ": ") == 0);
  }
  const std::string nan = write(dir, "nan-text.txt", "0 1 nan\n");
  CHECK(error_message([&] { (void)read_directed_coupling_list(nan); }).find("'0 1 nan'") !=
        std::string::npos);
  CHECK_THROWS_AS((void)read_directed_coupling_list(write(dir, "empty.txt", "# none\n")), Error);
  CHECK(error_message([] { (void)read_directed_coupling_list("/nonexistent/spinfer/d.txt"); }) ==
        "instance.path = /nonexistent/spinfer/d.txt: cannot read file");
}

TEST_CASE("directed coupling lists are bounded like undirected ones: no line asks for gigabytes") {
  TempDir dir;
  for (const char* text : {"agents 999999999999\n", "field 2000000000 1\n", "0 16777216 1\n"}) {
    CAPTURE(text);
    const std::string path = write(dir, "huge.txt", text);
    CHECK(error_message([&] { (void)read_directed_coupling_list(path); }).find("too large") !=
          std::string::npos);
  }
  // Control characters in a bad line are escaped, so the error stays one printable line.
  const std::string path = write(dir, "escape.txt", "0 1 \x1b[31mred\n");
  const std::string message = error_message([&] { (void)read_directed_coupling_list(path); });
  CHECK(message.find('\x1b') == std::string::npos);
}
