"""Reliability: golden values from R 4.2.2, psych 2.2.9, on the literal data below."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.reliability import minres_loadings, reliability
from coprod.analysis.data.responses import Responses
from coprod.instrument.errors import DataError, OptionError

X = {
    "i1": [3, 2, 4, 3, 5, 3, 2, 1, 3, 5, 3, 2, 2, 5, 2, 1, 4, 1, 3, 4, 2, 2, 3, 2, 4, 4, 2, 2, 2, 5, 3, 5, 3, 2, 3, 3, 4, 3, 2, 2],
    "i2": [3, 2, 2, 4, 4, 3, 3, 1, 3, 3, 4, 2, 2, 5, 4, 2, 2, 2, 3, 3, 3, 5, 2, 2, 4, 3, 1, 3, 4, 2, 2, 3, 1, 3, 4, 3, 2, 1, 4, 3],
    "i3": [1, 1, 3, 4, 3, 3, 3, 1, 4, 4, 3, 2, 2, 3, 3, 2, 3, 2, 3, 3, 3, 4, 3, 2, 4, 3, 2, 3, 4, 2, 1, 2, 3, 3, 3, 2, 3, 2, 3, 2],
    "i4": [3, 2, 2, 5, 4, 4, 2, 3, 3, 4, 2, 2, 2, 5, 3, 2, 3, 2, 3, 3, 4, 2, 3, 2, 2, 2, 3, 3, 2, 3, 3, 2, 3, 2, 3, 3, 4, 3, 2, 2],
    "i5": [2, 2, 3, 4, 5, 3, 3, 2, 2, 4, 2, 2, 3, 4, 3, 2, 2, 2, 3, 2, 3, 4, 4, 2, 2, 5, 1, 3, 2, 3, 2, 4, 4, 3, 3, 3, 2, 1, 3, 2],
}


def approx(x, rel=1e-6):
    return pytest.approx(x, rel=rel, abs=1e-12)


def frame():
    return pd.DataFrame(X).astype(float)


# R: a <- psych::alpha(x); a$total; alpha.ci(a$total$raw_alpha, 40, 5); a$item.stats$r.drop; a$alpha.drop$raw_alpha
ALPHA = 0.720179094390629
ALPHA_STD = 0.723808163976061
MEAN_R = 0.343889867926006
FELDT = (0.554979869520699, 0.836938873381104)
R_DROP = [0.467638238047426, 0.475602467618814, 0.532084601609337, 0.377957449931733, 0.565884435158144]
ALPHA_DROP = [0.682862927235918, 0.674799502993336, 0.656527855190169, 0.708883025505717, 0.637736174618238]
# R: psych::omega(x, nfactors = 1)$omega.tot   (minres; psych's optimiser converges to ~1e-8)
OMEGA = 0.728484612564112
# R: unclass(psych::fa(x, nfactors = 1, fm = "minres")$loadings)
LOADINGS = [0.537922188578868, 0.630909497083797, 0.665146134198719, 0.418384332085628, 0.685655412482243]


def test_alpha_feldt_omega_match_psych():
    s = reliability(frame(), items="i1..i5").scale.iloc[0]
    assert (s["n"], s["k"]) == (40, 5)
    assert s["alpha"] == approx(ALPHA)
    assert s["alpha_std"] == approx(ALPHA_STD)
    assert s["mean_r"] == approx(MEAN_R)
    assert (s["ci_low"], s["ci_high"]) == (approx(FELDT[0]), approx(FELDT[1]))
    assert s["omega"] == approx(OMEGA)
    assert s["note"] == ""


def test_minres_loadings_match_psych():
    R = np.corrcoef(frame().to_numpy().T)
    assert minres_loadings(R).tolist() == [approx(v, rel=1e-6) for v in LOADINGS]


def _one_factor_correlations(rng, weak: bool, coarse: bool) -> np.ndarray:
    k, n = int(rng.integers(3, 12)), int(rng.integers(15, 400))
    lam = rng.uniform(-0.2, 0.2, k) if weak else rng.uniform(-0.3, 0.95, k) * rng.choice([1, 1, 1, -1], k)
    X = rng.normal(size=(n, 1)) @ lam[None, :] + rng.normal(size=(n, k)) * np.sqrt(np.clip(1 - lam ** 2, 0.05, 1))
    return np.corrcoef(np.round(X * 1.3).clip(-2, 2) if coarse else X, rowvar=False)


def test_minres_shortcut_reaches_the_plain_iterations_root():
    # the independent reference is the plain path: principal axes to 1e-6, Newton's polish, MINPACK where
    # that fails; the shortcut starts Newton after fewer steps and must land on the same root
    rng = np.random.default_rng(1)
    for trial in range(400):
        R = _one_factor_correlations(rng, weak=trial % 7 == 0, coarse=trial % 5 == 0)
        if not np.isfinite(R).all():
            continue
        fast, plain = minres_loadings(R), minres_loadings(R, shortcut=False)
        assert np.max(np.abs(fast - plain)) < 1e-8, (trial, fast, plain)


def test_minres_shortcut_refuses_a_saddle():
    # weak one-factor data (seed 1, trial 35 of the loop above): after principal axes settle to 1e-3,
    # Newton's method converges to a saddle of the residual sum of squares (its Jacobian has a positive
    # eigenvalue); the shortcut must decline it and return the plain iteration's minimum
    rng = np.random.default_rng(1)
    for trial in range(36):
        R = _one_factor_correlations(rng, weak=trial % 7 == 0, coarse=trial % 5 == 0)

    def rss(x):
        E = R - np.outer(x, x)
        np.fill_diagonal(E, 0.0)
        return float((E ** 2).sum())

    from coprod.analysis.stats import minres as rel

    off = R - np.diag(np.diag(R))
    h2 = np.clip(1.0 - 1.0 / np.diag(np.linalg.inv(R)), 0.005, 1.0)
    for _ in range(500):
        lam, h2, moved = rel._principal_axes_step(R, h2)
        if moved < 1e-3:
            break
    saddle = rel._newton_polish(off, lam if lam.sum() >= 0 else -lam)
    sq = saddle ** 2
    assert np.linalg.eigvalsh(off - 2 * np.outer(saddle, saddle) - np.diag(sq.sum() - 3 * sq))[-1] > 0
    got = minres_loadings(R)
    assert np.max(np.abs(got - minres_loadings(R, shortcut=False))) < 1e-10
    assert rss(got) < rss(saddle)


def test_item_total_matches_psych():
    it = reliability(frame(), items="i1..i5").item_total
    assert it["r_drop"].tolist() == [approx(v) for v in R_DROP]
    assert it["alpha_if_deleted"].tolist() == [approx(v) for v in ALPHA_DROP]
    assert it["mean"].tolist() == [approx(v) for v in (2.9, 2.8, 2.675, 2.8, 2.775)]
    total = frame().sum(axis=1)
    assert it["scale_mean_if_deleted"].tolist() == [approx((total - frame()[c]).mean()) for c in X]
    assert it["scale_var_if_deleted"].tolist() == [approx((total - frame()[c]).var()) for c in X]


def test_reverse_keying_uses_label_codes_then_observed():
    df = frame()
    df["i4"] = 6 - df["i4"]  # stored reversed
    r = Responses(df, value_labels={"i4": {1.0: "Disagree", 5.0: "Agree", 9.0: "No answer"}},
                  missing_codes={"i4": (9.0,)})
    s = reliability(r, items="i1..i5", reverse="i4").scale.iloc[0]
    assert s["alpha"] == approx(ALPHA)
    # without labels the observed range (1..5 here) is used
    s2 = reliability(df, items="i1..i5", reverse=["i4"]).scale.iloc[0]
    assert s2["alpha"] == approx(ALPHA)


def test_listwise_and_user_missing():
    df = frame()
    df.loc[0, "i1"] = 9.0
    df.loc[1, "i2"] = np.nan
    r = Responses(df, missing_codes={c: (9.0,) for c in X})
    s = reliability(r, items="i1..i5").scale.iloc[0]
    assert s["n"] == 38
    expected = reliability(frame().iloc[2:], items="i1..i5").scale.iloc[0]
    assert s["alpha"] == approx(expected["alpha"])


def test_by_group_rows():
    df = frame()
    df["g"] = [1.0] * 20 + [2.0] * 20
    res = reliability(Responses(df, value_labels={"g": {1.0: "Professional", 2.0: "Volunteer"}}), items="i1..i5", by="g")
    assert res.scale["group"].tolist() == ["Total", "Professional", "Volunteer"]
    assert res.scale["n"].tolist() == [40, 20, 20]
    sub = reliability(frame().iloc[20:], items="i1..i5").scale.iloc[0]
    assert res.scale.iloc[2]["alpha"] == approx(sub["alpha"])
    assert len(res.item_total) == 15


def test_degenerate_notes():
    df = frame()
    df["k"] = 3.0
    s = reliability(df, items="i1,i2,k").scale.iloc[0]
    assert "no variation in k" in s["note"] and np.isnan(s["omega"])
    one = reliability(df, items="i1").scale.iloc[0]
    assert one["note"] == "a scale needs at least two items"
    empty = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0]})
    assert reliability(empty, items="a,b").scale.iloc[0]["note"] == "no respondent answered every item"
    two = reliability(frame(), items="i1,i2").scale.iloc[0]
    assert two["note"] == "omega needs at least three items" and not np.isnan(two["alpha"])


def test_errors():
    with pytest.raises(OptionError, match="^reverse: "):
        reliability(frame(), items="i1..i3", reverse="i5")
    with pytest.raises(DataError, match="no scales"):
        reliability(frame())


def test_instrument_scales_via_getattr():
    from types import SimpleNamespace as NS

    scale = NS(name="trust", label={"en": "Trust"}, items=("i1", "i2", "i3", "i4", "i5"), reverse=("i4",),
               score="mean", min_valid=1)
    question = NS(choices=NS(codes=(1, 2, 3, 4, 5), top_box=(4, 5)))
    inst = NS(scales={"trust": scale},
              variable=lambda name: NS(valid_codes=(1, 2, 3, 4, 5), question=question))
    df = frame()
    df["i4"] = 6 - df["i4"]
    res = reliability(Responses(df, instrument=inst))
    assert res.scale.iloc[0]["scale"] == "trust"
    assert res.scale.iloc[0]["alpha"] == approx(ALPHA)


def test_omega_if_deleted_together_equals_each_fit_alone():
    """Omega if deleted takes the principal-axes steps of its fits as one stack: the values must be those of
    fitting each reduced matrix alone (omega_total), to the last digit, weak, coarse, sign-mixed and singular
    data included."""
    from coprod.analysis.stats import minres

    def alone(R):
        k = R.shape[0]
        out = np.full(k, np.nan)
        for j in range(k if k >= 4 else 0):  # omega needs three items
            keep = [i for i in range(k) if i != j]
            try:
                out[j] = minres.omega_total(R[np.ix_(keep, keep)])[0]
            except (np.linalg.LinAlgError, ValueError):
                pass
        return out

    rng = np.random.default_rng(7)
    for trial in range(80):
        R = _one_factor_correlations(rng, weak=trial % 7 == 0, coarse=trial % 5 == 0)
        if not np.isfinite(R).all():
            continue
        np.testing.assert_array_equal(minres.omega_if_deleted(R), alone(R), err_msg=str(trial))
    twin = np.array([[1.0, 0.6, 0.6, 0.5], [0.6, 1.0, 1.0, 0.4], [0.6, 1.0, 1.0, 0.4], [0.5, 0.4, 0.4, 1.0]])
    np.testing.assert_array_equal(minres.omega_if_deleted(twin), alone(twin))  # items 2 and 3 identical
    assert np.isnan(minres.omega_if_deleted(np.eye(3))).all()  # fewer than three would remain


def test_minres_of_three_items_is_the_exact_fit_where_principal_axes_crawl():
    """Three items identify one factor exactly: l1^2 = r12 r13 / r23 (and so on), the minres fit with zero
    residual.  On this matrix (weak r13, r23) 500 principal-axes steps still moved 6e-5 and their
    loadings (0.402, 0.716, 0.077) were returned unpolished; both paths must reach the exact fit."""
    R = np.array([[1.0, 0.28811766, 0.03032863], [0.28811766, 1.0, 0.0553189], [0.03032863, 0.0553189, 1.0]])
    r12, r13, r23 = R[0, 1], R[0, 2], R[1, 2]
    exact = np.sqrt([r12 * r13 / r23, r12 * r23 / r13, r13 * r23 / r12])  # independent formula
    for shortcut in (True, False):
        np.testing.assert_allclose(minres_loadings(R, shortcut=shortcut), exact, rtol=1e-10)


def test_omega_fits_made_together_equal_each_fit_alone():
    """reliability fits the omegas of every scale and group together (minres.omega_many, stacks of matrices
    of as many items): each omega, its loadings and omega if deleted must be those of the fit alone, to the
    last digit, weak, coarse, sign-mixed and singular data included."""
    from coprod.analysis.stats import minres

    def alone(R):
        try:
            om, lam = minres.omega_total(R)
        except (np.linalg.LinAlgError, ValueError) as exc:
            return exc
        return om, lam, minres.omega_if_deleted(R)

    rng = np.random.default_rng(17)
    by_k: dict = {}
    for trial in range(160):
        R = _one_factor_correlations(rng, weak=trial % 7 == 0, coarse=trial % 5 == 0)
        if np.isfinite(R).all():
            by_k.setdefault(R.shape[0], []).append(R)
    twin = np.array([[1.0, 0.6, 0.6, 0.5], [0.6, 1.0, 1.0, 0.4], [0.6, 1.0, 1.0, 0.4], [0.5, 0.4, 0.4, 1.0]])
    by_k[4].insert(1, twin)  # singular: the stack cannot be inverted, every fit of it alone
    for Rs in by_k.values():
        for got, want in zip(minres.omega_many(Rs), [alone(R) for R in Rs]):
            if isinstance(want, Exception):
                assert type(got) is type(want)
                continue
            assert got[0] == want[0]
            np.testing.assert_array_equal(got[1], want[1])
            np.testing.assert_array_equal(got[2], want[2])


def test_reliability_with_omegas_fitted_together_equals_one_by_one(monkeypatch):
    # the whole tables against each omega fitted where its scale and group are (no batch): notes (flipped
    # items, Heywood cases, failed fits) in the same place, every number the same
    from coprod.analysis.stats import reliability as rel

    rng = np.random.default_rng(5)
    n = 240
    f = rng.normal(size=(n, 1))
    X = np.clip(np.round(3 + f * [0.9, 0.8, -0.7, 0.6, 0.1] + rng.normal(size=(n, 5))), 1, 5)
    df = pd.DataFrame(X, columns=["a", "b", "c", "d", "e"])
    df["f"] = df["a"]  # a twin item: a singular matrix
    df["g"] = rng.integers(0, 3, size=n)
    sets = ("a..e", "a..c", "a..f")
    together = [reliability(df, items=items, by="g") for items in sets]

    class NoBatch:  # _omega then fits at once, as before the batch
        def set(self, value):
            return None

        def get(self):
            return None

        def reset(self, token):
            pass

    monkeypatch.setattr(rel, "_OMEGA_LATER", NoBatch())
    for res, items in zip(together, sets):
        alone = reliability(df, items=items, by="g")
        pd.testing.assert_frame_equal(res.scale, alone.scale, check_exact=True)
        pd.testing.assert_frame_equal(res.item_total, alone.item_total, check_exact=True)
    assert together[0].scale["note"].str.contains("c reversed").all()
