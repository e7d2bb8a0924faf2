"""SPSS/Stata reading and writing: real files from other writers, round trips, PSPP reading our output."""
from __future__ import annotations

import subprocess

import numpy as np
import pandas as pd
import pytest

from coprod.analysis import load_responses, write_responses
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import DataError, OutputExistsError
from io_helpers import SPSS_DIR, make_instrument, need_pspp, sha, spss_file


def test_every_shared_file_loads_or_fails_cleanly():
    if not SPSS_DIR.exists():
        pytest.skip("shared SPSS files not available")
    files = sorted(p for p in SPSS_DIR.iterdir() if p.suffix in (".sav", ".zsav", ".por"))
    assert files
    for p in files:
        before = sha(p)
        try:
            r = load_responses(p)
        except DataError as exc:
            assert str(p) in str(exc) and "\n" not in str(exc)
            continue
        assert len(r.data) > 0 and r.sources == [str(p)]
        assert sha(p) == before


def test_every_shared_file_writes_back(tmp_path):
    """Each real file, written by us as .sav, reads back with the same names, values and labels."""
    if not SPSS_DIR.exists():
        pytest.skip("shared SPSS files not available")
    for p in sorted(SPSS_DIR.glob("*.*sav")) + sorted(SPSS_DIR.glob("*.por")):
        r = load_responses(p)
        back = load_responses(write_responses(r, tmp_path / f"{p.stem}.sav", force=True))
        assert list(back.data.columns) == list(r.data.columns), p.name
        for c in r.data.columns:
            if pd.api.types.is_float_dtype(r.data[c]):
                np.testing.assert_array_equal(back.data[c].to_numpy(), r.data[c].to_numpy(), err_msg=f"{p.name} {c}")
        assert back.value_labels == r.value_labels and back.missing_codes == r.missing_codes, p.name
        assert back.missing_ranges == r.missing_ranges, p.name
        for ext in ("csv", "xlsx", "dta"):
            assert len(load_responses(write_responses(r, tmp_path / f"{p.stem}.{ext}", force=True)).data) == len(r.data)


def test_sample_missing_ranges_and_codes():
    r = load_responses(spss_file("sample_missing.sav"))
    assert r.missing_ranges["mynum"] == ((2000.0, 3000.0),)
    assert r.missing_codes["mynum"] == (-1.0,)
    assert r.missing_codes["myord"] == (-1.0, -2.0, -3.0)
    assert r.value_labels["mylabl"] == {-1.0: "undetermined", 1.0: "Male", 2.0: "Female"}
    assert r.measure["myord"] == "ordinal"
    # codes stay in the data; valid() masks them
    assert (r.data["mynum"] == -1).any() or r.data["mynum"].between(2000, 3000).any()
    assert r.valid(["mynum"])["mynum"].between(2000, 3000).sum() == 0


def test_string_missing_codes_and_cp1252():
    r = load_responses(spss_file("missing_char.sav"))
    assert r.missing_codes["mychar"] == ("Z",)
    assert r.value_labels["mychar"] == {"a": "labeled"}
    r2 = load_responses(spss_file("missing_test.sav"))
    assert r2.missing_codes["var1"] == (1.0,) and r2.value_labels["var1"] == {1.0: "missing"}


def test_unicode_names_and_ranges_plus_codes():
    assert list(load_responses(spss_file("hebrews.sav")).data.columns) == ["ותק_ב"]
    t = load_responses(spss_file("tegulu.sav"))
    assert t.variable_labels["record"] == "record : Record number"
    a = load_responses(spss_file("simple_alltypes.sav"))
    assert a.missing_ranges["z"] == ((-999.0, 0.0),) and a.missing_codes["z"] == (999.0,)
    assert a.missing_codes["x"] == (7.0, 8.0, 99.0)
    assert a.value_labels["x"] == {1.0: "red", 2.0: "green", 3.0: "blue"}


def test_sav_zsav_por_same_values():
    sav = load_responses(spss_file("sample.sav")).data
    zsav = load_responses(spss_file("sample.zsav")).data
    por = load_responses(spss_file("sample.por")).data
    pd.testing.assert_frame_equal(sav, zsav)
    np.testing.assert_allclose(sav["mynum"], por["MYNUM"])
    assert load_responses(spss_file("test_width.sav")).value_labels["Finished"] == {1.0: "False", 2.0: "True"}


def test_renamed_sav_is_read_by_content(tmp_path):
    src = spss_file("sample.sav")
    fake = tmp_path / "looks_like.xlsx"
    fake.write_bytes(src.read_bytes())
    r = load_responses(fake)
    assert len(r.data) == 5 and any("read as sav: the file's content, not its name" in n for n in r.notes)


def _labelled(tmp_path):
    inst, _ = make_instrument(tmp_path)
    df = pd.DataFrame({"resp_id": [1.0, 2.0, 3.0], "role": [1.0, 2.0, -9.0], "years": [4.0, np.nan, 7.0],
                       "tools_1": [1.0, 0.0, np.nan], "tools_2": [0.0, 1.0, np.nan], "tools_3": [1.0, 1.0, np.nan],
                       "comment": ["=1+1", "Hyvä, ok", ""], "fa1": [5.0, -8.0, 3.0], "fa2": [1.0, 2.0, 3.0],
                       "fa3": [2.0, 2.0, 2.0]})
    from coprod.analysis.data.io import conform

    r = conform(Responses(df), inst)
    return inst, r


