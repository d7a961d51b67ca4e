#!/usr/bin/python3
"""Reproduces textbook spin-glass physics with spinfer and writes docs/validation.md.

Every comparison runs the spinfer binary (parallel tempering, annealing-free) and sets its
results, with standard errors from binning or a blocked jackknife, against a known answer:

  1. 2D ferromagnet: energy per spin and spontaneous magnetization against Onsager and Yang
     below T_c; T_c located from the crossings of the Binder cumulant for L = 8, 16, 32.
  2. Sherrington-Kirkpatrick: energy per spin above T_c = 1 against -beta (N-1) / (2N), averaged
     over disorder; P(q) below T_c, averaged over disorder, is non-trivial.
  3. Exact enumeration (N <= 16) against parallel tempering on every observable.
  4. Hopfield retrieval from a corrupted cue as the load P/N crosses the capacity ~0.138.

Usage: /usr/bin/python3 tools/validate_physics.py [--spinfer build/spinfer] [--ranks 2]
           [--out docs] [--quick]
Takes about 15 minutes on 2 cores (--quick: about 3, with smaller samples). Needs mpirun,
numpy and matplotlib.
"""
import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ISING_BETA_C = math.log(1 + math.sqrt(2)) / 2  # 0.4407; T_c = 2.269
HOPFIELD_CAPACITY = 0.138


# ---------------------------------------------------------------------------------------------
# Known results (the same formulas as agents/exact/known_results.cpp).

def elliptic_k(k):
    """Complete elliptic integral of the first kind K(k) by the arithmetic-geometric mean."""
    a, b = 1.0, math.sqrt(max(0.0, 1 - k * k))
    for _ in range(60):
        a, b = (a + b) / 2, math.sqrt(a * b)
    return math.pi / (2 * a)


def onsager_energy(beta):
    b2 = 2 * beta
    k = 2 * math.sinh(b2) / math.cosh(b2) ** 2
    t = math.tanh(b2)
    return -1 / math.tanh(b2) * (1 + 2 / math.pi * (2 * t * t - 1) * elliptic_k(min(k, 1 - 1e-16)))


def yang_magnetization(beta):
    if beta <= ISING_BETA_C:
        return 0.0
    return (1 - math.sinh(2 * beta) ** -4) ** 0.125


def sk_annealed_energy(beta, n):
    return -beta * (n - 1) / (2 * n)


def sk_quenched_correction(beta, n):
    """The 1/N difference between the quenched and annealed energy per spin for beta < 1.

    Aizenman, Lebowitz and Ruelle (1987): ln Z_N - ln E[Z_N] tends to a Gaussian of mean
    (ln(1 - beta^2) + beta^2) / 4, so E[e] = e_annealed - (1/N) d/dbeta of that mean.
    """
    return beta ** 3 / (2 * n * (1 - beta * beta))


# ---------------------------------------------------------------------------------------------
# Running spinfer.

class Runner:
    def __init__(self, spinfer, ranks, work):
        self.spinfer = spinfer
        self.ranks = ranks
        self.work = work
        self.count = 0
        self.seconds = 0.0
        self.updates = 0.0

    def run(self, settings):
        """Runs spinfer with --set overrides; returns the run directory."""
        self.count += 1
        out = os.path.join(self.work, f"run{self.count}")
        command = ["mpirun", "-np", str(self.ranks), self.spinfer, "run", "--out", out, "--quiet"]
        for key, value in settings.items():
            text = value if isinstance(value, str) else json.dumps(value)
            command += ["--set", f"{key}={text}"]
        start = time.time()
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit("spinfer failed: " + " ".join(command) + "\n" + done.stderr)
        self.seconds += time.time() - start
        s = summary(out)
        self.updates += s["updates_per_second"] * s["wall_seconds"]
        return out


def summary(d):
    return json.load(open(os.path.join(d, "summary.json")))


def rows(d, name):
    return list(csv.DictReader(open(os.path.join(d, name))))


