"""The `codebook` of themes in a definition: parsed, checked with line numbers, in the schema and the docs."""
from __future__ import annotations

import json
import textwrap

import pytest

from coprod import instrument
from coprod.instrument.schema import json_schema
from coprod.instrument.themes import THEME_KEYS, themes_for

BASE = textwrap.dedent("""\
    id: demo
    title: {en: Demo, fi: Demo}
    version: "1"
    languages: [en, fi]
    sections:
      - id: s1
        title: {en: One, fi: Yksi}
        questions:
          - name: rating
            type: integer
            text: {en: Rating?, fi: Arvosana?}
          - name: story
            type: longtext
            text: {en: Tell us., fi: Kerro.}
          - name: other
            type: text
            text: {en: Other?, fi: Muu?}
""")


def _check(codebook: str):
    return instrument.check_text(BASE + textwrap.dedent(codebook), "def.yaml")


def _messages(rep) -> list[str]:
    return [f"{p.line}: {p.message}" for p in rep.problems]


def test_themes_parsed_with_defaults():
    rep = _check("""\
        codebook:
          - code: trust
            label: {en: Trust, fi: Luottamus}
            description: {en: Trust in others., fi: Luottamus muihin.}
          - code: low_trust
            parent: trust
            label: {en: Low trust, fi: Vähäinen luottamus}
            questions: [story, other]
        """)
    assert rep.ok, _messages(rep)
    t1, t2 = rep.instrument.themes
    assert (t1.code, t1.parent, t1.questions, t1.line) == ("trust", None, ("story",), 19)
    assert t1.label_in("fi") == "Luottamus" and t1.description_in("en") == "Trust in others."
    assert (t2.code, t2.parent, t2.questions) == ("low_trust", "trust", ("story", "other"))
    assert [t.code for t in themes_for(rep.instrument, "other")] == ["low_trust"]


def test_without_codebook_no_themes():
    rep = instrument.check_text(BASE, "def.yaml")
    assert rep.ok and rep.instrument.themes == ()


def test_every_problem_with_its_line():
    rep = _check("""\
        codebook:
          - code: trust
            label: {en: Trust}
          - code: trust
            label: {en: Again, fi: Taas}
          - code: ideas
            label: {en: Ideas, fi: Ideat}
            questions: [story, nosuch, rating]
          - code: kid
            parent: orphan
            label: {en: Kid, fi: Lapsi}
          - code: 1bad
            label: {en: Bad, fi: Huono}
          - code: loop1
            parent: loop2
            label: {en: L1, fi: L1}
          - code: loop2
            parent: loop1
            label: {en: L2, fi: L2}
            colour: red
        """)
    assert not rep.ok
    assert _messages(rep) == [
        "20: codebook theme 'trust' label: missing fi translation",
        "21: codebook: code 'trust' is used twice (first on line 19)",
        "25: codebook theme 'ideas': unknown question 'nosuch'",
        "25: codebook theme 'ideas': question 'rating' is integer; themes apply to open questions (text, longtext)",
        "26: codebook theme 'kid': unknown parent 'orphan'",
        "29: codebook theme '1bad': '1bad' is not a safe variable name (a letter, then letters, digits or _; at most 32)",
        "31: codebook theme 'loop1': its parents lead back to itself",
        "34: codebook theme 'loop2': its parents lead back to itself",
        "37: unknown key 'colour' in a codebook theme (allowed: code, description, label, parent, questions)",
    ]


def test_codebook_not_a_list():
    rep = _check("codebook: {trust: Trust}\n")
    assert _messages(rep) == ["18: codebook: expected a list of themes (- code: ..., label: ...)"]


def test_cli_check_reports_codebook_lines(tmp_path):
    from typer.testing import CliRunner

    from coprod.cli import app

    p = tmp_path / "def.yaml"
    p.write_text(BASE + "codebook:\n  - code: x\n    label: {en: X, fi: X}\n    questions: [nosuch]\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["check", str(p)])
    assert res.exit_code == 2
    assert f"{p}:21: codebook theme 'x': unknown question 'nosuch'" in res.output


def test_builtin_codebook_clean_and_translated():
    rep = instrument.check(instrument.builtin_path())
    assert rep.ok and rep.problems == []
    inst = rep.instrument
    codes = [t.code for t in inst.themes]
    for must in ("unclear_resp", "role_conflict", "discretion", "trust", "burden", "support"):
        assert must in codes
    opens = {q.name for q in inst.questions if q.type == "longtext"}
    covered = {q for t in inst.themes for q in t.questions}
    assert covered == opens  # every open question has themes
    for t in inst.themes:
        assert set(t.label) == {"en", "fi", "sv"} and set(t.description) == {"en", "fi", "sv"}
        assert t.parent is None or t.parent in codes


def test_schema_validates_codebook():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    tree = yaml.safe_load(instrument.builtin_text())
    jsonschema.validate(json.loads(json.dumps(tree, default=str)), json_schema())
    tree["codebook"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(json.dumps(tree, default=str)), json_schema())


def test_docs_describe_every_theme_key():
    doc = (instrument.builtin_path().parents[2] / "docs" / "definition-format.md")
    if not doc.exists():
        pytest.skip("documentation not shipped with this installation")
    text = doc.read_text(encoding="utf-8")
    for key in THEME_KEYS:
        assert f"`{key}`" in text
