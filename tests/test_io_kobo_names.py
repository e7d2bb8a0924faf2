"""Kobo/ODK exports of forms written elsewhere: choice names (``yes``) as answers, option columns by choice
name (``q.opt`` with TRUE/FALSE, ``group/q/opt``), renamed questions under their XLSForm name, R-named
metadata (``X_uuid``), the form's own fields, the submission id as respondent id; and the REACH MSNA export."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from coprod import instrument
from coprod.analysis import import_responses

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "realworld"
if not REAL.is_dir():
    REAL = Path("/work/shared/data/realworld")


def _form(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    for r in [("type", "name", "label", "required", "relevant"),
              ("today", "visit_day", None, None, None),
              ("begin_group", "hh", "Household", None, None),
              ("select_one yn", "consent", "Consent?", "true", None),
              ("select_multiple src", "sources", "Water sources?", "true", "${consent} = 'yes'"),
              ("integer", "spend", "Spent on piped water", "true", "selected(${sources}, 'piped')"),
              ("text", "tel.office", "Office phone", None, None),
              ("end_group", None, None, None, None)]:
        ws.append(list(r))
    ch = wb.create_sheet("choices")
    for r in [("list_name", "name", "label"), ("yn", "yes", "Yes"), ("yn", "no", "No"),
              ("src", "piped", "Piped"), ("src", "well", "Well"), ("src", "truck", "Trucking")]:
        ch.append(list(r))
    path = tmp_path / "form.xlsx"
    wb.save(path)
    return path


def _export(tmp_path, rows):
    """A Kobo export passed through R: group prefixes, q.opt columns of TRUE/FALSE, X_ metadata."""
    header = ["start", "visit_day", "hh/consent", "hh/sources", "hh/sources.piped", "hh/sources.well",
              "hh/sources.truck", "hh/spend", "hh/tel.office", "X_id", "X_uuid", "X_submission_time", "X_index"]
    path = tmp_path / "export.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for i, (consent, srcs, spend, tel) in enumerate(rows):
            ticks = ["" if not consent == "yes" else ("TRUE" if o in srcs.split() else "FALSE") for o in ("piped", "well", "truck")]
            w.writerow(["2025-03-01T10:00:00.000+02:00", "2025-03-01", consent, srcs, *ticks, spend, tel,
                        str(900 + i), f"uuid-{i}", "2025-03-01T09:00:00", str(i + 1)])
    return path


ROWS = [("yes", "piped well", "1200", "555-1"), ("yes", "truck", "", ""), ("no", "", "", "555-3"), ("yes", "piped", "300", "")]


def test_choice_names_option_columns_and_metadata_map_back(tmp_path):
    inst = instrument.check(_form(tmp_path)).instrument
    res = import_responses(_export(tmp_path, ROWS), inst)
    df = res.responses.data
    assert len(df) == len(ROWS)
    assert df["consent"].tolist() == [1.0, 1.0, 2.0, 1.0]  # yes/no in sheet order
    assert df[["sources_1", "sources_2", "sources_3"]].to_numpy().tolist()[:2] == [[1, 1, 0], [0, 0, 1]]
    assert np.isnan(df["sources_1"][2])  # not asked: empty, not "no"
    assert df["spend"].tolist()[0] == 1200 and df["tel_office"].tolist()[0] == "555-1"
    assert df["resp_id"].tolist() == ["uuid-0", "uuid-1", "uuid-2", "uuid-3"]
    assert {"meta_uuid", "meta_id", "meta_submission_time", "meta_index", "meta_start", "meta_visit_day"} <= set(df.columns)
    assert any("not analysed (metadata, calculates, repeats) kept as meta_visit_day" in n for n in res.responses.notes)
    assert res.report.table.empty, res.report.table.to_dict("records")
    notes = " | ".join(res.report.notes + res.responses.notes)
    assert "answers given as XLSForm choice names turned into codes: 1 variable (consent)" in notes
    assert "respondent id resp_id taken from meta_uuid" in notes
    assert "not kept twice): hh/sources" in notes


def test_a_name_that_is_no_choice_is_one_problem_without_follow_ons(tmp_path):
    inst = instrument.check(_form(tmp_path)).instrument
    res = import_responses(_export(tmp_path, [("maybe", "", "", ""), ("yes", "piped", "10", "")]), inst)
    t = res.report.table
    assert t[["row", "variable", "problem", "value"]].values.tolist() == [[1, "consent", "not_numeric", "maybe"]]


MSNA = REAL / "responses" / "reach__msna_raw_data.csv"
MSNA_FORM = REAL / "xlsform" / "reach__msna_cleaningtools.xlsx"


@pytest.mark.skipif(not (MSNA.exists() and MSNA_FORM.exists()), reason="real-world files absent")
def test_reach_msna_export_imports_against_its_form():
    """Rows in = rows out, names mapped to codes with labels, and each problem reported is in the data."""
    with open(MSNA, encoding="utf-8-sig", newline="") as f:
        raw = list(csv.DictReader(f))
    inst = instrument.check(MSNA_FORM).instrument
    res = import_responses(MSNA, inst)
    df = res.responses.data
    assert len(df) == len(raw) == 632
    q = inst.question("consent_remote")
    yes = [c.code for c in q.choices.options if c.name == "yes"][0]
    assert (df["consent_remote"] == yes).sum() == sum(r["consent_remote"] == "yes" for r in raw)
    assert res.responses.value_labels["consent_remote"][float(yes)] == "Yes"
    ws = inst.question("water_sources")
    for var, c in zip(ws.variable_names(), ws.choices.options):
        assert df[var].sum() == sum(r[f"water_sources.{c.name}"] == "TRUE" for r in raw), var
    assert df["resp_id"].tolist() == [r["X_uuid"] for r in raw]
    t = res.report.table
    assert set(t.problem) == {"missing_variable", "not_numeric", "required_missing"}
    # every text answer reported is no choice name of its question
    for var, value in t[t.problem == "not_numeric"][["variable", "value"]].values:
        assert value not in {c.name for c in inst.question(var).choices.options}, (var, value)
    assert set(t[t.problem == "not_numeric"].variable) == {"neighbourhood", "pay_water_charges_when"}
    # every unanswered required question is empty in the export
    for row, var in t[t.problem == "required_missing"][["row", "variable"]].values:
        assert raw[row - 1][inst.question(var).xls_name] == "", (row, var)
    # every variable reported absent has no column in the export, under any spelling
    cols = {c.lower() for c in raw[0]}
    for var in t[t.problem == "missing_variable"].variable:
        q = next(q for q in inst.questions if var in q.variable_names())
        assert q.xls_name.lower() not in cols, var


CHILDREN = REAL / "responses" / "ona__childrens_survey.csv"


@pytest.mark.skipif(not CHILDREN.exists(), reason="real-world files absent")
def test_ona_export_geopoint_parts_and_questions_inside_a_repeat_form():
    """Kobo's _geolocation_latitude ... and _last_edited_by are metadata; name and age stay answers."""
    inst = instrument.check(REAL / "xlsform" / "ona__childrens_survey.xlsx").instrument
    res = import_responses(CHILDREN, inst)
    df = res.responses.data
    assert df["name"].tolist()[0] == "Abe" and df["age"].tolist()[0] == 35
    assert df["tel_office"].tolist()[0] == "020123456"  # tel/tel.office, leading zero kept in a text question
    assert {"meta_geolocation_latitude", "meta_last_edited_by"} <= set(df.columns)
    assert set(res.report.table.problem) == {"missing_id"}  # the export's _uuid cells are empty