def value(row, name):
    return float(row[name]), float(row[name + "_err"])


def fmt(x, err=None, digits=4):
    if err is None:
        return f"{x:.{digits}f}"
    return f"{x:.{digits}f} ± {err:.{digits}f}"


# ---------------------------------------------------------------------------------------------
# 1. The 2D ferromagnet.

def ferromagnet(runner, quick, out_dir):
    lengths = [8, 16, 32]
    sweeps = 6000 if quick else 40000
    results = {}
    for length in lengths:
        d = runner.run({
            "instance": {"kind": "ferromagnet", "dimensions": 2, "length": length},
            "temperatures": {"kind": "geometric", "beta_min": 0.30, "beta_max": 0.70,
                             "count": 12 if length == 8 else 20 if length == 16 else 32,
                             "retune": {"rounds": 4}},
            "replicas": 2, "sweeps": sweeps, "burn_in": sweeps // 5, "measure_interval": 1,
            "seed": 11,
        })
        results[length] = (d, rows(d, "observables.csv"))

    # Binder crossings between consecutive sizes: linear interpolation of the difference on the
    # common ladder is not possible (ladders are retuned), so each curve is interpolated on a
    # fine grid and the sign change of U_L2 - U_L1 located; errors by propagating each curve's
    # point errors (the larger of the two neighbours) through the crossing slope.
    def curve(length):
        r = results[length][1]
        b = np.array([float(x["beta"]) for x in r])
        u = np.array([float(x["binder"]) for x in r])
        e = np.array([float(x["binder_err"]) for x in r])
        return b, u, e

    crossings = []
    for small, large in ((8, 16), (16, 32), (8, 32)):
        bs, us, es = curve(small)
        bl, ul, el = curve(large)
        grid = np.linspace(max(bs[0], bl[0]), min(bs[-1], bl[-1]), 4001)
        diff = np.interp(grid, bl, ul) - np.interp(grid, bs, us)
        sign = np.where(np.diff(np.sign(diff)) != 0)[0]
        # The crossing nearest the critical region (U rises from 0 to 2/3 through it).
        sign = [i for i in sign if 0.3 < np.interp(grid[i], bl, ul) < 0.66]
        if not sign:
            crossings.append((small, large, float("nan"), float("nan")))
            continue
        i = sign[0]
        beta_x = grid[i] - diff[i] * (grid[i + 1] - grid[i]) / (diff[i + 1] - diff[i])
        slope = (np.interp(beta_x + 0.005, bl, ul) - np.interp(beta_x + 0.005, bs, us)
                 - np.interp(beta_x - 0.005, bl, ul) + np.interp(beta_x - 0.005, bs, us)) / 0.01
        err_u = math.hypot(np.interp(beta_x, bl, el), np.interp(beta_x, bs, es))
        err_beta = abs(err_u / slope) if slope != 0 else float("nan")
        crossings.append((small, large, beta_x, err_beta))

    # Energy and |m| of L = 32 below T_c, from beta_c + 0.005 on: closer to T_c the correlation
    # length reaches L and the finite lattice departs from the infinite one (visible in the plot).
    d32, r32 = results[32]
    table = []
    for row in r32:
        beta = float(row["beta"])
        if beta < ISING_BETA_C + 0.005:
            continue
        e, de = value(row, "energy_per_spin")
        m, dm = value(row, "abs_magnetization")
        table.append((beta, e, de, onsager_energy(beta), m, dm, yang_magnetization(beta)))

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.3))
    fine = np.linspace(0.3, 0.7, 400)
    ax = axes[0]
    ax.plot(fine, [onsager_energy(b) for b in fine], color="black", lw=1, label="Onsager (L = inf)")
    for length in lengths:
        r = results[length][1]
        ax.errorbar([float(x["beta"]) for x in r], [float(x["energy_per_spin"]) for x in r],
                    yerr=[float(x["energy_per_spin_err"]) for x in r], fmt="o", ms=3,
                    label=f"L = {length}")
    ax.axvline(ISING_BETA_C, color="grey", lw=0.6)
    ax.set_xlabel("beta")
    ax.set_ylabel("energy per spin")
    ax.legend(fontsize=8)
    ax = axes[1]
    ax.plot(fine, [yang_magnetization(b) for b in fine], color="black", lw=1, label="Yang (L = inf)")
    for length in lengths:
        r = results[length][1]
        ax.errorbar([float(x["beta"]) for x in r], [float(x["abs_magnetization"]) for x in r],
                    yerr=[float(x["abs_magnetization_err"]) for x in r], fmt="o", ms=3,
                    label=f"L = {length}")
    ax.axvline(ISING_BETA_C, color="grey", lw=0.6)
    ax.set_xlabel("beta")
    ax.set_ylabel("<|m|>")
    ax.legend(fontsize=8)
    ax = axes[2]
    for length in lengths:
        b, u, e = curve(length)
        ax.errorbar(b, u, yerr=e, fmt="o-", ms=3, lw=0.8, label=f"L = {length}")
    ax.axvline(ISING_BETA_C, color="grey", lw=0.6, label="exact beta_c")
    ax.set_xlim(0.38, 0.52)
    ax.set_xlabel("beta")
    ax.set_ylabel("Binder cumulant U")
    ax.legend(fontsize=8)
    fig.suptitle("2D Ising ferromagnet, parallel tempering, 2 replicas per temperature")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "validation-ferro2d.png"), dpi=100)
    plt.close(fig)

    samples = int(r32[0]["samples"])
    lines = ["## 1. 2D Ising ferromagnet: Onsager, Yang, and T_c from Binder crossings", "",
             f"Periodic L x L lattices, J = 1; parallel tempering over geometric ladders from "
             f"beta = 0.30 to 0.70 (12, 20, 32 temperatures for L = 8, 16, 32, retuned toward "
             f"uniform acceptance during burn-in), 2 replicas each, {sweeps} sweeps after "
             f"{sweeps // 5} of burn-in, one measurement per sweep: {samples} samples per "
             f"replica and temperature. Errors are one standard error (binning; the Binder "
             f"cumulant by blocked jackknife).", "",
             "![2D ferromagnet](validation-ferro2d.png)", "",
             "Energy and |m| of L = 32 below T_c against the exact infinite-lattice values "
             "(z = (measured - exact) / error). Finite-size corrections are exponentially small "
             "in L / xi below T_c; within a few percent of T_c the correlation length xi "
             "approaches L and <|m|>_L lies visibly above Yang's curve (first rows, and the "
             "plot):", "",
             "| beta | T | e (L = 32) | Onsager | z | <\\|m\\|> (L = 32) | Yang | z |",
             "|---|---|---|---|---|---|---|---|"]
    for beta, e, de, e0, m, dm, m0 in table:
        lines.append(f"| {beta:.4f} | {1 / beta:.4f} | {fmt(e, de)} | {e0:.4f} | "
                     f"{(e - e0) / de:+.1f} | {fmt(m, dm)} | {m0:.4f} | {(m - m0) / dm:+.1f} |")
    lines += ["", "Binder-cumulant crossings (exact beta_c = 0.44069, T_c = 2.26919):", "",
              "| sizes | crossing beta | T_c estimate |", "|---|---|---|"]
    for small, large, beta_x, err in crossings:
        t = 1 / beta_x if beta_x == beta_x else float("nan")
        lines.append(f"| L = {small}, {large} | {fmt(beta_x, err)} | "
                     f"{fmt(t, err / beta_x ** 2 if beta_x == beta_x else err)} |")
    lines.append("")
    return lines, crossings, table


