#pragma once
// The position of a parser in a line-oriented input file (coupling lists, directed coupling
// lists) and the checks every such file makes of its tokens, with errors that quote the line:
// "PATH:LINE: problem 'text'", user text escaped and bounded.
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agents/core/error.hpp"
#include "agents/core/weighted_graph.hpp"
#include "agents/instances/text_tokens.hpp"

namespace spinfer {

inline Error line_error(const std::string& path, int line, const std::string& text,
                        const std::string& problem) {
  return Error(printable(path) + ":" + std::to_string(line) + ": " + printable(problem, 300) +
               " '" + printable(text, 200) + "'");
}

// An edge line starts with a number; anything else must be a keyword.
inline bool starts_like_number(std::string_view token) {
  return std::string_view("+-0123456789").find(token.front()) != std::string_view::npos;
}

struct LineReader {
  explicit LineReader(std::string file) : path(std::move(file)) {}

  std::string path;
  int line = 0;
  std::string text;

  // Moves to line `number`: its tokens without the '\r' and the '#' comment. The views point
  // into `text` and are valid until the next call.
  std::vector<std::string_view> next(int number, std::string raw) {
    line = number;
    text = std::move(raw);
    if (!text.empty() && text.back() == '\r') text.pop_back();
    return tokens_of(std::string_view(text).substr(0, text.find('#')));
  }

  [[noreturn]] void fail(const std::string& problem) const {
    throw line_error(path, line, text, problem);
  }

  AgentId id(std::string_view token, const std::string& what) const {
    AgentId value = 0;
    if (!parse_whole(token, value)) fail("bad " + what + " '" + std::string(token) + "'");
    if (value < 0) fail("negative " + what + " " + std::string(token));
    return value;
  }

  double finite(std::string_view token, const char* what) const {
    double value = 0;
    if (!parse_whole(token, value))
      fail(std::string("bad ") + what + " '" + std::string(token) + "'");
    if (!std::isfinite(value)) fail(std::string("non-finite ") + what + " " + std::string(token));
    return value;
  }
};

}  // namespace spinfer
