#include <doctest/doctest.h>

#include <string>

#include "agents/core/error.hpp"

using namespace spinfer;

TEST_CASE("printable escapes control characters and cuts long text") {
  CHECK(printable("plain text, UTF-8 \xc3\xa9 too") == "plain text, UTF-8 \xc3\xa9 too");
  CHECK(printable("a\tb\r\n\x1b[2J\x7f") == "a\\x09b\\x0d\\x0a\\x1b[2J\\x7f");
  CHECK(printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(printable(std::string(300, 'x'), 200) == std::string(200, 'x') + "...");
  CHECK(printable(std::string(200, 'x'), 200) == std::string(200, 'x'));
}

TEST_CASE("field_error reads FIELD = VALUE: WHY, on one line whatever the value holds") {
  CHECK(std::string(field_error("beta", 0.5, "must be > 1").what()) == "beta = 0.5: must be > 1");
  CHECK(std::string(field_error("name", "two\nlines", "bad").what()) ==
        "name = two\\x0alines: bad");
}
