"""Non-response as information: who did not answer what, whether that differs by group, who stopped
early, and whether a scale's missing answers look completely at random.

Every answer cell of an item is one of: *not asked* (the skip logic of the questionnaire left the
question out for this respondent: by design, not a non-response), *answered* (a valid answer),
*don't know*, *not applicable*, *refused* (any other user-missing code, e.g. "No answer") or
*missing* (empty: system-missing).  Rates are percentages of the respondents asked.

Which missing code means "don't know" and which "not applicable" is read from its label in any of
the instrument's languages (or the data's value labels): "Don't know", "En osaa sanoa", "Vet inte",
"Kan inte säga", "DK" ...; "Not applicable", "Ei koske minua", "Gäller inte mig", "N/A" ...
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats import grouptests as _tests
from coprod.analysis.stats import nonresponse_more as _more
from coprod.analysis.stats import posthoc as _ph
from coprod.analysis.stats.skiplogic import asked, question_of
from coprod.instrument.errors import OptionError

KINDS = ("answered", "dont_know", "not_applicable", "refused", "missing")
NOT_ASKED = -1
ITEM_COLUMNS = ["variable", "label", "group", "n", "n_not_asked", "n_asked", "n_answered", "n_dont_know",
                "n_not_applicable", "n_refused", "n_missing", "nonresponse_percent", "dont_know_percent",
                "not_applicable_percent", "refused_percent", "missing_percent"]
TEST_COLUMNS = ["variable", "label", "test", "statistic", "df", "p", "p_adj", "adjust", "n", "groups", "note", "warning"]
BREAKOFF_COLUMNS = ["group", "n", "n_completed", "n_broke_off", "n_empty", "breakoff_percent", "median_position",
                    "n_positions"]
RESPONDENT_COLUMNS = ["row", "respondent", "group", "n_asked", "n_answered", "nonresponse_percent", "last_position",
                      "last_question", "broke_off"]
MCAR_COLUMNS = ["scale", "n", "k", "n_patterns", "chisq", "df", "p", "note"]

_DK = re.compile(r"\b(don'?t know|do not know|dk|can'?t say|cannot say|en osaa sanoa|en tiedä|eos|vet ej|vet inte|"
                 r"kan inte säga|kan ej säga)\b", re.I)
_NA = re.compile(r"(\bnot applicable\b|\bn/?a\b|\bdoes not apply\b|\bei koske\b|\bei sovellu\b|\bek\b|"
                 r"\bgäller inte\b|\bej tillämplig|\binte tillämplig)", re.I)


def missing_kind(labels) -> str:
    """``"dont_know"``, ``"not_applicable"`` or ``"refused"`` for a missing code with these labels (any languages).

    >>> missing_kind(["Don't know", "En osaa sanoa"]), missing_kind(["Gäller inte mig"]), missing_kind(["No answer"])
    ('dont_know', 'not_applicable', 'refused')
    """
    texts = [str(t).replace("’", "'") for t in labels if t]
    if any(_DK.search(t) for t in texts):
        return "dont_know"
    if any(_NA.search(t) for t in texts):
        return "not_applicable"
    return "refused"


@dataclass
class NonresponseResult:
    """The tables of :func:`nonresponse`."""

    item_nonresponse: pd.DataFrame
    nonresponse_tests: pd.DataFrame
    breakoff: pd.DataFrame
    respondents: pd.DataFrame
    mcar: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name for :func:`analysis.render.emit` (``nonresponse_tests`` with groups only,
        ``mcar`` when there are scales)."""
        out = {"item_nonresponse": self.item_nonresponse}
        if len(self.nonresponse_tests):
            out["nonresponse_tests"] = self.nonresponse_tests
        out["breakoff"] = self.breakoff
        if len(self.mcar):
            out["mcar"] = self.mcar
        out["respondents"] = self.respondents
        return out


