"""The built-in instrument: a clean definition, fully translated, sound scales and the right skip logic.

Everything goes through the public API (``instrument.builtin()``, ``instrument.check``); nothing
here depends on the exact wording of a question.
"""
from __future__ import annotations

import math
import re
import shutil

import numpy as np
import pandas as pd
import pytest

from coprod import instrument
from coprod.instrument.names import name_problem

LANGS = ("en", "fi", "sv")
PROF, VOL, USER = 1, 2, 3
# The groups asked each question, by role code; the last row (role not answered) is asked nothing
# that depends on the role.
ROLES = pd.DataFrame({"role": [PROF, VOL, USER, np.nan]})


@pytest.fixture(scope="module")
def inst():
    return instrument.builtin()


def section_of(inst, q):
    return next(s for s in inst.sections if q in s.questions)


def asked(inst, q, frame=ROLES) -> list[bool]:
    """Who is asked ``q``: the section's condition and the question's own, evaluated on ``frame``."""
    mask = np.ones(len(frame), dtype=bool)
    for e in (section_of(inst, q).relevant, q.relevant):
        if e is not None:
            mask &= e.evaluate(frame)
    return mask.tolist()


def asked_groups(inst, q) -> set[int]:
    return {code for code, yes in zip((PROF, VOL, USER), asked(inst, q)[:3]) if yes}


def every_text(inst):
    """(where, text) for every translatable text of the definition."""
    yield "title", inst.title
    yield "description", inst.description
    for g in inst.groups:
        yield f"group {g.id}", g.label
    for c in inst.missing:
        yield f"missing {c.code}", c.label
    for s in inst.sections:
        yield f"section {s.id} title", s.title
        if s.intro:
            yield f"section {s.id} intro", s.intro
    for q in inst.questions:
        yield f"{q.name} text", q.text
        if q.type != "note":
            yield f"{q.name} label", q.label
        for key in ("hint", "instruction"):
            if getattr(q, key):
                yield f"{q.name} {key}", getattr(q, key)
        for gid, t in q.variants.items():
            yield f"{q.name} variant {gid}", t
        for i, p in enumerate(q.probes):
            yield f"{q.name} probe {i + 1}", p
    for cl in inst.choice_lists.values():
        for c in cl.all:
            yield f"list {cl.name} code {c.code}", c.label
    for sc in inst.scales.values():
        yield f"scale {sc.name} label", sc.label


def test_check_reports_no_problem_at_all():
    report = instrument.check(instrument.builtin_path())
    assert report.ok
    assert report.problems == []  # no errors and no warnings


def test_identity_groups_and_size(inst):
    assert inst.id == "coprod-accountability"
    assert inst.languages == LANGS and inst.default_language == "en"
    assert inst.group_question == "role"
    assert [(g.id, g.code) for g in inst.groups] == [("professional", 1), ("volunteer", 2), ("service_user", 3)]
    role = inst.question("role")
    assert role.type == "single" and role.required and role.relevant is None
    assert section_of(inst, role).relevant is None
    assert role.choices.codes == (1, 2, 3)
    assert 90 <= len(inst.questions) <= 120
    assert 14 <= len(inst.scales) <= 18
    assert inst.modules == ()
    # a consent/introduction note opens the questionnaire, a thank-you note closes it
    assert inst.questions[0].type == "note" and inst.questions[-1].type == "note"
    for name in ("years", "fa1", "fa2", "fa3"):
        inst.question(name)
    assert {"role", "agree5"} <= set(inst.choice_lists)
    assert "felt_acc" in inst.scales


def test_every_text_in_every_language(inst):
    texts = list(every_text(inst))
    assert len(texts) > 400  # the walk really covers the whole definition
    for where, text in texts:
        assert set(text) == set(LANGS), where
        for lang in LANGS:
            assert text[lang].strip(), f"{where}: empty {lang}"


def test_question_texts_are_translated_not_copied(inst):
    for q in inst.questions:
        for t in [q.text, *q.variants.values(), *q.probes]:
            assert len({t["en"], t["fi"], t["sv"]}) == 3, q.name


def test_names_unique_ignoring_case_and_spss_safe(inst):
    names = [inst.respondent_id] + [q.name for q in inst.questions] + list(inst.scales)
    names += [v for q in inst.questions for v in q.variable_names() if v != q.name]
    lower = [n.lower() for n in names]
    assert len(lower) == len(set(lower))
    for n in names:
        assert name_problem(n) is None, n


