#!/usr/bin/python3
"""The dependency fence: every #include in agents/, comm/ and runtime/ must point the one way
the architecture allows. Exit 1, listing each offending line, when one does not.

- agents/ is pure C++ and Eigen: nothing from comm/ or runtime/, no MPI, Boost.MPI or protobuf
  (generated *.pb.h included);
- MPI and Boost.MPI are included in comm/ only;
- comm/ includes nothing from runtime/;
- a room includes only itself and the rooms below it (ROOMS), so no include loop between rooms
  can exist; the same for the rooms of agents/.

Usage: check_fence.py [ROOT]   (ROOT defaults to the repository holding this script)
"""
import pathlib
import re
import sys

# Room -> the rooms it may include (besides itself). Keep in step with agents/CMakeLists.txt
# and runtime/CMakeLists.txt, which link the same way.
AGENT_ROOMS = {
    "core": set(),
    "ising": {"core"},
    "statistics": {"core"},
    "tempering": {"core"},
    "meanfield": {"core"},
    "exact": {"core", "ising"},
    "instances": {"core", "ising"},
}
RUNTIME_ROOMS = {
    "config": set(),
    "decomposition": set(),
    "io": {"config"},
    "schedules": {"decomposition", "config"},
    "population": {"schedules", "decomposition", "config"},
    "verify": {"config", "schedules", "decomposition"},
    "observe": {"population", "schedules", "decomposition", "verify", "io", "config"},
    "run": {"observe", "population", "schedules", "decomposition", "verify", "io", "config"},
}
RUNTIME_ROOMS["results"] = RUNTIME_ROOMS["run"] | {"run"}
RUNTIME_ROOMS["fragility"] = RUNTIME_ROOMS["results"] | {"results"}
RUNTIME_ROOMS["cli"] = RUNTIME_ROOMS["fragility"] | {"fragility"}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
MPI = re.compile(r"^(mpi\.h|mpi\.hpp|boost/mpi(\.hpp|/.*))$")
PROTOBUF = re.compile(r"^(google/protobuf/.*|.*\.pb\.h)$")


def problems_in(path, rel):
    top, room = rel.parts[0], rel.parts[1] if len(rel.parts) > 2 else None
    for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(2)
        where = f"{rel}:{number}: {line.strip()}"
        if MPI.match(target) and top != "comm":
            yield f"{where}: MPI is reached through comm/ only"
        if top == "agents":
            if PROTOBUF.match(target):
                yield f"{where}: agents/ knows nothing of protobuf"
            if target.startswith(("comm/", "runtime/")):
                yield f"{where}: agents/ must not depend on {target.split('/')[0]}/"
        if top == "comm" and target.startswith("runtime/"):
            yield f"{where}: comm/ must not depend on runtime/"
        rooms = {"agents": AGENT_ROOMS, "runtime": RUNTIME_ROOMS}.get(top)
        parts = target.split("/")
        if rooms is not None and room is not None and parts[0] == top and len(parts) > 2:
            if room not in rooms:
                yield f"{where}: {top}/{room}/ is not a known room (add it to tests/fence)"
            elif parts[1] != room and parts[1] not in rooms[room]:
                yield f"{where}: {top}/{room}/ may not include {top}/{parts[1]}/"


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
    found = []
    for top in ("agents", "comm", "runtime"):
        for path in sorted((root / top).rglob("*")):
            if path.suffix in (".cpp", ".hpp", ".h", ".in"):
                found += problems_in(path, path.relative_to(root))
    for p in found:
        print(p)
    print(f"fence: {len(found)} forbidden include(s)" if found else "fence: every include points the allowed way")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
