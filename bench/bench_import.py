"""Benchmark of ``coprod import`` against reading and writing the same file with pyreadstat alone.

Generates (seeded) a survey of ROWS respondents x 60 variables (a respondent id, the respondent group
with 3 codes, 58 five-point Likert items with -8/-9 user-missing and some empty answers and a few
invalid codes, 6 scales), writes it as .sav, then times

* baseline: ``pyreadstat.read_sav(user_missing=True)`` + ``pyreadstat.write_sav`` with the labels;
* ``import_responses`` (read, map to the questionnaire, check, clear invalid values, score, write);
* the ``coprod import`` command (a new process: includes start-up and imports).

Target: import within 2x the baseline.

    .venv/bin/python bench/bench_import.py [--rows 200000] [--out bench/out]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

N_ITEMS = 58
SCALE_SIZE = 10


def definition() -> str:
    lines = ["id: bench", 'version: "1"', "title: Benchmark", "languages: [en]", "default_language: en",
             "respondent_id: resp_id", "missing:", "  -9: No answer",
             "groups:", "  question: role", "  codes: {professional: 1, volunteer: 2, service_user: 3}",
             "choices:", "  role:", "    options: {1: Professional, 2: Volunteer, 3: Service user}",
             "  agree5:", "    ordered: true",
             "    options: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}",
             "    missing: {-8: Don't know}",
             "sections:", "  - id: profile", "    title: Profile", "    questions:",
             "      - {name: role, type: single, choices: role, required: true, text: Role}",
             "  - id: items", "    title: Items", "    defaults: {type: likert, choices: agree5}", "    questions:"]
    lines += [f"      - {{name: q{i}, text: Item {i}}}" for i in range(1, N_ITEMS + 1)]
    lines.append("scales:")
    for s in range(N_ITEMS // SCALE_SIZE):
        items = [f"q{i}" for i in range(s * SCALE_SIZE + 1, (s + 1) * SCALE_SIZE + 1)]
        lines += [f"  scale{s + 1}:", f"    label: Scale {s + 1}", f"    items: [{', '.join(items)}]",
                  f"    reverse: [{items[0]}]", "    min_valid: 5"]
    return "\n".join(lines) + "\n"


def generate(rows: int, out: Path) -> tuple[Path, Path]:
    import pyreadstat

    rng = np.random.default_rng(2026)
    data = {"resp_id": np.arange(1, rows + 1, dtype=float), "role": rng.choice([1.0, 2.0, 3.0], rows, p=[0.3, 0.5, 0.2])}
    for i in range(1, N_ITEMS + 1):
        x = rng.integers(1, 6, rows).astype(float)
        u = rng.random(rows)
        x[u < 0.04] = -8.0
        x[(u >= 0.04) & (u < 0.06)] = -9.0
        x[(u >= 0.06) & (u < 0.08)] = np.nan
        x[(u >= 0.08) & (u < 0.0805)] = 7.0  # a few invalid codes for the checks to find
        data[f"q{i}"] = x
    df = pd.DataFrame(data)
    labels = {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neither", 4.0: "Agree", 5.0: "Strongly agree",
              -8.0: "Don't know", -9.0: "No answer"}
    sav = out / "bench_import.sav"
    pyreadstat.write_sav(df, str(sav), column_labels={c: f"Item {c}" for c in df.columns},
                         variable_value_labels={f"q{i}": labels for i in range(1, N_ITEMS + 1)},
                         missing_ranges={f"q{i}": [-8.0, -9.0] for i in range(1, N_ITEMS + 1)})
    yml = out / "bench_import.yaml"
    yml.write_text(definition(), encoding="utf-8")
    return sav, yml


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    import pyreadstat

    from coprod import instrument
    from coprod.analysis.data.importer import import_responses

    sav, yml = generate(args.rows, args.out)
    inst = instrument.load(yml)
    target = args.out / "bench_import_out.sav"

    def baseline():
        df, meta = pyreadstat.read_sav(str(sav), user_missing=True)
        missing = {k: [r["lo"] for r in v] for k, v in meta.missing_ranges.items()}
        pyreadstat.write_sav(df, str(target), column_labels=meta.column_names_to_labels,
                             variable_value_labels=meta.variable_value_labels, missing_ranges=missing,
                             variable_measure=meta.variable_measure)

    def library():
        res = import_responses([sav], inst, out=target, force=True)
        assert res.rows_read == res.rows_written == args.rows

    coprod = ROOT / ".venv" / "bin" / "coprod"

    def command():
        subprocess.run([str(coprod), "import", str(sav), "-i", str(yml), "--out", str(target), "--force"],
                       check=True, capture_output=True)

    t_base = best(baseline, args.repeat)
    t_lib = best(library, args.repeat)
    t_cli = best(command, args.repeat) if coprod.exists() else float("nan")
    res = import_responses([sav], inst, out=target, force=True)
    print(f"{args.rows:,} rows x {N_ITEMS + 2} variables, {sav.stat().st_size / 1e6:.1f} MB; best of {args.repeat}")
    print(f"pyreadstat read_sav + write_sav   {t_base:7.2f} s")
    print(f"import_responses (library)        {t_lib:7.2f} s   {t_lib / t_base:4.2f}x")
    print(f"coprod import (command)           {t_cli:7.2f} s   {t_cli / t_base:4.2f}x")
    print(f"problems found: {res.problems}; scores: {', '.join(res.scored)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
