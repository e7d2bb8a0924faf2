"""write_forms and the `coprod forms` command: file set, options, no overwriting, speed on a large definition."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from coprod.instrument.errors import OptionError, OutputExistsError
from coprod.instrument.forms import KINDS, write_forms
from test_forms_fixtures import large, small
from conftest import no_hang


def test_all_kinds_all_languages(tmp_path):
    names = sorted(p.name for p in write_forms(small(), tmp_path))
    assert names == sorted([
        "questionnaire_en.xlsx", "questionnaire_fi.xlsx", "entry.xlsx", "entry_fi.xlsx", "xlsform.xlsx",
        "codebook_en.xlsx", "codebook_en.html", "codebook_fi.xlsx", "codebook_fi.html", "ddi_en.xml", "ddi_fi.xml",
        "template.sav", "labels.sps", "labels_fi.sps", "interview_guide_en.docx", "interview_guide_en.md",
        "interview_guide_fi.docx", "interview_guide_fi.md", "cfa.R"])
    assert sorted(p.name for p in tmp_path.iterdir()) == names  # no temporary files left
    assert KINDS == ("questionnaire", "entry", "xlsform", "codebook", "ddi", "spss", "guide", "lavaan")


def test_group_and_language_choice(tmp_path):
    written = write_forms(small(), tmp_path, langs=["fi"], group="volunteer", kinds=["questionnaire", "guide", "entry"])
    assert [p.name for p in written] == ["questionnaire_fi_volunteer.xlsx", "entry_fi.xlsx",
                                         "interview_guide_fi_volunteer.docx", "interview_guide_fi_volunteer.md"]
    ws = openpyxl.load_workbook(tmp_path / "questionnaire_fi_volunteer.xlsx").active
    texts = [c.value for c in ws["C"] if c.value]
    assert "Vapaaehtoisena minun odotetaan perustelevan päätökseni." in texts


@pytest.mark.parametrize("kw, message", [
    ({"langs": ["se"]}, "--lang: 'se' is not a language of small-test (allowed: en, fi)"),
    ({"group": "boss"}, "--group: 'boss' is not a respondent group of small-test (allowed: professional, volunteer)"),
    ({"kinds": ["pdf"]}, "--kind: 'pdf' is not a kind of form (allowed: questionnaire, entry, xlsform, codebook, ddi, spss, guide, lavaan)"),
])
def test_bad_options(tmp_path, kw, message):
    """The library names its argument; the command line shows the flag (errors.error_lines with cli.FLAGS)."""
    from coprod.cli import FLAGS
    from coprod.instrument.errors import error_lines

    with pytest.raises(OptionError) as err:
        write_forms(small(), tmp_path, **kw)
    assert err.value.param == next(iter(kw))
    assert error_lines(err.value, FLAGS) == [message]
    assert not any(tmp_path.iterdir())


def test_existing_file_stops_the_whole_set(tmp_path):
    (tmp_path / "ddi_fi.xml").write_text("mine")
    with pytest.raises(OutputExistsError, match="ddi_fi.xml"):
        write_forms(small(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["ddi_fi.xml"] and (tmp_path / "ddi_fi.xml").read_text() == "mine"
    write_forms(small(), tmp_path, kinds=["ddi"], force=True)
    assert (tmp_path / "ddi_fi.xml").read_text().startswith("<?xml")


def test_cli(tmp_path, cli):
    proc = cli("forms", "--out", "f", "--lang", "sv", "--kind", "ddi", "--kind", "xlsform", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"wrote {Path('f') / 'xlsform.xlsx'}", f"wrote {Path('f') / 'ddi_sv.xml'}"]
    proc = cli("forms", "--out", "f", "--lang", "sv", "--kind", "ddi", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: ") and "exists already" in proc.stderr
    assert len(proc.stderr.splitlines()) == 1
    proc = cli("forms", "--out", "f", "--group", "nobody", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --group: 'nobody'")


@pytest.mark.slow
def test_large_definition_is_fast(tmp_path):
    inst = large()
    with no_hang():
        written = write_forms(inst, tmp_path)
    assert len(written) == 27
    wb = openpyxl.load_workbook(tmp_path / "entry.xlsx")
    assert wb["Data"].max_column == 1 + len(inst.variables)
    assert len(wb["Data"].data_validations.dataValidation) == 1 + len(inst.variables)


def test_forms_do_not_rescan_a_sheet_per_row(tmp_path, monkeypatch):
    """openpyxl's ``Worksheet.max_row`` scans every cell of the sheet: asked once per written row it made the
    XLSForm of a real 6,000-row form take two minutes. Writing the forms of a 300-question definition asks it
    a bounded number of times, not once per row."""
    from openpyxl.worksheet.worksheet import Worksheet

    calls = []
    scan = Worksheet.max_row.fget
    monkeypatch.setattr(Worksheet, "max_row", property(lambda ws: calls.append(1) or scan(ws)))
    write_forms(large(), tmp_path, kinds=["questionnaire", "entry", "xlsform", "codebook"])
    assert len(calls) < 50, len(calls)
