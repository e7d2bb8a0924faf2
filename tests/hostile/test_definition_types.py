"""Values of the wrong type in a definition: one problem per field, with its line; never accepted, never a crash."""
from __future__ import annotations

import pytest

from clirun import coprod
from coprod.instrument import check_text

BASE = """\
id: mini
title: Mini
version: "1.0"
languages: [en]
choices:
  agree5:
    options: {1: No, 2: Yes}
    ordered: true
sections:
  - id: s1
    title: S
    questions:
      - name: q1
        type: likert
        text: Q
        choices: agree5
        required: false
"""


def _errors(old: str, new: str) -> list[str]:
    assert old in BASE
    rep = check_text(BASE.replace(old, new, 1), "d.yaml")
    assert not rep.ok and rep.instrument is None
    return [f"{p.line}: {p.message}" for p in rep.errors]


def test_the_base_is_valid():
    assert check_text(BASE, "d.yaml").ok


@pytest.mark.parametrize("value, got", [
    ("[1, 2]", "a list"), ("{a: 1}", "a mapping"), (".nan", "the number nan"), ("null", "nothing (empty)"),
    ("true", "true/false"),
])
def test_version_of_the_wrong_type(value, got):
    assert _errors('version: "1.0"', f"version: {value}") == [f"3: version: expected a text or a whole number, got {got}"]


def test_version_as_a_decimal_number_says_to_quote_it():
    assert _errors('version: "1.0"', "version: 1.10") == [
        '3: version: expected a text or a whole number, got the number 1.1 (put it in quotes, e.g. "1.10", '
        "so that it is kept as written)"]


def test_infinite_version_is_refused():
    errors = _errors('version: "1.0"', "version: .inf")
    assert len(errors) == 1 and errors[0].startswith("3: version: ")


def test_whole_number_version_is_accepted():
    rep = check_text(BASE.replace('version: "1.0"', "version: 3"), "d.yaml")
    assert rep.ok and rep.instrument.version == "3"


def test_ordered_as_a_mapping():
    assert _errors("ordered: true", "ordered: {a: 1}") == [
        "8: choice list 'agree5' ordered: expected true or false, got a mapping"]


def test_ordered_as_text():
    assert _errors("ordered: true", "ordered: 'yes'") == [
        "8: choice list 'agree5' ordered: expected true or false, got the text 'yes'"]


def test_question_type_as_a_list_is_one_problem():
    assert _errors("type: likert", "type: [likert]") == [
        "14: question 'q1' type: expected one of single, multiple, likert, integer, decimal, text, longtext, date, "
        "note, got a list"]


def test_required_as_a_mapping_is_one_problem():
    assert _errors("required: false", "required: {x: 1}") == [
        "17: question 'q1' required: expected true or false, got a mapping"]


def test_min_not_finite():
    errors = _errors("required: false", "required: false\n        min: .nan")
    assert errors[0] == "18: question 'q1' min: expected a finite number, got nan"


def test_probes_as_text_are_refused():
    errors = _errors("required: false", "required: false\n        probes: why")
    assert errors == ["18: question 'q1' probes: expected a list, got the text 'why'"]


def test_several_wrong_fields_each_once():
    text = BASE.replace('version: "1.0"', "version: [1]").replace("ordered: true", "ordered: {a: 1}")
    text = text.replace("type: likert", "type: {a: b}")
    lines = [p.line for p in check_text(text, "d.yaml").errors]
    assert lines == [3, 8, 14]


def test_cli_prints_no_nan_and_exits_2(tmp_path):
    p = tmp_path / "mini.yaml"
    p.write_text(BASE.replace('version: "1.0"', "version: .nan"))
    r = coprod("info", p)
    assert r.code == 2 and "nan" not in r.out
    assert "version: expected a text or a whole number" in r.err
    p.write_text(BASE.replace("type: likert", "type: [likert]"))
    r = coprod("check", p)
    assert r.code == 2 and "Traceback" not in r.err and "internal error" not in r.err
