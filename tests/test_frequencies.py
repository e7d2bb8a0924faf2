from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.frequencies import COLUMNS, frequencies
from coprod.analysis.data.responses import Responses


def resp():
    df = pd.DataFrame({"g": [1, 1, 1, 1, 2, 2, 2, 2], "q": [1, 2, 2, 8, 9, np.nan, 2, 1.0]})
    return Responses(df, missing_codes={"q": (8.0,)}, missing_ranges={"q": ((9.0, 10.0),)},
                     value_labels={"q": {1.0: "No", 2.0: "Yes", 8.0: "Don't know"},
                                   "g": {1.0: "Professional", 2.0: "Volunteer"}})


def test_layout_like_spss():
    f = frequencies(resp(), items="q")
    assert list(f.columns) == COLUMNS
    assert f["label"].tolist() == ["No", "Yes", "Don't know", "9", "System missing"]
    assert f["count"].tolist() == [2, 3, 1, 1, 1]
    assert f["percent"].tolist() == pytest.approx([25, 37.5, 12.5, 12.5, 12.5])
    assert f["valid_percent"].tolist()[:2] == pytest.approx([40, 60])
    assert f["cumulative_percent"].tolist()[:2] == pytest.approx([40, 100])
    assert f["is_missing"].tolist() == [False, False, True, True, True]
    assert np.isnan(f["valid_percent"].iloc[2])


def test_by_group():
    f = frequencies(resp(), items="q", by="g")
    assert f["group"].unique().tolist() == ["Total", "Professional", "Volunteer"]
    vol = f[f.group == "Volunteer"]
    assert vol["label"].tolist() == ["No", "Yes", "9", "System missing"]
    assert vol["valid_percent"].tolist()[:2] == pytest.approx([50, 50])


def test_strings():
    f = frequencies(pd.DataFrame({"s": ["b", "a", "b", None, ""]}))
    assert f["value"].tolist()[:2] == ["a", "b"]
    assert f["count"].tolist() == [1, 2, 2]


def skip_logic_data(tmp_path):
    """The import tests' definition (``years`` asked if role in (1, 2); ``fa1`` only of professionals) with
    seeded answers: a few asked respondents leave a question empty, one answers Don't know."""
    from coprod.analysis.data.io import load_responses
    from io_helpers import make_instrument

    inst, _ = make_instrument(tmp_path)
    rng = np.random.default_rng(11)
    role = np.repeat([1.0, 2.0, 3.0], [30, 25, 12])
    years = np.where(role < 3, rng.integers(0, 20, role.size).astype(float), np.nan)
    years[[3, 31]] = np.nan  # asked, not answered
    fa1 = np.where(role == 1, rng.integers(1, 6, role.size).astype(float), np.nan)
    fa1[[0, 7]] = [np.nan, -8.0]
    df = pd.DataFrame({"resp_id": np.arange(1, role.size + 1), "role": role, "years": years, "fa1": fa1})
    df.to_csv(tmp_path / "skip.csv", index=False)
    return load_responses(tmp_path / "skip.csv", instrument=inst), df


def test_not_asked_is_not_missing(tmp_path):
    resp, df = skip_logic_data(tmp_path)
    f = frequencies(resp, items="years,fa1", by="role")
    users = f[(f.variable == "years") & (f.group == "Service user")]
    # the group never asked: one row, no "System missing", everyone counted as not asked
    assert len(users) == 1 and users.iloc[0]["count"] == 0 and users.iloc[0]["n_not_asked"] == 12
    assert users[["value", "label", "percent", "valid_percent"]].isna().all(axis=None)
    assert not (f["label"] == "System missing")[f.group.isin(["Service user"])].any()
    # the total: the not asked left out; the system-missing row counts only those asked (2 of 55)
    total = f[(f.variable == "years") & (f.group == "Total")]
    assert (total["n_not_asked"] == 12).all() and total["count"].sum() == 55
    sysmis = total[total.label == "System missing"].iloc[0]
    assert sysmis["count"] == 2 and sysmis["percent"] == pytest.approx(100 * 2 / 55)
    assert total["percent"].sum() == pytest.approx(100.0)
    assert total.loc[~total.is_missing, "valid_percent"].sum() == pytest.approx(100.0)
    fa1 = f[f.variable == "fa1"]
    assert set(fa1.loc[fa1["count"] == 0, "group"]) == {"Volunteer", "Service user"}
    assert fa1.loc[fa1.group == "Professional", "n_not_asked"].eq(0).all()
    assert fa1.loc[fa1.group == "Total", "count"].sum() == 30
    # without the definition nothing is known of the skip logic: everyone counts, as before
    from coprod.analysis.data.responses import Responses

    plain = frequencies(Responses(df), items="years", by="role")
    assert (plain["n_not_asked"] == 0).all()
    assert 12 in plain.loc[plain.label == "System missing", "count"].tolist()


