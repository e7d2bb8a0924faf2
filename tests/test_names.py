"""Safe names and labels for SPSS, Stata, Excel and XLSForm: one set of rules for forms and data files."""
from __future__ import annotations

from coprod.instrument.names import safe_names, utf8_truncate


def test_identifiers_keep_underscores_and_number_clashes():
    assert safe_names(["a-b", "a_b", "A_B", "_x", "9", ""]) == {
        "a-b": "a_b", "a_b": "a_b_2", "A_B": "A_B_3", "_x": "_x", "9": "_9", "": "_"}


def test_spss_names_start_with_a_letter_and_avoid_reserved_words():
    assert safe_names(["__q__1__", "TO", "to", "1st", "é"], spss=True) == {
        "__q__1__": "q_1", "TO": "TO_v", "to": "to_v_2", "1st": "v1st", "é": "v"}


def test_limit_counts_bytes_and_makes_room_for_the_number():
    long = "x" * 40
    assert safe_names([long, long.upper()], spss=True, limit=32) == {long: "x" * 32, long.upper(): "X" * 30 + "_2"}
    # 32 two-byte letters are 64 bytes: kept in a Unicode file; "bä" * 33 is 99 bytes, so it is made ASCII
    # ("b_" * 33, trimmed to 65 characters) and cut to 64
    assert safe_names(["ä" * 32, "bä" * 33], spss=True, limit=64, unicode=True) == {"ä" * 32: "ä" * 32, "bä" * 33: "b_" * 32}
    # without unicode, the same names are made ASCII
    assert safe_names(["ä" * 32], spss=True, limit=64) == {"ä" * 32: "v"}


def test_utf8_truncate_never_splits_a_character():
    assert utf8_truncate("äää", 5) == "ää"
    assert utf8_truncate("äää", 6) == "äää"
    assert utf8_truncate("", 0) == ""