# ---------------------------------------------------------------------------------------------
# 2. Sherrington-Kirkpatrick.

def sherrington_kirkpatrick(runner, quick, out_dir):
    n = 64
    instances = 6 if quick else 24
    sweeps = 4000 if quick else 20000
    high = [0.3, 0.5, 0.7, 0.9]
    ladder = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0]
    energies = {b: [] for b in high}
    errors = {b: [] for b in high}
    pq = {}
    for seed in range(1, instances + 1):
        d = runner.run({
            "instance": {"kind": "sk", "n": n, "seed": seed},
            "temperatures": {"betas": ladder}, "replicas": 2, "tempering": {"swap_interval": 2},
            "sweeps": sweeps, "burn_in": sweeps // 5, "measure_interval": 2, "seed": seed,
        })
        for row in rows(d, "observables.csv"):
            b = round(float(row["beta"]), 6)
            if b in energies:
                e, de = value(row, "energy_per_spin")
                energies[b].append(e)
                errors[b].append(de)
        for row in rows(d, "overlap_histogram.csv"):
            key = (round(float(row["beta"]), 6), float(row["q"]))
            pq[key] = pq.get(key, 0.0) + float(row["probability"]) / instances
    lines = ["## 2. Sherrington-Kirkpatrick model", "",
             f"N = {n}, J_ij ~ N(0, 1/N), no field, {instances} disorder samples; parallel "
             f"tempering over {len(ladder)} temperatures (beta = 0.3 to 2.0), 2 replicas, "
             f"{sweeps} sweeps after {sweeps // 5} of burn-in, swaps every 2 sweeps, a "
             f"measurement every 2 sweeps. Above T_c = 1 the disorder average of the energy per "
             f"spin tends to the annealed -beta (N - 1) / (2N); at finite N the quenched average "
             f"lies above it by beta^3 / (2N (1 - beta^2)) + o(1/N) (from the Gaussian "
             f"fluctuations of ln Z, Aizenman, Lebowitz and Ruelle 1987), which matters near "
             f"T_c, where the next orders grow too (the correction diverges at beta = 1: at "
             f"beta = 0.9 and N = {n} it overshoots). The error is the standard error of the "
             f"disorder mean (the spread over "
             f"instances dominates the thermal errors, last column); z uses it.", "",
             "| beta | T | [e] over instances | -beta (N-1)/(2N) | z | with 1/N correction | z |"
             " mean thermal error |",
             "|---|---|---|---|---|---|---|---|"]
    sk_rows = []
    for b in high:
        e = np.array(energies[b])
        mean = e.mean()
        err = e.std(ddof=1) / math.sqrt(len(e))
        exact = sk_annealed_energy(b, n)
        corrected = exact + sk_quenched_correction(b, n)
        sk_rows.append((b, mean, err, exact, corrected))
        lines.append(f"| {b:.2f} | {1 / b:.3f} | {fmt(mean, err)} | {exact:.4f} | "
                     f"{(mean - exact) / err:+.1f} | {corrected:.4f} | "
                     f"{(mean - corrected) / err:+.1f} | {np.mean(errors[b]):.4f} |")

    fig, ax = plt.subplots(figsize=(6.5, 4.3))
    for b, colour in ((0.5, "tab:blue"), (1.0, "tab:orange"), (1.5, "tab:green"),
                      (2.0, "tab:red")):
        qs = sorted(q for (bb, q) in pq if bb == b)
        ax.plot(qs, [pq[(b, q)] * n / 2 for q in qs], "o-", ms=2.5, lw=0.8, color=colour,
                label=f"beta = {b} (T = {1 / b:.2f})")
    ax.set_xlabel("q")
    ax.set_ylabel("P(q) (density)")
    ax.set_title(f"SK N = {n}, averaged over {instances} instances")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "validation-sk-pq.png"), dpi=100)
    plt.close(fig)

    # Weight of P(q) near q = 0 at the coldest temperature: zero for a replica-symmetric
    # (two-peak) P(q) in the large-N limit, finite in the Parisi solution.
    cold = sorted((q, p) for (bb, q), p in pq.items() if bb == 2.0)
    central = sum(p for q, p in cold if abs(q) <= 0.25)
    hot = sorted((q, p) for (bb, q), p in pq.items() if bb == 0.5)
    width_hot = math.sqrt(sum(p * q * q for q, p in hot))
    lines += ["", "Below T_c the overlap distribution, averaged over the instances, is "
              "non-trivial: two peaks at +-q_EA and a continuous weight between them "
              f"(P(|q| <= 0.25) = {central:.3f} at beta = 2), where the paramagnet has a single "
              f"Gaussian peak at q = 0 of width ~ 1/sqrt(N) (rms q = {width_hot:.3f} at "
              f"beta = 0.5; 1/sqrt(N) = {1 / math.sqrt(n):.3f}).", "",
              "![SK P(q)](validation-sk-pq.png)", ""]
    return lines, sk_rows, central


