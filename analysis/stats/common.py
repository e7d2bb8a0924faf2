"""Helpers shared by the statistics procedures (not part of the public API)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from coprod.analysis.data.items import parse_items
from coprod.analysis.data.responses import Responses, as_responses
from coprod.instrument.errors import DataError, OptionError, VariableError

TOTAL = "Total"
#: More groups than this is refused: a grouping variable with so many values is usually the wrong variable.
MAX_GROUPS = 50


# ---------------------------------------------------------------------------- variables
def _analysable(resp: Responses, name: str, dtype=None) -> bool:
    """Whether a variable belongs in an analysis of "all variables".

    Left out: the respondent id, dates and times, import metadata (``meta_*``) and free text
    (a string variable with more than 50 distinct answers); name them in ``items`` to analyse them.
    """
    inst = resp.instrument
    if inst is not None and name.lower() == inst.respondent_id.lower():
        return False
    if name.startswith("meta_"):
        return False
    dtype = resp.data[name].dtype if dtype is None else dtype
    if pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return False
    if not pd.api.types.is_numeric_dtype(dtype):
        sample = resp.data[name].dropna()
        if len(sample) and isinstance(sample.iloc[0], (_dt.date, _dt.time, _dt.datetime)):
            return False
        if sample.nunique() > 50:
            return False
    return True


def resolve_items(resp: Responses, items, exclude: Sequence[str] = (), numeric_only: bool = False) -> list[str]:
    """The variables named by ``items`` (a spec string or list); all (numeric) ones when None."""
    if items is None:
        dtypes = list(resp.data.dtypes)  # by position: one look-up for all columns
        names = [c for c, dt in zip(resp.columns, dtypes) if c not in exclude and _analysable(resp, c, dt)
                 and (not numeric_only or pd.api.types.is_numeric_dtype(dt))]
        if not names:
            raise DataError("no variables to analyse")
        return names
    try:
        names = parse_items(items, resp.columns)
    except VariableError as exc:
        if len(resp.sources) == 1:  # name the file, as every data error does
            raise VariableError(f"{Path(str(resp.sources[0])).name}: {exc}") from None
        raise
    if not names:
        raise VariableError("no variables given")
    return names


def numeric_block(resp: Responses, names: Sequence[str]) -> np.ndarray:
    """Valid values of ``names`` as a float array (rows x variables, column-major); NaN where missing."""
    cols = [resp.resolve(c) for c in names]
    dtypes = resp.data.dtypes
    for c, name in zip(names, cols):
        dt = resp.data[name].dtype if dtypes.index.has_duplicates else dtypes[name]
        if not pd.api.types.is_numeric_dtype(dt):
            raise DataError(f"variable {c!r} is not numeric")
    return resp.valid_array(cols)


@dataclass
class Groups:
    """Respondents' group memberships: ``index`` per row (-1 = no valid group), codes and labels in code order."""

    var: str | None
    index: np.ndarray
    codes: list
    labels: list[str]

    @property
    def k(self) -> int:
        return len(self.codes)


def groups_of(resp: Responses, by: str | None) -> Groups:
    """Group rows by the valid values of ``by`` (user-missing codes are no group), in code order."""
    n = len(resp)
    if by is None:
        return Groups(None, np.zeros(n, dtype=np.int64), [TOTAL], [TOTAL])
    var = resp.resolve(by)
    col = resp.valid([var])[var]
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        ok = ~np.isnan(values)
        codes = np.unique(values[ok])
        index = np.full(n, -1, dtype=np.int64)
        index[ok] = np.searchsorted(codes, values[ok])
        codes = [float(c) for c in codes]
    else:
        cat = col.astype("string")
        ok = cat.notna().to_numpy() & (cat.str.strip() != "").fillna(False).to_numpy()
        codes = sorted(cat[ok].unique())
        pos = {c: i for i, c in enumerate(codes)}
        index = np.full(n, -1, dtype=np.int64)
        index[ok] = [pos[v] for v in cat[ok]]
    if len(codes) > MAX_GROUPS:
        raise DataError(f"{var!r} has {len(codes)} different values: a grouping variable with more than {MAX_GROUPS} "
                        "groups is usually the wrong variable (an id or a score?); recode it into fewer groups")
    labels = [resp.value_label(var, c) for c in codes]
    return Groups(var, index, list(codes), labels)


