"""Scale scores: reverse-keyed items and mean/sum scores with SPSS's ``MEAN.n`` rule.

A scale's score is the mean (or sum) of its valid items; it is missing when fewer than the scale's
``min_valid`` items are valid, exactly like SPSS ``COMPUTE felt_acc = MEAN.2(fa1, fa2, fa3r)``.
User-missing codes and codes that are not answer options are not valid.  Reverse-keyed items are
recoded as ``min + max - x`` of the item's answer codes (1..5 -> 5..1) before scoring.

>>> import pandas as pd, instrument
>>> from coprod.analysis.data.responses import Responses, copied
>>> inst = instrument.builtin()
>>> data = pd.DataFrame({"fa1": [5, 4, -8, 1], "fa2": [4, -8, -8, 2], "fa3": [1, 2, 3, -7],
...                      "fa4": [5, 4, -8, 2], "fa5": [1, 2, 3, 5]})
>>> scored = score(Responses(data), inst)
>>> scored.data["felt_acc"].round(3).tolist()
[4.0, 3.5, nan, 1.5]
>>> scored.variable_labels["felt_acc"], scored.measure["felt_acc"]
('Felt accountability', 'scale')

What scoring has to say about a scale is a :class:`ScoreNote` in the result's ``score_notes``, picked
out by its ``kind``:

>>> out = score(Responses(data[["fa1", "fa2"]]), inst, scales=["felt_acc"])
>>> [(n.kind, n.scale, n.columns) for n in out.score_notes]
[('not_scored', 'felt_acc', ('fa3', 'fa4', 'fa5'))]
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coprod.analysis.data.responses import Responses, copied
from coprod.instrument.errors import OptionError


@dataclass(frozen=True)
class ScoreNote:
    """A note from :func:`score` about one scale.

    ``kind`` is ``"not_scored"`` (``columns``: the scale's items that are not in the data) or
    ``"replaced"`` (``columns``: columns already in the data that the score or the scale's reversed
    items replaced); ``text`` says it in words.
    """

    kind: str
    scale: str
    text: str
    columns: tuple = ()

    def __str__(self) -> str:
        return self.text


def reverse_code(values, codes) -> np.ndarray:
    """``min + max - x`` for values among ``codes``; anything else (missing codes, NaN) becomes NaN.

    >>> reverse_code([1, 2, 5, -8, None], (1, 2, 3, 4, 5)).tolist()
    [5.0, 4.0, 1.0, nan, nan]
    """
    x = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    cs = np.asarray(codes, dtype=float)
    if cs.size == 0:
        return np.full(x.shape, np.nan)
    ok = np.isin(x, cs)
    return np.where(ok, cs.min() + cs.max() - x, np.nan)


def _valid_items(responses: Responses, instrument, names) -> dict:
    """{item: float array of valid answers (other values NaN)}."""
    out = {}
    for name in names:
        col = responses.resolve(name)
        x = pd.to_numeric(responses.data[col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        try:
            q = instrument.question(name)
        except KeyError:
            q = None
        if q is not None and q.choices is not None:
            x = np.where(np.isin(x, np.asarray(q.choices.codes, dtype=float)), x, np.nan)
        else:
            miss = responses.is_user_missing(col)
            if miss.any():
                x = np.where(miss, np.nan, x)
        out[name] = x
    return out


def score(responses: Responses, instrument=None, scales=None, reverse_copies: bool = False) -> Responses:
    """A copy of ``responses`` with one scale-level variable per scale, named after the scale.

    ``scales`` limits the scales scored (names); ``reverse_copies`` also adds the recoded items as
    ``{item}_r`` (labelled, with reversed value labels).  A scale whose items are not all in the data
    is left out; the result's ``score_notes`` says so (kind ``not_scored``), and says which columns
    already in the data were replaced (kind ``replaced``).
    """
    instrument = instrument if instrument is not None else responses.instrument
    if instrument is None:
        raise OptionError("scoring needs a questionnaire definition", param="instrument")
    wanted = list(instrument.scales) if scales is None else list(scales)
    unknown = [s for s in wanted if s not in instrument.scales]
    if unknown:
        raise OptionError(f"no scale called {', '.join(unknown)} (scales: {', '.join(instrument.scales) or 'none'})")
    lang = instrument.default_language
    from coprod.instrument.model import text_in

    new_cols: dict = {}
    labels, vlabels, measure, notes, owner = {}, {}, {}, [], {}
    have = {str(c).lower() for c in responses.data.columns}
    for name in wanted:
        sc = instrument.scales[name]
        absent = [i for i in sc.items if i.lower() not in have]
        if absent:
            notes.append(ScoreNote("not_scored", name, f"scale {name} not scored: {', '.join(absent)} not in the data",
                                   tuple(absent)))
            continue
        items = _valid_items(responses, instrument, sc.items)
        rev = {i.lower() for i in sc.reverse}
        mats = []
        for item in sc.items:
            x = items[item]
            if item.lower() in rev:
                q = instrument.question(item)
                x = reverse_code(x, q.choices.codes if q.choices is not None else ())
                if reverse_copies:
                    rname = f"{q.name}_r"
                    new_cols[rname], owner[rname] = x, name
                    labels[rname], vlabels[rname], measure[rname] = _reversed_meta(q, lang)
            mats.append(x)
        m = np.column_stack(mats) if mats else np.empty((len(responses), 0))
        n_valid = (~np.isnan(m)).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.nansum(m, axis=1)
            value = total / n_valid if sc.score == "mean" else total
        value = np.where(n_valid >= max(1, sc.min_valid), value, np.nan)
        new_cols[name], owner[name] = value.astype(float), name
        labels[name] = text_in(sc.label, lang) or name
        measure[name] = "scale"
    if not new_cols:
        out = copied(responses)
        out.score_notes = list(responses.score_notes) + notes
        return out
    notes += _replaced_notes([c for c in new_cols if c in responses.data.columns], owner)
    data = _with_columns(responses.data, new_cols)
    out = copied(responses, data=data)
    out.variable_labels.update(labels)
    for c in new_cols:
        out.value_labels.pop(c, None)
        out.missing_codes.pop(c, None)
        out.missing_ranges.pop(c, None)
    out.value_labels.update(vlabels)
    out.measure.update(measure)
    out.score_notes = list(responses.score_notes) + notes
    return out


def _reversed_meta(q, lang: str) -> tuple[str, dict, str]:
    """(variable label, value labels, measure) of a reverse-coded item's copy ``{item}_r``."""
    from coprod.instrument.model import text_in

    lo, hi = min(q.choices.codes), max(q.choices.codes)
    vlabels = {float(lo + hi - ch.code): text_in(ch.label, lang) for ch in q.choices.options}
    return f"{text_in(q.label, lang) or text_in(q.text, lang)} (reversed)", vlabels, q.measure


def _replaced_notes(replaced: list, owner: dict) -> list:
    """One ``replaced`` note per scale whose new columns were already in the data."""
    by_scale: dict = {}
    for c in replaced:
        by_scale.setdefault(owner[c], []).append(c)
    return [ScoreNote("replaced", s, f"replaced existing column(s) {', '.join(cs)} with new scores", tuple(cs))
            for s, cs in by_scale.items()]



def score_file(data, instrument, out, scales=None, reverse_copies: bool = False, force: bool = False) -> tuple[str, list]:
    """Read ``data``, add the scale scores of ``instrument`` and write the result to ``out``.

    Returns the line to show (rows written, scores added) and the notes on scales that were not scored.
    ``out`` is checked before the work, so an existing file without ``force`` costs nothing.
    """
    from coprod.analysis.data.io import load_responses, write_responses
    from coprod.instrument.files import check_writable

    check_writable(out, force)
    scored = score(load_responses(data, instrument), instrument, scales=scales, reverse_copies=reverse_copies)
    write_responses(scored, out, force=force)
    names = [s for s in (scales or instrument.scales) if s in scored.data.columns]
    notes = [n.text for n in scored.score_notes if n.kind == "not_scored"]
    return f"wrote {out}: {len(scored.data):,} rows; scores: {', '.join(names) or 'none'}", notes


def _with_columns(frame: pd.DataFrame, new_cols: dict) -> pd.DataFrame:
    """``frame.assign(**new_cols)`` without inserting the new columns one at a time: a frame of many
    columns (inserted one by one by its maker) otherwise gets pandas' warning that it is fragmented."""
    replaced = {c: v for c, v in new_cols.items() if c in frame.columns}
    added = {c: v for c, v in new_cols.items() if c not in frame.columns}
    out = frame.assign(**replaced) if replaced else frame
    return pd.concat([out, pd.DataFrame(added, index=out.index)], axis=1) if added else out
