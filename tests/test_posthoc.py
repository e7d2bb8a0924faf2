"""Post hoc comparisons: golden values from R 4.2.2 on the literal data below."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.posthoc import adjust_p, dunn, games_howell, tukey

G1 = [3.1, 4.5, 2.8, 5.0, 3.9, 4.2, 3.3]
G2 = [5.5, 6.1, 7.9, 4.8, 6.6, 8.3, 5.9, 7.0]
G3 = [2.0, 6.5, 3.5, 9.0, 1.5, 5.0]
L = ([1, 2, 2, 3, 3, 3, 4, 5, 4, 2], [3, 4, 4, 5, 5, 2, 4, 3, 5], [2, 2, 1, 3, 1, 2, 3, 2])


def approx(x, rel=1e-6):
    return pytest.approx(x, rel=rel, abs=1e-12)


def arrays(groups):
    return [np.asarray(g, dtype=float) for g in groups]


def test_tukey_matches_r():
    t = tukey(arrays((G1, G2, G3)), ["a", "b", "c"], "y")
    # R: TukeyHSD(aov(y ~ g))$g  (rows 2-1, 3-1, 3-2: signs flipped for our group1 - group2)
    r = {("a", "b"): (2.683928571428569, 0.387417076300363, 4.980440066556774, 0.0207376345394898),
         ("a", "c"): (0.754761904761903, -1.713913774658638, 3.223437584182445, 0.7195531806589692),
         ("b", "c"): (-1.929166666666665, -4.325572713300959, 0.467239379967629, 0.1279582388250147)}
    for _, row in t.iterrows():
        diff, lwr, upr, p = r[(row.group1, row.group2)]
        assert row["diff"] == approx(-diff)
        assert row["ci_low"] == approx(-upr) and row["ci_high"] == approx(-lwr)
        assert row["p"] == pytest.approx(p, abs=1e-9)
        assert row["p_adj"] == row["p"] and row["method"] == "tukey"


def test_games_howell_matches_r_formula():
    t = games_howell(arrays((G1, G2, G3)), ["a", "b", "c"], "y").set_index(["group1", "group2"])
    # R: se = sqrt(v1/n1 + v2/n2); Welch df; ptukey(abs(t) * sqrt(2), 3, df, lower.tail = FALSE);
    #    CI diff -+ qtukey(.95, 3, df) / sqrt(2) * se   -> diff, se, t, df, p, low, high
    r = {("a", "b"): (-2.683928571428571441, 0.517223545073338009, -5.189107489389355621, 0.000568264890838721,
                      -4.059510724575017271, -1.308346418282125612),
         ("a", "c"): (-0.754761904761904, 1.203427173305991, -0.627177050264257, 0.811583702111775,
                      -4.509438165839317, 2.999914356315508),
         ("b", "c"): (1.929166666666667, 1.238213278484718, 1.558024534373847, 0.329156175726259,
                      -1.816969994402464, 5.675303327735798)}
    for key, (diff, se, stat, p, lo, hi) in r.items():
        row = t.loc[key]
        assert [row["diff"], row["se"], row["statistic"], row["p"], row["ci_low"], row["ci_high"]] == [
            approx(diff), approx(se), approx(stat), approx(p), approx(lo), approx(hi)]


def test_dunn_matches_r_formula():
    y = np.concatenate(arrays(L))
    g = np.repeat([0, 1, 2], [10, 9, 8])
    from scipy.stats import rankdata
    ranks = rankdata(y)
    _, c = np.unique(y, return_counts=True)
    t = dunn(np.bincount(g, weights=ranks), np.array([10, 9, 8]), float((c ** 3 - c).sum()), ["a", "b", "c"], "y")
    # R: rk <- rank(y); s2 <- N(N+1)/12 - sum(t^3 - t)/(12(N-1)); z = (mr_i - mr_j)/sqrt(s2 (1/n_i + 1/n_j));
    #    2 * pnorm(-abs(z)); p.adjust(p, "holm")   (as FSA::dunnTest)
    r = [(-5.96666666666667, 3.54874481240758, -1.68134565376615, 0.0926957950232896, 0.18539159004657918),
         (5.7, 3.66362052956026, 1.55583798977242, 0.11974662194364, 0.18539159004657918),
         (11.6666666666667, 3.75299026077019, 3.10863227880384, 0.00187955487690553, 0.00563866463071658)]
    for (_, row), (diff, se, z, p, ph) in zip(t.iterrows(), r):
        assert [row["diff"], row["se"], row["statistic"], row["p"], row["p_adj"]] == [
            approx(diff), approx(se), approx(z), approx(p), approx(ph)]
    bh = dunn(np.bincount(g, weights=ranks), np.array([10, 9, 8]), float((c ** 3 - c).sum()), ["a", "b", "c"],
              adjust="fdr-bh")
    # R: p.adjust(p, "BH")
    assert bh["p_adj"].tolist() == [approx(0.1197466219436405), approx(0.1197466219436405), approx(0.00563866463071658)]
    assert bh["method"].iloc[0] == "dunn (fdr-bh)"


def test_compare_runs_default_posthoc_by_test():
    df = pd.DataFrame({"g": [1] * 10 + [2] * 9 + [3] * 8, "y": sum(L, [])})
    ph = compare(df, "y", "g", test="kruskal").posthoc
    assert set(ph["method"]) == {"dunn (holm)"} and len(ph) == 3
    ph = compare(df, "y", "g", test="anova").posthoc
    assert set(ph["method"]) == {"tukey"}
    ph = compare(df, "y", "g", test="welch-anova").posthoc
    assert set(ph["method"]) == {"games-howell"}
    ph = compare(df, "y", "g", test="anova", posthoc="none").posthoc
    assert ph.empty and list(ph.columns)[:3] == ["variable", "group1", "group2"]
    two = compare(df[df.g < 3], "y", "g", test="anova").posthoc
    assert two.empty  # post hoc only for three or more groups


def test_adjust_p_keeps_nan():
    out = adjust_p([0.01, np.nan, 0.04], "bonferroni")
    assert out[0] == approx(0.02) and np.isnan(out[1]) and out[2] == approx(0.08)


@pytest.mark.parametrize("method, sm", [("holm", "holm"), ("fdr-bh", "fdr_bh"), ("bonferroni", "bonferroni")])
def test_adjust_p_equals_statsmodels(method, sm):
    from statsmodels.stats.multitest import multipletests

    rng = np.random.default_rng(7)
    p = np.concatenate([rng.random(25) ** 3, [0.5, 0.5, 1.0, 0.0]])
    assert adjust_p(p, method).tolist() == [approx(v, rel=1e-15) for v in multipletests(p, method=sm)[1]]


def test_q_crit_equals_scipy_ppf():
    from scipy import stats

    from coprod.analysis.stats.posthoc import q_crit
    for k, df in ((3, 12.5), (3, 1500.0), (4, 25000.0), (3, 99000.0), (3, 3e5)):
        assert q_crit(0.95, k, df) == approx(float(stats.studentized_range.ppf(0.95, k, df)), rel=1e-9)


def test_tukey_ci_equals_scipy():
    from scipy import stats

    ys = arrays((G1, G2, G3))
    ci = stats.tukey_hsd(*ys).confidence_interval()
    t = tukey(ys, ["a", "b", "c"])
    assert t["ci_low"].tolist() == [approx(ci.low[0, 1]), approx(ci.low[0, 2]), approx(ci.low[1, 2])]
    assert t["ci_high"].tolist() == [approx(ci.high[0, 1]), approx(ci.high[0, 2]), approx(ci.high[1, 2])]
