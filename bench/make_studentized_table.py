"""Write analysis/stats/studentized_table.py: studentized-range quantiles at the interpolation nodes.

For the level 0.95 (the default) and k = 2..30, the quantile at each of the 18 Chebyshev nodes of
1/df (``coprod.analysis.stats.studentized.cheb_nodes``), solved directly (``_ppf_newton``), so a
process does not solve them at run time.  tests/test_studentized.py checks stored values against a
fresh solution.

    .venv/bin/python bench/make_studentized_table.py
"""
from __future__ import annotations

from pathlib import Path

from coprod.analysis.stats import studentized

LEVELS = (0.95,)
KS = range(2, 31)
OUT = Path(__file__).resolve().parents[1] / "analysis" / "stats" / "studentized_table.py"


def main() -> None:
    nodes = studentized.cheb_nodes()
    lines = ['"""Studentized-range quantiles at the 18 interpolation nodes of ``studentized.ppf``, level 0.95',
             'and k = 2..30 (written by bench/make_studentized_table.py; keys: (level, k))."""',
             "QUANTILES: dict[tuple[float, int], tuple[float, ...]] = {"]
    for p in LEVELS:
        for k in KS:
            q = studentized._ppf_newton(p, k, nodes)
            lines.append(f"    ({p}, {k}): ({', '.join(repr(float(v)) for v in q)}),")
            print(p, k, flush=True)
    lines.append("}")
    OUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
