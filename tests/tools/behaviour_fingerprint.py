#!/usr/bin/python3
"""Fingerprint what spinfer computes, so that a reshaping can prove it changed nothing.

Runs every shipped example at 1 and 2 ranks, the fragility command and the meanfield command,
and prints one line per output file: its case, its name and the sha256 of its content, with
summary.json (and fragility.json) stripped of the fields that say how, where and how fast a run
went rather than what it computed. Two builds compute the same thing when their fingerprints are
equal line for line:

    tests/tools/behaviour_fingerprint.py build/spinfer > after.txt
    diff before.txt after.txt

Usage: behaviour_fingerprint.py SPINFER [--ranks 1,2] [--only NAME-SUBSTRING] [--keep DIR]
"""
import argparse
import hashlib
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
# How, where and how fast, never what.
EXECUTION_FIELDS = {"version", "ranks", "wall_seconds", "updates_per_second", "command_line",
                    "provenance", "seconds", "elapsed_seconds",
                    "compared_run"}  # compared_run: a path in this script's temporary directory
OUTPUTS = ["summary.json", "timeseries.csv", "agents.csv", "edges.csv", "distribution.csv",
           "observables.csv", "overlap_histogram.csv", "tempering.csv", "ground_state.csv",
           "pattern_overlaps.csv", "fragility.csv", "fragility.json", "meanfield.csv",
           "meanfield.json", "comparison.csv"]
# The asynchronous schedule lets ranks race on purpose (README: not reproducible); its run is
# fingerprinted at one rank only, where there is nothing to race with.
ONE_RANK_ONLY = {"fragility-schedule-ea32"}


def strip(value):
    """The JSON value without execution fields, with the spellings protobuf's canonical JSON and
    a plain JSON writer give the same number (64-bit integers as "110000" or 110000, NaN as
    "NaN" or null) brought to one, so that a change of spelling alone leaves the hash alone."""
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in EXECUTION_FIELDS}
    if isinstance(value, list):
        return [strip(v) for v in value]
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    if value == "NaN":
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str) and value in ("Infinity", "-Infinity"):
        return float(value.replace("Infinity", "inf"))
    return value


def digest(path):
    data = path.read_bytes()
    if path.suffix == ".json":
        data = json.dumps(strip(json.loads(data)), sort_keys=True).encode()
    return hashlib.sha256(data).hexdigest()[:16]


def launch(ranks, args, out):
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1")
    command = ["mpirun", "-np", str(ranks)] + args
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"fingerprint: {' '.join(command)} failed ({done.returncode}):\n{done.stderr}")


def report(case, out):
    for name in OUTPUTS:
        path = out / name
        if path.exists():
            print(f"{case:44s} {name:22s} {digest(path)}")
    summary = out / "summary.json"
    if summary.exists():
        print(f"{case:44s} {'final_state_hash':22s} {json.loads(summary.read_text())['final_state_hash']}")


def cases(spinfer, ranks_list):
    for example in sorted((ROOT / "examples").glob("*.json")):
        for ranks in ranks_list:
            if example.stem in ONE_RANK_ONLY and ranks != 1:
                continue
            yield f"{example.stem}/np{ranks}", ranks, [spinfer, "run", str(example)]
    for ranks in ranks_list:
        yield f"default/np{ranks}", ranks, [spinfer, "run"]
        yield f"fragility-asymmetry/np{ranks}", ranks, [
            spinfer, "fragility", "examples/fragility-asymmetry-sk10.json", "--knob", "asymmetry",
            "--values", "0,0.5", "--set", "sweeps=5000"]
        yield f"fragility-staleness/np{ranks}", ranks, [
            spinfer, "fragility", "examples/fragility-stale.json", "--knob", "staleness",
            "--values", "0,2", "--set", "sweeps=1000", "--set", "burn_in=200"]
    yield "meanfield-sk16/np1", 1, [spinfer, "meanfield", "--set",
                                   'instance={"kind":"sk","n":16,"field_spread":0.3,"seed":2}',
                                   "--set", "beta=0.4"]
    yield "meanfield-compare/np1", 1, ["COMPARE", spinfer]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("spinfer")
    parser.add_argument("--ranks", default="1,2")
    parser.add_argument("--only", default="")
    parser.add_argument("--keep")
    options = parser.parse_args()
    spinfer = str(pathlib.Path(options.spinfer).resolve())
    ranks_list = [int(r) for r in options.ranks.split(",")]
    work = pathlib.Path(options.keep or tempfile.mkdtemp(prefix="fingerprint-"))
    for case, ranks, args in cases(spinfer, ranks_list):
        if options.only not in case:
            continue
        out = work / case.replace("/", "-")
        if args[0] == "COMPARE":  # meanfield --compare against the sk-n12 run at one rank
            launch(1, [spinfer, "run", "examples/sk-n12.json", "--set", "sweeps=3000",
                       "--out", str(work / "sk-for-meanfield"), "--overwrite", "--quiet"], None)
            args = [spinfer, "meanfield", "examples/sk-n12.json", "--compare",
                    str(work / "sk-for-meanfield")]
        launch(ranks, args + ["--out", str(out), "--overwrite", "--quiet"], out)
        report(case, out)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
