"""Infinite and huge numbers (inf, 1e308): a problem per cell at import, a note where a statistic is empty."""
from __future__ import annotations

import json

import numpy as np
import pytest

from clirun import coprod
from coprod.analysis.stats.common import unusable_notes

DEFINITION = """\
id: mini
title: Mini
version: "1"
languages: [en]
respondent_id: id
choices:
  grp: {options: {1: A, 2: B}}
sections:
  - id: s1
    title: S
    questions:
      - {name: g, type: single, text: Group, choices: grp}
      - {name: q1, type: decimal, text: Q1}
"""
BAD = {3: "inf", 4: "1e308", 5: "-inf"}


@pytest.fixture
def files(tmp_path):
    d = tmp_path / "d.yaml"
    d.write_text(DEFINITION)
    rows = ["id,g,q1"] + [f"{i},{1 + i % 2},{BAD.get(i, i % 7)}" for i in range(1, 301)]
    data = tmp_path / "inf.csv"
    data.write_text("\n".join(rows) + "\n")
    return d, data


def test_each_cell_is_a_problem_at_import(files, tmp_path):
    d, data = files
    report = tmp_path / "problems.csv"
    r = coprod("import", "-i", d, data, "--report", report)
    assert r.code == 0, r.err
    assert "not_finite         3" in r.out
    import pandas as pd

    probs = pd.read_csv(report)
    got = probs[probs["problem"] == "not_finite"]
    assert got["row"].tolist() == [3, 4, 5] and got["variable"].tolist() == ["q1"] * 3


def test_cleaned_data_have_them_missing(files, tmp_path):
    d, data = files
    out = tmp_path / "clean.csv"
    assert coprod("import", "-i", d, data, "-o", out).code == 0
    import pandas as pd

    q1 = pd.read_csv(out, encoding="utf-8-sig")["q1"]
    assert q1.isna().sum() == 3 and np.isfinite(q1.dropna()).all()


@pytest.mark.parametrize("command", [("describe", "--items", "q1"), ("compare", "--items", "q1", "--by", "g")])
def test_statistics_say_why_they_are_empty(files, command):
    d, data = files
    r = coprod(command[0], data, *command[1:])
    assert r.code == 0, r.err
    assert ("Variable q1 has 3 infinite or huge values (beyond ±1e+15): statistics that add them up (mean, SD, "
            "tests) are left empty; coprod import reports each cell.") in r.out


def test_the_note_names_only_affected_variables():
    import pandas as pd

    df = pd.DataFrame({"a": [1.0, np.inf], "b": [1.0, 2.0], "c": [-1e16, 0.0]})
    notes = unusable_notes(df)
    assert [n.split(" has ")[0] for n in notes] == ["Variable a", "Variable c"]
    assert json.dumps(notes)


def test_no_library_warning_is_printed_over_the_notes(files):
    """NumPy's overflow warnings are not printed by the command (its note says why the statistics are empty);
    with --debug they are."""
    command = ("compare", "--items", "q1", "--by", "g")
    import subprocess
    import sys
    from pathlib import Path

    d, data = files
    exe = str(Path(sys.executable).with_name("coprod"))
    quiet = subprocess.run([exe, command[0], str(data), *command[1:]], capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0, quiet.stderr
    assert "Warning" not in quiet.stderr and "infinite or huge values" in quiet.stdout
    loud = subprocess.run([exe, "--debug", command[0], str(data), *command[1:]], capture_output=True, text=True,
                          timeout=300)
    assert loud.returncode == 0 and "RuntimeWarning" in loud.stderr