def code_range(resp: Responses, var: str, observed: np.ndarray | None = None) -> tuple[float, float] | None:
    """Lowest and highest valid code of ``var`` for reverse-keying.

    From the instrument's choice list when there is one; else from the non-missing codes with
    value labels; else the observed minimum and maximum.
    """
    inst = resp.instrument
    if inst is not None:
        try:
            codes = tuple(getattr(inst.variable(var), "valid_codes", ()) or ())
        except Exception:  # unknown to the instrument, or an older model
            codes = ()
        codes = [float(c) for c in codes if isinstance(c, (int, float, np.number))]
        if codes:
            return min(codes), max(codes)
    labels = resp.value_labels.get(var) or {}
    if labels:
        keys = np.array([float(k) for k in labels if isinstance(k, (int, float, np.number))], dtype=float)
        if keys.size:
            missing = pd.DataFrame({var: keys})
            probe = Responses(missing, missing_codes={var: resp.missing_codes.get(var, ())},
                              missing_ranges={var: resp.missing_ranges.get(var, ())})
            keys = keys[~probe.is_user_missing(var)]
            if keys.size >= 2:
                return float(keys.min()), float(keys.max())
    if observed is not None:
        ok = observed[~np.isnan(observed)]
        if ok.size:
            return float(ok.min()), float(ok.max())
    return None


def top_box_codes(resp: Responses, var: str):
    """The codes counting as agreeing for ``var`` from the instrument's choice list, or None."""
    inst = resp.instrument
    if inst is None:
        return None
    try:
        q = inst.variable(var).question
    except Exception:
        return None
    box = getattr(getattr(q, "choices", None), "top_box", None)
    return tuple(float(c) for c in box) if box else None


def top_box_labels(resp: Responses, names: Iterable[str], lang: str | None = None) -> dict:
    """{variable: what its top box holds in words}, from the labels of the instrument's top-box codes
    in ``lang`` (the instrument's default language when not given): "agree or strongly agree"."""
    from coprod.instrument.expr import or_word
    from coprod.instrument.model import text_in

    inst = resp.instrument
    if inst is None:
        return {}
    lang = lang or inst.default_language
    out = {}
    for var in names:
        codes = top_box_codes(resp, var)
        if not codes:
            continue
        choices = inst.variable(var).question.choices
        labels = [text_in(o.label, lang, inst.default_language) for o in choices.options
                  if isinstance(o.code, (int, float)) and float(o.code) in codes]
        if labels:
            words = [lab[:1].lower() + lab[1:] if not lab[1:2].isupper() else lab for lab in labels]
            out[var] = f" {or_word(lang)} ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)
    return out


def scales_from_instrument(resp: Responses, names: Iterable[str] | None = None) -> list[tuple[str, list[str], list[str]]]:
    """(name, items, reverse) for the instrument's scales (all, or those named)."""
    inst = resp.instrument
    scales = getattr(inst, "scales", None) if inst is not None else None
    if not scales:
        raise DataError("no scales: name the items, or give an instrument that defines scales")
    if names is None:
        chosen = list(scales.values())
    else:
        lowered = {k.lower(): v for k, v in scales.items()}
        chosen = []
        for n in names:
            if n.lower() not in lowered:
                raise VariableError(f"unknown scale {n!r} (the instrument has {', '.join(scales)})")
            chosen.append(lowered[n.lower()])
    return [(s.name, list(s.items), list(getattr(s, "reverse", ()) or ())) for s in chosen]


def scale_specs(resp: Responses, items, reverse, scale, name) -> list[tuple[str, list[str], list[str]]]:
    """(name, items, reverse-keyed items) of each scale: the one given by ``items``, or the instrument's."""
    if items is not None:
        names = parse_items(items, resp.columns)
        rev = parse_items(reverse, resp.columns) if reverse else []
        unknown = [r for r in rev if r not in names]
        if unknown:
            raise OptionError(f"{unknown[0]!r} is not one of the scale's items", param="reverse")
        return [(name or "scale", names, rev)]
    if reverse:
        raise OptionError("reverse-keyed items are given with items", param="reverse")
    chosen = [scale] if isinstance(scale, str) else scale
    return scales_from_instrument(resp, chosen)


