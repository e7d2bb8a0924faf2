"""The questionnaire's labels on response data: one function, whatever the data came from.

Reading a file (:func:`~coprod.analysis.data.conform.conform`), simulating responses and the report
all label data the same way: :func:`label_from_instrument`.
"""
from __future__ import annotations

from coprod.analysis.data.responses import Responses, copied
from coprod.instrument.errors import OptionError
from coprod.instrument.model import text_in

#: The metadata of :class:`Responses` that :func:`label_from_instrument` sets.
LABEL_FIELDS = ("variable_labels", "value_labels", "missing_codes", "missing_ranges", "measure")
#: The respondent id column's label where the data give it none, by language.
RESPONDENT_ID_LABEL = {"en": "Respondent ID", "fi": "Vastaajatunnus", "sv": "Respondent-ID"}


def label_from_instrument(responses: Responses, instrument, lang: str | None = None) -> Responses:
    """A copy of ``responses`` labelled by ``instrument`` in ``lang`` (default: its default language).

    Each of the instrument's variables in the data gets its variable label and measurement level
    (text and dates: nominal); coded and numeric variables get the definition's value labels and
    missing codes, other variables lose any; missing ranges give way to the definition's codes. The
    respondent id column keeps its own label or gets one, and is nominal. A scale's score column gets
    the scale's label and the level ``scale``. A text the definition lacks in ``lang`` is taken in its
    default language. Columns the instrument does not define keep what they had; the result is linked
    to ``instrument``.

    Nothing in ``responses`` is changed; the result shares its data frame (which it does not change).

    >>> import pandas as pd
    >>> from coprod import instrument
    >>> inst = instrument.builtin()
    >>> raw = Responses(pd.DataFrame({"resp_id": [1.0], "fa1": [4.0], "extra": ["x"]}))
    >>> res = label_from_instrument(raw, inst, lang="fi")
    >>> res.variable_labels["resp_id"], res.value_labels["fa1"][4.0], res.missing_codes["fa1"]
    ('Vastaajatunnus', 'Jokseenkin samaa mieltä', (-8.0, -7.0, -9.0))
    >>> raw.variable_labels, "extra" in res.measure, res.instrument is inst
    ({}, False, True)
    """
    fallback = instrument.default_language
    lang = lang or fallback
    if lang not in instrument.languages:
        raise OptionError(f"{lang!r} is not one of the instrument's languages ({', '.join(instrument.languages)})",
                          param="lang")
    meta = {name: dict(getattr(responses, name)) for name in LABEL_FIELDS}
    columns = set(responses.data.columns)
    for v in instrument.variables:
        if v.name in columns:
            _label_variable(meta, v, lang, fallback)
    rid = instrument.respondent_id.lower()
    for c in responses.data.columns:
        if str(c).lower() == rid:
            meta["variable_labels"].setdefault(c, RESPONDENT_ID_LABEL.get(lang, RESPONDENT_ID_LABEL["en"]))
            meta["measure"].setdefault(c, "nominal")
    for s in instrument.scales.values():
        if s.name in columns:
            meta["variable_labels"][s.name] = text_in(s.label, lang, fallback) or s.name
            meta["measure"][s.name] = "scale"
    return copied(responses, instrument=instrument, **meta)


def _label_variable(meta: dict, v, lang: str, fallback: str) -> None:
    meta["variable_labels"][v.name] = text_in(v.label, lang, fallback)
    if v.kind == "numeric":
        meta["value_labels"][v.name] = {float(code): text_in(t, lang, fallback) for code, t in v.value_labels.items()}
        meta["missing_codes"][v.name] = tuple(float(c) for c in v.missing_codes)
    else:
        meta["value_labels"].pop(v.name, None)
        meta["missing_codes"].pop(v.name, None)
    meta["missing_ranges"].pop(v.name, None)
    meta["measure"][v.name] = v.measure if v.kind == "numeric" else "nominal"

