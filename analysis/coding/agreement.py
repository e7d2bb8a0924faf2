"""Agreement between coders: Krippendorff's alpha (nominal) per theme and overall, percent agreement,
and the disagreements to reconcile.

For one theme, a *unit* is one answer to a question the theme applies to, and each coder's value is
1 (present) or 0 (absent); a coder who did not code the answer leaves the unit's cell missing.
Alpha is computed by the ``krippendorff`` package (nominal level) over the units that at least two
coders coded ("pairable" units, which alone carry information about agreement). The overall alpha
pools every theme's units: each answer-and-theme decision is one unit. Percent agreement is the
share of pairable units on which every coder gave the same value. Where every value is the same
(a theme nobody, or everybody, marked) alpha is undefined and left missing.

>>> import numpy as np
>>> round(alpha_nominal([[1, 1, 0, 0, 1], [1, 1, 0, 1, 1]]), 4)
0.5714
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coprod.instrument.errors import DataError

AGREEMENT_COLUMNS = ["theme", "alpha", "units", "coders", "percent_agreement"]
DISAGREEMENT_COLUMNS = ["key", "group", "question", "theme", "present", "absent", "answer"]
OVERALL = "(all themes)"


def alpha_nominal(matrix) -> float:
    """Krippendorff's alpha, nominal, of a coders x units matrix (NaN = not coded); NaN where undefined."""
    import krippendorff

    data = np.asarray(matrix, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    if data.ndim != 2 or data.shape[0] < 2 or len(values) < 2:
        return float("nan")
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return float("nan")


def percent_agreement(matrix) -> tuple[float, int]:
    """(% of pairable units on which every coder agrees, number of pairable units)."""
    data = np.asarray(matrix, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    if not pairable.any():
        return float("nan"), 0
    sub = data[:, pairable]
    lo, hi = np.nanmin(sub, axis=0), np.nanmax(sub, axis=0)
    return float(100.0 * np.mean(lo == hi)), int(pairable.sum())


def reliability_matrix(coded: pd.DataFrame, theme: str | None = None) -> tuple[np.ndarray, list[str], pd.MultiIndex]:
    """Coders x units matrix of values (NaN = not coded) for ``theme`` (None: every theme pooled)."""
    sub = coded if theme is None else coded[coded["theme"] == theme]
    sub = sub.dropna(subset=["value"])
    wide = sub.pivot_table(index="coder", columns=["key", "question", "theme"], values="value", aggfunc="max",
                           sort=False)
    return wide.to_numpy(dtype=float), list(wide.index), wide.columns


@dataclass
class AgreementResult:
    """``agreement`` (per theme and overall) and ``disagreements`` (to reconcile)."""

    agreement: pd.DataFrame
    disagreements: pd.DataFrame

    def tables(self) -> dict:
        return {"agreement": self.agreement, "disagreements": self.disagreements}

    def methods_sentence(self) -> str:
        row = self.agreement[self.agreement["theme"] == OVERALL]
        if row.empty or not len(self.agreement):
            return ""
        r = row.iloc[0]
        alpha = "undefined" if pd.isna(r["alpha"]) else f"{r['alpha']:.2f}".replace("0.", ".", 1)
        return (f"{int(r['coders'])} coders coded the open answers independently; agreement over {int(r['units'])} "
                f"answer-theme decisions was Krippendorff's α = {alpha} (nominal) with "
                f"{r['percent_agreement']:.1f}% agreement; disagreements were reconciled by discussion.")


def agreement(coded: pd.DataFrame, themes=None) -> AgreementResult:
    """Krippendorff's alpha and percent agreement per theme and overall, with the disagreements.

    ``coded`` is the coded-answers table (:func:`~.merge.import_coding`); ``themes`` limits the
    themes (default: every theme with values, in the order they appear).
    """
    need = {"coder", "key", "question", "theme", "value"}
    if not need <= set(coded.columns):
        raise DataError(f"not a coded-answers table (needs {', '.join(sorted(need))})")
    present = list(dict.fromkeys(coded["theme"]))
    themes = present if themes is None else [t for t in themes if t in present]
    if coded["coder"].nunique() < 2:
        raise DataError("agreement needs the work of at least two coders")
    use = coded[coded["theme"].isin(themes)]
    rows = []
    for theme in themes + [OVERALL]:
        matrix, coders, _ = reliability_matrix(use, None if theme == OVERALL else theme)
        pct, units = percent_agreement(matrix)
        used = int((~np.isnan(matrix)).any(axis=1).sum()) if matrix.size else 0
        rows.append([theme, alpha_nominal(matrix), units, used, pct])
    table = pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
    return AgreementResult(table, disagreements(use))


def disagreements(coded: pd.DataFrame) -> pd.DataFrame:
    """The answer-theme decisions on which coders differ: who marked the theme present, who absent."""
    sub = coded.dropna(subset=["value"])
    keys = ["key", "question", "theme"]
    sub = sub[sub.groupby(keys, sort=False)["value"].transform("nunique").to_numpy() > 1]  # the units in dispute
    rows = []
    for (key, question, theme), part in sub.groupby(keys, sort=False):
        yes = ", ".join(part.loc[part["value"] == 1, "coder"])
        no = ", ".join(part.loc[part["value"] == 0, "coder"])
        group = next((g for g in part["group"] if isinstance(g, str) and g), "") if "group" in part else ""
        answer = part["answer"].iloc[0] if "answer" in part else ""
        rows.append([key, group, question, theme, yes, no, answer])
    return pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)