def scored_items(resp: Responses, names: Sequence[str], rev: Sequence[str]) -> np.ndarray:
    """The items' valid values (respondents x items, NaN where missing), reverse-keyed items recoded
    (low + high - value)."""
    X = numeric_block(resp, names)
    for j, v in enumerate(names):
        if v in rev:
            rng = code_range(resp, v, X[:, j])
            if rng is not None:
                X[:, j] = rng[0] + rng[1] - X[:, j]
    return X


# ---------------------------------------------------------------------------- numbers
def sorted_quantiles(s: np.ndarray, n: np.ndarray, probs: Sequence[float]) -> np.ndarray:
    """Quantiles by SPSS's HAVERAGE definition (R type 6) from column-sorted data.

    ``s`` holds each column's values sorted with NaN last; ``n`` the count of valid values per
    column.  Position h = p (n + 1); below 1 gives the minimum, above n the maximum.
    Returns an array (len(probs), columns), NaN where n is 0.
    """
    m = s.shape[1]
    out = np.full((len(probs), m), np.nan)
    has = n > 0
    if not has.any():
        return out
    cols = np.nonzero(has)[0]
    nn = n[cols].astype(float)
    for i, p in enumerate(probs):
        h = p * (nn + 1.0)
        lo = np.floor(h)
        frac = h - lo
        lo_i = np.clip(lo.astype(np.int64) - 1, 0, n[cols] - 1)
        hi_i = np.clip(lo.astype(np.int64), 0, n[cols] - 1)
        a = s[lo_i, cols]
        b = s[hi_i, cols]
        val = a + frac * (b - a)
        val = np.where(h < 1, s[0, cols], val)
        val = np.where(h >= nn, s[n[cols] - 1, cols], val)
        out[i, cols] = val
    return out


MAX_CODES = 1000  # integer data spanning at most this many codes are counted instead of sorted


def code_counts(x: np.ndarray, index: np.ndarray, k: int):
    """Counts of the valid values of ``x`` per group, when they are integers spanning few codes.

    Survey answers are small integer codes: counting them (``np.bincount`` of group x code)
    gives every order statistic, sum and sum of squares exactly, without sorting.  Returns
    ``(values, counts)``: ``values`` the codes lo..hi (floats), ``counts`` an int64 array
    (k + 1, codes) whose row 0 counts rows without a valid group (``index`` -1) and row j + 1
    group j.  None when ``x`` holds non-integer or huge values or spans more than MAX_CODES codes.

    >>> v, c = code_counts(np.array([1.0, 3, 3, np.nan, 2]), np.array([0, 0, 1, 1, -1]), 2)
    >>> v.tolist(), c.tolist()
    ([1.0, 2.0, 3.0], [[0, 1, 0], [1, 0, 1], [0, 0, 1]])
    """
    ok = ~np.isnan(x)
    v = x[ok]
    if v.size == 0:
        return np.empty(0), np.zeros((k + 1, 0), dtype=np.int64)
    lo, hi = float(v.min()), float(v.max())
    if not (hi - lo < MAX_CODES and max(-lo, hi) < 2.0 ** 31) or not np.array_equal(v, np.floor(v)):
        return None
    K = int(hi - lo) + 1
    cell = (index[ok] + 1) * K + (v - lo).astype(np.int64)
    counts = np.bincount(cell, minlength=(k + 1) * K).reshape(k + 1, K)
    return lo + np.arange(K, dtype=float), counts


