"""Benchmark of the whole report against the time pyreadstat alone needs to read the file.

Builds a questionnaire of a group question and 58 five-point Likert items in six scales (one
reverse-keyed item each), simulates ROWS respondents in three groups (seeded, with missing codes
and a few invalid entries), writes them as a labelled .sav of 60 columns (respondent id, group,
items), then times ``pyreadstat.read_sav`` and ``build_report`` (data check, scoring,
reliability, descriptives, group comparisons with post hoc tests, frequencies, charts, HTML).
Target: the report within 3x the read.

    .venv/bin/python bench/bench_report.py [--rows 200000] [--out bench/out] [--format html]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_ITEMS = 58
SCALES = (10, 10, 10, 10, 9, 9)
NAMES = ("vertical", "horizontal", "uncertainty", "discretion", "trust", "process")


def bench_instrument():
    from coprod.instrument.loader import build

    agree = {"ordered": True, "top_box": [4, 5],
             "options": {1: {"en": "Strongly disagree"}, 2: {"en": "Disagree"}, 3: {"en": "Neither"},
                         4: {"en": "Agree"}, 5: {"en": "Strongly agree"}},
             "missing": {-8: {"en": "Don't know"}, -7: {"en": "Not applicable"}}}
    items = [f"q{j + 1:02d}" for j in range(N_ITEMS)]
    questions = [{"name": "role", "type": "single", "choices": "role", "required": True,
                  "text": {"en": "Role"}, "label": {"en": "Role"}}]
    questions += [{"name": n, "type": "likert", "choices": "agree5", "text": {"en": f"Statement {n}"}} for n in items]
    scales, k = {}, 0
    for name, size in zip(NAMES, SCALES):
        its = items[k:k + size]
        k += size
        scales[name] = {"label": {"en": f"{name.capitalize()} scale"}, "items": its, "reverse": [its[-1]],
                        "min_valid": size - 2}
    tree = {"id": "bench", "version": "1", "title": {"en": "Benchmark survey"}, "languages": ["en"],
            "default_language": "en", "respondent_id": "resp_id",
            "groups": {"question": "role", "codes": {"professional": 1, "volunteer": 2, "service_user": 3}},
            "choices": {"role": {"options": {1: {"en": "Professional"}, 2: {"en": "Volunteer"}, 3: {"en": "Service user"}}},
                        "agree5": agree},
            "sections": [{"id": "main", "title": {"en": "Survey"}, "questions": questions}],
            "scales": scales}
    report = build(tree, "bench.yaml")
    if report.errors:
        raise SystemExit("\n".join(str(p) for p in report.errors))
    return report.instrument


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--format", default="html", choices=("html", "xlsx", "docx", "md"))
    ap.add_argument("--repeat", type=int, default=2, help="reads to time (the best counts)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import pyreadstat

    from coprod.analysis.data.io import write_responses
    from coprod.analysis.report import build_report
    from coprod.analysis.demo.simulate import simulated_responses

    inst = bench_instrument()
    path = args.out / f"report_{args.rows}x60.sav"
    if not path.exists():
        t0 = time.perf_counter()
        write_responses(simulated_responses(inst, n=args.rows, seed=1), path)
        print(f"generated {path} in {time.perf_counter() - t0:.1f} s")
    read = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        df, _ = pyreadstat.read_sav(str(path), user_missing=True)
        read = min(read, time.perf_counter() - t0)
    print(f"data: {len(df):,} rows x {df.shape[1]} columns, {path.stat().st_size / 1e6:.1f} MB")
    print(f"pyreadstat.read_sav: {read:.2f} s")
    out = args.out / f"report.{args.format}"
    t0 = time.perf_counter()
    res = build_report(path, instrument=inst, out=out, force=True, progress=False, command="bench_report")
    total = time.perf_counter() - t0
    for step, sec in res.timings.items():
        if step:
            print(f"  {step:<24} {sec:6.2f} s")
    ratio = total / read
    print(f"report ({args.format}): {total:.2f} s = {ratio:.1f} x the read (target 3x): {'ok' if ratio <= 3 else 'over'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
