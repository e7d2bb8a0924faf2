"""Fisher's exact test of a 2 x 2 table without scipy.stats: against SciPy's fisher_exact and R's fisher.test."""
from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from coprod.analysis.stats.grouptests_more import fisher_2x2

RSCRIPT = shutil.which("Rscript")
EDGES = [[[0, 0], [1, 2]], [[0, 5], [0, 3]], [[3, 1], [1, 3]], [[10, 0], [0, 10]], [[5, 5], [5, 5]],
         [[0, 12], [9, 3]], [[100000, 3], [99000, 0]], [[1, 0], [0, 0]]]


def _tables() -> list[np.ndarray]:
    rng = np.random.default_rng(2026)
    return [rng.integers(0, m, (2, 2)) for m in (3, 6, 12, 40, 300, 3000) for _ in range(100)] + [np.array(t) for t in EDGES]


def test_as_scipy_fisher_exact():
    stats = pytest.importorskip("scipy.stats")
    for t in _tables():
        odds, p = fisher_2x2(t)
        ref = stats.fisher_exact(t)
        assert odds == ref.statistic or (np.isnan(odds) and np.isnan(ref.statistic)), t.tolist()
        assert p == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300), t.tolist()


def test_as_r_fisher_test(tmp_path):
    if RSCRIPT is None:
        pytest.skip("R (Rscript) is not installed")
    tables = [t for t in _tables()[::7] if (t.sum(axis=0) > 0).all() and (t.sum(axis=1) > 0).all()]
    lines = [f"cat(fisher.test(matrix(c({', '.join(str(v) for v in t.T.ravel())}), 2))$p.value, '\\n')" for t in tables]
    (tmp_path / "job.R").write_text("options(digits = 17)\n" + "\n".join(lines) + "\n")
    proc = subprocess.run([RSCRIPT, "job.R"], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for t, r in zip(tables, proc.stdout.split(), strict=True):  # R: fisher.test(matrix(c(...), 2))$p.value
        assert fisher_2x2(t)[1] == pytest.approx(float(r), rel=1e-9, abs=1e-300), t.tolist()
