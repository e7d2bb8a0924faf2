"""ODK Central and KoboToolbox exports of the form written from the definition: group paths,
select_multiple answers, metadata columns; the imported values equal what was "collected"."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis import import_responses, load_responses
from io_helpers import make_instrument, sha

xlsform = pytest.importorskip("coprod.instrument.forms.xlsform")


@pytest.fixture()
def inst(tmp_path):
    return make_instrument(tmp_path)[0]


def _collected(inst, n=40, seed=11):
    """What respondents answered, as our variables (skip logic respected)."""
    rng = np.random.default_rng(seed)
    role = rng.integers(1, 4, n).astype(float)
    years = np.where(role < 3, rng.integers(0, 40, n), np.nan)
    years[0] = -9 if role[0] < 3 else years[0]
    out = {"resp_id": np.arange(1, n + 1, dtype=float), "role": role, "years": years}
    answered_tools = rng.random(n) < 0.8
    ticks = rng.integers(0, 2, (n, 3))
    ticks[ticks.sum(axis=1) == 0, 0] = 1  # an answer ticks something: an empty one cannot be told from none
    for j, code in enumerate((1, 2, 3)):
        out[f"tools_{code}"] = np.where(answered_tools, ticks[:, j], np.nan)
    out["comment"] = np.array([f"vastaus {i}; ok" if i % 3 else "" for i in range(n)], dtype=object)
    for item in ("fa1", "fa2", "fa3"):
        out[item] = np.where(role == 1, rng.choice([1, 2, 3, 4, 5, -8], n), np.nan)
    return pd.DataFrame(out)


def _survey_paths(inst, sep):
    """{question name: export column} from the XLSForm's survey sheet (groups nest with ``sep``)."""
    header, rows = xlsform.xlsform_rows(inst)["survey"]
    ti, ni = header.index("type"), header.index("name")
    stack, paths, kinds = [], {}, {}
    for r in rows:
        t, name = r[ti], r[ni]
        if t == "begin_group":
            stack.append(name)
        elif t == "end_group":
            stack.pop()
        elif t not in ("note",):
            paths[name] = sep.join(stack + [name])
            kinds[name] = t.split()[0]
    return paths, kinds


def _export(inst, df, flavour):
    sep = "/" if flavour == "kobo" else "-"
    paths, kinds = _survey_paths(inst, sep)
    cols = {"start": ["2025-03-01T10:00:00.000+02:00"] * len(df), "end": ["2025-03-01T10:12:00.000+02:00"] * len(df)}
    if flavour == "central":
        cols = {"SubmissionDate": ["2025-03-01T08:12:40.123Z"] * len(df), **cols}
    for name, path in paths.items():
        if name == inst.respondent_id:
            continue
        kind = kinds[name]
        if kind == "select_multiple":
            opts = [c for c in df.columns if c.startswith(name + "_")]
            chosen = df[opts].to_numpy()
            cols[path] = [" ".join(o.rsplit("_", 1)[1] for o, v in zip(opts, row) if v == 1) for row in chosen]
            if flavour == "kobo":  # Kobo adds one 0/1 column per option, empty when unanswered
                for o in opts:
                    cols[f"{path}/{o.rsplit('_', 1)[1]}"] = ["" if np.isnan(v) else str(int(v)) for v in df[o]]
            continue
        if name not in df.columns:  # the form's helper calculates: stored, not answers
            cols[path] = ["x"] * len(df)
            continue
        vals = df[name]
        cols[path] = ["" if (isinstance(v, float) and np.isnan(v)) else (str(int(v)) if isinstance(v, float) else v) for v in vals]
    cols["resp_id"] = [str(int(x)) for x in df["resp_id"]]  # the respondent id as an extra field
    if flavour == "kobo":
        cols.update({"_id": [str(1000 + i) for i in range(len(df))], "_uuid": [f"uuid-{i}" for i in range(len(df))],
                     "_submission_time": ["2025-03-01T08:12:40"] * len(df), "__version__": ["vX1"] * len(df),
                     "meta/instanceID": [f"uuid:{i}" for i in range(len(df))], "_index": [str(i + 1) for i in range(len(df))]})
    else:
        cols.update({"meta-instanceID": [f"uuid:{i}" for i in range(len(df))], "KEY": [f"uuid:{i}" for i in range(len(df))]})
    return pd.DataFrame(cols)


def test_the_form_is_a_valid_xlsform(inst, tmp_path):
    pyxform = pytest.importorskip("pyxform.xls2xform")
    path = xlsform.write_xlsform(inst, tmp_path / "form.xlsx")
    pyxform.convert(xlsform=str(path), validate=False)
    paths, kinds = _survey_paths(inst, "/")
    assert paths["fa1"] == "felt/fa1" and kinds["tools"] == "select_multiple"


@pytest.mark.parametrize("flavour,fmt", [("kobo", "csv"), ("kobo", "xlsx"), ("central", "csv")])
def test_export_imports_to_identical_values(inst, tmp_path, flavour, fmt):
    truth = _collected(inst)
    export = _export(inst, truth, flavour)
    path = tmp_path / f"export.{fmt}"
    if fmt == "csv":
        export.to_csv(path, index=False, sep=";" if flavour == "kobo" else ",")
    else:
        export.to_excel(path, index=False)
    before = sha(path)
    res = import_responses([path], inst, out=tmp_path / "clean.sav", score_scales=False)
    assert sha(path) == before
    assert res.rows_read == res.rows_written == len(truth)
    assert res.problems == {}, res.report.table.head(10).to_string()
    got = load_responses(tmp_path / "clean.sav").data
    for c in truth.columns:
        if c == "comment":
            assert got[c].tolist() == truth[c].tolist()
        else:
            np.testing.assert_array_equal(got[c].to_numpy(dtype=float), truth[c].to_numpy(dtype=float), err_msg=c)
    meta = [c for c in got.columns if c.startswith("meta_")]
    assert "meta_instanceID" in meta and "meta_start" in meta
    if flavour == "kobo":
        assert {"meta_uuid", "meta_submission_time", "meta_id", "meta_index", "meta_version"} <= set(meta)
        assert got["meta_uuid"].tolist()[:2] == ["uuid-0", "uuid-1"]


def test_unknown_option_in_select_multiple_is_reported(inst, tmp_path):
    truth = _collected(inst, n=5)
    export = _export(inst, truth, "central")
    col = next(c for c in export.columns if c.endswith("tools"))
    export.loc[2, col] = "1 7"
    path = tmp_path / "e.csv"
    export.to_csv(path, index=False)
    res = import_responses([path], inst)
    t = res.report.table
    bad = t[t.problem == "invalid_code"]
    assert bad[["row", "variable", "value"]].values.tolist() == [[3, col, "7"]]
    assert res.responses.data.loc[2, "tools_1"] == 1.0
