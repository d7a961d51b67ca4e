#pragma once
// The text of a CSV file, built with std::to_chars: numbers come out exactly as an ostream with
// precision(10) writes them (printf's %.10g, integers in full), at a fraction of the cost, which
// counts for the time series of a long run (tens of millions of values).
#include <charconv>
#include <concepts>
#include <string>
#include <string_view>

namespace spinfer {

class CsvText {
 public:
  CsvText& operator<<(double value) {
    return put([&](char* first, char* last) {
      return std::to_chars(first, last, value, std::chars_format::general, 10);
    });
  }
  CsvText& operator<<(std::integral auto value) {
    return put([&](char* first, char* last) { return std::to_chars(first, last, value); });
  }
  CsvText& operator<<(char c) {
    text_.push_back(c);
    return *this;
  }
  CsvText& operator<<(std::string_view s) {
    text_.append(s);
    return *this;
  }
  CsvText& operator<<(const char* s) { return *this << std::string_view(s); }

  [[nodiscard]] std::string str() && { return std::move(text_); }

 private:
  template <class Convert>
  CsvText& put(Convert convert) {
    char buffer[32];
    const auto result = convert(buffer, buffer + sizeof buffer);
    text_.append(buffer, result.ptr);
    return *this;
  }

  std::string text_;
};

}  // namespace spinfer
