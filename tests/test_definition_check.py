"""`coprod check`: every kind of definition error is found, with its line number."""
from __future__ import annotations

import textwrap

import pytest

from coprod import instrument
from coprod.instrument.errors import DefinitionError
from conftest import no_hang

BASE = textwrap.dedent("""\
    id: demo
    title: {en: Demo, fi: Demo}
    version: "1"
    languages: [en, fi]
    missing:
      -9: {en: No answer, fi: Ei vastausta}
    groups:
      question: role
      codes: {staff: 1, client: 2}
    choices:
      role:
        options:
          1: {en: Staff, fi: Henkilöstö}
          2: {en: Client, fi: Asiakas}
      agree:
        top_box: [4, 5]
        options:
          1: {en: No, fi: Ei}
          2: {en: Rather no, fi: Tuskin}
          3: {en: Neutral, fi: Neutraali}
          4: {en: Rather yes, fi: Kyllä kai}
          5: {en: Yes, fi: Kyllä}
        missing:
          -8: {en: Don't know, fi: Eos}
      tools:
        options:
          1: {en: Forms, fi: Lomakkeet}
          2: {en: Meetings, fi: Kokoukset}
    sections:
      - id: s1
        title: {en: One, fi: Yksi}
        questions:
          - name: role
            type: single
            choices: role
            text: {en: Role?, fi: Rooli?}
          - name: years
            type: integer
            min: 0
            max: 60
            text: {en: Years?, fi: Vuotta?}
            relevant: role = 1
          - name: tools
            type: multiple
            choices: tools
            text: {en: Tools?, fi: Välineet?}
          - name: a1
            type: likert
            choices: agree
            text: {en: A1, fi: A1}
            variants:
              client: {en: A1 client, fi: A1 asiakas}
          - name: a2
            type: likert
            choices: agree
            text: {en: A2, fi: A2}
            relevant: selected(tools, 2)
          - name: a3
            type: likert
            choices: agree
            text: {en: A3, fi: A3}
    scales:
      sc:
        label: {en: Scale, fi: Asteikko}
        items: [a1, a2, a3]
        reverse: [a3]
        min_valid: 2
""")


def check(text: str):
    return instrument.check_text(text, "def.yaml")


def only_error(text: str):
    rep = check(text)
    assert not rep.ok
    return rep.errors


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth line containing needle (computed from the text, not from the code under test)."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if needle in line]
    return hits[nth - 1]


def test_base_is_clean():
    rep = check(BASE)
    assert rep.ok and rep.problems == []
    inst = rep.instrument
    assert [q.name for q in inst.questions] == ["role", "years", "tools", "a1", "a2", "a3"]
    assert [v.name for v in inst.variables] == ["role", "years", "tools_1", "tools_2", "a1", "a2", "a3"]
    assert inst.question("a1").missing_codes == (-8, -9)
    assert inst.question("years").missing_codes == (-9,)
    assert inst.question("a1").text_for("fi", "client") == "A1 asiakas"
    assert inst.question("a1").text_for("fi", "staff") == "A1"
    assert inst.scales["sc"].reverse == ("a3",)
    assert inst.question("a1").measure == "ordinal" and inst.question("years").measure == "scale"


@pytest.mark.parametrize("old,new,needle,message", [
    ("choices: agree\n        text: {en: A3", "choices: agrees\n        text: {en: A3", "choices: agrees", "unknown choice list 'agrees'"),
    ("- name: a3", "- name: A1", "- name: A1", "already used"),
    ("- name: a3", "- name: with", "- name: with", "SPSS reserved word"),
    ("- name: a3", "- name: a3_", "- name: a3_", "ends with an underscore"),
    ("- name: a3", "- name: 3a", "- name: 3a", "not a safe variable name"),
    ("relevant: role = 1", "relevant: role = = 1", "relevant: role = = 1", "cannot parse"),
    ("relevant: role = 1", "relevant: rolle = 1", "relevant: rolle = 1", "unknown question 'rolle'"),
    ("relevant: role = 1", "relevant: a3 = 1", "relevant: a3 = 1", "not asked before"),
    ("relevant: role = 1", "relevant: role = 7", "relevant: role = 7", "7 is not a code of 'role'"),
    ("relevant: selected(tools, 2)", "relevant: tools = 2", "relevant: tools = 2", "use selected"),
    ("reverse: [a3]", "reverse: [years]", "reverse: [years]", "not one of its items"),
    ("text: {en: A2, fi: A2}", "text: {en: A2, fi: ''}", "text: {en: A2, fi: ''}", "empty fi text"),
    ("text: {en: A2, fi: A2}", "text: {en: A2}", "text: {en: A2}", "missing fi translation"),
    ("text: {en: A2, fi: A2}", "text: {en: A2, fi: A2, sv: A2}", "text: {en: A2, fi: A2, sv: A2}", "'sv' is not declared"),
    ("languages: [en, fi]", "languages: [en, xx]", "languages: [en, xx]", "not an ISO 639-1"),
    ("type: integer", "type: number", "type: number", "unknown type 'number'"),
    ("max: 60", "max: -1", "min: 0", "min 0 is greater than max -1"),
    ("client: {en: A1 client", "clients: {en: A1 client", "- name: a1", "unknown group 'clients'"),
    ("codes: {staff: 1, client: 2}", "codes: {staff: 1, client: 5}", "codes: {staff", "code 5 of group 'client'"),
    ("min_valid: 2", "min_valid: 9", "min_valid: 9", "min_valid must be"),
    ("        text: {en: Tools?", "        txt: x\n        text: {en: Tools?", "txt: x", "unknown key 'txt'"),
    ("top_box: [4, 5]", "top_box: [4, 6]", "top_box: [4, 6]", "top_box code 6"),
    ("-8: {en: Don't know", "4: {en: Don't know", "4: {en: Don't know", "both an option and a missing code"),
])
def test_each_error_with_its_line(old, new, needle, message):
    assert old in BASE
    text = BASE.replace(old, new, 1)
    errors = only_error(text)
    hits = [e for e in errors if message in e.message]
    assert hits, [str(e) for e in errors]
    assert hits[0].line == line_of(text, needle)
    assert hits[0].path == "def.yaml"


