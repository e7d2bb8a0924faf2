"""Rules for names and codes: SPSS/Stata-safe variable names and ISO 639-1 language codes."""
from __future__ import annotations

import re

NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")

#: Words SPSS reserves; they cannot be variable names.
SPSS_RESERVED = frozenset("ALL AND BY EQ GE GT LE LT NE NOT OR TO WITH".split())

#: ISO 639-1 two-letter language codes.
ISO_639_1 = frozenset("""
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka
kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu""".split())

#: Names of languages as shown in XLSForm column headers and form titles.
LANGUAGE_NAMES = {
    "en": "English", "fi": "Suomi", "sv": "Svenska", "se": "Davvisámegiella", "de": "Deutsch", "fr": "Français",
    "et": "Eesti", "ru": "Русский", "no": "Norsk", "nb": "Norsk bokmål", "nn": "Nynorsk", "da": "Dansk",
    "es": "Español", "it": "Italiano", "nl": "Nederlands", "pl": "Polski", "pt": "Português", "ar": "العربية",
    "so": "Soomaali", "uk": "Українська", "is": "Íslenska", "he": "עברית", "te": "తెలుగు",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def name_problem(name) -> str | None:
    """Why ``name`` is not a safe SPSS/Stata variable name, or None when it is.

    >>> name_problem("fa_1") is None
    True
    >>> name_problem("with")
    "'with' is an SPSS reserved word"
    >>> name_problem("q1_")
    "'q1_' ends with an underscore"
    """
    if not isinstance(name, str):
        return f"{name!r} is not a name (names start with a letter)"
    if not NAME_RE.match(name):
        if len(name) > 32:
            return f"{name!r} is longer than 32 characters"
        return f"{name!r} is not a safe variable name (a letter, then letters, digits or _; at most 32)"
    if name.endswith("_"):
        return f"{name!r} ends with an underscore"
    if name.upper() in SPSS_RESERVED:
        return f"{name!r} is an SPSS reserved word"
    return None
