#pragma once
// The human-readable account of a run printed at the end (summary.json holds the same figures).
#include <ostream>
#include <string>

#include "summary.pb.h"

namespace spinfer {

void print_report(std::ostream& out, const record::Summary& summary, const std::string& out_dir);

}  // namespace spinfer
