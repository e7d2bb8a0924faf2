"""Skip logic survives the trip to an XLSForm and back: parse -> XPath -> the XLSForm reader -> parse.

Property-based (hypothesis): random conditions over numeric, text and multiple-choice questions are
written as XPath (as `coprod forms` writes an XLSForm's ``relevant``), read back by the XLSForm reader
and parsed again. The two conditions must select the same respondents on random data; the tree may
differ in form only (``a = 1 or a = 2`` reads back as ``a in (1, 2)``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from coprod.instrument.expr import parse  # noqa: E402
from coprod.instrument.xlsform_xpath import xpath_to_expr  # noqa: E402

NUMERIC = ("a", "b")
OPTIONS = (1, 2, 3)
WORDS = ("yes", "no", "ei tiedä", "x y", "o'clock", '"quoted"')


def _text_literal(word: str) -> str:
    return f'"{word}"' if "'" in word else f"'{word}'"


compare = st.builds(lambda v, op, n: f"{v} {op} {n}", st.sampled_from(NUMERIC),
                    st.sampled_from(("=", "!=", "<", "<=", ">", ">=")), st.integers(0, 4))
text_compare = st.builds(lambda op, w: f"t {op} {_text_literal(w)}", st.sampled_from(("=", "!=")), st.sampled_from(WORDS))
within = st.builds(lambda v, neg, vals: f"{v} {'not in' if neg else 'in'} ({', '.join(map(str, vals))})",
                   st.sampled_from(NUMERIC), st.booleans(), st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))
selected = st.builds(lambda o: f"selected(m, {o})", st.sampled_from(OPTIONS))
answered = st.builds(lambda v: f"answered({v})", st.sampled_from(NUMERIC + ("t",)))
ATOM = st.one_of(compare, text_compare, within, selected, answered)
CONDITION = st.recursive(
    ATOM,
    lambda inner: st.one_of(
        st.builds(lambda x, y: f"{x} and {y}", inner, inner),
        st.builds(lambda x, y: f"({x} or {y})", inner, inner),
        st.builds(lambda x: f"not ({x})", inner),
    ),
    max_leaves=8,
)


def _frame(seed: int, n: int = 200) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = {v: np.where(rng.random(n) < 0.15, np.nan, rng.integers(0, 5, n).astype(float)) for v in NUMERIC}
    words = np.array(WORDS + ("other",), dtype=object)
    t = words[rng.integers(0, len(words), n)]
    t[rng.random(n) < 0.15] = None
    frame["t"] = t
    for o in OPTIONS:
        frame[f"m_{o}"] = rng.integers(0, 2, n).astype(float)
    return pd.DataFrame(frame)


@settings(max_examples=300, deadline=None)
@given(CONDITION, st.integers(0, 2**32 - 1))
def test_condition_round_trips_through_xpath(src, seed):
    first = parse(src)
    kinds = {"a": "integer", "b": "integer", "t": "text", "m": "multiple"}
    back = parse(xpath_to_expr(first.xpath(kinds)))
    frame = _frame(seed)
    assert np.array_equal(first.evaluate(frame), back.evaluate(frame)), (src, first.xpath(kinds))
    assert back.names() == first.names()
