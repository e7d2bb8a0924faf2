"""Skip-logic expressions: parsing, translations and evaluation on data."""
import numpy as np
import pandas as pd
import pytest

from coprod.instrument.expr import ExprError, parse

KINDS = {"role": "single", "years": "integer", "tools": "multiple"}


@pytest.mark.parametrize("src,xpath,spss", [
    ("role = 2", "${role} = '2'", "role = 2"),
    ("role == 2", "${role} = '2'", "role = 2"),
    ("role != 2", "(${role} != '2' and string-length(${role}) > 0)", "role ~= 2"),  # a missing answer is not "not 2"
    ("years >= 3", "${years} >= 3", "years >= 3"),
    ("role in (1, 2)", "(${role} = '1' or ${role} = '2')", "ANY(role, 1, 2)"),
    ("role not in [3]", "(string-length(${role}) > 0 and not(${role} = '3'))", "NOT ANY(role, 3)"),
    ("selected(tools, 4)", "selected(${tools}, '4')", "tools_4 = 1"),
    ("answered(years)", "string-length(${years}) > 0", "NOT MISSING(years)"),
    ("role = 1 and (years < 2 or years > 10)", "${role} = '1' and (${years} < 2 or ${years} > 10)",
     "role = 1 AND (years < 2 OR years > 10)"),
    ("not (role = 1 or role = 2)", "not(${role} = '1' or ${role} = '2')", "NOT (role = 1 OR role = 2)"),
    ("role in (1, 2) and years > 0", "(${role} = '1' or ${role} = '2') and ${years} > 0", "ANY(role, 1, 2) AND years > 0"),
])
def test_translations(src, xpath, spss):
    e = parse(src)
    assert e.xpath(KINDS) == xpath
    assert e.spss() == spss


def test_words_use_labels_and_language():
    e = parse("role in (1, 2) and not selected(tools, 3)")
    labels = {("role", 1): "Ammattilainen", ("role", 2): "Vapaaehtoinen", ("tools", 3): "Kokoukset"}
    words = e.words(lambda n, v: labels[(n, v)], lambda n: n.title(), lang="fi")
    assert words == "Role = Ammattilainen tai Vapaaehtoinen ja ei (Tools: Kokoukset valittu)"


@pytest.mark.parametrize("src,column", [("role =", 7), ("role 2", 6), ("= 2", 1), ("role = 2 )", 10), ("role = 2 $", 10),
                                         ("selected(tools)", 15), ("", None), ("role in (1, 2", 14)])
def test_parse_errors_name_the_column(src, column):
    with pytest.raises(ExprError) as info:
        parse(src)
    assert info.value.column == column


def test_never_evaluates_python():
    with pytest.raises(ExprError):
        parse("__import__('os').system('true')")


def test_evaluate_on_data_missing_is_false():
    df = pd.DataFrame({"role": [1, 2, 3, np.nan], "years": [5, np.nan, 12, 1], "tools_3": [1, 0, 1, np.nan]})
    assert parse("role in (1, 2)").evaluate(df).tolist() == [True, True, False, False]
    assert parse("years < 10").evaluate(df).tolist() == [True, False, False, True]
    assert parse("role != 1").evaluate(df).tolist() == [False, True, True, False]
    assert parse("role not in (1)").evaluate(df).tolist() == [False, True, True, False]
    assert parse("selected(tools, 3) or answered(years)").evaluate(df).tolist() == [True, False, True, True]
    assert parse("not (role = 1)").evaluate(df).tolist() == [False, True, True, True]
