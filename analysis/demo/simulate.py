"""Realistic simulated responses to a questionnaire, for the demo, tutorials and tests.

:func:`simulate_responses` works on any :class:`~instrument.model.Instrument`:

* respondents are spread over the instrument's groups (the group question);
* the items of each scale share a latent factor, so the scale's Cronbach's alpha is realistic
  (about .75-.80 whatever the number of items); reverse-keyed items load negatively;
* the groups differ in plausible ways, chosen from the scale's name and label: professionals
  higher on vertical, diagonal and felt accountability and discretion, volunteers higher on
  role ambiguity and conflict, horizontal accountability and the impartiality they report of
  themselves, service users higher on trust; scales the rules
  do not recognise get small seeded differences;
* skip logic is respected: a question whose condition is false for a respondent is empty;
* missing codes of the choice lists (don't know, not applicable) and the global missing codes
  are sprinkled over the asked questions;
* with ``invalid=True`` a few deliberate mistakes give the data check something to find: an
  answer code that is not an option, an answer to a question that was not asked, a number out
  of range;
* open answers include one that starts with ``=`` (what a spreadsheet would take for a formula).

Everything is drawn from one ``numpy`` generator seeded by ``seed``: the same call gives the same
data.

>>> from coprod import instrument
>>> df = simulate_responses(instrument.builtin(), n=50, seed=3, invalid=False)
>>> len(df), list(df.columns[:3])
(50, ['resp_id', 'role', 'area'])
>>> bool(df.loc[df["role"] == 3, "years"].isna().all())   # not asked of service users
True
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: (keywords in a scale's name or English label) -> effect per group kind, in SD units of the factor.
EFFECTS = [
    (("vertical",), {"prof": 0.7, "vol": -0.1, "user": -0.4}),
    (("horizontal", "peer"), {"prof": 0.1, "vol": 0.5, "user": -0.2}),
    (("clarity", "clear"), {"prof": 0.4, "vol": -0.5, "user": 0.0}),
    (("uncertain", "ambigu", "conflict"), {"prof": -0.3, "vol": 0.6, "user": 0.1}),
    (("diagonal",), {"prof": 0.4, "vol": -0.4, "user": 0.0}),
    (("impartial",), {"prof": 0.3, "vol": 0.5, "user": -0.2}),
    (("confidential",), {"prof": 0.2, "vol": 0.3, "user": -0.1}),
    (("discretion",), {"prof": 0.5, "vol": -0.3, "user": -0.1}),
    (("process",), {"prof": 0.3, "vol": 0.4, "user": -0.2}),
    (("outcome", "result"), {"prof": 0.4, "vol": 0.0, "user": -0.1}),
    (("trust",), {"prof": 0.0, "vol": 0.2, "user": 0.4}),
    (("felt",), {"prof": 0.5, "vol": 0.1, "user": -0.3}),
    (("evaluat",), {"prof": 0.2, "vol": -0.2, "user": -0.1}),
    (("coprod", "co-prod", "experience", "efficacy"), {"prof": 0.1, "vol": 0.4, "user": -0.2}),
    (("motivat",), {"prof": 0.1, "vol": 0.5, "user": 0.0}),
]

TEXTS = [
    "The process worked well for everyone.",
    "More training for volunteers would help.",
    "Hard to know who is responsible when things go wrong.",
    "Our supervisor follows every case closely.",
    "The parties did not always understand the agreement.",
    "Too much paperwork.",
    "I would like more feedback on my work.",
    "Meetings were well prepared.",
    "Roles between staff and volunteers were unclear at first.",
    "Good cooperation with the office.",
]
FORMULA_TEXT = '=HYPERLINK("http://example.org","see my comment")'


def _group_kind(gid: str) -> str | None:
    g = gid.lower()
    if "prof" in g or "staff" in g or "employee" in g:
        return "prof"
    if "vol" in g:
        return "vol"
    if "user" in g or "client" in g or "citizen" in g or "resident" in g:
        return "user"
    return None


def _scale_effects(inst, scale, rng) -> dict:
    """{group code: mean of the scale's factor}."""
    # the name and label decide first ("Role ambiguity" whose construct speaks of clarity); then the construct
    named = (scale.name + " " + " ".join(str(v) for v in scale.label.values())).lower()
    table = None
    for text in (named, (scale.construct or "").lower()):
        table = next((eff for keys, eff in EFFECTS if any(k in text for k in keys)), None)
        if table is not None:
            break
    out = {}
    for g in inst.groups:
        kind = _group_kind(g.id)
        out[g.code] = table.get(kind, 0.0) if (table and kind) else float(rng.normal(0, 0.2))
    return out


def _loading(k: int, target_alpha: float = 0.78) -> float:
    """Item loading giving about ``target_alpha`` for k items after 5-point discretisation."""
    k = max(k, 2)
    r = target_alpha / (k - target_alpha * (k - 1))
    return float(np.sqrt(min(r / 0.82, 0.85)))


def _cut(z: np.ndarray, codes) -> np.ndarray:
    """Discretise latent z into the ordered codes, slightly towards agreement."""
    from scipy.stats import norm

    k = len(codes)
    cuts = norm.ppf(np.linspace(0, 1, k + 1)[1:-1]) - 0.25
    return np.asarray(codes, dtype=float)[np.searchsorted(cuts, z)]


def _valid_frame(df: pd.DataFrame, inst) -> pd.DataFrame:
    """The answers with every missing code as NaN (what skip-logic evaluation expects)."""
    clean = df.copy()
    for q in inst.questions:
        codes = [float(c) for c in q.missing_codes]
        if codes and q.name in clean.columns:
            clean[q.name] = clean[q.name].where(~clean[q.name].isin(codes))
    return clean


def simulate_responses(instrument=None, n: int = 300, seed: int = 20240601, invalid: bool = True,
                       missing_rate: float = 0.04) -> pd.DataFrame:
    """A DataFrame of ``n`` simulated respondents: the respondent id and every variable of ``instrument``.

    Coded answers are numbers (float; NaN where not asked or skipped), open answers text (None when
    empty), dates ``datetime.date``.
    """
    inst = instrument if instrument is not None else _builtin()
    rng = np.random.default_rng(seed)
    data: dict = {inst.respondent_id: np.arange(1, n + 1, dtype=float)}
    group = _draw_groups(inst, rng, n)
    item_scale, factors = _scale_factors(inst, rng, group)
    for q in inst.questions:
        if q.stores_data:
            data.update(_answers(q, inst, rng, group, item_scale, factors))
    df = pd.DataFrame(data)
    # missing codes first, so that a later question's condition sees them ("don't know" is not a valid answer)
    _sprinkle_missing_codes(df, inst, rng, missing_rate)
    _apply_skip_logic(df, inst)
    _formula_answer(df, inst)
    if invalid:
        _plant_mistakes(df, inst, rng)
    return df


def _builtin():
    import coprod.instrument as _inst

    return _inst.builtin()


def _draw_groups(inst, rng, n: int) -> np.ndarray:
    """Each respondent's group code: professionals, volunteers and service users in realistic shares."""
    if not (inst.groups and inst.group_question):
        return np.zeros(n)
    codes = [g.code for g in inst.groups]
    base = {"prof": 0.34, "vol": 0.30, "user": 0.36}
    p = np.array([base.get(_group_kind(g.id), 1.0 / len(codes)) for g in inst.groups], dtype=float)
    return rng.choice(np.asarray(codes, dtype=float), size=n, p=p / p.sum())


def _scale_factors(inst, rng, group: np.ndarray) -> tuple[dict, dict]:
    """({item: (scale, loading, reversed)}, {scale: each respondent's latent factor})."""
    item_scale: dict = {}
    factors: dict = {}
    for s in inst.scales.values():
        eff = _scale_effects(inst, s, rng)
        mu = np.array([eff.get(int(g), 0.0) if not np.isnan(g) else 0.0 for g in group])
        factors[s.name] = mu + rng.standard_normal(len(group))
        lam = _loading(len(s.items))
        for it in s.items:
            item_scale.setdefault(it.lower(), (s.name, lam, it.lower() in {r.lower() for r in s.reverse}))
    return item_scale, factors


def _answers(q, inst, rng, group: np.ndarray, item_scale: dict, factors: dict) -> dict:
    """{variable: answers} of one question (before skip logic and missing codes)."""
    import datetime as dt

    n = len(group)
    if q.name == inst.group_question:
        return {q.name: group.astype(float)}
    if q.type == "likert" or (q.type == "single" and q.choices is not None and q.choices.ordered):
        sc = item_scale.get(q.name.lower())
        if sc:
            f, lam = factors[sc[0]], sc[1] * (-1 if sc[2] else 1)
        else:
            f, lam = rng.standard_normal(n) + rng.normal(0, 0.15), 0.3
        z = lam * f + np.sqrt(max(1 - lam * lam, 0.05)) * rng.standard_normal(n)
        return {q.name: _cut(z, list(q.choices.codes))}
    if q.type == "single" and q.choices is not None:
        codes = np.asarray(q.choices.codes, dtype=float)
        return {q.name: rng.choice(codes, size=n, p=rng.dirichlet(np.full(len(codes), 2.0)))}
    if q.type == "multiple" and q.choices is not None:
        return {var: (rng.random(n) < rng.uniform(0.15, 0.6)).astype(float) for var in q.variable_names()}
    if q.type in ("integer", "decimal"):
        lo = q.min if q.min is not None else 0.0
        hi = q.max if q.max is not None else lo + 50.0
        span = hi - lo
        x = lo + np.minimum(rng.gamma(2.0, span / 10.0, n), span)
        return {q.name: np.round(x) if q.type == "integer" else np.round(x, 1)}
    if q.type in ("text", "longtext"):
        answered = rng.random(n) < (0.35 if q.type == "longtext" else 0.5)
        picks = rng.integers(0, len(TEXTS), n)
        return {q.name: np.array([TEXTS[i] if a else None for i, a in zip(picks, answered)], dtype=object)}
    if q.type == "date":
        start = dt.date(2024, 1, 1)
        days = rng.integers(0, 365, n)
        return {q.name: np.array([start + dt.timedelta(days=int(d)) for d in days], dtype=object)}
    return {}


def _apply_skip_logic(df: pd.DataFrame, inst) -> None:
    """Empty the questions not asked, in questionnaire order (conditions refer to earlier answers)."""
    section_of = {q.name: s for s in inst.sections for q in s.questions}
    for q in inst.questions:
        conds = [c for c in (section_of[q.name].relevant, q.relevant) if c is not None]
        if not conds or not q.stores_data:
            continue
        clean = _valid_frame(df, inst)
        asked = np.ones(len(df), dtype=bool)
        for c in conds:
            asked &= np.asarray(c.evaluate(clean), dtype=bool)
        for var in q.variable_names():
            if df[var].dtype == object:
                df.loc[~asked, var] = None
            else:
                df.loc[~asked, var] = np.nan


def _sprinkle_missing_codes(df: pd.DataFrame, inst, rng, missing_rate: float) -> None:
    """Missing codes (don't know, no answer) on some answers; skip logic then empties the questions not asked."""
    n = len(df)
    for q in inst.questions:
        if q.type in ("likert", "single") and q.choices is not None and q.name != inst.group_question:
            mcodes = list(q.choices.missing_codes) or [c.code for c in q.missing]
            if not mcodes:
                continue
            asked = df[q.name].notna().to_numpy()
            hit = asked & (rng.random(n) < missing_rate)
            df.loc[hit, q.name] = rng.choice(np.asarray(mcodes, dtype=float), size=int(hit.sum()))
        elif q.type in ("integer", "decimal") and q.missing:
            asked = df[q.name].notna().to_numpy()
            hit = asked & (rng.random(n) < missing_rate / 2)
            df.loc[hit, q.name] = float(q.missing[0].code)


def _formula_answer(df: pd.DataFrame, inst) -> None:
    """One open answer that a spreadsheet would take for a formula, always."""
    texts = [q.name for q in inst.questions if q.type in ("text", "longtext")]
    if texts:
        col = texts[-1]
        rows = np.nonzero(df[col].notna().to_numpy())[0]
        row = int(rows[0]) if rows.size else 0
        df.loc[row, col] = FORMULA_TEXT


def _plant_mistakes(df: pd.DataFrame, inst, rng) -> None:
    """An invalid code, an answer where the question was not asked, a number out of range."""
    n = len(df)
    likert = [q for q in inst.questions if q.type == "likert" and q.choices is not None]
    if likert and n:
        q = likert[0]
        row = int(rng.integers(0, n))
        df.loc[row, q.name] = float(max(q.choices.codes)) + 2  # e.g. 7 on a 1-5 scale
    skipped = [q for q in inst.questions if q.relevant is not None and q.stores_data and len(q.variable_names()) == 1
               and q.type in ("integer", "decimal", "likert", "single")]
    for q in skipped:
        empty = np.nonzero(df[q.name].isna().to_numpy())[0]
        if empty.size:
            row = int(empty[0])
            if q.type in ("integer", "decimal"):
                df.loc[row, q.name] = float(q.min if q.min is not None else 1)
            else:
                df.loc[row, q.name] = float(q.choices.codes[0])
            break
    numeric = [q for q in inst.questions if q.type in ("integer", "decimal") and q.max is not None]
    for q in numeric:
        filled = np.nonzero(df[q.name].notna().to_numpy() & (df[q.name].to_numpy(dtype=float, na_value=np.nan) >= 0))[0]
        if filled.size:
            df.loc[int(filled[-1]), q.name] = float(q.max) + 39
            break


def simulated_responses(instrument=None, n: int = 300, seed: int = 20240601, invalid: bool = True):
    """:func:`simulate_responses` as :class:`~coprod.analysis.data.responses.Responses` with the
    instrument's labels and missing codes (ready to write to .sav)."""
    from coprod.analysis.data.labels import label_from_instrument
    from coprod.analysis.data.responses import Responses

    instrument = instrument if instrument is not None else _builtin()
    df = simulate_responses(instrument, n=n, seed=seed, invalid=invalid)
    return label_from_instrument(Responses(df), instrument)
