#pragma once
// printf-style formatting into a std::string, for reports and tables of fixed layout.
#include <cstdio>
#include <string>

namespace spinfer {

template <class... Values>
std::string format_text(const char* pattern, Values... values) {
  char text[512];
  std::snprintf(text, sizeof text, pattern, values...);
  return text;
}

}  // namespace spinfer
