#pragma once
// The one exception type of the project. Anything thrown as spinfer::Error is a problem with the
// user's input or request (bad configuration, unreadable file, impossible rank count); main()
// prints its message on one line and exits with code 2. Other exceptions are internal errors.
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace spinfer {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// User text quoted in a message, made safe to print on one line: a control character (a stray
// carriage return, a terminal escape) shows as \xNN, and text beyond `limit` bytes (say a whole
// file without line breaks) is cut.
inline std::string printable(std::string_view text, std::size_t limit = std::string_view::npos) {
  std::string out;
  for (std::size_t k = 0; k < text.size() && k < limit; ++k) {
    const auto c = static_cast<unsigned char>(text[k]);
    if (c < 0x20 || c == 0x7f) {
      char code[5];
      std::snprintf(code, sizeof code, "\\x%02x", static_cast<unsigned>(c));
      out += code;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

// Builds "FIELD = VALUE: WHY", the shape of every input error message.
template <class Value>
[[nodiscard]] Error field_error(const std::string& field, const Value& value,
                                const std::string& why) {
  std::ostringstream shown;
  shown << value;
  return Error(field + " = " + printable(shown.str()) + ": " + why);
}

}  // namespace spinfer
