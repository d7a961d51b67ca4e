#pragma once
// One file of a run's results, its name in the run directory and its whole content.
#include <string>

namespace spinfer {

struct OutputFile {
  std::string name;
  std::string content;
};

}  // namespace spinfer