# ---------------------------------------------------------------------------------------------
# 3. Exact enumeration.

OBSERVABLES = ["energy_per_spin", "abs_magnetization", "m2", "m4", "susceptibility",
               "specific_heat", "binder", "q_ea", "q2", "q4", "spin_glass_susceptibility",
               "overlap_binder"]


def exact_enumeration(runner, quick):
    sweeps = 8000 if quick else 40000
    lines = ["## 3. Exact enumeration against parallel tempering (N <= 16)", "",
             f"Every observable at every temperature against the enumeration of all 2^N states "
             f"(observables.csv carries both). Parallel tempering over 6 temperatures "
             f"(beta = 0.2 to 1.5), 2 replicas, {sweeps} sweeps after {sweeps // 10} of burn-in. "
             f"The same comparison runs in ctest (mpi/tempering: 'exact enumeration agrees')."]
    worst = []
    for name, instance in (("SK N = 12, Gaussian, field spread 0.3",
                            {"kind": "sk", "n": 12, "field_spread": 0.3, "seed": 5}),
                           ("2D +-J EA 4 x 4 (N = 16)",
                            {"kind": "edwards_anderson", "length": 4, "seed": 6})):
        d = runner.run({
            "instance": instance,
            "temperatures": {"kind": "geometric", "beta_min": 0.2, "beta_max": 1.5, "count": 6},
            "replicas": 2, "sweeps": sweeps, "burn_in": sweeps // 10, "seed": 3,
        })
        r = rows(d, "observables.csv")
        s = summary(d)["stationarity"]
        lines += ["", f"**{name}**: {len(OBSERVABLES) * len(r)} z-scores, largest "
                  f"|z| = {s['max_abs_z']:.2f}, Bonferroni p = {s['p_value']:.3g} -> "
                  f"{s['verdict']}.", "",
                  "| observable | " + " | ".join(f"beta {float(x['beta']):.3f}" for x in r) + " |",
                  "|---|" + "---|" * len(r)]
        for obs in OBSERVABLES:
            cells = []
            for x in r:
                v, e = value(x, obs)
                ex = float(x["exact_" + obs])
                z = (v - ex) / e if e > 0 else float("nan")
                cells.append(f"{v:.4f} ± {e:.4f} ({ex:.4f}; z {z:+.1f})")
            lines.append(f"| {obs} | " + " | ".join(cells) + " |")
        worst.append((name, s["max_abs_z"], s["p_value"], s["verdict"]))
    lines += ["", "Cells: measured ± error (exact; z).", ""]
    return lines, worst


