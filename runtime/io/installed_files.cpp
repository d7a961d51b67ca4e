#include "runtime/io/installed_files.hpp"

#include <filesystem>
#include <system_error>

namespace spinfer {

std::string installed_tool(const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error) return "";
  for (const fs::path& dir : {exe.parent_path().parent_path() / "share/spinfer/tools",
                              exe.parent_path() / "share/spinfer/tools"}) {
    const fs::path candidate = dir / name;
    if (fs::exists(candidate, error)) return candidate.string();
  }
  return "";
}

std::string system_python() {
  // A pyenv or virtualenv python3 earlier on PATH may not see Debian's python3-matplotlib.
  return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

}  // namespace spinfer
