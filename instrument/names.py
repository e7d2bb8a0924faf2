"""Rules for names and codes: SPSS/Stata-safe variable names, ISO 639-1 language codes, safe names and labels."""
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


#: "In <language>" in English, Finnish and Swedish: a heading names a language in its own language.
LANGUAGE_IN = {
    "en": {"en": "in English", "fi": "in Finnish", "sv": "in Swedish", "se": "in Northern Sámi"},
    "fi": {"en": "englanniksi", "fi": "suomeksi", "sv": "ruotsiksi", "se": "pohjoissaameksi"},
    "sv": {"en": "på engelska", "fi": "på finska", "sv": "på svenska", "se": "på nordsamiska"},
}


def language_in(code: str, lang: str) -> str:
    """The language ``code`` as a heading in ``lang`` names it (English for other languages); a language
    without a name there is given by its code, never by a name in a third language.

    >>> language_in("sv", "fi"), language_in("fi", "sv"), language_in("fi", "en"), language_in("de", "fi")
    ('ruotsiksi', 'på finska', 'in Finnish', 'de')
    """
    return LANGUAGE_IN.get(lang, LANGUAGE_IN["en"]).get(code, code)


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


def utf8_truncate(text, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes without splitting a character (SPSS counts labels in bytes).

    >>> utf8_truncate("Täysin samaa mieltä", 8)
    'Täysin '
    >>> len(utf8_truncate("ää" * 100, 121).encode())
    120
    >>> utf8_truncate(2.5, 10)
    '2.5'
    """
    text = str(text)
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")


_IDENTIFIER = {False: re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$"), True: re.compile(r"^[^\W\d][\w]*$")}
_VARIABLE = {False: re.compile(r"^[A-Za-z][A-Za-z0-9_]*$"), True: re.compile(r"^[^\W\d_][\w]*$")}


def safe_names(names, *, spss: bool = False, limit: int | None = None, unicode: bool = False) -> dict:
    """{name: a safe name} for each of ``names`` in turn, unique ignoring case.

    A name that is already safe and not yet taken is kept. Any other name has every character
    but ASCII letters, digits and ``_`` replaced by ``_``, and a clash gets ``_2``, ``_3`` ...

    * By default the names are identifiers (Excel defined names, XLSForm list names, XML): they may
      start with ``_``, and a name starting with a digit gets one.
    * ``spss=True``: SPSS/Stata variable names. They start with a letter (else ``v`` goes before),
      runs of ``_`` become one and ``_`` is trimmed at both ends, and an SPSS reserved word gets ``_v``.
    * ``limit``: at most this many UTF-8 bytes, a clash's number included (SPSS 64, Stata 32).
    * ``unicode``: names in any alphabet are kept as they are (SPSS Unicode files); the others are
      still made ASCII.

    >>> safe_names(["agree 5", "agree_5", "5pt"])
    {'agree 5': 'agree_5', 'agree_5': 'agree_5_2', '5pt': '_5pt'}
    >>> safe_names(["q1", "group/q 2", "_uuid", "2x", "with", "Q1"], spss=True, limit=64)
    {'q1': 'q1', 'group/q 2': 'group_q_2', '_uuid': 'uuid', '2x': 'v2x', 'with': 'with_v', 'Q1': 'Q1_2'}
    >>> [len(n) for n in safe_names(["a" * 40, "A" * 40], spss=True, limit=32).values()]
    [32, 32]
    >>> safe_names(["työaika", "työ aika"], spss=True, limit=64, unicode=True)
    {'työaika': 'työaika', 'työ aika': 'ty_aika'}
    """
    keep = (_VARIABLE if spss else _IDENTIFIER)[unicode]
    out, taken = {}, set()
    for name in names:
        text = str(name)
        if (keep.match(text) and (limit is None or len(text.encode("utf-8")) <= limit)
                and not (spss and text.upper() in SPSS_RESERVED) and text.lower() not in taken):
            safe = text
        else:
            safe = _numbered(_ascii_name(text, spss, limit), taken, limit)
        taken.add(safe.lower())
        out[name] = safe
    return out


def _ascii_name(text: str, spss: bool, limit: int | None) -> str:
    """``text`` made of ASCII letters, digits and ``_`` by the rules of :func:`safe_names`."""
    safe = re.sub(r"[^A-Za-z0-9_]", "_", text)
    if not spss:
        return "_" + safe if not safe or safe[0].isdigit() else safe
    safe = re.sub(r"_+", "_", safe).strip("_")
    if not safe or not safe[0].isalpha():
        safe = "v" + safe
    if safe.upper() in SPSS_RESERVED:
        safe += "_v"
    return safe[:limit]  # ASCII: characters are bytes


def _numbered(base: str, taken: set, limit: int | None) -> str:
    """``base``, or ``base_2``, ``base_3`` ... (cut to fit ``limit``): the first not in ``taken``."""
    safe, k = base, 2
    while safe.lower() in taken:
        suffix = f"_{k}"
        safe = (base if limit is None else base[:limit - len(suffix)]) + suffix
        k += 1
    return safe