def nonresponse(data, items=None, by: str | None = None, scale=None, adjust: str = "holm") -> NonresponseResult:
    """Item non-response by group, tests of whether it differs, break-off and Little's MCAR test.

    * ``item_nonresponse``: per variable and group (first "Total"): respondents ``n``, those not
      asked (skip logic) and asked, then of those asked the counts answered, don't know, not
      applicable, refused and missing (empty), and the percentages of the asked
      (``nonresponse_percent`` = all but the answered).
    * ``nonresponse_tests`` (with ``by``): per variable, whether the non-response rate (not
      answered / asked) differs by group: groups x (answered, not answered) among the asked,
      Pearson's chi-square without continuity correction, or Fisher's exact test when an expected
      count is under 5 (2 x 2 as :func:`analysis.stats.compare.compare`; k x 2 by enumeration,
      Freeman-Halton, as R's ``fisher.test``); p adjusted across the variables by ``adjust``.
      Groups nobody in was asked the question are left out.
    * ``breakoff``: per group, respondents who stopped before the end: the position (in form
      order, counting the closed questions) of the last question with any recorded answer (missing
      codes count: the respondent was there); broken off when a question asked after it has no
      recorded answer; ``n_empty`` have none at all.  ``median_position`` of those who broke off;
      ``n_positions`` questions counted.
    * ``respondents``: per respondent, questions asked and answered validly, the non-response
      percentage, the last position and question, and whether they broke off.
    * ``mcar``: Little's MCAR test of each scale's items (see
      :func:`analysis.stats.nonresponse_more.little_mcar`), respondents asked the scale.

    Parameters
    ----------
    data : Responses or DataFrame
        Without an instrument every variable is asked of everyone, in column order.
    items : str or list of str, optional
        Variables (see :mod:`analysis.items`); default the instrument's closed questions (not open
        text), else every variable but ``by``.
    by : str, optional
        Grouping variable.
    scale : str or list of str, optional
        Scales for the MCAR test (default every scale of the instrument in the data); with
        ``items`` and no instrument, the items themselves as one scale.
    adjust : str
        Correction across variables: holm, fdr-bh, bonferroni, none.

    Returns
    -------
    NonresponseResult
        ``item_nonresponse``: :data:`ITEM_COLUMNS`; ``nonresponse_tests``: :data:`TEST_COLUMNS`;
        ``breakoff``: :data:`BREAKOFF_COLUMNS`; ``respondents``: :data:`RESPONDENT_COLUMNS`;
        ``mcar``: :data:`MCAR_COLUMNS`.

    Examples
    --------
    >>> from coprod.analysis.data.responses import Responses
    >>> df = pd.DataFrame({"g": [1, 1, 1, 2, 2, 2], "q": [1, -8, 2, 3, None, -8]})
    >>> r = Responses(df, value_labels={"q": {-8.0: "Don't know"}}, missing_codes={"q": (-8,)})
    >>> res = nonresponse(r, items="q", by="g")
    >>> res.item_nonresponse[["group", "n_asked", "n_answered", "n_dont_know", "n_missing", "nonresponse_percent"]]
       group  n_asked  n_answered  n_dont_know  n_missing  nonresponse_percent
    0  Total        6           3            2          1            50.000000
    1      1        3           2            1          0            33.333333
    2      2        3           1            1          1            66.666667
    """
    resp = _stats.responses(data)
    adjust = (adjust or "none").lower()
    if adjust not in _ph.ADJUST_METHODS:
        raise OptionError(f"unknown correction {adjust!r} (choose from {', '.join(_ph.ADJUST_METHODS)})", param="adjust")
    groups = _stats.groups_of(resp, by)
    names = _item_names(resp, items, groups.var)
    cache: dict = {}  # who each set of skip-logic conditions asks: worked out once
    status = {v: cell_status(resp, v, cache) for v in names}
    item = _item_table(resp, names, status, groups)
    tests = _test_table(resp, names, status, groups, adjust) if groups.var is not None else _stats.frame([], TEST_COLUMNS)
    resp_table, brk = _breakoff(resp, groups, status, cache)
    mcar = mcar_table(resp, names if items is not None else None, scale, cache)
    return NonresponseResult(item, tests, brk, resp_table, mcar)


# ---------------------------------------------------------------------------- cells
def _item_names(resp, items, group_var) -> list[str]:
    inst = resp.instrument
    if items is None and inst is not None:
        names = [v.name for v in inst.variables if v.name in resp.data.columns and v.kind in ("numeric", "date")
                 and (group_var is None or v.name.lower() != group_var.lower())]
        if names:
            return names
    return _stats.resolve_items(resp, items, exclude=(group_var,) if group_var else ())


def cell_status(resp, name: str, cache: dict | None = None) -> np.ndarray:
    """Per row: -1 not asked, else the index in :data:`KINDS` (0 answered, 1 don't know, 2 not
    applicable, 3 refused, 4 missing)."""
    col = resp.data[name]
    user = resp.is_user_missing(name)
    if pd.api.types.is_numeric_dtype(col):
        x = col.to_numpy(dtype=float, na_value=np.nan)
        empty = np.isnan(x)
    else:
        x = col.astype("string").str.strip()
        empty = (x.isna() | (x == "")).fillna(True).to_numpy(dtype=bool)
        x = x.to_numpy(dtype=object, na_value=None)
    out = np.where(empty, 4, np.where(user, 3, 0)).astype(np.int64)
    for code, kind in _code_kinds(resp, name).items():
        hit = user & ~empty & (x == code)
        out[hit] = KINDS.index(kind)
    q, conds = question_of(resp, name)
    if conds:
        out[~asked(resp, conds, cache)] = NOT_ASKED
    return out


