#pragma once
// Splitting and number parsing for the line-oriented input files (coupling lists, directed
// coupling lists).
#include <algorithm>
#include <charconv>
#include <string_view>
#include <vector>

namespace spinfer {

inline std::vector<std::string_view> tokens_of(std::string_view text) {
  std::vector<std::string_view> tokens;
  constexpr std::string_view kSpace = " \t\r\v\f";
  for (auto start = text.find_first_not_of(kSpace); start != std::string_view::npos;) {
    const auto end = std::min(text.find_first_of(kSpace, start), text.size());
    tokens.push_back(text.substr(start, end - start));
    start = text.find_first_not_of(kSpace, end);
  }
  return tokens;
}

// from_chars rather than streams: locale-independent, and it reports trailing junk.
template <class Number>
bool parse_whole(std::string_view token, Number& value) {
  const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), value);
  return error == std::errc() && end == token.data() + token.size();
}

}  // namespace spinfer
