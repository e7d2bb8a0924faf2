"""One labelling function: the definition's labels on any data, never changing the input."""
from __future__ import annotations

import pandas as pd
import pytest

from coprod import instrument
from coprod.analysis.data.io import LoadedResponses, load_responses, write_responses
from coprod.analysis.data.labels import label_from_instrument
from coprod.analysis.data.responses import Responses
from coprod.analysis.demo.simulate import simulated_responses
from coprod.instrument.errors import OptionError


@pytest.fixture(scope="module")
def inst():
    return instrument.builtin()


def test_labels_codes_and_levels_from_the_definition(inst):
    data = pd.DataFrame({"RESP_ID": ["a"], "fa1": [4.0], "years": [3.0], "comments": ["x"], "felt_acc": [3.5],
                         "extra": [1.0]})
    raw = Responses(data, value_labels={"comments": {"x": "X"}, "extra": {1.0: "one"}},
                    missing_codes={"comments": ("x",)}, missing_ranges={"fa1": ((-9.0, -7.0),)},
                    variable_labels={"RESP_ID": "Our id"})
    res = label_from_instrument(raw, inst)
    fa1 = inst.variable("fa1")
    assert res.variable_labels["fa1"] == fa1.label["en"]
    assert res.value_labels["fa1"] == {float(c): t["en"] for c, t in fa1.value_labels.items()}
    assert res.missing_codes["fa1"] == tuple(float(c) for c in fa1.missing_codes) and "fa1" not in res.missing_ranges
    assert res.measure["fa1"] == fa1.measure and res.measure["comments"] == "nominal"
    assert "comments" not in res.value_labels and "comments" not in res.missing_codes  # text: no codes
    assert res.variable_labels["RESP_ID"] == "Our id" and res.measure["RESP_ID"] == "nominal"
    assert res.variable_labels["felt_acc"] == inst.scales["felt_acc"].label["en"] and res.measure["felt_acc"] == "scale"
    assert res.value_labels["extra"] == {1.0: "one"} and "extra" not in res.variable_labels  # not the definition's
    assert res.instrument is inst and res.data is raw.data


def test_the_input_is_never_changed(inst):
    raw = LoadedResponses(pd.DataFrame({"fa1": [1.0]}), notes=["read"], origin={"kind": "csv"})
    res = label_from_instrument(raw, inst, lang="sv")
    assert isinstance(res, LoadedResponses) and res.origin == {"kind": "csv"} and res.notes == ["read"]
    assert raw.variable_labels == {} and raw.value_labels == {} and raw.measure == {} and raw.instrument is None
    res.notes.append("more")
    res.origin["x"] = 1
    assert raw.notes == ["read"] and raw.origin == {"kind": "csv"}


def test_another_language_falls_back_to_the_default(inst):
    res = label_from_instrument(Responses(pd.DataFrame({"resp_id": [1.0], "fa1": [1.0]})), inst, lang="fi")
    assert res.variable_labels["fa1"] == inst.variable("fa1").label["fi"]
    assert res.variable_labels["resp_id"] == "Vastaajatunnus"
    with pytest.raises(OptionError) as err:
        label_from_instrument(Responses(pd.DataFrame()), inst, lang="de")
    assert err.value.param == "lang"


def test_read_and_simulated_data_are_labelled_alike(inst, tmp_path):
    sim = simulated_responses(inst, n=30, seed=4)
    back = load_responses(write_responses(sim, tmp_path / "sim.csv"), inst)  # CSV: no labels in the file
    for name in ("variable_labels", "value_labels", "missing_codes", "missing_ranges", "measure"):
        assert getattr(back, name) == getattr(sim, name), name
