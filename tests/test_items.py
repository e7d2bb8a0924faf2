from __future__ import annotations

import pytest

from coprod.analysis.data.items import parse_items
from coprod.instrument.errors import VariableError

COLS = ["resp_id", "group", "fa1", "fa2", "fa3", "Trust1", "trust2", "x"]


@pytest.mark.parametrize("spec, expected", [
    ("fa1,fa3", ["fa1", "fa3"]),
    ("FA1..fa3", ["fa1", "fa2", "fa3"]),
    ("fa2 TO trust1", ["fa2", "fa3", "Trust1"]),
    ("fa2 to Trust2", ["fa2", "fa3", "Trust1", "trust2"]),
    ("fa*", ["fa1", "fa2", "fa3"]),
    ("trust?", ["Trust1", "trust2"]),
    ("x, fa*, fa1", ["x", "fa1", "fa2", "fa3"]),
    (["fa1", "x"], ["fa1", "x"]),
    (None, COLS),
    ("", COLS),
])
def test_specs(spec, expected):
    assert parse_items(spec, COLS) == expected


@pytest.mark.parametrize("spec, message", [
    ("fa9", "'fa9'"),
    ("fa1..zz", "'zz'"),
    ("fa3..fa1", "comes before"),
    ("q*", "no variable matches 'q\\*'"),
    ("fa1 fa2", "separate names with commas"),
])
def test_errors_name_the_culprit(spec, message):
    with pytest.raises(VariableError, match=message):
        parse_items(spec, COLS)
