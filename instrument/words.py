"""The fixed words of coprod's own messages and summaries in English, Finnish and Swedish, with plurals.

One catalogue, so that one run speaks one language: :func:`word` gives a phrase, :func:`count` a number
with the right form of its noun, and :func:`in_words` a skip-logic condition in words (``Role =
Volunteer or Service user``), never in SPSS or XPath syntax.  A language without its own words gets
English.
"""
from __future__ import annotations

from .model import format_code, text_in

#: Phrases: key -> {language: text}.
PHRASES = {
    "asked if": {"en": "asked if", "fi": "kysytään, jos", "sv": "frågas om"},
    "asked only if": {"en": "asked only if", "fi": "kysytään vain, jos", "sv": "frågas bara om"},
    "languages": {"en": "languages", "fi": "kielet", "sv": "språk"},
    "default": {"en": "default", "fi": "oletus", "sv": "standard"},
    "respondent groups": {"en": "respondent groups (question {q})", "fi": "vastaajaryhmät (kysymys {q})",
                          "sv": "svarandegrupper (fråga {q})"},
    "scales:": {"en": "scales:", "fi": "mittarit:", "sv": "skalor:"},
    "mean of": {"en": "mean of {items}", "fi": "keskiarvo: {items}", "sv": "medelvärdet av {items}"},
    "sum of": {"en": "sum of {items}", "fi": "summa: {items}", "sv": "summan av {items}"},
    "at least valid": {"en": "at least {n} valid", "fi": "vähintään {n} vastausta", "sv": "minst {n} giltiga"},
    "reversed": {"en": "reversed {items}", "fi": "käännetyt {items}", "sv": "omvända {items}"},
}

#: Nouns: key -> {language: (singular, plural after a number)}.
NOUNS = {
    "question": {"en": ("question", "questions"), "fi": ("kysymys", "kysymystä"), "sv": ("fråga", "frågor")},
    "variable": {"en": ("variable", "variables"), "fi": ("muuttuja", "muuttujaa"), "sv": ("variabel", "variabler")},
    "scale": {"en": ("scale", "scales"), "fi": ("mittari", "mittaria"), "sv": ("skala", "skalor")},
    "problem": {"en": ("problem", "problems"), "fi": ("ongelma", "ongelmaa"), "sv": ("problem", "problem")},
    "file": {"en": ("file", "files"), "fi": ("tiedosto", "tiedostoa"), "sv": ("fil", "filer")},
    "row": {"en": ("row", "rows"), "fi": ("rivi", "riviä"), "sv": ("rad", "rader")},
    "test": {"en": ("test", "tests"), "fi": ("testi", "testiä"), "sv": ("test", "test")},
    "warning": {"en": ("warning", "warnings"), "fi": ("varoitus", "varoitusta"), "sv": ("varning", "varningar")},
}


def word(key: str, lang: str = "en", **values) -> str:
    """The phrase ``key`` in ``lang`` (English where there is none), with ``values`` filled in.

    >>> word("asked if", "fi"), word("at least valid", "sv", n=3), word("asked if", "de")
    ('kysytään, jos', 'minst 3 giltiga', 'asked if')
    """
    return localised(PHRASES, key, lang, **values)


def localised(table: dict, key: str, lang: str = "en", **values):
    """Entry ``key`` of a table of {key: {language: text}} in ``lang`` (English where there is none),
    with ``values`` filled in: what every catalogue of fixed words looks up.

    >>> localised({"yes": {"en": "Yes", "fi": "Kyllä"}}, "yes", "sv")
    'Yes'
    """
    text = text_in(table[key], lang, "en")
    return text.format(**values) if values else text


def count(n: int, noun: str, lang: str = "en") -> str:
    """``n`` with the right form of ``noun``: ``1 question``, ``2 questions``; ``1 kysymys``, ``8 kysymystä``.

    >>> count(1, "question"), count(8, "question"), count(1, "scale", "fi"), count(12, "scale", "sv")
    ('1 question', '8 questions', '1 mittari', '12 skalor')
    >>> count(1200, "row")
    '1,200 rows'
    """
    one, many = localised(NOUNS, noun, lang)
    return f"{n:,} {one if n == 1 else many}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """An English count with its noun, for messages: ``1 scale``, ``3 scales``, ``2 classes``.

    >>> plural(1, "scale"), plural(3, "scale"), plural(2, "analysis", "analyses")
    ('1 scale', '3 scales', '2 analyses')
    """
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def in_words(inst, expr, lang: str) -> str:
    """A skip-logic condition in words, with the questions' labels and the answers' labels in ``lang``:
    ``Role = Professional (paid staff) or Volunteer``.

    >>> from coprod import instrument
    >>> inst = instrument.builtin()
    >>> account = next(s for s in inst.sections if s.id == "account")
    >>> in_words(inst, account.relevant, "fi")
    'Rooli palvelussa = Ammattilainen (palkattu työntekijä) tai Vapaaehtoinen'
    """
    fb = inst.default_language

    def describe(name, code):
        try:
            q = inst.question(name)
        except KeyError:
            return str(code)
        if q.choices is not None:
            for c in q.choices.all:
                if c.code == code or format_code(c.code) == str(code):
                    return text_in(c.label, lang, fb)
        return format_code(code) if not isinstance(code, str) else code

    def name_of(name):
        try:
            return inst.question(name).label_for(lang, fb)
        except KeyError:
            return name

    return expr.words(describe, name_of, lang)
