"""Hostile definitions: any text given as a definition is checked, never crashes the loader."""
from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from coprod.instrument import check_text  # noqa: E402
from coprod.instrument.errors import CoprodError  # noqa: E402

KEYS = ["id", "title", "version", "languages", "groups", "choices", "sections", "questions", "scales", "name",
        "type", "text", "relevant", "items", "reverse", "ordered", "missing", "min", "max", "en", "fi", "sv"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                    st.text(max_size=20), st.sampled_from(["single", "likert", "agree5", "role = 1", "nan", ".inf"]))
TREES = st.recursive(SCALARS, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                     st.dictionaries(st.sampled_from(KEYS), kids, max_size=5)),
                     max_leaves=25)


def _check(text: str):
    try:
        report = check_text(text, "hostile.yaml")
    except CoprodError:
        return
    for p in report.problems:  # every problem located in the file
        assert str(p).startswith("hostile.yaml")


@settings(max_examples=150, deadline=None)
@given(TREES)
def test_any_yaml_structure_is_checked_cleanly(tree):
    import yaml

    _check(yaml.safe_dump(tree, allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_checked_cleanly(text):
    _check(text)
