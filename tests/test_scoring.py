"""Scale scores: reverse keying from the choice list, MEAN.n / SUM.n rules, labels."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from coprod.analysis import reverse_code, score
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import OptionError
from io_helpers import make_instrument


@pytest.fixture()
def inst(tmp_path):
    return make_instrument(tmp_path)[0]


def test_reverse_code_uses_the_list_range():
    assert reverse_code([1, 3, 5, -8, np.nan], (1, 2, 3, 4, 5)).tolist()[:3] == [5.0, 3.0, 1.0]
    assert np.isnan(reverse_code([-8], (1, 2, 3, 4, 5))[0])
    # a 0..10 list: 10 - x
    assert reverse_code([0, 7, 10], tuple(range(11))).tolist() == [10.0, 3.0, 0.0]


def test_mean_n_rule_by_hand(inst):
    df = pd.DataFrame({"fa1": [5, 2, -8, 1, 9], "fa2": [4, -8, -8, 2, 3], "fa3": [2, 5, 3, -9, 3]})
    out = score(Responses(df), inst, reverse_copies=True)
    # fa3 reversed: 2->4, 5->1, 3->3; -9 missing; 9 is not a code of fa1 (invalid, not valid)
    expected = [(5 + 4 + 4) / 3, (2 + 1) / 2, np.nan, (1 + 2) / 2, (3 + 3) / 2]
    np.testing.assert_allclose(out.data["felt_acc"].to_numpy(), expected)
    assert out.data["fa3_r"].tolist()[:3] == [4.0, 1.0, 3.0] and np.isnan(out.data["fa3_r"][3])
    assert out.value_labels["fa3_r"][5.0] == "Strongly disagree"
    assert out.variable_labels["felt_acc"] == "Felt accountability" and out.measure["felt_acc"] == "scale"
    # the input is not changed
    assert list(df.columns) == ["fa1", "fa2", "fa3"]


def test_sum_score_and_min_valid(inst):
    scale = dataclasses.replace(inst.scales["felt_acc"], score="sum", min_valid=3)
    inst2 = dataclasses.replace(inst, scales={"felt_acc": scale})
    df = pd.DataFrame({"fa1": [5, 2], "fa2": [4, -8], "fa3": [2, 5]})
    out = score(Responses(df), inst2)
    assert out.data["felt_acc"].tolist()[0] == 13.0
    assert np.isnan(out.data["felt_acc"][1])


def test_spss_mean_n_agrees_with_pspp(inst, tmp_path):
    """PSPP computes MEAN.2 on the same file: the scores agree."""
    import subprocess

    from io_helpers import need_pspp

    exe = need_pspp()
    rng = np.random.default_rng(7)
    n = 50
    df = pd.DataFrame({c: rng.choice([1, 2, 3, 4, 5, -8], n).astype(float) for c in ("fa1", "fa2", "fa3")})
    from coprod.analysis.data.io import write_responses

    r = Responses(df, missing_codes={c: (-8.0,) for c in df.columns})
    write_responses(r, tmp_path / "in.sav")
    sps = tmp_path / "s.sps"
    sps.write_text(f"GET FILE='{tmp_path / 'in.sav'}'.\nCOMPUTE fa3r = 6 - fa3.\n"
                   f"COMPUTE s = MEAN.2(fa1, fa2, fa3r).\nSAVE TRANSLATE /OUTFILE='{tmp_path / 'o.csv'}' /TYPE=CSV /FIELDNAMES /REPLACE.\n"
                   "EXECUTE.\n")
    subprocess.run([exe, "-o", str(tmp_path / "log.txt"), str(sps)], check=True, capture_output=True, timeout=120)
    theirs = pd.read_csv(tmp_path / "o.csv", na_values=[" ", ""])["s"].to_numpy(dtype=float)
    ours = score(r, inst).data["felt_acc"].to_numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, equal_nan=True)


def test_missing_items_leave_the_scale_out(inst):
    out = score(Responses(pd.DataFrame({"fa1": [1], "fa2": [2]})), inst)
    assert "felt_acc" not in out.data
    assert [(n.kind, n.scale, n.columns) for n in out.score_notes] == [("not_scored", "felt_acc", ("fa3",))]
    assert "fa3 not in the data" in out.score_notes[0].text


def test_scoring_again_notes_the_replaced_columns(inst):
    df = pd.DataFrame({"fa1": [5.0, 2.0], "fa2": [4.0, 1.0], "fa3": [2.0, 5.0]})
    once = score(Responses(df), inst, reverse_copies=True)
    twice = score(once, inst, reverse_copies=True)
    assert once.score_notes == [] and twice.notes == []
    assert [(n.kind, n.scale, n.columns) for n in twice.score_notes] == [("replaced", "felt_acc", ("fa3_r", "felt_acc"))]
    np.testing.assert_array_equal(twice.data["felt_acc"], once.data["felt_acc"])


def test_import_reports_scoring_by_kind(inst, tmp_path):
    from coprod.analysis import import_responses

    (tmp_path / "scored.csv").write_text("resp_id,role,fa1,fa2,fa3,felt_acc\n1,1,5,4,2,9\n2,1,2,1,5,9\n")
    lines = import_responses(tmp_path / "scored.csv", inst).summary_lines()
    assert "note: replaced existing column(s) felt_acc with new scores" in lines
    (tmp_path / "short.csv").write_text("resp_id,role,fa1,fa2\n1,1,5,4\n")
    res = import_responses(tmp_path / "short.csv", inst)
    row = res.report.table[res.report.table["problem"] == "scale_not_scored"]
    assert row["variable"].tolist() == ["felt_acc"] and "fa3 not in the data" in row["detail"].iloc[0]
    assert res.scored == [] and not any(line.startswith("note: scale") for line in res.summary_lines())


def test_errors(inst):
    with pytest.raises(OptionError, match="no scale called nope"):
        score(Responses(pd.DataFrame({"fa1": [1]})), inst, scales=["nope"])
    with pytest.raises(OptionError, match="questionnaire"):
        score(Responses(pd.DataFrame({"fa1": [1]})))


def test_scoring_a_frame_built_column_by_column_warns_nothing():
    """A frame whose maker inserted its columns one at a time is fragmented; adding the scale scores to it
    gives no pandas warning, and the scores are those of the same data in one block."""
    import warnings

    import pandas as pd

    import coprod
    from coprod.analysis.data.responses import copied

    inst = coprod.builtin()
    sim = coprod.simulated_responses(inst, n=30, seed=4)
    parts = pd.DataFrame(index=sim.data.index)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas' warning about the frame this test fragments on purpose
        for c in sim.data.columns:
            parts[c] = sim.data[c]
    assert parts._mgr.nblocks > 100  # fragmented, as pandas counts it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scored = coprod.score(copied(sim, data=parts), inst)
    pd.testing.assert_frame_equal(scored.data, coprod.score(sim, inst).data)