def test_spss_limits_and_short_labels(inst):
    for v in inst.variables:
        for lang in LANGS:
            assert len(v.label[lang].encode("utf-8")) <= 256, v.name
            for code, lab in v.value_labels.items():
                assert len(lab[lang].encode("utf-8")) <= 120, (v.name, code)
        assert len(v.missing_codes) <= 3, v.name
    for q in inst.questions:
        if q.type != "note":
            assert all(len(q.label[lang]) <= 60 for lang in LANGS), q.name


def test_missing_codes(inst):
    assert [c.code for c in inst.missing] == [-9]
    agree = inst.choice_lists["agree5"]
    assert agree.codes == (1, 2, 3, 4, 5) and agree.ordered and agree.top_box == (4, 5)
    assert sorted(agree.missing_codes) == [-9, -8, -7]
    # options such as "prefer not to say" are answers, not missing codes
    gender = inst.question("gender")
    assert len(gender.choices.codes) == 4 and gender.missing_codes == (-9,)
    years = inst.question("years")
    assert (years.type, years.min, years.max, years.missing_codes) == ("integer", 0, 60, (-9,))


def test_scales_are_sound(inst):
    in_scales = [i for sc in inst.scales.values() for i in sc.items]
    assert len(in_scales) == len(set(in_scales)), "an item belongs to two scales"
    grid = {"vert_acc", "diag_acc", "horiz_acc"}
    for sc in inst.scales.values():
        k = len(sc.items)
        assert 3 <= k <= 9, sc.name
        qs = [inst.question(i) for i in sc.items]
        assert {q.type for q in qs} == {"likert"}, sc.name
        assert {q.choices.name for q in qs} == ({"extent4"} if sc.name in grid else {"agree5"}), sc.name
        assert sc.score == "mean"
        assert len(sc.reverse) < k and set(sc.reverse) <= set(sc.items), sc.name
        # more than half of the items must be valid, and at least one item may be missing
        assert math.floor(k / 2) + 1 <= sc.min_valid <= k - 1, sc.name
        assert sc.construct and sc.source, sc.name
        # a scale is comparable across groups only if every item is asked of the same groups
        assert len({frozenset(asked_groups(inst, q)) for q in qs}) == 1, sc.name
    assert inst.scales["felt_acc"].items[:3] == ("fa1", "fa2", "fa3")


def test_scale_sources_are_in_the_references(inst):
    refs = "\n".join(inst.references)
    assert len(inst.references) >= 10
    for sc in inst.scales.values():
        for cite in sc.source.split(";"):
            # every "Author ... year" cited must be in the references (new items cite what they draw on)
            for m in re.finditer(r"(\d{4})", cite):
                year = m.group(1)
                names = re.findall(r"\b([A-Z][a-zé]+)\b", cite[:m.start()])
                assert any(re.search(rf"{n}\b[^\n]*?\({year}\)", refs) for n in names), (sc.name, cite)


def test_group_only_questions_are_asked_of_the_right_groups(inst):
    expect = {
        # section asked of professionals and volunteers
        "hier_inf": [True, True, False, False], "soc_con": [True, True, False, False],
        "adm_deb": [True, True, False, False], "po_weight": [True, True, False, False],
        "pa1": [True, True, False, False], "oa4": [True, True, False, False],
        "dis1": [True, True, False, False], "dis_chg": [True, True, False, False],
        "cul1": [True, True, False, False], "years": [True, True, False, False],
        "training": [True, True, False, False], "op_unclear": [True, True, False, False],
        # professionals only
        "position": [True, False, False, False], "sup1": [True, False, False, False],
        "eval_ways": [True, False, False, False], "op_change": [True, False, False, False],
        "op_eval": [True, False, False, False],
        # volunteers only
        "op_support": [False, True, False, False], "op_resp": [False, True, False, False],
        # service users only
        "su_auth": [False, False, True, False], "su_open": [False, False, True, False],
        "op_exp": [False, False, True, False], "op_volunt": [False, False, True, False],
        # everyone
        "role": [True] * 4, "fa1": [True] * 4, "fl4": [True] * 4, "rc1": [True] * 4, "rc8": [True] * 4,
        "tr1": [True] * 4, "tr9": [True] * 4, "rr_user": [True] * 4, "quote_ok": [True] * 4, "cq1": [True] * 4, "cp_design": [True] * 4, "comments": [True] * 4,
    }
    for name, who in expect.items():
        assert asked(inst, inst.question(name)) == who, name
    # the whole support section is for professionals; whole sections carry the condition
    for sec_id, groups in {"support": {PROF}, "account": {PROF, VOL}, "procout": {PROF, VOL},
                           "discretion": {PROF, VOL}, "culture": {PROF, VOL}}.items():
        sec = next(s for s in inst.sections if s.id == sec_id)
        assert sec.relevant is not None
        assert {asked_groups(inst, q) == groups for q in sec.questions} == {True}, sec_id


