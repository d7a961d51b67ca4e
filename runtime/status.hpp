#pragma once
// Live status of a run in DIR/status.json (rewritten atomically by rank 0) and its printing.
#include <string>

#include "summary.pb.h"

namespace spinfer {

inline constexpr const char* kStatusName = "status.json";

void write_status(const std::string& directory, const record::Status& status);

// Throws spinfer::Error when DIR has no readable status.json.
record::Status read_status(const std::string& directory);

// A few human-readable lines.
std::string format_status(const record::Status& status);

// Now, as "2026-11-23T10:15:00Z".
std::string utc_timestamp();

}  // namespace spinfer
