// libFuzzer target for the run configuration: the bytes up to the first NUL are a config file's
// text, each NUL-separated piece after it one --set override, all taken through the CLI's own
// parse_config_text. spinfer::Error is the only acceptable failure; an accepted configuration must
// re-validate and come back equal from to_json (config.json promises to reproduce the run).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <typeinfo>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "agents/core/error.hpp"
#include "runtime/config/config.hpp"

namespace {

// Aborting makes libFuzzer save the input as a crash artifact.
[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_config finding: %s\n", what.c_str());
  std::abort();
}

void check_error_message(const spinfer::Error& e) {
  const std::string message = e.what();
  if (message.empty()) finding("empty error message");
  // main() prints it as one line.
  if (message.find_first_of("\n\r") != std::string::npos) finding("multi-line error: " + message);
}

void check_accepted(const spinfer::RunConfig& config) {
  try {
    spinfer::validate_config(config);
  } catch (const spinfer::Error& e) {
    finding(std::string("accepted configuration fails validate_config: ") + e.what());
  }
  const std::string json = spinfer::to_json(config, false);
  spinfer::RunConfig again;
  try {
    again = spinfer::parse_config_text(json, "to_json output");
  } catch (const spinfer::Error& e) {
    finding(std::string("to_json output is refused: ") + e.what() + "\n  json: " + json);
  }
  // Field by field with ==, so that -0 printed as "-0" and read back as 0 counts as equal.
  if (!google::protobuf::util::MessageDifferencer::Equals(again, config))
    finding("to_json does not round-trip\n  first:  " + json +
            "\n  second: " + spinfer::to_json(again, false));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto json_end = bytes.find('\0');
  const std::string_view json = bytes.substr(0, json_end);
  std::vector<std::string> overrides;
  for (auto start = json_end; start != std::string_view::npos;) {
    const auto end = bytes.find('\0', start + 1);
    overrides.emplace_back(
        bytes.substr(start + 1, end == bytes.npos ? bytes.npos : end - start - 1));
    start = end;
  }

  spinfer::RunConfig config;
  try {
    config = spinfer::parse_config_text(json, "fuzz.json", overrides);
  } catch (const spinfer::Error& e) {
    check_error_message(e);
    return 0;
  } catch (const std::exception& e) {
    finding(std::string("not a spinfer::Error: ") + typeid(e).name() + ": " + e.what());
  }
  check_accepted(config);
  return 0;
}