def _code_kinds(resp, name: str) -> dict:
    """{missing code: kind} from the labels of the instrument (every language) or of the data."""
    codes = list(resp.missing_codes.get(name) or ())
    q, _ = question_of(resp, name)
    out = {}
    for code in codes:
        labels = [resp.value_labels.get(name, {}).get(code), resp.value_labels.get(name, {}).get(_num(code))]
        if q is not None:
            for c in ((q.choices.missing if q.choices is not None else ()) + tuple(q.missing)
                      + tuple(resp.instrument.missing)):
                if _num(c.code) == _num(code):
                    labels += list(c.label.values())
        out[_num(code) if pd.api.types.is_numeric_dtype(resp.data[name]) else str(code)] = missing_kind(labels)
    return out


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


# ---------------------------------------------------------------------------- tables
def _blocks(groups) -> list[tuple[str, np.ndarray]]:
    out = [(_stats.TOTAL, np.ones(groups.index.size, dtype=bool))]
    if groups.var is not None:
        out += [(lab, groups.index == j) for j, lab in enumerate(groups.labels)]
    return out


def _item_table(resp, names, status, groups) -> pd.DataFrame:
    rows = []
    for v in names:
        st = status[v]
        for glab, sel in _blocks(groups):
            s = st[sel]
            c = np.bincount(s[s >= 0], minlength=len(KINDS))
            n_asked = int(c.sum())
            pct = (lambda k: 100.0 * k / n_asked) if n_asked else (lambda k: np.nan)
            rows.append({"variable": v, "label": resp.label(v), "group": glab, "n": int(sel.sum()),
                         "n_not_asked": int((s == NOT_ASKED).sum()), "n_asked": n_asked,
                         **{f"n_{k}": int(c[i]) for i, k in enumerate(KINDS)},
                         "nonresponse_percent": pct(n_asked - c[0]),
                         **{f"{k}_percent": pct(c[i]) for i, k in enumerate(KINDS) if i}})
    return _stats.frame(rows, ITEM_COLUMNS)


def rate_test(counts: np.ndarray) -> dict:
    """The test of a groups x (answered, not answered) table (every row asked): chi-square, or Fisher's
    exact test when an expected count is under 5.  ``{"test", "statistic", "df", "p", "warning"}``.

    >>> t = rate_test(np.array([[40, 10], [30, 20], [45, 5]]))
    >>> t["test"], round(t["statistic"], 6), t["df"], round(t["p"], 6)  # R: chisq.test(m, correct = FALSE)
    ('chi2', 13.043478, 2.0, 0.001471)
    """
    table = _tests.Table(np.asarray(counts))
    if (table.expected < 5).any():
        if counts.shape == (2, 2):
            r = _tests.fisher(table)
            return {"test": "fisher", "statistic": r.statistic, "df": np.nan, "p": r.p, "warning": ""}
        p = _more.fisher_k2(counts)
        if p is not None:
            return {"test": "fisher", "statistic": np.nan, "df": np.nan, "p": p, "warning": ""}
    r = _tests.chi2(table)
    return {"test": "chi2", "statistic": r.statistic, "df": r.df, "p": r.p, "warning": r.warning or ""}


def _test_table(resp, names, status, groups, adjust: str) -> pd.DataFrame:
    rows = []
    for v in names:
        st = status[v]
        ok = (st >= 0) & (groups.index >= 0)
        g, answered = groups.index[ok], st[ok] == 0
        counts = np.stack([np.bincount(g[answered], minlength=groups.k), np.bincount(g[~answered], minlength=groups.k)], 1)
        keep = counts.sum(axis=1) > 0
        row = {"variable": v, "label": resp.label(v), "adjust": adjust, "n": int(ok.sum()), "note": "", "warning": "",
               "groups": _stats.group_text([lab for lab, k in zip(groups.labels, keep) if k], counts[keep].sum(1))}
        not_asked = [lab for lab, k in zip(groups.labels, keep) if not k]
        if keep.sum() < 2:
            row["note"] = "fewer than two groups were asked: no test"
        elif (counts[keep].sum(axis=0) == 0).any():
            row["note"] = "everyone answered: no test" if counts[keep, 1].sum() == 0 else "nobody answered: no test"
        else:
            row.update(rate_test(counts[keep]))
        if not_asked and keep.sum() >= 2:
            row["note"] = _stats.join_notes(row["note"], "not asked of " + ", ".join(not_asked))
        rows.append(row)
    out = _stats.frame(rows, TEST_COLUMNS)
    out["p_adj"] = _ph.adjust_p(out["p"].to_numpy(dtype=float), adjust)
    return out


