"""`coprod import` and `coprod score` as a user runs them: exit codes, summaries, files, combining files."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis import import_responses, load_responses
from io_helpers import make_instrument, sha


@pytest.fixture()
def setup(tmp_path):
    inst, yaml_path = make_instrument(tmp_path)
    return inst, yaml_path


def _write_csv(path, rows, header="resp_id,role,years,tools_1,tools_2,tools_3,comment,fa1,fa2,fa3"):
    path.write_text(header + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


CLEAN = ["1,1,10,1,0,0,fine,5,4,2", "2,2,3,0,1,0,,,,", "3,3,,0,0,1,hi,,,"]
DIRTY = ["1,1,10,1,0,0,fine,5,4,2", "2,2,75,0,1,0,,,,", "3,3,4,0,0,1,=cmd,6,,"]


def test_import_clean_file(setup, tmp_path, cli):
    inst, yml = setup
    data = _write_csv(tmp_path / "wave1.csv", CLEAN)
    before = sha(data)
    r = cli("import", data, "--instrument", yml, "--out", tmp_path / "clean.sav")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == "read 1 file: 3 rows, 10 variables"
    assert "checked against import-test 1.0: no problems" in r.stdout
    assert "scored 1 scale: felt_acc" in r.stdout
    assert f"wrote {tmp_path / 'clean.sav'}: 3 rows, 11 variables" in r.stdout
    assert sha(data) == before
    back = load_responses(tmp_path / "clean.sav")
    assert back.data["felt_acc"].tolist()[0] == pytest.approx((5 + 4 + 4) / 3)
    # an existing output needs --force
    r2 = cli("import", data, "-i", yml, "--out", tmp_path / "clean.sav")
    assert r2.returncode == 2 and r2.stderr.strip() == f"error: {tmp_path / 'clean.sav'}: exists already (use --force to replace it)"
    assert cli("import", data, "-i", yml, "--out", tmp_path / "clean.sav", "--force").returncode == 0


def test_problems_are_cleared_and_reported(setup, tmp_path, cli):
    inst, yml = setup
    data = _write_csv(tmp_path / "d.csv", DIRTY)
    r = cli("import", data, "-i", yml, "--out", tmp_path / "o.csv", "--report", tmp_path / "problems.xlsx")
    assert r.returncode == 0, r.stderr
    assert "checked against import-test 1.0: 3 problems" in r.stdout
    lines = {ln.split()[0]: int(ln.split()[1]) for ln in r.stdout.splitlines() if ln.startswith("  ")}
    assert lines == {"invalid_code": 1, "not_asked": 1, "out_of_range": 1}
    out = pd.read_csv(tmp_path / "o.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert out["years"].tolist() == ["10", "", ""]      # 75 out of range, 4 not asked of role 3
    assert out["fa1"].tolist() == ["5", "", ""]         # 6 is not a code
    assert out["comment"].tolist() == ["fine", "", "'=cmd"]  # text can never become a formula
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "problems.xlsx")
    rows = list(wb["Problems"].iter_rows(values_only=True))
    assert rows[0][:5] == ("file", "row", "respondent_id", "variable", "problem")
    assert ("d.csv", 2, 2, "years", "out_of_range", 75) in [r[:6] for r in rows]


def test_strict_writes_no_data(setup, tmp_path, cli):
    inst, yml = setup
    data = _write_csv(tmp_path / "d.csv", DIRTY)
    r = cli("import", data, "-i", yml, "--out", tmp_path / "o.sav", "--report", tmp_path / "p.csv", "--strict")
    assert r.returncode == 1
    assert not (tmp_path / "o.sav").exists() and (tmp_path / "p.csv").exists()
    assert "not written (strict check: problems found)" in r.stdout
    clean = _write_csv(tmp_path / "c.csv", CLEAN)
    assert cli("import", clean, "-i", yml, "--out", tmp_path / "o.sav", "--strict").returncode == 0


@pytest.mark.parametrize("content,message", [(b"", "the file is empty"), (b"\x00\x01\x02garbage" * 50, "not a data file")])
def test_bad_file_one_line_error(setup, tmp_path, content, message, cli):
    inst, yml = setup
    bad = tmp_path / "bad.sav"
    bad.write_bytes(content)
    r = cli("import", bad, "-i", yml, "--out", tmp_path / "o.sav")
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.count("\n") == 1 and r.stderr.startswith(f"error: {bad}: ") and message in r.stderr
    assert not (tmp_path / "o.sav").exists()


def test_missing_file_and_output_over_input(setup, tmp_path, cli):
    inst, yml = setup
    r = cli("import", tmp_path / "none.csv", "-i", yml)
    assert r.returncode == 2 and "none.csv: no such file" in r.stderr
    data = _write_csv(tmp_path / "d.csv", CLEAN)
    r = cli("import", data, "-i", yml, "--out", data, "--force")
    assert r.returncode == 2 and "is one of the input files" in r.stderr
    assert sha(data) == sha(_write_csv(tmp_path / "again.csv", CLEAN))


def test_unknown_output_kind_fails_before_reading(setup, tmp_path, cli):
    inst, yml = setup
    data = _write_csv(tmp_path / "d.csv", CLEAN)
    r = cli("import", data, "-i", yml, "--out", tmp_path / "o.txt")
    assert r.returncode == 2 and r.stderr == f"error: {tmp_path / 'o.txt'}: cannot write .txt (use .sav, .zsav, .dta, .csv or .xlsx)\n"
    r = cli("import", data, "-i", yml, "--report", tmp_path / "r.json")
    assert r.returncode == 2 and "a report is written as .csv or .xlsx" in r.stderr


def test_combining_files(setup, tmp_path):
    inst, yml = setup
    import pyreadstat

    w1 = _write_csv(tmp_path / "professionals.csv", ["1,1,10,1,0,0,a,5,4,2", "2,1,4,0,1,0,b,3,3,3"])
    df2 = pd.DataFrame({"resp_id": [3.0, 4.0, 2.0], "role": [2.0, 3.0, 3.0], "years": [1.0, np.nan, np.nan],
                        "fa1": [np.nan] * 3, "fa2": [np.nan] * 3, "fa3": [np.nan] * 3, "extra": [1.0, 2.0, 1.0]})
    pyreadstat.write_sav(df2, str(tmp_path / "others.sav"), variable_value_labels={"extra": {1.0: "yes", 2.0: "no"}})
    w3 = tmp_path / "third.csv"
    w3.write_text("resp_id,role,extra\n5,3,1\n", encoding="utf-8")
    res = import_responses([w1, tmp_path / "others.sav", w3], inst, out=tmp_path / "all.sav")
    assert res.rows_read == res.rows_written == 6
    d = load_responses(tmp_path / "all.sav")
    assert d.data["source_file"].tolist() == [1.0, 1.0, 2.0, 2.0, 2.0, 3.0]
    assert d.value_labels["source_file"] == {1.0: "professionals.csv", 2.0: "others.sav", 3.0: "third.csv"}
    assert d.data["resp_id"].tolist() == [1.0, 2.0, 3.0, 4.0, 2.0, 5.0]
    t = res.report.table
    absent = t[t.problem == "absent_in_file"]
    assert set(zip(absent.file, absent.variable)) == {
        ("professionals.csv", "extra"), ("others.sav", "tools_1"), ("others.sav", "tools_2"), ("others.sav", "tools_3"),
        ("others.sav", "comment"), ("third.csv", "years"), ("third.csv", "tools_1"), ("third.csv", "tools_2"),
        ("third.csv", "tools_3"), ("third.csv", "comment"), ("third.csv", "fa1"), ("third.csv", "fa2"), ("third.csv", "fa3")}
    dup = t[t.problem == "duplicate_id"]
    assert sorted(zip(dup.file, dup.row)) == [("others.sav", 3), ("professionals.csv", 2)]


def test_ids_as_numbers_and_text_are_compared(setup, tmp_path):
    inst, yml = setup
    import pyreadstat

    pyreadstat.write_sav(pd.DataFrame({"resp_id": [1.0, 2.0], "role": [3.0, 3.0]}), str(tmp_path / "a.sav"))
    pyreadstat.write_sav(pd.DataFrame({"resp_id": ["B7", " 2"], "role": [3.0, 3.0]}), str(tmp_path / "b.sav"))
    res = import_responses([tmp_path / "a.sav", tmp_path / "b.sav"], inst, score_scales=False)
    dup = res.report.table[res.report.table.problem == "duplicate_id"]
    assert sorted(zip(dup.file, dup.row)) == [("a.sav", 2), ("b.sav", 2)]


def test_label_conflicts_between_files(tmp_path):
    import pyreadstat

    for name, lab in (("a.sav", "yes"), ("b.sav", "kyllä")):
        pyreadstat.write_sav(pd.DataFrame({"q": [1.0, 2.0]}), str(tmp_path / name), variable_value_labels={"q": {1.0: lab, 2.0: "no"}})
    res = import_responses([tmp_path / "a.sav", tmp_path / "b.sav"])
    t = res.report.table
    assert t[["file", "variable", "problem", "value"]].values.tolist() == [["b.sav", "q", "label_conflict", 1.0]]
    assert res.responses.value_labels["q"] == {1.0: "yes", 2.0: "no"}


def test_score_command(setup, tmp_path, cli):
    inst, yml = setup
    data = _write_csv(tmp_path / "d.csv", CLEAN)
    r = cli("score", data, "-i", yml, "--out", tmp_path / "s.xlsx", "--reverse-copies")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"wrote {tmp_path / 's.xlsx'}: 3 rows; scores: felt_acc"
    back = load_responses(tmp_path / "s.xlsx")
    assert back.data["felt_acc"][0] == pytest.approx(13 / 3) and back.data["fa3_r"][0] == 4.0
    r = cli("score", data, "-i", yml, "--out", tmp_path / "s2.sav", "--scale", "nope")
    assert r.returncode == 2 and r.stderr.startswith("error: no scale called nope")


def test_help_lists_the_commands(cli):
    r = cli("--help")
    assert "import" in r.stdout and "score" in r.stdout
