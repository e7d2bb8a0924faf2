"""Importing coded workbooks: every problem reported, nothing dropped; the coded-answers CSV round-trips."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from coprod.analysis.coding import import_coding
from coprod.analysis.coding.merge import mark, read_coded, write_coded
from coprod.analysis.coding.quotes import identifying
from coprod.analysis.coding.run import export_coding
from coprod.analysis.coding.workbook import SHEET
from coprod.analysis.demo.simulate import simulated_responses
from coprod.instrument.errors import OptionError, OutputExistsError


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    d = tmp_path_factory.mktemp("imp")
    resp = simulated_responses(n=80, seed=3, invalid=False)
    export_coding(resp, d / "c.xlsx", coder="cara", seed=5)
    return d / "c.xlsx"


def _cols(ws):
    return {c.value: c.column for c in ws[1]}


def test_every_problem_reported_nothing_dropped(workbook, tmp_path):
    p = tmp_path / "c.xlsx"
    shutil.copy(workbook, p)
    wb = load_workbook(p)
    ws = wb[SHEET]
    col = _cols(ws)
    ws.cell(1, ws.max_column + 1).value = "new_idea"  # a code outside the codebook
    new = ws.max_column
    row = {}
    for r in range(2, ws.max_row + 1):
        row.setdefault(ws.cell(r, col["question"]).value, []).append(r)
    r1, r2, r3, r4 = row["op_unclear"][:4]
    key1 = ws.cell(r1, col["key"]).value
    ws.cell(r1, col["key"]).value = "RFFFFFFFFFF"  # unknown key
    ws.cell(r1, col["unclear_resp"]).value = 0
    ws.cell(r2, col["answer"]).value = ws.cell(r2, col["answer"]).value + " (edited)"  # changed text
    ws.cell(r2, col["unclear_resp"]).value = 1
    ws.cell(r3, col["trust"]).value = 1  # trust does not apply to op_unclear
    ws.cell(r3, new).value = 1
    ws.cell(r4, col["unclear_resp"]).value = "maybe"  # not 0/1
    deleted_key = ws.cell(row["comments"][0], col["key"]).value
    ws.delete_rows(row["comments"][0])
    wb.save(p)
    res = import_coding([p])
    msgs = res.problems["problem"].tolist()
    assert "column 'new_idea' is not a code of the codebook (kept)" in msgs
    assert "unknown key 'RFFFFFFFFFF' for question 'op_unclear' (not in the export)" in msgs
    assert "the answer's text was changed after the export" in msgs
    assert "theme 'trust' does not apply to question 'op_unclear' (kept)" in msgs
    assert "'maybe' is not 0 or 1 (kept as missing)" in msgs
    assert "an exported answer is missing from the workbook" in msgs
    missing = res.problems.loc[res.problems["problem"].str.startswith("an exported"), "key"].tolist()
    assert sorted(missing) == sorted([deleted_key, key1])  # the deleted row, and the row whose key was changed
    assert res.problems.loc[res.problems["problem"].str.startswith("theme 'trust'"), "row"].tolist() == [r3]
    c = res.coded
    # nothing dropped: the unknown key, the edited answer, the extra code and the off-question theme are all there
    assert (c["key"] == "RFFFFFFFFFF").any()
    assert c["answer"].str.endswith(" (edited)").any()
    assert ((c["theme"] == "new_idea") & (c["value"] == 1)).sum() == 1
    assert ((c["theme"] == "trust") & (c["question"] == "op_unclear") & (c["value"] == 1)).sum() == 1
    bad = c[(c["theme"] == "unclear_resp") & c["value"].isna() & (c["question"] == "op_unclear")]
    assert len(bad) >= 1


def test_same_coder_twice_kept_apart(workbook):
    res = import_coding([workbook, workbook])
    assert res.problems["problem"].str.contains("also coded").sum() == 1
    assert res.coders == ["cara", "cara (c.xlsx)"]


def test_without_definition_uses_the_workbooks_codebook(workbook):
    res = import_coding([workbook])
    assert res.problems.empty
    assert set(res.coded.loc[res.coded["question"] == "op_unclear", "theme"]) == {
        "accountability", "vertical_acc", "horizontal_acc", "roles", "unclear_resp", "role_conflict"}


def test_coded_csv_round_trip(workbook, tmp_path):
    res = import_coding([workbook])
    c = res.coded.copy()
    c.loc[0, "answer"] = '=HYPERLINK("x")'
    out = write_coded(c, tmp_path / "coded.csv")
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8")
    back = read_coded(out)
    assert list(back.columns) == list(c.columns) and len(back) == len(c)
    for col in ("value", "quote"):
        pd.testing.assert_series_equal(back[col].astype(float), c[col].astype(float), check_names=False)
    for col in ("coder", "key", "group", "question", "answer", "theme", "notes", "source"):
        assert back[col].fillna("").tolist() == c[col].fillna("").tolist(), col
    with pytest.raises(OutputExistsError):
        write_coded(c, out)
    with pytest.raises(OptionError):
        write_coded(c, tmp_path / "coded.xlsx")


def test_marks_and_detectors():
    assert [mark(v) for v in (1, 1.0, "1", "X", "yes", 0, "0", None, "")] == [1.0] * 5 + [0.0] * 4
    assert identifying("Write to anna.k@kunta.fi") == "e-mail"
    assert identifying("My number is +358 40 123 4567.") == "phone"
    assert identifying("I spoke with Liisa Korhonen about it.") == "name"
    assert identifying("Mrs Smith helped.") == "name"
    assert identifying("The process worked. Roles were unclear in 2023.") == ""


#: English words of the workbook's own texts (headers, sheet names, instructions, validation messages).
ENGLISH = {"key", "group", "question", "answer", "quote", "notes", "code", "label", "parent", "description",
           "questions", "answers", "codebook", "instructions", "coder:", "blind:", "the", "is", "not", "theme",
           "Code", "each", "row", "Grey", "cells", "Do", "change", "workbook", "apply", "present", "or"}


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_workbook_in_finnish_and_swedish(lang, tmp_path):
    from coprod.analysis.coding.words import name

    resp = simulated_responses(n=60, seed=4, invalid=False)
    out = tmp_path / f"c_{lang}.xlsx"
    export_coding(resp, out, coder="cara", seed=5, lang=lang, blind=False)
    wb = load_workbook(out)
    inst = resp.instrument
    codes = {t.code for t in inst.themes}
    texts = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    answers, codebook, instructions = (wb[name(k, lang)] for k in ("answers", "codebook", "instructions"))
    texts += [c.value for c in answers[1] if c.value not in codes]  # theme codes are the definition's names
    texts += [c.value for c in codebook[1]]
    texts += [c.value for c in instructions["A"][2:] if c.value]  # under the title: coder line, instructions
    for dv in answers.data_validations.dataValidation:
        texts += [dv.errorTitle, dv.error]
    words = {w.strip(".,:;()") for t in texts for w in str(t).split()}
    assert not words & ENGLISH, sorted(words & ENGLISH)
    assert name("quote", lang) in " ".join(str(t) for t in texts)  # the instructions name the columns as shown
    # the import reads it by the names it was given: a coder's theme, quote and notes come back
    col = {c.value: c.column for c in answers[1]}
    theme = next(t.code for t in inst.themes if t.code in col)
    row = next(r for r in range(2, answers.max_row + 1) if answers.cell(r, col[theme]).protection.locked is False)
    key, question = (answers.cell(row, col[name(c, lang)]).value for c in ("key", "question"))
    answers.cell(row, col[theme]).value = 1
    answers.cell(row, col[name("quote", lang)]).value = 1
    answers.cell(row, col[name("notes", lang)]).value = "x"
    wb.save(out)
    res = import_coding([out], inst)
    assert res.problems.empty, res.problems.to_dict("records")
    mine = res.coded[(res.coded["key"] == key) & (res.coded["question"] == question) & (res.coded["theme"] == theme)]
    assert mine[["value", "quote", "notes"]].values.tolist() == [[1, 1, "x"]]
