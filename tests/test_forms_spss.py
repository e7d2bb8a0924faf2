"""SPSS template and syntax, checked with pyreadstat and run through GNU PSPP."""
from __future__ import annotations

import math
import shutil
import subprocess

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from coprod import instrument
from coprod.instrument.forms.spss import quote, syntax, write_syntax, write_template
from test_forms_fixtures import SMALL, small

needs_pspp = pytest.mark.skipif(shutil.which("pspp") is None, reason="GNU PSPP is not installed")


def test_template_dictionary(tmp_path):
    inst = small()
    path = write_template(inst, tmp_path / "template.sav")
    df, meta = pyreadstat.read_sav(str(path), user_missing=True)
    assert len(df) == 0
    assert list(df.columns) == ["resp_id"] + [v.name for v in inst.variables]
    fmt = meta.original_variable_types
    assert fmt["role"] == "F2.0" and fmt["tools_1"] == "F1.0" and fmt["spend"] == "F8.2" and fmt["hours"] == "F8.0"
    assert fmt["start"] == "DATE11" and fmt["comment"] == "A255" and fmt["story"] == "A4000" and fmt["resp_id"] == "A64"
    assert meta.column_names_to_labels["tools_2"] == "Tools: Meetings, workshops"
    assert meta.variable_value_labels["fa1"] == {1.0: "Strongly disagree", 2.0: "Disagree", 3.0: "Neutral", 4.0: "Agree",
                                                 5.0: "Strongly agree", -8.0: "Don't know", -9.0: "No answer"}
    assert sorted(r["lo"] for r in meta.missing_ranges["fa1"]) == [-9.0, -8.0]
    assert meta.variable_measure["fa1"] == "ordinal" and meta.variable_measure["spend"] == "scale"
    assert meta.variable_measure["role"] == "nominal"


def test_labels_are_cut_to_spss_limits_on_character_boundaries(tmp_path):
    long = "Väittämä " + "ä" * 300
    text = SMALL.replace("label: {en: Role, fi: Rooli}", f"label: {{en: Role, fi: {long}}}") \
                .replace("1: {en: Email, fi: Sähköposti}", f"1: {{en: Email, fi: {'ö' * 100}}}")
    rep = instrument.check_text(text, "long.yaml")
    assert rep.ok, rep.problems
    path = write_template(rep.instrument, tmp_path / "t.sav", lang="fi")
    _, meta = pyreadstat.read_sav(str(path))
    label = meta.column_names_to_labels["role"]
    assert len(label.encode()) <= 256 and long.startswith(label) and len(label.encode()) >= 255
    sps = syntax(rep.instrument, "fi")
    assert "'Väittämä " + "ä" * 71 + "'\n    + 'ää" in sps  # split into pieces joined with +


def test_quote():
    assert quote("Don't") == "'Don''t'"
    assert quote("a\nb") == "'a b'"


def test_syntax_text():
    sps = syntax(small())
    assert "RECODE fa3 (1=5) (2=4) (3=3) (4=2) (5=1) (ELSE=COPY) INTO fa3_r." in sps
    assert "COMPUTE felt_acc = MEAN.2(fa1, fa2, fa3_r)." in sps
    assert "RELIABILITY\n  /VARIABLES=fa1 fa2 fa3_r\n  /SCALE('Felt accountability') ALL\n  /MODEL=ALPHA\n  /SUMMARY=TOTAL." in sps
    assert "  /fa1 (-9, -8)" in sps and "-8 'Don''t know'" in sps


def _run_pspp(tmp_path, commands: str) -> str:
    script = tmp_path / "run.sps"
    script.write_text(commands, encoding="utf-8")
    proc = subprocess.run(["pspp", "-O", "format=txt", "-o", str(tmp_path / "out.txt"), str(script)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    out = (tmp_path / "out.txt").read_text(encoding="utf-8", errors="replace") if (tmp_path / "out.txt").exists() else ""
    log = proc.stdout + proc.stderr + out
    assert proc.returncode == 0, log
    assert "error" not in log.lower() and "warning" not in log.lower(), log
    return out


@needs_pspp
def test_pspp_labels_data_and_scores(tmp_path):
    inst = small()
    write_syntax(inst, tmp_path / "labels.sps")
    data = pd.DataFrame({
        "resp_id": ["a1", "a2", "a3", "a4"],
        "role": [1.0, 2.0, 1.0, -9.0],
        "tools_1": [1.0, 0.0, 1.0, 0.0], "tools_2": [0.0, 1.0, 1.0, 0.0], "tools_3": [0.0, 0.0, 1.0, 0.0],
        "spend": [np.nan, 12.5, 3.0, np.nan],
        "start": pd.to_datetime(["2020-01-31", "2021-06-01", None, "2019-12-24"]),
        "hours": [38.0, np.nan, -9.0, np.nan],
        "fa1": [4.0, 5.0, 3.0, 2.0],
        "fa2": [5.0, -8.0, -9.0, 4.0],
        "fa3": [2.0, 1.0, -8.0, np.nan],
        "story": ["It's fine", "", "", ""], "comment": ["", "", "", ""], "supervise": ["", "", "", ""],
    })
    pyreadstat.write_sav(data, str(tmp_path / "raw.sav"))
    out = _run_pspp(tmp_path, 'GET FILE="raw.sav".\nINSERT FILE="labels.sps".\nSAVE OUTFILE="labelled.sav".\n')
    assert "Reliability" in out or "Cronbach" in out
    df, meta = pyreadstat.read_sav(str(tmp_path / "labelled.sav"), user_missing=True)
    assert meta.column_names_to_labels["fa3_r"] == "Nobody follows up on what I do. (reversed)"
    assert meta.column_names_to_labels["felt_acc"] == "Felt accountability"
    assert meta.variable_value_labels["role"] == {1.0: "Professional", 2.0: "Volunteer", -9.0: "No answer"}
    assert sorted(r["lo"] for r in meta.missing_ranges["fa3_r"]) == [-9.0, -8.0]
    assert meta.variable_measure["felt_acc"] == "scale" and meta.variable_measure["fa1"] == "ordinal"
    # reverse coding keeps missing codes; scores by hand: mean of valid items, at least 2 valid
    assert str(df["start"][0])[:10] == "2020-01-31" and meta.original_variable_types["start"] == "DATE11"
    assert df["fa3_r"].tolist()[:3] == [4.0, 5.0, -8.0] and math.isnan(df["fa3_r"][3])
    assert df["felt_acc"][0] == pytest.approx((4 + 5 + 4) / 3)
    assert df["felt_acc"][1] == pytest.approx((5 + 5) / 2)  # fa2 = -8 is missing
    assert math.isnan(df["felt_acc"][2])  # only fa1 valid
    assert df["felt_acc"][3] == pytest.approx((2 + 4) / 2)


@needs_pspp
def test_pspp_reads_template_and_runs_syntax(tmp_path):
    inst = instrument.builtin()
    write_template(inst, tmp_path / "template.sav")
    write_syntax(inst, tmp_path / "labels.sps", lang="fi")
    out = _run_pspp(tmp_path, 'GET FILE="template.sav".\nDISPLAY DICTIONARY.\nINSERT FILE="labels.sps".\n'
                              'SAVE OUTFILE="out.sav".\n')
    assert inst.respondent_id in out
    df, meta = pyreadstat.read_sav(str(tmp_path / "out.sav"))
    assert len(df) == 0 and set(inst.scales) <= set(df.columns)
    first = inst.variables[0]
    assert meta.column_names_to_labels[first.name] == first.label.get("fi", first.label.get(inst.default_language))[:256]