def test_scale_items_on_different_lists():
    text = BASE.replace("items: [a1, a2, a3]", "items: [a1, a2, years]")
    errors = only_error(text)
    assert any("different choice lists" in e.message or "reverse-keyed" in e.message for e in errors)
    text = BASE.replace("choices: agree\n        text: {en: A3", "choices: role\n        text: {en: A3")
    errors = only_error(text)
    e = [e for e in errors if "different choice lists" in e.message][0]
    assert e.line == line_of(text, "items: [a1, a2, a3]")


def test_every_problem_is_reported_not_only_the_first():
    text = BASE.replace("choices: agree\n        text: {en: A3", "choices: nope\n        text: {en: A3").replace("relevant: role = 1", "relevant: zz = 1")
    errors = only_error(text)
    assert any("unknown choice list 'nope'" in e.message for e in errors)
    assert any("unknown question 'zz'" in e.message for e in errors)


def test_duplicate_key_and_yaml_syntax_lines():
    text = BASE.replace("version: \"1\"", "version: \"1\"\nid: again")
    errors = only_error(text)
    assert errors[0].line == 4 and "duplicate key 'id'" in errors[0].message
    errors = only_error("id: x\ntitle: [unclosed\nversion: 1\n")
    assert "YAML syntax" in errors[0].message and errors[0].line in (2, 3, 4)


def test_swedish_is_not_se():
    text = BASE.replace("languages: [en, fi]", "languages: [en, se]").replace("fi:", "se:")
    rep = check(text)
    assert any("Northern Sámi" in p.message and p.severity == "warning" for p in rep.problems)
    errors = only_error(BASE.replace("languages: [en, fi]", "languages: [en, swe]"))
    assert any("Swedish is 'sv'" in e.message for e in errors)


def test_too_many_spss_missing_codes():
    text = BASE.replace("      -8: {en: Don't know, fi: Eos}", "      -8: {en: Don't know, fi: Eos}\n      -7: {en: NA, fi: EK}\n      -6: {en: Refused, fi: Kieltäytyi}")
    errors = only_error(text)
    assert any("SPSS allows at most 3" in e.message for e in errors)


def test_load_raises_definition_error_with_every_problem(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text(BASE.replace("choices: agree\n        text: {en: A3", "choices: nope\n        text: {en: A3"), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        instrument.load(p)
    assert str(p) in str(info.value) and "nope" in str(info.value)


# ----------------------------------------------------------------------------- hostile input
def test_alias_bomb_fails_fast(tmp_path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n")
    with no_hang():
        rep = instrument.check(p)
    assert not rep.ok and "alias" in rep.errors[0].message


def test_fifty_megabyte_file(tmp_path):
    p = tmp_path / "big.yaml"
    with open(p, "w") as f:
        f.write("id: x\n" + ("# padding line\n" * (50 * 1024 * 1024 // 15)))
    with no_hang():
        rep = instrument.check(p)
    assert "at most 10 MiB" in rep.errors[0].message


def test_binary_garbage_and_non_utf8(tmp_path):
    import random

    rnd = random.Random(1)
    p = tmp_path / "garbage.yaml"
    p.write_bytes(bytes(rnd.randrange(256) for _ in range(4096)))
    assert "binary" in instrument.check(p).errors[0].message
    p2 = tmp_path / "latin1.yaml"
    p2.write_bytes("id: x\ntitle: Ålands\n".encode("latin-1"))
    e = instrument.check(p2).errors[0]
    assert e.line == 2 and "UTF-8" in e.message
    assert "no such file" in instrument.check(tmp_path / "none.yaml").errors[0].message


def test_yes_and_no_are_text_not_booleans():
    text = BASE.replace("1: {en: No, fi: Ei}", "1: {en: No, fi: Ei}\n      6: {en: Yes, fi: 'on'}")
    inst = check(text).instrument
    assert inst.choice_lists["agree"].label(1, "en") == "No"
    assert inst.choice_lists["agree"].label(6, "fi") == "on"


@pytest.mark.slow
def test_five_thousand_questions(tmp_path):
    qs = "".join(f"      - name: q{i}\n        type: likert\n        choices: agree\n        text: Question {i}\n" for i in range(5000))
    text = ("id: big\ntitle: Big\nversion: 1\nlanguages: [en]\nchoices:\n  agree:\n    options:\n      1: No\n      2: Yes\n"
            "sections:\n  - id: s\n    title: S\n    questions:\n" + qs)
    p = tmp_path / "big.yaml"
    p.write_text(text)
    with no_hang():
        inst = instrument.load(p)
    assert len(inst.questions) == 5000 and inst.questions[-1].name == "q4999"
