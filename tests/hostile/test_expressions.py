"""Hostile skip logic: literals that try to end early, deep nesting, control characters.

Property-based (hypothesis): every text value survives the translation to XPath and SPSS syntax as
exactly one literal that decodes to the same text, so no generated text can escape its literal.
"""
from __future__ import annotations

import re

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings, strategies as st  # noqa: E402

from coprod.instrument.expr import ExprError, MAX_DEPTH, Compare, In, Selected, _lit_spss, parse, xpath_literal  # noqa: E402

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)


def read_xpath_literal(src: str, pos: int = 0) -> tuple[str, int]:
    """Read one XPath 1.0 string expression at pos: 'x', "x" or concat(lit, lit, ...). Independent of coprod."""
    if src.startswith("concat(", pos):
        pos += len("concat(")
        out = []
        while True:
            text, pos = read_xpath_literal(src, pos)
            out.append(text)
            if src.startswith(", ", pos):
                pos += 2
                continue
            assert src[pos] == ")", src
            return "".join(out), pos + 1
    quote = src[pos]
    assert quote in "'\"", src
    end = src.index(quote, pos + 1)
    return src[pos + 1:end], end + 1


def read_spss_literal(src: str) -> tuple[str, int]:
    m = re.match(r"'((?:[^']|'')*)'", src)
    assert m, src
    return m.group(1).replace("''", "'"), m.end()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_xpath_literal_round_trip(text):
    lit = xpath_literal(text)
    value, end = read_xpath_literal(lit)
    assert value == text and end == len(lit)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_spss_literal_round_trip(text):
    lit = _lit_spss(text)
    value, end = read_spss_literal(lit)
    assert value == text and end == len(lit)


@settings(max_examples=200, deadline=None)
@given(TEXT.filter(lambda s: "'" not in s or '"' not in s))
def test_parsed_text_values_stay_literals(text):
    """A value written in the definition comes out of parse() unchanged and into XPath as one literal."""
    quote = '"' if "'" in text else "'"
    e = parse(f"other = {quote}{text}{quote}")
    assert e == Compare("other", "=", text)
    xp = e.xpath()
    assert xp.startswith("${other} = ")
    value, end = read_xpath_literal(xp, len("${other} = "))
    assert value == text and end == len(xp)
    sel = parse(f"selected(tools, {quote}{text}{quote})").xpath()
    value, end = read_xpath_literal(sel, len("selected(${tools}, "))
    assert value == text and sel[end:] == ")"


def test_injection_attempt_is_one_literal():
    """A reported attack: a text value that closes its literal and adds `or true()`."""
    attack = "x') or true() or ('"
    xp = parse(f'tools_other = "{attack}"').xpath()
    assert xp == "${tools_other} = \"x') or true() or ('\""
    assert read_xpath_literal(xp, len("${tools_other} = "))[0] == attack
    both = "it's \"quoted\""
    e = In("q", ("a", both), False)
    assert both in [read_xpath_literal(m.group(0))[0] for m in re.finditer(r"concat\([^)]*\)|'[^']*'|\"[^\"]*\"", e.xpath())]
    assert Selected("tools", "it's").spss(lambda n, v: "tools_1") == "tools_1 = 1"
    assert parse('a = "it\'s"').spss() == "a = 'it''s'"


@pytest.mark.parametrize("src", [
    "(" * 990 + "a = 1" + ")" * 990,
    "not " * 400 + "a = 1",
    "(" * (MAX_DEPTH + 1) + "a = 1" + ")" * (MAX_DEPTH + 1),
])
def test_deep_nesting_is_a_clean_error(src):
    with pytest.raises(ExprError, match="nested more than"):
        parse(src)


def test_nesting_within_the_limit_parses():
    e = parse("(" * MAX_DEPTH + "a = 1" + ")" * MAX_DEPTH)
    assert e == Compare("a", "=", 1)


@pytest.mark.parametrize("value", ["line\nbreak", "tab\there", "nul\x00"])
def test_control_characters_in_text_values_are_refused(value):
    with pytest.raises(ExprError, match="control character"):
        parse(f"a = '{value}'")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_parses_or_fails_cleanly(src):
    try:
        parse(src)
    except ExprError:
        pass
