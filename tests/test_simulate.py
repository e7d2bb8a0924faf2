"""Simulated responses: reproducible, realistic reliability and group differences, skip logic, planted mistakes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.demo.simulate import FORMULA_TEXT, simulate_responses, simulated_responses


@pytest.fixture(scope="module")
def inst():
    return instrument.builtin()


@pytest.fixture(scope="module")
def sim(inst):
    return simulated_responses(inst, n=300, seed=11)


def test_reproducible(inst):
    a = simulate_responses(inst, n=40, seed=5)
    b = simulate_responses(inst, n=40, seed=5)
    c = simulate_responses(inst, n=40, seed=6)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_columns_and_groups(inst, sim):
    df = sim.data
    assert list(df.columns) == [inst.respondent_id] + [v.name for v in inst.variables]
    shares = df[inst.group_question].value_counts(normalize=True)
    assert set(shares.index) == {float(g.code) for g in inst.groups}
    assert shares.min() > 0.2


def _cronbach(X):
    X = X[~np.isnan(X).any(axis=1)]
    k = X.shape[1]
    return k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))


def test_reliability_realistic(inst, sim):
    from coprod.analysis.data.scoring import reverse_code

    valid = sim.valid()
    for s in inst.scales.values():
        cols = []
        for item in s.items:
            q = inst.question(item)
            x = valid[item].to_numpy(dtype=float)
            x = np.where(np.isin(x, q.choices.codes), x, np.nan)
            cols.append(reverse_code(x, q.choices.codes) if item in s.reverse else x)
        X = np.column_stack(cols)
        if (~np.isnan(X).any(axis=1)).sum() < 80:
            continue
        alpha = _cronbach(X)
        assert 0.68 <= alpha <= 0.88, (s.name, alpha)


def test_group_differences(inst, sim):
    from coprod.analysis.data.scoring import score

    scored = score(sim, inst).data
    g = scored[inst.group_question]
    codes = {grp.id: float(grp.code) for grp in inst.groups}
    prof, vol = codes["professional"], codes["volunteer"]
    vertical = [s for s in inst.scales if "vert" in s]
    clarity = [s for s in inst.scales if "clar" in s]
    for name in vertical:
        assert scored.loc[g == prof, name].mean() > scored.loc[g == vol, name].mean() + 0.2
    for name in clarity:
        assert scored.loc[g == prof, name].mean() > scored.loc[g == vol, name].mean() + 0.2


def test_skip_logic_missing_codes_and_mistakes(inst, sim):
    from coprod.analysis.data.validate import validate

    df = sim.data
    rep = validate(sim, inst)
    summary = rep.summary
    # exactly the planted mistakes, nothing else
    assert summary == {"invalid_code": 1, "not_asked": 1, "out_of_range": 1}
    first_likert = next(q for q in inst.questions if q.type == "likert")
    assert (df[first_likert.name] == max(first_likert.choices.codes) + 2).sum() == 1
    # missing codes are there, on asked questions only
    likert = [q.name for q in inst.questions if q.type == "likert"]
    codes = df[likert].isin([-8.0, -7.0]).sum().sum()
    asked = df[likert].notna().sum().sum()
    assert 0.02 < codes / asked < 0.07
    # the formula-looking answer
    texts = [q.name for q in inst.questions if q.type in ("text", "longtext")]
    assert any((df[t] == FORMULA_TEXT).any() for t in texts)


def test_not_asked_questions_empty(inst):
    df = simulate_responses(inst, n=200, seed=2, invalid=False)
    for q in inst.questions:
        if q.relevant is None or not q.stores_data:
            continue
        asked = q.relevant.evaluate(df.where(~df.isin([-7.0, -8.0, -9.0])))
        for var in q.variable_names():
            assert df.loc[~asked, var].isna().all(), var
