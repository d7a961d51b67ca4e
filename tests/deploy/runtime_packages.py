"""Do these Debian packages, with their dependencies, provide every shared library a binary
loads? Catches a runtime container stage that would fail with "cannot open shared object file"
without building the image: the binary built here is linked against the same Debian 12 packages.

usage: runtime_packages.py BINARY PACKAGE...   (exit 1 naming each library left unprovided)
"""
import os
import re
import subprocess
import sys


def owning_package(path):
    candidates = {path, os.path.realpath(path)}
    for p in list(candidates):  # merged /usr: dpkg may know either spelling
        candidates.add(p[4:] if p.startswith("/usr/") else "/usr" + p)
    for p in candidates:
        out = subprocess.run(["dpkg-query", "-S", p], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.split(":")[0].strip()
    return None


def dependency_closure(packages):
    out = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", *packages],
        capture_output=True, text=True, check=True)
    return {line.strip() for line in out.stdout.splitlines() if line and not line[0].isspace()}


def main(binary, packages):
    ldd = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    # The sanitizer runtimes appear when this suite runs in the asan preset; the image never
    # contains a sanitized binary.
    libraries = [lib for lib in re.findall(r"=>\s+(/\S+)", ldd)
                 if not re.search(r"/lib(a|ub|l|t)san\.so", lib)]
    closure = {name.split(":")[0] for name in dependency_closure(packages)}
    missing = []
    for library in libraries:
        package = owning_package(library)
        if package is None:
            missing.append(f"{library} (no Debian package owns it)")
        elif package.split(":")[0] not in closure:
            missing.append(f"{library} (from {package}, not pulled in by the runtime packages)")
    for line in missing:
        print(f"runtime stage lacks {line}")
    print(f"{len(libraries) - len(missing)} of {len(libraries)} shared libraries of "
          f"{os.path.basename(binary)} provided by: {' '.join(packages)}")
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))
