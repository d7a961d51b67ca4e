#pragma once
// Reading the run configuration: JSON file (or the embedded default) -> --set overrides ->
// defaults merged underneath -> validation. The result is fully resolved (every field present)
// and identical on every rank. Any problem throws spinfer::Error naming the field and value.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config.pb.h"

namespace spinfer {

using config::RunConfig;

struct ConfigSource {
  std::optional<std::string> path;     // none: the embedded default run
  std::vector<std::string> overrides;  // "dotted.field=value"
  std::optional<std::uint32_t> seed;   // --seed
};

RunConfig resolve_config(const ConfigSource& source);

// resolve_config's whole path from JSON text already in memory; `origin` names the text in errors
// (resolve_config passes the file path). The fuzz target calls this.
RunConfig parse_config_text(std::string_view json, const std::string& origin,
                            const std::vector<std::string>& overrides = {},
                            std::optional<std::uint32_t> seed = std::nullopt);

// Throws on the first invalid field. Called by resolve_config; public for tests.
void validate_config(const RunConfig& config);

// Protobuf's canonical JSON, original field names, every field printed.
std::string to_json(const google::protobuf::Message& message, bool pretty = true);

// The embedded default run, as users would write it.
const char* default_run_json();

}  // namespace spinfer
