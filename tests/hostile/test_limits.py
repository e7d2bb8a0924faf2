"""Limits that keep a wrong input from hanging a run: too many groups."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clirun import coprod
from coprod.analysis.stats.common import MAX_GROUPS


@pytest.fixture(scope="module")
def many_groups(tmp_path_factory):
    pyreadstat = pytest.importorskip("pyreadstat")
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"g": np.repeat(np.arange(200), 5).astype(float), "q": rng.integers(1, 6, 1000).astype(float)})
    path = tmp_path_factory.mktemp("groups") / "g.sav"
    pyreadstat.write_sav(df, str(path))
    return path


@pytest.mark.parametrize("command", ["compare", "describe", "frequencies"])
def test_two_hundred_groups_are_refused_with_a_reason(many_groups, command):
    r = coprod(command, many_groups, "--by", "g", "--items", "q")
    assert r.code == 2
    assert r.err == (f"error: 'g' has 200 different values: a grouping variable with more than {MAX_GROUPS} groups "
                     "is usually the wrong variable (an id or a score?); recode it into fewer groups\n")


def test_report_refuses_too(many_groups, tmp_path):
    out = tmp_path / "r.html"
    r = coprod("report", many_groups, "--by", "g", "--out", out)
    assert r.code == 2 and "200 different values" in r.err
    assert not out.exists()
