"""Whole-process benchmark: what a user waits for, start-up to exit, against a floor.

Every run of a ``coprod`` command is paired with a run of its floor, in alternating order (floor
first, then command; then command first, then floor; ...), and each pair gives one ratio; the table
shows the median ratio, the median seconds and the peak memory (max RSS of the process).

Floors: ``python -c "import pandas"`` for the small files (start-up dominates), and a fresh
``python -c "import pyreadstat; pyreadstat.read_sav(F)"`` for the large ones.

    .venv/bin/python bench/bench_cli.py [--rows 300,200000] [--pairs 5] [--only describe,compare]
                                        [--before DIR]

CPU time is user + system time of the process and the processes it waited for (its workers): the
machine's load disturbs it less than the clock.  ``--before DIR`` also runs the package found in
DIR (e.g. ``git archive OLD --prefix=coprod/ | tar -x -C DIR``) through the same interpreter, in the
same rotation (floor, after, before; then shifted by one), for a paired before/after table.

Bytecode: the runs are made without ``PYTHONDONTWRITEBYTECODE``, so the warm-up run of each command
writes the compiled bytecode of every module, as an installed package has it (with the variable set,
every run compiles coprod's own modules again: about 0.2-0.3 s of CPU on a small file).

Data: the 300-row file is the demo's simulated survey of the built-in instrument; larger files are
the synthetic 60-item Likert survey of bench_stats.py, generated once under bench/out.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPROD = str(BIN / "coprod") if (BIN / "coprod").exists() else "coprod"

SMALL_CASES = {  # the demo file: the built-in instrument's variables
    "describe": ["describe", "{f}", "--by", "role"],
    "frequencies": ["frequencies", "{f}", "--by", "role"],
    "reliability": ["reliability", "{f}", "--by", "role", "-i", "{i}"],
    "compare": ["compare", "{f}", "--by", "role"],
    "compare welch-anova + games-howell": ["compare", "{f}", "--by", "role", "--test", "welch-anova",
                                           "--posthoc", "games-howell"],
    "invariance (json)": ["invariance", "{f}", "--by", "role", "--format", "json", "--out", "{o}.json", "--force"],
    "report (html)": ["report", "{f}", "--by", "role", "-i", "{i}", "--out", "{o}.html", "--force"],
    "report (xlsx)": ["report", "{f}", "--by", "role", "-i", "{i}", "--out", "{o}.xlsx", "--force"],
    "report (docx)": ["report", "{f}", "--by", "role", "-i", "{i}", "--out", "{o}.docx", "--force"],
}
LARGE_CASES = {  # the synthetic survey: q01..q60 by group
    "describe": ["describe", "{f}", "--by", "group", "--items", "q01..q60", "--format", "json"],
    "frequencies": ["frequencies", "{f}", "--by", "group", "--items", "q01..q60", "--format", "json"],
    "reliability (10 items)": ["reliability", "{f}", "--by", "group", "--items", "q01..q10", "--format", "json"],
    "compare": ["compare", "{f}", "--by", "group", "--items", "q01..q60", "--format", "json"],
    "compare welch-anova + games-howell": ["compare", "{f}", "--by", "group", "--items", "q01..q60", "--test",
                                           "welch-anova", "--posthoc", "games-howell", "--format", "json"],
    "report (html)": ["report", "{f}", "--by", "group", "--out", "{o}.html", "--force"],
}


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, float]:
    """Seconds, CPU seconds (user + system, with waited-for children) and peak memory (MiB) of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode(errors="replace")
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def paired(cmds: list[tuple[list[str], dict | None]], floor: list[str], pairs: int) -> list[dict]:
    """Each command against the floor, in a rotating order; per command the medians of its ratios."""
    runs = [([floor, None])] + [[c, e] for c, e in cmds]
    for c, e in runs[1:]:
        run(c, e)  # warm the file cache and the compiled bytecode
    res = [{"ratio": [], "seconds": [], "cpu": [], "cpu_ratio": [], "mem": [], "fmem": []} for _ in cmds]
    for i in range(pairs):
        order = [(i + j) % len(runs) for j in range(len(runs))]
        got = {j: run(*runs[j]) for j in order}
        f, fcpu, fm = got[0]
        for j, r in enumerate(res, start=1):
            s, cpu, m = got[j]
            r["ratio"].append(s / f)
            r["seconds"].append(s)
            r["cpu"].append(cpu)
            r["cpu_ratio"].append(cpu / fcpu)
            r["mem"].append(m)
            r["fmem"].append(fm)
    med = statistics.median
    return [{"ratio": med(r["ratio"]), "seconds": med(r["seconds"]), "cpu": med(r["cpu"]),
             "cpu_ratio": med(r["cpu_ratio"]), "mem": max(r["mem"]), "mem_ratio": max(r["mem"]) / max(r["fmem"])}
            for r in res]


def demo_file(out: Path) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT))
    import coprod
    from coprod.instrument.files import write_text

    path = out / "demo_300.sav"
    yaml = out / "builtin.yaml"
    if not path.exists():
        inst = coprod.builtin()
        coprod.write_responses(coprod.score(coprod.simulated_responses(inst, n=300, seed=2026), inst), path)
    if not yaml.exists():
        write_text(yaml, coprod.instrument.builtin_text())
    return path, yaml


def large_file(out: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_stats import N_ITEMS, generate

    path = out / f"likert_{rows}x{N_ITEMS}.sav"
    if not path.exists():
        generate(rows, path)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", default="300,200000", help="comma-separated sizes; 300 is the demo file")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--only", default="", help="comma-separated case names (substrings) to run")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--before", type=Path, default=None, help="a directory holding an older coprod package")
    args = ap.parse_args(argv)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # the warm-up runs write the bytecode (see above)
    args.out.mkdir(parents=True, exist_ok=True)
    only = [s for s in args.only.split(",") if s]
    py = sys.executable
    before_env = None
    if args.before:
        before_env = {**os.environ, "PYTHONPATH": str(args.before.resolve())}
    print(f"{'rows':>9}  {'command':<36} {'':<6} {'floor':<8} {'seconds':>8} {'x floor':>8} {'CPU s':>7} "
          f"{'x CPU':>6} {'MiB':>7} {'x mem':>6}")
    for rows in [int(r) for r in args.rows.split(",")]:
        if rows <= 300:
            f, inst = demo_file(args.out)
            cases, floor, fname = SMALL_CASES, [py, "-c", "import pandas"], "pandas"
        else:
            f, inst = large_file(args.out, rows), ""
            cases, fname = LARGE_CASES, "read_sav"
            floor = [py, "-c", f"import pyreadstat; pyreadstat.read_sav({str(f)!r})"]
        for name, template in cases.items():
            if only and not any(o in name for o in only):
                continue
            argv_ = [a.format(f=f, i=inst, o=args.out / f"cli_{rows}") for a in template]
            cmds = [([COPROD] + argv_, None)]
            if before_env:
                cmds.append(([py, "-c", "import sys; from coprod.cli import main; sys.argv[0] = 'coprod'; main()"]
                             + argv_, before_env))
            for label, r in zip(("after", "before") if before_env else ("",), paired(cmds, floor, args.pairs)):
                print(f"{rows:>9,}  {name:<36} {label:<6} {fname:<8} {r['seconds']:>8.2f} {r['ratio']:>8.2f} "
                      f"{r['cpu']:>7.2f} {r['cpu_ratio']:>6.2f} {r['mem']:>7.0f} {r['mem_ratio']:>6.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
