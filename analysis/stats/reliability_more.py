"""Item statistics of a scale beyond SPSS's item-total table: squared multiple correlations (omega if deleted:
:mod:`~coprod.analysis.stats.minres`)."""
from __future__ import annotations

import numpy as np


def smc(R: np.ndarray) -> np.ndarray:
    """Squared multiple correlation of each item with the others, 1 - 1 / diag(R^-1) (SPSS's item-total
    table; the R² of regressing the item on the other items).  NaN when R is singular.

    >>> smc(np.array([[1.0, 0.5], [0.5, 1.0]])).round(6).tolist()
    [0.25, 0.25]
    """
    try:
        inv = np.linalg.inv(R)
    except np.linalg.LinAlgError:
        return np.full(R.shape[0], np.nan)
    d = np.diag(inv)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - 1.0 / d
    return np.where(np.isfinite(out) & (d > 0), out, np.nan)
