"""Definitions the form tests share: a small hand-written one and a generated large one."""
from __future__ import annotations

from coprod import instrument

SMALL = """\
id: small-test
version: "2"
title: {en: Small test, fi: Pieni testi}
languages: [en, fi]
default_language: en
missing:
  -9: {en: No answer, fi: Ei vastausta}
groups:
  question: role
  codes: {professional: 1, volunteer: 2}
choices:
  role:
    options:
      1: {en: Professional, fi: Ammattilainen}
      2: {en: Volunteer, fi: Vapaaehtoinen}
  tools:
    options:
      1: {en: Email, fi: Sähköposti}
      2: {en: "Meetings, workshops", fi: Tapaamiset}
      3: {en: "=Other", fi: Muu}
  agree:
    ordered: true
    top_box: [4, 5]
    options:
      1: {en: Strongly disagree, fi: Täysin eri mieltä}
      2: {en: Disagree, fi: Eri mieltä}
      3: {en: Neutral, fi: Neutraali}
      4: {en: Agree, fi: Samaa mieltä}
      5: {en: Strongly agree, fi: Täysin samaa mieltä}
    missing:
      -8: {en: Don't know, fi: En osaa sanoa}
sections:
  - id: profile
    title: {en: About you, fi: Taustatiedot}
    questions:
      - name: role
        type: single
        choices: role
        required: true
        label: {en: Role, fi: Rooli}
        text: {en: In which role do you take part?, fi: Missä roolissa osallistut?}
        instruction: {en: Read the options aloud., fi: Lue vaihtoehdot ääneen.}
      - name: tools
        type: multiple
        choices: tools
        label: {en: Tools, fi: Työkalut}
        text: {en: Which tools do you use?, fi: Mitä työkaluja käytät?}
        hint: {en: Tick all that apply., fi: Valitse kaikki sopivat.}
      - name: spend
        type: decimal
        min: 0
        max: 1000.5
        label: {en: Hours in meetings, fi: Tunnit tapaamisissa}
        text: {en: How many hours a month do you spend in meetings?, fi: Montako tuntia kuukaudessa käytät tapaamisiin?}
        relevant: selected(tools, 2)
      - name: start
        type: date
        label: {en: Start date, fi: Aloituspäivä}
        text: {en: When did you start?, fi: Milloin aloitit?}
      - name: hours
        type: integer
        min: 0
        max: 60
        label: {en: Hours a week, fi: Tunteja viikossa}
        text: {en: How many hours a week?, fi: Montako tuntia viikossa?}
        relevant: role = 1 and not selected(tools, 3)
  - id: felt
    title: {en: Felt accountability, fi: Koettu vastuu}
    intro: {en: "Now some statements.", fi: "Seuraavaksi väittämiä."}
    relevant: role in (1, 2)
    defaults: {type: likert, choices: agree}
    questions:
      - name: fa1
        text: {en: I am expected to explain my decisions., fi: Minun odotetaan perustelevan päätökseni.}
        label: {en: Explain decisions, fi: Perustelee päätökset}
        variants:
          volunteer: {en: "As a volunteer, I'm expected to explain my decisions.", fi: Vapaaehtoisena minun odotetaan perustelevan päätökseni.}
      - name: fa2
        text: {en: My work is judged by people who understand it., fi: Työtäni arvioivat ymmärtävät ihmiset.}
      - name: fa3
        text: {en: Nobody follows up on what I do., fi: Kukaan ei seuraa tekemisiäni.}
  - id: open
    title: {en: In your words, fi: Omin sanoin}
    questions:
      - name: note1
        type: note
        text: {en: The last part is open., fi: Viimeinen osa on avoin.}
      - name: story
        type: longtext
        label: {en: Story, fi: Kertomus}
        text: {en: Tell about a case where you had to account for your work., fi: "Kerro tapauksesta, jossa jouduit tekemään tiliä työstäsi."}
        probes:
          - {en: Who asked?, fi: Kuka kysyi?}
          - {en: What happened next?, fi: Mitä sitten tapahtui?}
      - name: comment
        type: text
        label: {en: Comment, fi: Kommentti}
        text: {en: Anything else?, fi: Muuta?}
      - name: supervise
        type: text
        label: {en: Supervision, fi: Ohjaus}
        text: {en: Whom do you supervise?, fi: Ketä ohjaat?}
        relevant: role = 1
scales:
  felt_acc:
    label: {en: Felt accountability, fi: Koettu vastuu}
    items: [fa1, fa2, fa3]
    reverse: [fa3]
    min_valid: 2
"""


def small() -> instrument.Instrument:
    rep = instrument.check_text(SMALL, "small.yaml")
    assert rep.ok, rep.problems
    return rep.instrument


def large_text(n_questions: int = 300) -> str:
    """A definition with ``n_questions`` questions in 3 languages, in sections of 20."""
    lines = ["id: large", 'version: "1"', "title: {en: Large, fi: Iso, sv: Stor}", "languages: [en, fi, sv]",
             "missing:", "  -9: {en: No answer, fi: Ei vastausta, sv: Inget svar}",
             "groups:", "  question: q1", "  codes: {a: 1, b: 2}",
             "choices:", "  ab:", "    options:", "      1: {en: A, fi: A fi, sv: A sv}", "      2: {en: B, fi: B fi, sv: B sv}",
             "  agree:", "    ordered: true", "    options:"]
    for c in range(1, 6):
        lines.append(f"      {c}: {{en: Level {c}, fi: Taso {c}, sv: Nivå {c}}}")
    lines += ["    missing:", "      -8: {en: Don't know, fi: En osaa sanoa, sv: Vet inte}", "sections:"]
    kinds = ["likert", "likert", "integer", "multiple", "text", "decimal", "date", "likert", "single", "longtext"]
    for i in range(1, n_questions + 1):
        if (i - 1) % 20 == 0:
            s = (i - 1) // 20 + 1
            lines += [f"  - id: s{s}", f"    title: {{en: Section {s}, fi: Osio {s}, sv: Del {s}}}", "    questions:"]
        kind = "single" if i == 1 else kinds[i % len(kinds)]
        lines += [f"      - name: q{i}", f"        type: {kind}",
                  f"        text: {{en: Question {i} text, fi: Kysymys {i} teksti, sv: Fråga {i} text}}"]
        if kind in ("single", "multiple"):
            lines.append("        choices: ab")
        if kind == "likert":
            lines.append("        choices: agree")
            if i % 4 == 0:
                lines.append(f"        variants: {{b: {{en: B wording {i}, fi: B muotoilu {i}, sv: B formulering {i}}}}}")
        if kind in ("integer", "decimal"):
            lines += ["        min: 0", "        max: 100"]
        if i > 1 and i % 3 == 0:
            lines.append("        relevant: q1 = 2")
    items = [f"q{i}" for i in range(2, n_questions + 1) if kinds[i % len(kinds)] == "likert"]
    lines += ["scales:", "  big:", "    label: {en: Big, fi: Iso, sv: Stor}", f"    items: [{', '.join(items[:12])}]",
              f"    reverse: [{items[0]}]", "    min_valid: 6"]
    return "\n".join(lines) + "\n"


def large() -> instrument.Instrument:
    rep = instrument.check_text(large_text(), "large.yaml")
    assert rep.ok, rep.problems[:5]
    return rep.instrument


def test_fixtures_load():
    inst = small()
    assert [q.name for q in inst.questions][:3] == ["role", "tools", "spend"]
    assert [v.name for v in inst.variables][1:4] == ["tools_1", "tools_2", "tools_3"]
    big = large()
    assert len(big.questions) == 300 and big.languages == ("en", "fi", "sv")
