"""The built-in instrument's second edition: forum x phase grid, role and trust scales, optional modules."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coprod import instrument as I
from coprod.analysis.data.responses import Responses
from coprod.analysis.data.scoring import score
from coprod.cli import app
from coprod.instrument.loader import check_text

FORUMS = ("hier", "leg", "pol", "adm", "pro", "soc")
PHASES = ("inf", "deb", "con")
COMBOS = [(), ("conciliation",), ("neighbourhood",), ("conciliation", "neighbourhood")]


@pytest.fixture(scope="module")
def inst():
    return I.builtin()


def _one_row(inst, answers: dict) -> Responses:
    return Responses(pd.DataFrame({k: [float(v)] for k, v in answers.items()}), instrument=inst)


def test_forum_by_phase_grid_is_complete(inst):
    grid = [f"{f}_{p}" for p in PHASES for f in FORUMS]
    section = next(s for s in inst.sections if s.id == "account")
    assert [q.name for q in section.questions] == grid  # phase by phase, the six forums in each
    assert {inst.question(n).choices.name for n in grid} == {"extent4"}
    assert inst.choice_lists["extent4"].missing_codes == (-8, -7, -9)
    # Bovens: hierarchical, legal, political vertical; administrative diagonal; professional, social horizontal
    assert set(inst.scales["vert_acc"].items) == {f"{f}_{p}" for f in ("hier", "leg", "pol") for p in PHASES}
    assert set(inst.scales["diag_acc"].items) == {f"adm_{p}" for p in PHASES}
    assert set(inst.scales["horiz_acc"].items) == {f"{f}_{p}" for f in ("pro", "soc") for p in PHASES}
    # every cell in exactly one index
    cells = [i for s in ("vert_acc", "diag_acc", "horiz_acc") for i in inst.scales[s].items]
    assert sorted(cells) == sorted(grid)
    # volunteers see their own hierarchical and professional forums
    assert "supervises" in inst.question("hier_con").variants["volunteer"]["en"]
    assert "other volunteers" in inst.question("pro_inf").variants["volunteer"]["en"]


def test_grid_is_scored_into_the_three_indices(inst):
    # one respondent: vertical cells 4,4,4 / 3,3,3 / 1,1,-7 (not applicable), administrative 2,-8,4, horizontal all 3 but one 1
    ans = {"role": 1}
    ans.update({f"hier_{p}": 4 for p in PHASES})
    ans.update({f"leg_{p}": 3 for p in PHASES})
    ans.update({"pol_inf": 1, "pol_deb": 1, "pol_con": -7})
    ans.update({"adm_inf": 2, "adm_deb": -8, "adm_con": 4})
    ans.update({f"{f}_{p}": 3 for f in ("pro", "soc") for p in PHASES})
    ans["soc_con"] = 1
    res = _one_row(inst, ans)
    res.missing_codes.update({n: (-9, -8, -7) for n in ans if n != "role"})
    out = score(res, inst, scales=["vert_acc", "diag_acc", "horiz_acc"]).data
    assert out.loc[0, "vert_acc"] == pytest.approx((4 * 3 + 3 * 3 + 1 + 1) / 8)  # -7 not valid: 8 of 9 items
    assert out.loc[0, "diag_acc"] == pytest.approx((2 + 4) / 2)  # min_valid 2 of 3
    assert out.loc[0, "horiz_acc"] == pytest.approx((3 * 5 + 1) / 6)


def test_role_ambiguity_and_role_conflict_are_two_scales(inst):
    amb, con = inst.scales["role_ambig"], inst.scales["role_confl"]
    assert "role_clar" not in inst.scales
    assert not set(amb.items) & set(con.items)
    assert set(amb.reverse) == {"rc1", "rc2", "rc3"} and con.reverse == ()
    assert len(con.items) >= 3 and len(amb.items) >= 3
    # hand score: clear role (rc1-rc3 = 5, rc5 = 1) is low ambiguity; conflict is the plain mean
    res = _one_row(inst, {"role": 2, "rc1": 5, "rc2": 5, "rc3": 4, "rc5": 1, "rc4": 2, "rc6": 4, "rc7": 3, "rc8": 5})
    out = score(res, inst, scales=["role_ambig", "role_confl"]).data
    assert out.loc[0, "role_ambig"] == pytest.approx((1 + 1 + 2 + 1) / 4)
    assert out.loc[0, "role_confl"] == pytest.approx((2 + 4 + 3 + 5) / 4)
    assert "krav" in inst.question("rc4").text["sv"] and "önskemål" not in inst.question("rc4").text["sv"]


def test_trust_in_three_dimensions(inst):
    dims = {"trust_comp": "competence", "trust_benev": "benevolence", "trust_integ": "integrity"}
    assert "trust" not in inst.scales
    items = []
    for name, word in dims.items():
        sc = inst.scales[name]
        assert len(sc.items) >= 2 and word in sc.construct.lower()
        assert "Grimmelikhuijsen & Knies 2017 (adapted" in sc.source
        items += sc.items
    assert len(items) == len(set(items)) == 9
    # tr6 is no longer a reverse-keyed negation ("do not always keep their promises")
    assert "not" not in inst.question("tr6").text["en"] and "tr6" not in inst.scales["trust_integ"].reverse
    # round-robin items: the same words for every group, about a fixed target
    for n in ("rr_prof", "rr_vol", "rr_user"):
        assert inst.question(n).variants == {} and inst.question(n).relevant is None


def test_process_and_outcome_items_are_not_a_trade_off(inst):
    for n in ("pa1", "pa2", "pa3", "pa4", "oa1", "oa2", "oa3", "oa4"):
        en = inst.question(n).text["en"].lower()
        assert "mainly" not in en and "as long as" not in en, n
    assert inst.question("po_weight").choices.ordered


def test_felt_accountability_names_the_account_holder(inst):
    holders = {"professional": "manager", "volunteer": "supervises me", "service_user": "handled my case"}
    for n in ("fa1", "fa2", "fa4", "fa5", "fl1", "fl2", "fl3", "fl4"):
        q = inst.question(n)
        assert holders["professional"] in q.text["en"], n
        assert holders["volunteer"] in q.variants["volunteer"]["en"], n
        if n not in ("fa4", "fa5"):  # for service users these two are about their own decisions and the agreement
            assert holders["service_user"] in q.variants["service_user"]["en"], n
    # service users are not asked about consequences of their own failings (victims must not be blamed)
    for n in ("fa3", "fa4"):
        en = inst.question(n).variants["service_user"]["en"].lower()
        assert "if i had not" not in en and "held responsible" not in en


def test_reviewed_wordings(inst):
    agree = {c.code: c.label for c in inst.choice_lists["agree5"].options}
    assert agree[2]["en"] == "Somewhat disagree" and agree[4]["en"] == "Somewhat agree"
    assert agree[4]["fi"] == "Jokseenkin samaa mieltä"
    for q in inst.questions:
        if q.instruction:
            assert "instämmer" not in q.instruction.get("sv", ""), q.name
    area = {c.code: c.label for c in inst.choice_lists["area"].options}
    assert area[1]["sv"] == "Medling vid brott och tvister"
    assert "skulle kunna" in inst.question("leg_con").text["sv"]
    assert "legitim" in inst.question("fl1").text["sv"] and "oikeutettua" in inst.question("fl1").text["fi"]
    welcome = inst.question("welcome").text["en"]
    assert "own words may be quoted" in welcome and "only if you allow it" in welcome
    assert inst.question("quote_ok").choices.name == "yesno"


@pytest.mark.parametrize("combo", COMBOS)
def test_every_module_combination_checks_clean(combo):
    rep = I.check(I.builtin_path(), modules=list(combo))
    assert rep.ok and not rep.problems, rep.problems[:3]
    assert rep.instrument.modules == combo


def test_conciliation_module(inst):
    conc = I.builtin(("conciliation",))
    extra = {q.name for q in conc.questions} - {q.name for q in inst.questions}
    assert {"conc_party", "conc_type", "conc_ref", "cacc_ref", "cacc_vic", "cacc_sus", "imp1", "conf1",
            "conc_agree", "conc_kept", "vm_basic", "vm_supfreq", "vm_cases"} <= extra
    assert {"conc_imp", "conc_conf"} <= set(conc.scales)
    ids = [s.id for s in conc.sections]
    assert ids.index("conc_case") == ids.index("profile") + 1 and ids.index("conc_acc") == ids.index("felt") + 1
    assert [g.id for g in conc.groups] == [g.id for g in inst.groups]
    party = {c.code: c.label["en"] for c in conc.question("conc_party").choices.options}
    assert party[1].startswith("Victim") and party[2].startswith("Suspect") and "civil" in party[3]
    # parties decide, mediators facilitate: pressure to agree is reverse-keyed
    assert conc.scales["conc_imp"].reverse == ("imp4",)
    assert "medlingshandledaren" in conc.question("vm_supfreq").text["sv"]
    assert "sovitteluohjaaja" in conc.question("vm_supfreq").text["fi"]
    frame = pd.DataFrame({"role": [1.0, 2.0, 3.0], "conc_agree": [1.0, 2.0, 1.0]})
    section = {q.name: s for s in conc.sections for q in s.questions}
    for name, who in {"conc_party": [False, False, True], "vm_cases": [False, True, False],
                      "conc_kept": [True, False, True]}.items():
        mask = np.ones(3, dtype=bool)
        for e in (section[name].relevant, conc.question(name).relevant):
            if e is not None:
                mask &= e.evaluate(frame)
        assert mask.tolist() == who, name


def test_neighbourhood_module_adds_residents():
    nb = I.builtin(("neighbourhood",))
    assert ("resident", 4) in [(g.id, g.code) for g in nb.groups]
    assert 4 in nb.question("role").choices.codes
    frame = pd.DataFrame({"role": [1.0, 3.0, 4.0]})
    for sid, who in {"felt": [True, True, False], "trust": [True, True, False], "trust_rr": [True, True, True],
                     "nb_collective": [False, False, True], "nb_coping": [True, False, False]}.items():
        sec = next(s for s in nb.sections if s.id == sid)
        got = sec.relevant.evaluate(frame).tolist() if sec.relevant is not None else [True] * 3
        assert got == who, sid
    assert "resident" in nb.question("area").variants
    assert {"collective", "cope_toward", "cope_away", "cope_against"} <= set(nb.scales)


def _mini(extra: str) -> str:
    return ("id: t\ntitle: {en: T}\nversion: '1'\nlanguages: [en]\n" + extra +
            "sections:\n  - id: a\n    title: {en: A}\n    questions:\n      - {name: q1, type: integer, text: {en: Q}}\n")


def test_module_problems_are_reported():
    lib = ("module_library:\n  m1:\n    title: {en: M}\n    sections:\n"
           "      - {id: b, after: nowhere, title: {en: B}, questions: [{name: q2, type: integer, text: {en: Q2}}]}\n")
    msgs = [p.message for p in check_text(_mini("modules: [m2]\n" + lib)).problems]
    assert any("unknown module 'm2'" in m for m in msgs)
    # a broken module is found even when it is switched off
    msgs = [p.message for p in check_text(_mini("modules: []\n" + lib)).errors]
    assert any(m.startswith("with modules [m1]:") and "no section 'nowhere'" in m for m in msgs)
    clash = ("modules: [m1]\nmodule_library:\n  m1:\n    title: {en: M}\n    sections:\n"
             "      - {id: b, title: {en: B}, questions: [{name: q1, type: integer, text: {en: Q2}}]}\n")
    assert not check_text(_mini(clash)).ok  # a module's question may not reuse a core name


def test_init_writes_a_definition_with_the_module(tmp_path):
    out = tmp_path / "study.yaml"
    r = CliRunner().invoke(app, ["init", str(out), "--module", "conciliation"])
    assert r.exit_code == 0, r.output
    assert "modules: [conciliation]" in out.read_text(encoding="utf-8")
    assert I.load(out).modules == ("conciliation",)
    r = CliRunner().invoke(app, ["check", str(out)])
    assert r.exit_code == 0 and "125 questions" in r.output
    r = CliRunner().invoke(app, ["init", str(tmp_path / "x.yaml"), "--module", "nope"])
    assert r.exit_code != 0


def test_simulated_conciliation_data_are_sensible_and_reproducible():
    from coprod.analysis.demo.simulate import simulate_responses

    conc = I.builtin(("conciliation",))
    a = simulate_responses(conc, n=400, seed=11, invalid=False)
    b = simulate_responses(conc, n=400, seed=11, invalid=False)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[a["role"] != 3, "conc_party"].isna().all() and a.loc[a["role"] != 2, "vm_cases"].isna().all()
    assert a.loc[a["conc_agree"] != 1, "conc_kept"].isna().all()
    res = Responses(a, instrument=conc)
    res.missing_codes.update({q.name: tuple(float(c) for c in q.missing_codes) for q in conc.questions if q.missing_codes})
    sc = score(res, conc).data
    by = sc.groupby("role")
    assert by["vert_acc"].mean()[1] > by["vert_acc"].mean()[2]  # professionals answer more upwards
    assert by["role_ambig"].mean()[2] > by["role_ambig"].mean()[1]  # volunteers less sure of their role
    assert sc["conc_imp"].notna().sum() > 300
