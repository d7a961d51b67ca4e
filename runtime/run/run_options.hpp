#pragma once
// How a run is driven, as opposed to what it computes (RunConfig).
#include <string>

#include "runtime/io/checkpoint.hpp"

namespace spinfer {

struct RunOptions {
  bool show_progress = false;
  std::string command_line;
  // Where checkpoints and status.json go (rank 0); empty: neither is written.
  std::string directory;
  // Continue from this state instead of starting afresh (same configuration, any rank count).
  const ResumePoint* resume = nullptr;
};

}  // namespace spinfer
