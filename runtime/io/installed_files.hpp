#pragma once
// Files spinfer ships beside its binary (the plotting scripts), found from where the running
// executable is, so that an installed binary or a container without the source tree finds them:
// PREFIX/bin/spinfer uses PREFIX/share/spinfer/tools/, and a build tree's build/spinfer uses
// build/share/spinfer/tools/ (CMake copies them there at configure time).
#include <string>

namespace spinfer {

// The full path of tools/`name`, or "" when it is in neither place.
std::string installed_tool(const std::string& name);

// The Python 3 that can see the system's NumPy and Matplotlib.
std::string system_python();

}  // namespace spinfer
