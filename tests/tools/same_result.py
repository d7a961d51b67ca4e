#!/usr/bin/python3
"""Exit 0 when two run directories hold the same result, bit for bit.

Compares summary.json minus the fields that describe how a run was executed rather than what it
computed, and every CSV output byte for byte. Usage: same_result.py DIR_A DIR_B
"""
import json
import pathlib
import sys

# How, where and how fast, not what: these may differ between an interrupted-and-resumed run
# and an uninterrupted one, or between rank counts.
EXECUTION_FIELDS = {"ranks", "wall_seconds", "updates_per_second", "command_line", "provenance"}
OUTPUTS = ["timeseries.csv", "agents.csv", "edges.csv", "distribution.csv", "config.json",
           "observables.csv", "overlap_histogram.csv", "tempering.csv", "ground_state.csv",
           "pattern_overlaps.csv"]


def main(a, b):
    a, b = pathlib.Path(a), pathlib.Path(b)
    sa, sb = (json.loads((d / "summary.json").read_text()) for d in (a, b))
    problems = []
    for key in sorted(set(sa) | set(sb)):
        if key not in EXECUTION_FIELDS and sa.get(key) != sb.get(key):
            problems.append(f"summary.json: {key}: {sa.get(key)!r} != {sb.get(key)!r}"[:300])
    for name in OUTPUTS:
        fa, fb = a / name, b / name
        if fa.exists() != fb.exists():
            problems.append(f"{name}: present in only one run")
        elif fa.exists() and name != "config.json" and fa.read_bytes() != fb.read_bytes():
            problems.append(f"{name}: differs")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