def _closed_questions(resp) -> list[tuple[str, list[str], tuple]]:
    """(name, data columns, skip-logic conditions) of each closed question in form order."""
    inst = resp.instrument
    if inst is None:
        return [(c, [c], ()) for c in resp.columns]
    out = []
    for sec in inst.sections:
        for q in sec.questions:
            if not q.stores_data or q.type in ("text", "longtext"):
                continue
            cols = [c for c in q.variable_names() if c in resp.data.columns]
            if cols and q.name.lower() != inst.respondent_id.lower():
                out.append((q.name, cols, tuple(e for e in (sec.relevant, q.relevant) if e is not None)))
    return out


def _breakoff(resp, groups, status: dict, cache: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The respondents table and the break-off table (``status``: the cells worked out already)."""
    qs = _closed_questions(resp)
    n, m = len(resp), len(qs)
    recorded = np.zeros((n, m), dtype=bool)  # any value, a missing code too
    valid = np.zeros((n, m), dtype=bool)
    ask = np.ones((n, m), dtype=bool)
    for j, (_, cols, conds) in enumerate(qs):
        for c in cols:
            st = status[c] if c in status else cell_status(resp, c, cache)
            recorded[:, j] |= (st >= 0) & (st != 4)
            valid[:, j] |= st == 0
        ask[:, j] = asked(resp, conds, cache) if conds else True
    pos = np.where(recorded.any(axis=1), m - np.argmax(recorded[:, ::-1], axis=1), 0)  # 1-based; 0: none
    later = ask & ~recorded & (np.arange(1, m + 1)[None, :] > pos[:, None])
    broke = later.any(axis=1) & (pos > 0)
    n_asked, n_valid = ask.sum(axis=1), (valid & ask).sum(axis=1)
    rid = _respondent_ids(resp)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(n_asked > 0, 100.0 * (n_asked - n_valid) / np.maximum(n_asked, 1), np.nan)
    names = np.array([q[0] for q in qs] + [""], dtype=object)
    glabels = np.array(list(groups.labels) + [""], dtype=object)
    people = pd.DataFrame({"row": np.arange(1, n + 1), "respondent": rid,
                           "group": glabels[groups.index] if groups.var is not None else _stats.TOTAL,
                           "n_asked": n_asked, "n_answered": n_valid, "nonresponse_percent": rate,
                           "last_position": pos, "last_question": names[np.where(pos > 0, pos - 1, m)],
                           "broke_off": broke}, columns=RESPONDENT_COLUMNS)
    rows = []
    for glab, sel in _blocks(groups):
        b, empty = broke[sel], pos[sel] == 0
        rows.append({"group": glab, "n": int(sel.sum()), "n_completed": int((~b & ~empty).sum()),
                     "n_broke_off": int(b.sum()), "n_empty": int(empty.sum()),
                     "breakoff_percent": 100.0 * b.sum() / sel.sum() if sel.any() else np.nan,
                     "median_position": float(np.median(pos[sel][b])) if b.any() else np.nan, "n_positions": m})
    return people, _stats.frame(rows, BREAKOFF_COLUMNS)


def _respondent_ids(resp) -> np.ndarray:
    inst = resp.instrument
    key = inst.respondent_id.lower() if inst is not None else "resp_id"
    for c in resp.columns:
        if str(c).lower() in (key, "respondent_id", "id"):
            return resp.data[c].to_numpy(dtype=object)
    return np.arange(1, len(resp) + 1).astype(object)


# ---------------------------------------------------------------------------- MCAR
def mcar_table(resp, items=None, scale=None, cache: dict | None = None) -> pd.DataFrame:
    """Little's MCAR test of each scale, respondents asked it: the instrument's scales (those named by
    ``scale``; with ``items``, those whose items are all among them), else the numeric ``items`` as one set.

    >>> df = pd.DataFrame({"a": [1., 2, 3, 4, 5, 2, None, 1], "b": [2., 1, 4, 3, None, None, 3, 1]})
    >>> mcar_table(df, items=["a", "b"])[["scale", "n", "k", "n_patterns", "df"]]
       scale  n  k  n_patterns  df
    0  items  8  2           3   2
    """
    resp = _stats.responses(resp)
    inst = resp.instrument
    items = _stats.resolve_items(resp, items) if items is not None else None
    if inst is not None and inst.scales:
        specs = [s for s in _stats.scales_from_instrument(resp, [scale] if isinstance(scale, str) else scale)
                 if all(i in resp.data.columns for i in s[1]) and (items is None or set(s[1]) <= set(items))]
    elif items is not None:
        names = [v for v in items if pd.api.types.is_numeric_dtype(resp.data[v])]
        specs = [("items", names, [])] if len(names) >= 2 else []
    else:
        specs = []
    rows = []
    for name, its, _ in specs:
        X = _stats.numeric_block(resp, its)
        _, conds = question_of(resp, its[0])
        if conds:
            X = X[asked(resp, conds, cache)]
        r = _more.little_mcar(X)
        rows.append({"scale": name, "k": len(its), **r})
    return _stats.frame(rows, MCAR_COLUMNS)