def test_not_asked_shown_as_a_note(tmp_path):
    from coprod.analysis.render.specs import display_table
    from coprod.analysis.report.words import cell_note, sentence

    resp, _ = skip_logic_data(tmp_path)
    t = display_table("frequencies", frequencies(resp, items="years", by="role"))
    head = [c.header for c in t.columns]
    rows = [dict(zip(head, r)) for r in t.rows]
    users = [r for r in rows if r["Group"] == "Service user"]
    assert [(r["Answer"], r["n"], r["Note"]) for r in users] == [("", None, "not asked of Service user")]
    assert not [r for r in rows if r["Group"] == "Service user" and "missing" in str(r["Answer"])]
    assert [r["n"] for r in rows if r["Group"] == "Total" and r["Answer"] == "Total"] == [55]
    assert any("did not ask" in n for n in t.notes)
    assert cell_note("not asked of Service user", "fi") == "ei kysytty: Service user"
    assert cell_note("not asked of any respondent", "sv") == "inte frågat någon"
    for lang in ("fi", "sv"):
        assert all("skip logic" not in sentence(n, lang) for n in t.notes)
    # asked of everyone: no Note column, as before
    plain = display_table("frequencies", frequencies(resp, items="role"))
    assert "Note" not in [c.header for c in plain.columns]


def _pspp_rows(rows):
    """(valid rows, missing rows) of a PSPP FREQUENCIES table: [label, value, n, %, valid %, cum %]."""
    section, valid, missing = None, [], []
    for r in rows[1:]:
        section = r[0] or section
        if section == "Valid":
            valid.append(r)
        elif section == "Missing":
            missing.append(r)
    return valid, missing


def test_not_asked_left_out_as_pspp_filter(tmp_path):
    """Our frequencies with the not-asked left out equal PSPP FREQUENCIES on the cases asked
    (SELECT IF: not (empty and not asked)), per group and in total."""
    import pspp

    pspp.require_pspp()
    resp, df = skip_logic_data(tmp_path)
    blocks = {"years": {"Total": "NOT (SYSMIS(years) AND role = 3)", "Professional": "role = 1", "Volunteer": "role = 2"},
              "fa1": {"Total": "NOT (SYSMIS(fa1) AND role <> 1)", "Professional": "role = 1"}}
    syntax = "".join(f"TEMPORARY.\nSELECT IF {cond}.\nFREQUENCIES {v}.\n" for v, b in blocks.items() for cond in b.values())
    _, result = pspp.run_sav(df, {"missing_ranges": {"fa1": [-8.0]}}, syntax, tmp_path, precise_vars=["years", "fa1"])
    f = frequencies(resp, items="years,fa1", by="role")
    for v, b in blocks.items():
        assert len(pspp.tables(result, v)) == len(b)
        for group, rows in zip(b, pspp.tables(result, v)):
            mine = f[(f.variable == v) & (f.group == group)]
            valid, missing = _pspp_rows(rows)
            ours = mine[~mine.is_missing]
            assert len(ours) == len(valid), (v, group)
            for (_, m), r in zip(ours.iterrows(), valid):  # PSPP: 16 decimals (tests/pspp.py)
                assert m["value"] == pytest.approx(pspp.num(r[1]), rel=1e-9)
                assert m["count"] == int(r[2])
                assert [m["percent"], m["valid_percent"], m["cumulative_percent"]] == pytest.approx(
                    [pspp.num(x) for x in r[3:6]], rel=1e-6)
            theirs = sorted((int(r[2]), pspp.num(r[3])) for r in missing)
            assert sorted(zip(mine.loc[mine.is_missing, "count"], mine.loc[mine.is_missing, "percent"])) == [
                (n, pytest.approx(p, rel=1e-6)) for n, p in theirs]
