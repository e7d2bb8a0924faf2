"""Which intercepts to release when scalar invariance fails: univariate score tests, as lavaan's ``lavTestScore``.

For each item j and each group g but the reference, the equality of g's intercept with the
reference group's is released: the score test (Lagrange multiplier) of that one constraint is
s' I^-1 s with s the score of the log-likelihood and I the expected information of the model with
the intercept freed, both at the scalar estimates (chi-square, 1 df).  Complete data (listwise)
only; with ``mlr`` the test is the standard, unscaled one.
"""
from __future__ import annotations

import numpy as np

from coprod.analysis.stats import chisq as _chisq
from coprod.analysis.stats import cfa_model as _model


def intercept_scores(est: _model.Estimate, moments: list[_model.Moments], names: list[str],
                     labels: list[str]) -> list[dict]:
    """``group, variable, chisq, df, p`` for every intercept constraint, largest chi-square first."""
    lay = est.layout
    p = lay.p
    rows = []
    for g in range(1, lay.groups):
        for j, v in enumerate(names):
            k = p + j
            shared = lay.index[g, k]
            if shared < 0:
                continue
            index = lay.index.copy()
            index[g, k] = lay.npar
            ext = _model.Layout(p, index, lay.fixed)
            x = np.append(est.x, est.x[shared])
            obj = _model.Objective(ext, moments)
            _, grad = obj(x)
            score = -0.5 * obj.N * grad
            try:
                stat = float(score @ np.linalg.solve(obj.information(x), score))
            except np.linalg.LinAlgError:
                stat = np.nan
            rows.append({"group": labels[g], "variable": v, "chisq": stat, "df": 1,
                         "p": _chisq.chisq_sf(stat, 1) if np.isfinite(stat) else np.nan})
    rows.sort(key=lambda r: -r["chisq"] if np.isfinite(r["chisq"]) else 0.0)
    return rows
