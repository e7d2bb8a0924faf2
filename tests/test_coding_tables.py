"""Theme tables on small hand-made coded answers: counts, tests, suppression of small cells and quotes."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coprod.analysis.coding.merge import CODED_COLUMNS
from coprod.analysis.coding.run import coding_section
from coprod.analysis.coding.themes import consensus, mention_test, themes_by_group
from coprod.analysis.render import SUPPRESSED
from coprod.analysis.render.suppress import suppress_table


def _coded(rows) -> pd.DataFrame:
    """rows: (coder, key, group, question, theme, value, quote)."""
    out = [[c, k, g, q, f"answer of {k} to {q}", t, v, qt, "", "x.xlsx"] for c, k, g, q, t, v, qt in rows]
    return pd.DataFrame(out, columns=CODED_COLUMNS)


def test_consensus_rules():
    c = _coded([("a", "k1", "G", "q", "t", 1, 0), ("b", "k1", "G", "q", "t", 0, 0), ("c", "k1", "G", "q", "t", 1, 0),
                ("a", "k2", "G", "q", "t", 1, 0), ("b", "k2", "G", "q", "t", 0, 0)])
    got = {r: consensus(c, r).set_index("key")["value"].to_dict() for r in ("majority", "any", "all")}
    assert got == {"majority": {"k1": 1.0, "k2": 0.0}, "any": {"k1": 1.0, "k2": 1.0}, "all": {"k1": 0.0, "k2": 0.0}}
    assert consensus(c, coder="b")["value"].tolist() == [0.0, 0.0]


def _two_groups(n_a: int, men_a: int, n_b: int, men_b: int) -> pd.DataFrame:
    rows = []
    for g, n, m in (("A", n_a, men_a), ("B", n_b, men_b)):
        for i in range(n):
            rows.append(("coder", f"{g}{i}", g, "q", "t", int(i < m), int(i == 0)))
    return _coded(rows)


def test_fisher_for_a_sparse_two_by_two_chi2_otherwise():
    sparse = themes_by_group(_two_groups(10, 1, 12, 8)).theme_tests.iloc[0]
    table = np.array([[1, 9], [8, 4]])
    assert sparse["test"] == "fisher"
    assert sparse["p"] == pytest.approx(stats.fisher_exact(table).pvalue)
    chi = stats.chi2_contingency(table, correction=False)
    assert sparse["effsize"] == pytest.approx(np.sqrt(chi.statistic / 22))
    wide = themes_by_group(_two_groups(40, 15, 40, 25)).theme_tests.iloc[0]
    chi = stats.chi2_contingency(np.array([[15, 25], [25, 15]]), correction=False)
    assert wide["test"] == "chi2" and wide["statistic"] == pytest.approx(chi.statistic) and wide["df"] == 1
    assert mention_test(np.array([[0.0, 5.0], [0.0, 7.0]]))["note"].startswith("no variation")


def test_small_cells_and_complement_hidden():
    res = themes_by_group(_two_groups(20, 3, 30, 12))
    t = res.themes
    assert t[["group", "n_mentioning", "n_answering"]].values.tolist() == [["Total", 15, 50], ["A", 3, 20], ["B", 12, 30]]
    shown, k = suppress_table("themes", t, 5)
    # A: 3 mention (primary); B: the complement, else 15 - 12 would give A's 3 away
    assert [v is SUPPRESSED for v in shown["n_mentioning"]] == [False, True, True]
    assert [v is SUPPRESSED for v in shown["percent"]] == [False, True, True]
    assert not any(v is SUPPRESSED for v in shown["n_answering"])
    # a group where all but 2 mention it is hidden too
    shown, _ = suppress_table("themes", themes_by_group(_two_groups(20, 18, 30, 10)).themes, 5)
    assert shown["n_mentioning"].iloc[1] is SUPPRESSED


def test_quotes_of_small_groups_hidden():
    rows = [("c", f"A{i}", "A", "q", "t", 1, 1) for i in range(3)] + [("c", f"B{i}", "B", "q", "t", 1, 1) for i in range(6)]
    q = themes_by_group(_coded(rows), quotes=True).quotes
    assert sorted(set(zip(q["group"], q["n_group"]))) == [("A", 3), ("B", 6)]
    shown, _ = suppress_table("quotes", q, 5)
    small = shown["group"] == "A"
    assert all(v is SUPPRESSED for v in shown.loc[small, "quote"]) and all(v is SUPPRESSED for v in shown.loc[small, "key"])
    assert not any(v is SUPPRESSED for v in shown.loc[~small, "quote"])


def test_coding_section_for_a_report():
    c = _two_groups(20, 8, 20, 12)
    c2 = c.assign(coder="other", value=c["value"].where(c.index % 7 != 0, 1 - c["value"]))
    tables, text = coding_section(pd.concat([c, c2], ignore_index=True))
    assert {"themes", "theme_tests", "cooccurrence", "agreement"} <= set(tables)
    assert "Krippendorff's α" in text and "chi-square" in text