def test_other_text_follows_its_tick_box(inst):
    frame = pd.DataFrame({"role": [1, 3, 2], "benefits_9": [1, 0, np.nan], "burdens_9": [0, 1, np.nan]})
    assert asked(inst, inst.question("ben_other"), frame) == [True, False, False]
    assert asked(inst, inst.question("bur_other"), frame) == [False, True, False]
    assert "benefits_9" in [v.name for v in inst.variables]


def test_wording_variants(inst):
    for name in ("tr1", "tr2", "tr3", "tr4", "tr5", "tr6"):
        q = inst.question(name)
        assert set(q.variants) == {"volunteer", "service_user"}, name
        texts = {q.text_for("en", g) for g in (None, "volunteer", "service_user")}
        assert len(texts) == 3, name  # a different referent for each group
        assert q.text_for("fi", "service_user") == q.variants["service_user"]["fi"]
    # a variant is only written for a group that is asked the question
    for q in inst.questions:
        for gid in q.variants:
            assert inst.group(gid).code in asked_groups(inst, q), (q.name, gid)
    # the felt-accountability items speak to service users about their own part
    assert all("service_user" in inst.question(i).variants for i in inst.scales["felt_acc"].items)


def test_open_questions_have_interview_probes(inst):
    open_qs = [q for q in inst.questions if q.type == "longtext" and q.name != "comments"]
    assert len(open_qs) >= 6
    for q in open_qs:
        assert 1 <= len(q.probes) <= 3, q.name
        assert q.instruction, q.name
    # each group gets its own open questions
    for code in (PROF, VOL, USER):
        assert sum(code in asked_groups(inst, q) for q in open_qs) >= 2


def test_likert_items_come_with_an_interviewer_instruction(inst):
    for q in inst.questions:
        if q.type in ("likert", "multiple"):
            assert q.instruction, q.name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs java")
def test_xlsform_of_the_builtin_passes_odk_validate(tmp_path, inst):
    pyxform = pytest.importorskip("pyxform")  # noqa: F841
    from pyxform.xls2xform import convert

    from coprod.instrument.forms.xlsform import write_xlsform

    path = write_xlsform(inst, tmp_path / "builtin.xlsx")
    try:
        result = convert(xlsform=str(path), validate=True)
    except Exception as exc:  # pragma: no cover - e.g. the validator cannot start here
        if "Validate" in type(exc).__name__ and "invalid" not in str(exc).lower():
            pytest.skip(f"ODK Validate cannot run: {exc}")
        raise
    assert result.warnings == []
    for lang in ("English (en)", "Suomi (fi)", "Svenska (sv)"):
        assert f'lang="{lang}"' in result.xform


# --------------------------------------------------------------------------- the format documentation
DOC = instrument.builtin_path().parents[2] / "docs" / "definition-format.md"


def _doc_example() -> str:
    text = DOC.read_text(encoding="utf-8")
    part = text.split("## A complete small example", 1)[1]
    return part.split("```yaml\n", 1)[1].split("\n```", 1)[0]


@pytest.mark.skipif(not DOC.exists(), reason="documentation not shipped with this installation")
def test_documented_example_checks_clean_and_uses_every_key():
    from coprod.instrument import loader
    from coprod.instrument.yamlsource import parse_yaml

    src = _doc_example()
    report = instrument.check_text(src, "example.yaml")
    assert report.ok and report.problems == []
    inst = report.instrument
    assert [g.id for g in inst.groups] == ["staff", "volunteer"]
    assert [v.name for v in inst.variables][:5] == ["role", "years", "tools_1", "tools_2", "tools_3"]
    # the example really shows every key the loader accepts
    tree, _ = parse_yaml(src)
    sections = tree["sections"]
    questions = [q for s in sections for q in s["questions"]]
    used = {
        "top": set(tree), "section": {k for s in sections for k in s},
        "question": {k for q in questions for k in q} | {k for s in sections for k in s.get("defaults", {})},
        "choices": {k for c in tree["choices"].values() for k in c},
        "scale": {k for sc in tree["scales"].values() for k in sc},
    }
    assert used["top"] == loader.TOP_KEYS
    assert used["section"] == loader.SECTION_KEYS
    assert used["question"] == loader.QUESTION_KEYS
    assert used["choices"] == loader.CHOICE_KEYS
    assert used["scale"] == loader.SCALE_KEYS
    # and the text documents each key by name
    doc = DOC.read_text(encoding="utf-8")
    for key in loader.TOP_KEYS | loader.SECTION_KEYS | loader.QUESTION_KEYS | loader.CHOICE_KEYS | loader.SCALE_KEYS:
        assert f"`{key}`" in doc, key