# ---------------------------------------------------------------------------------------------
# 4. Hopfield retrieval.

def hopfield(runner, quick, out_dir):
    n = 400
    loads = [0.025, 0.05, 0.1, 0.125, 0.138, 0.15, 0.2, 0.3]
    seeds = 3 if quick else 8
    sweeps = 300 if quick else 1000
    beta = 10.0
    results = []
    for alpha in loads:
        patterns = max(1, round(alpha * n))
        overlaps = []
        for seed in range(1, seeds + 1):
            d = runner.run({
                "instance": {"kind": "hopfield", "n": n, "patterns": patterns,
                             "corruption": 0.1, "seed": seed},
                "beta": beta, "replicas": 2, "sweeps": sweeps, "burn_in": sweeps // 5,
                "seed": seed,
            })
            row = [x for x in rows(d, "pattern_overlaps.csv") if x["pattern"] == "0"][0]
            overlaps.append(float(row["overlap"]))
        o = np.array(overlaps)
        results.append((alpha, patterns, o.mean(), o.std(ddof=1) / math.sqrt(len(o)), o.min()))
    fig, ax = plt.subplots(figsize=(6.5, 4.3))
    ax.errorbar([r[0] for r in results], [r[2] for r in results], yerr=[r[3] for r in results],
                fmt="o-", ms=4, label=f"N = {n}, T = {1 / beta}")
    ax.axvline(HOPFIELD_CAPACITY, color="grey", lw=0.8, label="capacity 0.138 (N -> inf, T = 0)")
    ax.set_xlabel("load P / N")
    ax.set_ylabel("overlap with the cued pattern")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "validation-hopfield.png"), dpi=100)
    plt.close(fig)
    lines = ["## 4. Hopfield retrieval across the capacity", "",
             f"N = {n} agents, P = alpha N random patterns, Hebbian couplings J = (1/N) sum_mu "
             f"xi^mu xi^mu^T; every replica starts from the cue pattern with 10% of its spins "
             f"flipped and runs at T = {1 / beta} for {sweeps} sweeps after {sweeps // 5} of "
             f"burn-in; the time-averaged overlap m^cue, averaged over {seeds} pattern sets "
             f"(2 replicas each), with the standard error over pattern sets. Well below the "
             f"capacity alpha_c ~ 0.138 (Amit, Gutfreund and Sompolinsky 1985, N -> infinity) "
             f"the network retrieves the pattern (m ~ 0.97-1); well above it the retrieval state "
             f"is gone and the overlap falls to the O(0.1-0.4) of spurious states. Near "
             f"alpha_c a network of N = {n} retrieves some pattern sets and not others: the "
             f"finite-size rounding of the transition.", "",
             "| P/N | P | <m^cue> | lowest of the pattern sets |", "|---|---|---|---|"]
    for alpha, patterns, mean, err, low in results:
        lines.append(f"| {alpha:.3f} | {patterns} | {fmt(mean, err, 3)} | {low:.3f} |")
    lines += ["", "![Hopfield retrieval](validation-hopfield.png)", ""]
    return lines, results


