"""Hostile input files: pipes, devices and folders refused by name; kinds judged by content; time zones."""
from __future__ import annotations

import os

import pytest
from openpyxl import Workbook

from clirun import coprod
from coprod.analysis.data.io import load_responses
from coprod.instrument.errors import DataError

DEFINITION = """\
id: mini
title: Mini
version: "1"
languages: [en]
respondent_id: id
sections:
  - id: s1
    title: S
    questions:
      - {name: q1, type: integer, text: Q1, min: 0, max: 10}
      - {name: when, type: date, text: When}
"""


@pytest.fixture
def definition(tmp_path):
    p = tmp_path / "d.yaml"
    p.write_text(DEFINITION)
    return p


def _fifo(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    p = tmp_path / "pipe.csv"
    os.mkfifo(p)
    return p


def _zero(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero here")
    p = tmp_path / "zero.csv"
    p.symlink_to("/dev/zero")
    return p


@pytest.mark.parametrize("make, says", [(_fifo, "is a pipe (FIFO), not a regular file"),
                                        (_zero, "is a device (a link to /dev/zero), not a regular file"),
                                        (lambda t: t, "is a folder, not a file")])
@pytest.mark.parametrize("command", [("describe", "{p}"), ("import", "{p}"), ("check", "{p}"), ("info", "{p}"),
                                     ("report", "{p}", "--out", "{out}")])
def test_non_regular_inputs_are_refused_by_name(tmp_path, make, says, command):
    p = make(tmp_path)
    args = [a.format(p=p, out=tmp_path / "r.html") for a in command]
    r = coprod(*args)
    assert (r.code, r.err) == (2, f"error: {p}: {says}\n")
    assert not (tmp_path / "r.html").exists()


def test_data_files_above_the_cap_are_refused_without_reading(tmp_path, monkeypatch):
    from coprod.analysis.data import sniff

    monkeypatch.setattr(sniff, "MAX_DATA_BYTES", 100)
    p = tmp_path / "big.csv"
    p.write_text("id,q1\n" + "1,2\n" * 100)
    with pytest.raises(DataError, match=r"big.csv: is 406 bytes; at most 100 bytes is read"):
        load_responses(p)


def _workbook(path):
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "q1"])
    ws.append([1, 3])
    ws.append([2, 4])
    wb.save(path)
    return path


def test_a_workbook_named_sav_is_read_by_its_content(tmp_path):
    res = load_responses(_workbook(tmp_path / "x.sav"))
    assert res.data["q1"].tolist() == [3.0, 4.0]
    assert "x.sav: read as xlsx: the file's content, not its name (.sav)" in res.notes


def test_a_csv_named_xlsx_gets_the_same_note(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("id,q1\n1,3\n")
    res = load_responses(p)
    assert "x.xlsx: read as csv: the file's content, not its name (.xlsx)" in res.notes


def test_an_xlsform_named_yaml_is_read_by_its_content(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["integer", "age", "Age"])
    wb.create_sheet("settings").append(["form_title", "form_id", "version"])
    path = tmp_path / "form.yaml"
    wb.save(path)
    from coprod import instrument

    rep = instrument.check(path)
    assert rep.ok, [str(p) for p in rep.problems]
    assert [p.message for p in rep.warnings][:1] == ["read as xlsx: the file's content, not its name"]


def test_mixed_time_zones_are_read_in_utc_with_a_note(tmp_path, definition):
    data = tmp_path / "tz.csv"
    data.write_text("id,q1,when\n1,3,2024-05-01T10:00:00+02:00\n2,4,2024-05-01T10:00:00+03:00\n"
                    "3,5,2024-05-01T10:00:00Z\n4,5,2024-05-01 09:30\n")
    out = tmp_path / "o.csv"
    r = coprod("import", "-i", definition, data, "-o", out)
    assert r.code == 0, r.err
    assert "note: when: 3 times given with a time zone, read in UTC" in r.out + r.err
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert [ln.split(",")[2] for ln in lines[1:]] == ["2024-05-01 08:00:00", "2024-05-01 07:00:00",
                                                      "2024-05-01 10:00:00", "2024-05-01 09:30:00"]
