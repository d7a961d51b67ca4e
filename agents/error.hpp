#pragma once
// The one exception type of the project. Anything thrown as spinfer::Error is a problem with the
// user's input or request (bad configuration, unreadable file, impossible rank count); main()
// prints its message on one line and exits with code 2. Other exceptions are internal errors.
#include <sstream>
#include <stdexcept>
#include <string>

namespace spinfer {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds "FIELD = VALUE: WHY", the shape of every input error message.
template <class Value>
[[nodiscard]] Error field_error(const std::string& field, const Value& value,
                                const std::string& why) {
  std::ostringstream out;
  out << field << " = " << value << ": " << why;
  return Error(out.str());
}

}  // namespace spinfer
