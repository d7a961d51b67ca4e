#!/usr/bin/python3
"""Plots a spinfer run directory into RUN_DIR/run.png.

Panels: running means of every chain (energy per agent, |magnetization|); for exact runs, the
empirical frequency of every state against each reference probability (a correct sampler lies on
the diagonal, within the sampling band); per-agent magnetizations.

Usage: /usr/bin/python3 tools/plot_run.py RUN_DIR [--out FILE]
Needs Debian's python3-numpy and python3-matplotlib (installed by deploy/install-deps.sh).
"""
import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--out")
    args = parser.parse_args()
    d = args.run_dir
    summary = json.load(open(os.path.join(d, "summary.json")))
    ts = np.genfromtxt(os.path.join(d, "timeseries.csv"), delimiter=",", names=True)
    agents = np.genfromtxt(os.path.join(d, "agents.csv"), delimiter=",", names=True)
    dist_path = os.path.join(d, "distribution.csv")
    exact = os.path.exists(dist_path)

    panels = 3 if exact else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.2 * panels, 4.4))
    ax = axes[0]
    for c in np.unique(ts["chain"]).astype(int):
        rows = ts[ts["chain"] == c]
        count = np.arange(1, len(rows) + 1)
        step = max(1, len(rows) // 4000)
        for name, values, style in (("energy per agent", rows["energy_per_agent"], "-"),
                                    ("|magnetization|", np.abs(rows["magnetization"]), "--")):
            running = np.cumsum(values) / count
            ax.plot(rows["sweep"][::step], running[::step], style, lw=1,
                    label=f"chain {c}: {name}")
    ax.set_xlabel("sweep")
    ax.set_title("running means per chain (they should meet)")
    ax.legend(fontsize=7)

    ax = axes[1]
    if len(agents) <= 64:
        ax.bar(agents["agent"], agents["magnetization"], color="tab:blue")
        ax.set_xlabel("agent")
        ax.set_ylabel("m_i (time and chain average)")
    else:
        ax.hist(agents["magnetization"], bins=60, color="tab:blue")
        ax.set_xlabel("m_i (time and chain average)")
        ax.set_ylabel("agents")
    ax.set_title("per-agent magnetization")

    if exact:
        dist = np.genfromtxt(dist_path, delimiter=",", names=True, dtype=None, encoding=None)
        ax = axes[2]
        total = dist["count"].sum()
        verdicts = {summary["stationarity"]["reference"]: summary["stationarity"]}
        for alt in summary.get("alternatives", []):
            verdicts[alt["reference"]] = alt
        for name, marker in (("boltzmann", "o"), ("little", "x")):
            if name not in dist.dtype.names:
                continue
            v = verdicts.get(name, {})
            ax.loglog(dist[name], np.maximum(dist["frequency"], 0.3 / total), marker,
                      ms=3, alpha=0.6, label=f"{name}: {v.get('verdict', '?')} "
                      f"(TV {v.get('tv_distance', float('nan')):.3f})")
        lo = max(0.3 / total, dist["frequency"][dist["frequency"] > 0].min() / 3)
        grid = np.logspace(np.log10(lo), 0, 50)
        ax.loglog(grid, grid, "k-", lw=0.8, label="exact")
        tau = summary["stationarity"].get("tau_int", 0.5)
        band = 3 * np.sqrt(grid * 2 * tau / total)
        ax.fill_between(grid, np.maximum(grid - band, lo), grid + band, color="0.85",
                        label="±3 s.e.")
        ax.set_xlim(lo, 1)
        ax.set_ylim(lo, 1)
        ax.set_xlabel("reference probability")
        ax.set_ylabel("sampled frequency (unvisited at the floor)")
        ax.set_title("states: sampled vs exact")
        ax.legend(fontsize=7, loc="upper left")

    s = summary
    fig.suptitle(f"{s['instance']} | beta {s['beta']:g} | {s['schedule']} | {s['ranks']} ranks | "
                 f"verdict: {s['stationarity']['verdict']} with {s['stationarity']['reference']}",
                 fontsize=9)
    fig.tight_layout()
    out = args.out or os.path.join(d, "run.png")
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
