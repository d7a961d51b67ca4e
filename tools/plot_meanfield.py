#!/usr/bin/python3
"""Plots the output of `spinfer meanfield` into DIR/meanfield.png.

Left: naive mean-field and TAP magnetizations m_i against the reference <s_i> (the compared run's
samples, else exact enumeration) at the hottest, a middle and the coldest beta: on the diagonal
where the approximation holds. Right: the root-mean-square distance from the reference against
beta, where the approximations part from the sampled collective.

Usage: /usr/bin/python3 tools/plot_meanfield.py DIR [--out FILE]
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
    parser.add_argument("dir")
    parser.add_argument("--out")
    args = parser.parse_args()
    report = json.load(open(os.path.join(args.dir, "meanfield.json")))
    data = np.genfromtxt(os.path.join(args.dir, "meanfield.csv"), delimiter=",", names=True)
    names = data.dtype.names
    reference = "m_sampled" if "m_sampled" in names else "m_exact" if "m_exact" in names else None
    if reference is None:
        raise SystemExit("meanfield.csv has neither sampled nor exact magnetizations to compare")
    betas = np.unique(data["beta"])
    shown = sorted({betas[0], betas[len(betas) // 2], betas[-1]})

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6))
    colours = plt.cm.viridis(np.linspace(0, 0.85, len(shown)))
    for beta, colour in zip(shown, colours):
        rows = data[data["beta"] == beta]
        left.scatter(rows[reference], rows["m_naive"], s=14, marker="o", facecolors="none",
                     edgecolors=colour, label=f"naive, beta={beta:.3g}")
        left.scatter(rows[reference], rows["m_tap"], s=14, marker="x", color=colour,
                     label=f"TAP, beta={beta:.3g}")
    left.plot([-1, 1], [-1, 1], color="grey", lw=0.8)
    left.set_xlabel(reference.replace("m_", "<s_i> ") if reference else "")
    left.set_ylabel("mean-field m_i")
    left.set_xlim(-1.05, 1.05)
    left.set_ylim(-1.05, 1.05)
    left.legend(fontsize=7)
    left.set_title(report["instance"], fontsize=8)

    for column, style in (("m_sampled", "-"), ("m_exact", "--")):
        if column not in names:
            continue
        for kind, marker in (("m_naive", "o"), ("m_tap", "s")):
            rms = [np.sqrt(np.mean((data[data["beta"] == b][kind] - data[data["beta"] == b][column]) ** 2))
                   for b in betas]
            right.plot(betas, rms, style, marker=marker,
                       label=f"{kind[2:]} vs {column[2:]}")
    unconverged = [s["beta"] for s in report["solutions"] if not s["converged"]]
    for b in unconverged:
        right.axvline(b, color="red", lw=0.5, alpha=0.4)
    right.set_xlabel("beta")
    right.set_ylabel("rms |m_i - <s_i>|")
    right.set_yscale("log")
    right.legend(fontsize=8)
    right.set_title("where mean field parts from sampling (red: iteration did not converge)",
                    fontsize=8)
    fig.tight_layout()
    out = args.out or os.path.join(args.dir, "meanfield.png")
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
