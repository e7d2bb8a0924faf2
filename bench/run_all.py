"""Run the three benchmarks one after another and print one summary table.

Each benchmark runs in its own process (as ``make bench`` does), so one does not warm the
caches of the next; the data files are generated once under ``bench/out`` and reused.

    .venv/bin/python bench/run_all.py [--rows 200000]

Targets: every statistics procedure within 2x ``pyreadstat.read_sav`` of the same file; the whole
report within 3x; ``coprod import`` within 2x pyreadstat's read + write.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

NUM = r"([0-9]+(?:\.[0-9]+)?)"


def run(script: str, rows: int) -> str:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / script), "--rows", str(rows)], capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"{script} failed (exit {proc.returncode})")
    print(f"  {script} done in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return proc.stdout


def stats_rows(out: str) -> list[tuple]:
    rows, base = [], None
    for line in out.splitlines():
        m = re.match(rf"^(.+?)\s+{NUM}\s+{NUM}$", line)
        if not m:
            continue
        name, sec, ratio = m.group(1).strip(), float(m.group(2)), float(m.group(3))
        if name.startswith("pyreadstat"):
            base = sec
            rows.append(("statistics", "read_sav (baseline)", sec, None, None))
        else:
            target = None if name.startswith("frequencies") else 2.0  # frequencies: no promise made
            rows.append(("statistics", name, sec, ratio, target))
    if base is None:
        raise SystemExit("bench_stats.py: unexpected output\n" + out)
    return rows


def report_rows(out: str) -> list[tuple]:
    read = re.search(rf"pyreadstat.read_sav: {NUM} s", out)
    total = re.search(rf"report \((\w+)\): {NUM} s = {NUM} x", out)
    if not (read and total):
        raise SystemExit("bench_report.py: unexpected output\n" + out)
    rows = [("report", "read_sav (baseline)", float(read.group(1)), None, None),
            ("report", f"coprod report ({total.group(1)})", float(total.group(2)),
             float(total.group(2)) / float(read.group(1)), 3.0)]
    for line in out.splitlines():  # the report's own steps, for the record
        m = re.match(rf"^\s{{2}}(\S.*?)\s+{NUM} s$", line)
        if m:
            rows.append(("report", f"  step: {m.group(1)}", float(m.group(2)), None, None))
    return rows


def import_rows(out: str) -> list[tuple]:
    base = re.search(rf"read_sav \+ write_sav\s+{NUM} s", out)
    lib = re.search(rf"import_responses \(library\)\s+{NUM} s\s+{NUM}x", out)
    cmd = re.search(rf"coprod import \(command\)\s+{NUM} s\s+{NUM}x", out)
    if not (base and lib):
        raise SystemExit("bench_import.py: unexpected output\n" + out)
    rows = [("import", "read_sav + write_sav (baseline)", float(base.group(1)), None, None),
            ("import", "import_responses (library)", float(lib.group(1)), float(lib.group(2)), 2.0)]
    if cmd:
        rows.append(("import", "coprod import (command)", float(cmd.group(1)), float(cmd.group(2)), 2.0))
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    args = ap.parse_args(argv)
    rows = stats_rows(run("bench_stats.py", args.rows))
    rows += report_rows(run("bench_report.py", args.rows))
    rows += import_rows(run("bench_import.py", args.rows))
    print(f"{args.rows:,} rows x 60 variables; times in seconds (best of the repeats each script makes)")
    print(f"{'benchmark':<11} {'step':<46} {'seconds':>8} {'x base':>7} {'target':>7}  ")
    failed = 0
    for bench, step, sec, ratio, target in rows:
        verdict = ""
        if target is not None:
            verdict = "ok" if ratio <= target else "OVER"
            failed += verdict == "OVER"
        print(f"{bench:<11} {step:<46} {sec:8.2f} {'' if ratio is None else f'{ratio:.2f}':>7} "
              f"{'' if target is None else f'{target:.0f}x':>7}  {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
