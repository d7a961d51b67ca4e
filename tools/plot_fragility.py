#!/usr/bin/python3
"""Plots a `spinfer fragility` directory (or several) into DIR/fragility.png.

One column of panels per directory (one knob each):
  top:    distance from the spin-glass sampler against the knob. Small N (exact): TV of the
          kernel's exact stationary law from Boltzmann(J_sym) (line), the sampled TV (points)
          and the TV a correct sampler shows at this sample size (grey band). Large N: bias of
          the energy per agent and of the mean edge correlation against the exact schedule,
          with error bars.
  bottom: entropy production per sweep, measured along the trajectory (points, error bars)
          and exact from the kernel (line).

Usage: /usr/bin/python3 tools/plot_fragility.py DIR [DIR ...] [--out FILE] [--title TEXT]
"""
import argparse
import csv
import math
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

LABELS = {
    "asymmetry": "asymmetry k  (J = J_sym + k J_anti)",
    "policy_precision": "policy precision alpha",
    "staleness": "staleness d (sweeps)",
    "schedule": "schedule",
}


def number(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


def read(directory):
    with open(os.path.join(directory, "fragility.csv")) as f:
        return list(csv.DictReader(f))


def positions(rows):
    """Numeric knob values, or categories placed at 0, 1, 2, ..."""
    values = [number(r["value"]) for r in rows]
    if all(not math.isnan(v) for v in values):
        return values, None
    return list(range(len(rows))), [r["value"] for r in rows]


def column(rows, name):
    return [number(r[name]) for r in rows]


def draw(axes, rows):
    top, bottom = axes
    knob = rows[0]["knob"]
    x, categories = positions(rows)
    exact = rows[0]["exact"] == "1"
    if exact:
        kernel = column(rows, "kernel_tv_boltzmann_symmetric")
        if any(not math.isnan(v) for v in kernel):
            top.plot(x, kernel, "-", color="C0", label="exact kernel law vs Boltzmann(J_sym)")
            little = column(rows, "kernel_tv_little")
            top.plot(x, little, ":", color="C2", label="exact kernel law vs Little")
        sampled = column(rows, "sampled_tv_boltzmann_symmetric")
        noise = column(rows, "sampled_tv_noise")
        top.plot(x, sampled, "o", color="C1", label="sampled vs Boltzmann(J_sym)")
        top.fill_between(x, 0, noise, color="0.85", label="TV of a correct sampler (noise)")
        top.set_ylabel("total-variation distance")
    else:
        for name, colour, label in (
            ("bias_energy", "C3", "energy per agent"),
            ("bias_edge_correlation", "C4", "mean edge correlation"),
            ("bias_magnetization", "C5", "magnetization"),
        ):
            top.errorbar(x, column(rows, name), yerr=column(rows, name + "_error"), fmt="o-",
                         color=colour, capsize=3, label=label)
        top.axhline(0, color="0.5", lw=0.8)
        top.set_ylabel("bias vs exact schedule")
    top.legend(fontsize=8)
    ep = column(rows, "entropy_production")
    ep_err = [0 if math.isnan(e) else e for e in column(rows, "entropy_production_error")]
    finite = [v if math.isfinite(v) else math.nan for v in ep]
    bottom.errorbar(x, finite, yerr=ep_err, fmt="o", color="C1", capsize=3,
                    label="sampled along the trajectory")
    kernel_ep = column(rows, "kernel_entropy_production")
    if any(math.isfinite(v) for v in kernel_ep):
        bottom.plot(x, kernel_ep, "-", color="C0", label="exact (kernel)")
    bottom.axhline(0, color="0.5", lw=0.8)
    bottom.set_ylabel("entropy production per sweep (nats)")
    bottom.set_xlabel(LABELS.get(knob, knob))
    bottom.legend(fontsize=8)
    for ax in axes:
        if categories:
            ax.set_xticks(x)
            ax.set_xticklabels(categories, rotation=20, fontsize=8)
        ax.grid(alpha=0.3)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directories", nargs="+")
    parser.add_argument("--out")
    parser.add_argument("--title")
    args = parser.parse_args()
    tables = [read(d) for d in args.directories]
    fig, axes = plt.subplots(2, len(tables), figsize=(5.0 * len(tables), 7.5), squeeze=False)
    for k, rows in enumerate(tables):
        draw(axes[:, k], rows)
        mode = "exact, N = %s" % rows[0]["n_free"] if rows[0]["exact"] == "1" else \
            "statistical, N = %s" % rows[0]["n_free"]
        axes[0, k].set_title("%s (%s)" % (rows[0]["knob"], mode), fontsize=10)
    if args.title:
        fig.suptitle(args.title)
    fig.tight_layout()
    out = args.out or os.path.join(args.directories[0], "fragility.png")
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