def counted_stats(values: np.ndarray, counts: np.ndarray, probs: Sequence[float] = (0.25, 0.5, 0.75)) -> dict:
    """n, mean, variance (n - 1), quantiles (HAVERAGE), min and max of each row of ``counts``.

    Exact for integer codes: sums and sums of squares are integers, the variance
    (n sum x^2 - (sum x)^2) / (n (n - 1)) is rounded once; the quantiles take the order
    statistics from the cumulative counts and apply the same formula as :func:`sorted_quantiles`,
    so they equal the sorted computation exactly.
    """
    B, K = counts.shape
    n = counts.sum(axis=1)
    out = {"n": n}
    nan = np.full(B, np.nan)
    if K == 0:
        out.update(mean=nan, var=nan.copy(), min=nan.copy(), max=nan.copy(),
                   q=np.full((len(probs), B), np.nan))
        return out
    vi = values.astype(np.int64)
    big = float(np.abs(vi).max()) ** 2 * max(float(n.max()), 1.0) >= 2.0 ** 62
    cc = counts.astype(object) if big else counts
    vv = vi.astype(object) if big else vi
    s1 = cc @ vv
    s2 = cc @ (vv * vv)
    mean, var = nan.copy(), nan.copy()
    for b in range(B):
        nb = int(n[b])
        if nb > 0:
            mean[b] = float(int(s1[b])) / nb
        if nb > 1:
            var[b] = (nb * int(s2[b]) - int(s1[b]) ** 2) / (nb * (nb - 1))
    out["mean"], out["var"] = mean, var
    cum = np.cumsum(counts, axis=1)
    has = n > 0

    def order_stat(i):  # the (i + 1)-th smallest value of each row (0-based i)
        pos = np.array([np.searchsorted(cum[b], i[b] + 1, side="left") for b in range(B)], dtype=np.int64)
        return values[np.minimum(pos, K - 1)]

    n_safe = np.maximum(n, 1)
    out["min"] = np.where(has, order_stat(np.zeros(B, dtype=np.int64)), np.nan)
    out["max"] = np.where(has, order_stat(n_safe - 1), np.nan)
    out["q"] = haverage_quantiles(order_stat, n, out["min"], out["max"], probs)
    return out


def haverage_quantiles(order_stat, n: np.ndarray, lowest, highest, probs: Sequence[float]) -> np.ndarray:
    """SPSS's weighted-average percentiles (HAVERAGE) of every row of counts at once: ``order_stat(i)`` is
    the (i + 1)-th smallest value of each row, ``n`` the rows' counts, ``lowest``/``highest`` their
    minimum and maximum.  Shape ``(len(probs), *n.shape)``; NaN where a row is empty."""
    has, n_safe, nn = n > 0, np.maximum(n, 1), n.astype(float)
    q = np.full((len(probs),) + n.shape, np.nan)
    for j, p in enumerate(probs):
        h = p * (nn + 1.0)
        lo = np.floor(h)
        frac = h - lo
        a = order_stat(np.clip(lo.astype(np.int64) - 1, 0, n_safe - 1))
        b = order_stat(np.clip(lo.astype(np.int64), 0, n_safe - 1))
        val = a + frac * (b - a)
        val = np.where(h < 1, lowest, val)
        val = np.where(h >= nn, highest, val)
        q[j] = np.where(has, val, np.nan)
    return q


def group_text(labels: Sequence[str], ns: Sequence[int]) -> str:
    """``"Professional 40; Volunteer 35"``."""
    return "; ".join(f"{lab} {int(k)}" for lab, k in zip(labels, ns))


def join_notes(*notes) -> str:
    parts = [n for n in notes if n]
    return "; ".join(parts)


def frame(rows: list[dict], columns: Sequence[str]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns`` (in that order), also when there are no rows."""
    df = pd.DataFrame(rows, columns=list(columns))
    return df.reset_index(drop=True)


def responses(data) -> Responses:
    return as_responses(data)


#: Numbers beyond this size are not answers: statistics using them come out empty (as coprod import reports).
MAX_MAGNITUDE = 1e15


def unusable_notes(data) -> list[str]:
    """A sentence for each numeric variable with infinite or huge values (inf, 1e308), saying why its
    mean, SD and tests are empty (NaN) while n counts them.

    >>> unusable_notes(pd.DataFrame({"q1": [1.0, float("inf"), 1e308, 2.0], "q2": [1.0, 2.0, 3.0, 4.0]}))
    ['Variable q1 has 2 infinite or huge values (beyond ±1e+15): statistics that add them up (mean, SD, tests) are left empty; coprod import reports each cell']
    """
    frame = responses(data).data
    where = [j for j, dt in enumerate(frame.dtypes)
             if pd.api.types.is_numeric_dtype(dt) and not pd.api.types.is_bool_dtype(dt)]
    counts = [np.count_nonzero(np.abs(frame.iloc[:, j].to_numpy(dtype=float, na_value=np.nan)) > MAX_MAGNITUDE)
              for j in where]  # column by column, no copy of the frame: inf counts too, NaN (missing) is never greater
    out = []
    for name, bad in zip(frame.columns[where], counts):
        if bad:
            out.append(f"Variable {name} has {bad:,} infinite or huge values (beyond ±{MAX_MAGNITUDE:.0e}): statistics that "
                       "add them up (mean, SD, tests) are left empty; coprod import reports each cell")
    return out