# ---------------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spinfer", default="build/spinfer")
    parser.add_argument("--ranks", type=int, default=2)
    parser.add_argument("--out", default="docs")
    parser.add_argument("--quick", action="store_true", help="smaller samples (a smoke test)")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="spinfer-validation-")
    runner = Runner(os.path.abspath(args.spinfer), args.ranks, work)
    start = time.time()
    try:
        version = subprocess.run([args.spinfer, "--version"], capture_output=True,
                                 text=True).stdout.strip()
        sections = []
        sections += ferromagnet(runner, args.quick, args.out)[0]
        sections += sherrington_kirkpatrick(runner, args.quick, args.out)[0]
        sections += exact_enumeration(runner, args.quick)[0]
        sections += hopfield(runner, args.quick, args.out)[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    minutes = (time.time() - start) / 60
    header = ["# Validation: spinfer reproduces known spin-glass physics", "",
              f"Produced by `tools/validate_physics.py{' --quick' if args.quick else ''}` "
              f"({version}; {runner.count} runs on {args.ranks} ranks, "
              f"{runner.updates:.3g} agent updates, {minutes:.1f} minutes). Rerun it to "
              f"reproduce every number and figure below; all runs use fixed seeds.", "",
              "Errors are one standard error: binning analysis for means, blocked jackknife "
              "(32 blocks) for nonlinear observables (susceptibility, specific heat, Binder "
              "ratios), both accounting for autocorrelation; z = (measured - reference) / error.",
              ""]
    with open(os.path.join(args.out, "validation.md"), "w") as f:
        f.write("\n".join(header + sections))
    print(os.path.join(args.out, "validation.md"))


if __name__ == "__main__":
    main()