def test_sav_round_trip_keeps_labels(tmp_path):
    inst, r = _labelled(tmp_path)
    out = write_responses(r, tmp_path / "out.sav")
    back = load_responses(out)
    pd.testing.assert_frame_equal(back.data[["role", "fa1"]], r.data[["role", "fa1"]])
    assert back.data["comment"].tolist() == ["=1+1", "Hyvä, ok", ""]
    assert back.variable_labels["fa1"] == "I explain my decisions."
    assert back.value_labels["fa1"][4.0] == "Agree" and back.value_labels["fa1"][-8.0] == "Don't know"
    assert back.missing_codes["fa1"] == (-8.0, -9.0)
    assert back.measure["fa1"] == "ordinal" and back.measure["years"] == "scale"
    assert back.value_labels["tools_1"] == {0.0: "Not selected", 1.0: "Selected"}
    with pytest.raises(OutputExistsError):
        write_responses(r, out)
    write_responses(r, out, force=True)


def test_dta_csv_xlsx_writers(tmp_path):
    inst, r = _labelled(tmp_path)
    dta = load_responses(write_responses(r, tmp_path / "o.dta"))
    assert dta.data["fa1"].tolist() == [5.0, -8.0, 3.0] and dta.value_labels["fa1"][5.0] == "Strongly agree"
    csv = write_responses(r, tmp_path / "o.csv")
    text = csv.read_text(encoding="utf-8-sig")
    assert "'=1+1" in text and "\r\n5,-8,3" not in text
    assert text.splitlines()[1].startswith("1,1,4,1,0,1,'=1+1,5,1,2")
    import openpyxl

    x = write_responses(r, tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(x)["Data"]
    assert ws["G2"].value == "=1+1" and ws["G2"].data_type == "s"
    assert ws["B4"].value == -9
    back = load_responses(x, inst)
    assert back.data["fa1"].tolist() == [5.0, -8.0, 3.0]


def test_pspp_reads_our_sav(tmp_path):
    exe = need_pspp()
    inst, r = _labelled(tmp_path)
    out = write_responses(r, tmp_path / "clean.sav")
    sps = tmp_path / "d.sps"
    sps.write_text(f"GET FILE='{out}'.\nDISPLAY DICTIONARY.\n", encoding="utf-8")
    res = subprocess.run([exe, "-O", "format=txt", "-o", str(tmp_path / "dict.txt"), str(sps)],
                         capture_output=True, text=True, timeout=120)
    text = (tmp_path / "dict.txt").read_text(encoding="utf-8", errors="replace")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "I explain my decisions." in text
    assert "Strongly agree" in text and "Don't know" in text
    assert "-8; -9" in text and "Ordinal" in text and "F8.0" in text


def test_wrongly_declared_encoding_is_retried(tmp_path):
    """A .sav that says UTF-8 but holds windows-1252 text (as some older writers produce)."""
    import pyreadstat

    pyreadstat.write_sav(pd.DataFrame({"name": ["Mäki", "Ok"]}), str(tmp_path / "ok.sav"))
    raw = (tmp_path / "ok.sav").read_bytes()
    assert raw.count("Mäki".encode()) == 1
    bad = tmp_path / "bad.sav"
    bad.write_bytes(raw.replace("Mäki".encode(), "Mäki ".encode("cp1252")))
    with pytest.raises(Exception):
        pyreadstat.read_sav(str(bad))
    r = load_responses(bad)
    assert r.data["name"].str.strip().tolist() == ["Mäki", "Ok"]
    assert r.notes == ["bad.sav: text decoded as windows-1252 (the file's declared encoding failed)"]


def test_sav_with_a_date_past_9999_is_read_with_that_cell_reported(tmp_path):
    """One date no calendar holds (a real file has one): the file is read, the cell reported and missing."""
    import datetime as dt

    import pyreadstat

    from coprod.analysis.data.importer import import_responses

    secs = (dt.datetime(2014, 9, 23, 15, 59, 20) - dt.datetime(1582, 10, 14)).total_seconds()
    df = pd.DataFrame({"when": [6.30615006720e12, secs], "day": [secs, secs], "n": [1.0, 2.0]})
    path = tmp_path / "dates.sav"
    pyreadstat.write_sav(df, str(path), variable_format={"when": "DATETIME20", "day": "ADATE10"})
    with pytest.raises(OverflowError):  # what pyreadstat alone does with this file
        pyreadstat.read_sav(str(path))
    res = import_responses([path])
    d = res.responses.data
    assert pd.isna(d["when"][0]) and d["when"][1] == pd.Timestamp("2014-09-23 15:59:20")
    assert d["day"].tolist() == [dt.date(2014, 9, 23)] * 2 and d["n"].tolist() == [1.0, 2.0]
    t = res.report.table
    assert t[["file", "row", "variable", "problem"]].values.tolist() == [["dates.sav", 1, "when", "not_date"]]
    assert t["value"][0] == "6306150067200"
