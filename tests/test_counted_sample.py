"""Integer codes compared from their counts per group (large files) agree with the comparison of
every value (the plain :class:`Sample`): the reference is the plain path on the same data; the PSPP
cross-checks (tests/test_pspp_crosscheck.py) also run on the counted path."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coprod.analysis.stats import samples
from coprod.analysis.stats.compare import compare
from coprod.analysis.stats.grouptests import CountedSample, Sample, sample_of


def likert(seed: int, n: int = 3000, k: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(np.arange(1, k + 1), size=n, p=np.linspace(1, 2, k) / np.linspace(1, 2, k).sum()).astype(float)
    out = {"g": g}
    for j in range(6):
        y = np.clip(np.round(3 + 0.3 * (g - 2) * (j % 3) + rng.normal(size=n) * (1 + 0.3 * j)), 1, 5 + 2 * (j % 2))
        y[rng.choice(n, 40, replace=False)] = np.nan
        out[f"y{j}"] = y
    out["y5"] = np.where(g == k, 4.0, out["y5"])  # a group without variation
    out["y6"] = np.round(rng.normal(size=n) * 3, 1)  # decimals: never counted
    return pd.DataFrame(out)


def test_the_counted_path_is_taken_for_integer_codes_only():
    x = np.array([1.0, 2, 2, 3, 5] * 500)
    g = np.repeat([0, 1], [1000, 1500])
    assert isinstance(sample_of(x, g, ["a", "b"]), CountedSample)
    assert type(sample_of(x + 0.5 * (x == 5), g, ["a", "b"])) is Sample
    assert type(sample_of(x[:100], g[:100], ["a", "b"])) is Sample  # few answers: the plain path
    assert type(sample_of(x * 1000, g, ["a", "b"])) is Sample  # codes spread wide


@pytest.mark.parametrize("n", [2000, 2001, 2502])
@pytest.mark.filterwarnings("ignore:invalid value")
def test_counted_sample_statistics_equal_the_plain_ones(n):
    rng = np.random.default_rng(n)
    x = rng.integers(-2, 5, size=n).astype(float)
    g = rng.integers(0, 4, size=n)
    g[g == 3] = 2  # group 3 empty
    plain, counted = Sample(x, g, list("abcd")), sample_of(x, g, list("abcd"))
    assert isinstance(counted, CountedSample)
    assert counted.N == plain.N and counted.n.tolist() == plain.n.tolist()
    assert counted.means[:3].tolist() == plain.means[:3].tolist()  # exact sums of whole numbers
    np.testing.assert_allclose(counted.var[:3], plain.var[:3], rtol=1e-13)
    assert counted.rank_sums().tolist() == plain.rank_sums().tolist() and counted.tie == plain.tie
    np.testing.assert_array_equal(counted.medians(), plain.medians())  # odd and even n, NaN for d
    assert counted.grand_mean() == plain.grand_mean()
    assert counted.ssw() == pytest.approx(plain.ssw(), rel=1e-13)
    for center in (plain.means, plain.medians()):
        for got, want in zip(counted.abs_deviations(np.nan_to_num(center)), plain.abs_deviations(np.nan_to_num(center))):
            np.testing.assert_allclose(got[:3] if np.ndim(got) else got, want[:3] if np.ndim(want) else want, rtol=1e-13)
    sub_c, sub_p = counted.subset([0, 2]), plain.subset([0, 2])
    assert sub_c.rank_sums().tolist() == sub_p.rank_sums().tolist()  # ranked anew among the kept groups
    assert sorted(sub_c.x.tolist()) == sorted(sub_p.x.tolist()) and sub_c.constant() is False
    assert sorted(counted.ranks.tolist()) == sorted(plain.ranks.tolist())


def _tables(data, **kw):
    return compare(data, items="y0..y6", by="g", **kw).tables()


@pytest.mark.parametrize("options", [{}, {"test": "anova"}, {"test": "welch-anova"}, {"test": "kruskal"},
                                     {"test": "anova", "posthoc": "bonferroni"}, {"test": "anova", "posthoc": "scheffe"},
                                     {"test": "welch-anova", "levene": "median"}],
                         ids=lambda o: "-".join(o.values()) or "auto")
def test_compare_from_counts_equals_compare_of_values(monkeypatch, options):
    data = likert(1)
    fast = _tables(data, **options)
    monkeypatch.setattr(samples, "COUNTED_MIN_N", 10 ** 12)
    plain = _tables(data, **options)
    for name, want in plain.items():
        pd.testing.assert_frame_equal(fast[name], want, check_exact=False, rtol=1e-11, atol=1e-13, obj=name)


@pytest.mark.filterwarnings("ignore:Precision loss")  # SciPy's t test on the group without variation (y5)
@pytest.mark.parametrize("test", ["student", "welch", "mann-whitney"])
def test_two_groups_from_counts(monkeypatch, test):
    data = likert(2, k=2)
    fast = _tables(data, test=test)
    monkeypatch.setattr(samples, "COUNTED_MIN_N", 10 ** 12)
    plain = _tables(data, test=test)
    for name, want in plain.items():
        pd.testing.assert_frame_equal(fast[name], want, check_exact=False, rtol=1e-11, atol=1e-13, obj=name)
