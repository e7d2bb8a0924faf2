"""Benchmark of the statistics procedures against the time to read the same data.

Generates (seeded) a survey of ROWS respondents x 60 five-point Likert items in 3 groups, with
value labels, a user-missing code and some empty answers, writes it as .sav, then times
``pyreadstat.read_sav`` and each procedure on it.  Target: each procedure within 2x the read.

    .venv/bin/python bench/bench_stats.py [--rows 200000] [--out bench/out]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_ITEMS = 60
SCALE_SIZE = 10


def generate(rows: int, path: Path) -> Path:
    import pyreadstat

    rng = np.random.default_rng(2026)
    group = rng.choice([1.0, 2.0, 3.0], size=rows, p=[0.3, 0.5, 0.2])
    data = {"group": group}
    factor = rng.normal(size=(rows, N_ITEMS // SCALE_SIZE))
    for j in range(N_ITEMS):
        latent = 0.7 * factor[:, j // SCALE_SIZE] + 0.15 * (group - 2) + rng.normal(size=rows) * 0.8
        x = np.clip(np.round(3 + latent), 1, 5)
        x[rng.random(rows) < 0.02] = 9.0      # "don't know": user-missing
        x[rng.random(rows) < 0.01] = np.nan   # skipped
        data[f"q{j + 1:02d}"] = x
    df = pd.DataFrame(data)
    likert = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neutral", 4.0: "Agree", 5.0: "Strongly agree",
              9.0: "Don't know"}
    items = [c for c in df.columns if c != "group"]
    pyreadstat.write_sav(
        df, str(path),
        variable_value_labels={"group": {1.0: "Professional", 2.0: "Volunteer", 3.0: "Service user"},
                               **{c: likert for c in items}},
        missing_ranges={c: [9.0] for c in items},
        variable_measure={"group": "nominal", **{c: "ordinal" for c in items}},
    )
    return path


def timed(fn, repeat: int = 1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"likert_{args.rows}x{N_ITEMS}.sav"
    if not path.exists():
        t, _ = timed(lambda: generate(args.rows, path))
        print(f"generated {path} in {t:.1f} s")

    import pyreadstat

    from coprod.analysis.data.io import load_responses
    from coprod.analysis.stats.compare import compare
    from coprod.analysis.stats.descriptives import descriptives
    from coprod.analysis.stats.frequencies import frequencies
    from coprod.analysis.stats.reliability import reliability

    t_read, _ = timed(lambda: pyreadstat.read_sav(str(path), user_missing=True), args.repeat)
    resp = load_responses(path)
    items = "q01..q60"
    scales = [f"q{s * SCALE_SIZE + 1:02d}..q{(s + 1) * SCALE_SIZE:02d}" for s in range(N_ITEMS // SCALE_SIZE)]
    runs = {
        "descriptives (60 items, by group)": lambda: descriptives(resp, items=items, by="group"),
        "compare (auto: Kruskal-Wallis + Dunn)": lambda: compare(resp, items=items, by="group"),
        "compare (welch-anova + Games-Howell)": lambda: compare(resp, items=items, by="group", test="welch-anova"),
        "reliability (6 scales x 10 items, by group)":
            lambda: [reliability(resp, items=s, by="group", name=s) for s in scales],
        "frequencies (60 items, by group)": lambda: frequencies(resp, items=items, by="group"),
    }
    print(f"{args.rows} rows x {N_ITEMS} items, 3 groups; best of {args.repeat}")
    print(f"{'step':46s} {'seconds':>8s} {'x read':>7s}")
    print(f"{'pyreadstat.read_sav(user_missing=True)':46s} {t_read:8.3f} {1.0:7.2f}")
    for name, fn in runs.items():
        t, _ = timed(fn, args.repeat)
        print(f"{name:46s} {t:8.3f} {t / t_read:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
