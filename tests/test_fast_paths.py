"""The fast paths of the statistics give the numbers of the straightforward computations.

Counting integer codes instead of sorting (descriptives), for many variables at once, exact integer cross products
(reliability), the quadrature for the studentized range at large df (Games-Howell) and the
shared valid values of a report are each compared here with the plain computation, on data with
ties, user-missing codes, empty answers and unequal groups.
"""
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from coprod.analysis.stats import common as _stats
from coprod.analysis.stats.descriptives import descriptives
from coprod.analysis.stats.posthoc import games_howell, studentized_range_sf
from coprod.analysis.stats.reliability import _scale_stats, _scale_stats_exact, reliability
from coprod.analysis.data.responses import Responses


def survey(n=3000, seed=7):
    """Likert items 1-5 with codes 8/9 user-missing, empty answers, three unequal groups and
    respondents without a group; one decimal variable and one wide-ranging integer variable."""
    rng = np.random.default_rng(seed)
    g = rng.choice([1.0, 2.0, 3.0, 9.0, np.nan], size=n, p=[0.5, 0.3, 0.15, 0.03, 0.02])
    data = {"g": g}
    for j in range(6):
        x = np.clip(np.round(3 + 0.4 * (np.nan_to_num(g) - 2) + rng.normal(size=n)), 1, 5)
        x[rng.random(n) < 0.05] = 8.0
        x[rng.random(n) < 0.04] = 9.0
        x[rng.random(n) < 0.03] = np.nan
        data[f"q{j + 1}"] = x
    data["q7"] = np.where(rng.random(n) < 0.1, np.nan, -2.0 + rng.integers(0, 3, n))  # negative codes
    data["dec"] = np.round(rng.normal(3, 1, n), 3)
    data["wide"] = rng.integers(0, 5000, n).astype(float)  # integers over more codes than are counted
    df = pd.DataFrame(data)
    missing = {f"q{j + 1}": (8.0, 9.0) for j in range(6)}
    missing["g"] = (9.0,)
    labels = {f"q{j + 1}": {1.0: "a", 2.0: "b", 3.0: "c", 4.0: "d", 5.0: "e"} for j in range(6)}
    return Responses(df, missing_codes=missing, value_labels=labels)


def plain_descriptives(resp, names, by, box):
    """Each statistic by its textbook definition, group by group."""
    valid = resp.valid(names + [by])
    out = []
    for v in names:
        blocks = [("Total", valid[v].to_numpy())]
        codes = sorted(valid[by].dropna().unique())
        blocks += [(c, valid.loc[valid[by] == c, v].to_numpy()) for c in codes]
        for lab, x in blocks:
            y = x[~np.isnan(x)]
            n = y.size
            q1, med, q3 = np.percentile(y, [25, 50, 75], method="weibull") if n else (np.nan,) * 3
            out.append({"variable": v, "n": n, "missing": x.size - n, "mean": y.mean() if n else np.nan,
                        "sd": y.std(ddof=1) if n > 1 else np.nan, "median": med, "q1": q1, "q3": q3,
                        "min": y.min() if n else np.nan, "max": y.max() if n else np.nan,
                        "top_box": 100.0 * np.isin(y, box).sum() / n if n and v.startswith("q") else np.nan})
    return pd.DataFrame(out)


def test_code_counts_and_counted_stats_equal_sorting():
    rng = np.random.default_rng(1)
    x = rng.integers(-3, 4, 500).astype(float)
    x[rng.random(500) < 0.2] = np.nan
    gi = rng.integers(-1, 4, 500)
    gi[gi == 2] = 3  # group 2 has no rows
    values, counts = _stats.code_counts(x, gi, 4)
    assert values.tolist() == [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    for j in range(-1, 4):
        y = x[(gi == j) & ~np.isnan(x)]
        assert counts[j + 1].tolist() == [int((y == v).sum()) for v in values]
    st = _stats.counted_stats(values, counts, (0.1, 0.25, 0.5, 0.75, 0.9))
    for j in range(-1, 4):
        y = np.sort(x[(gi == j) & ~np.isnan(x)])
        n = y.size
        assert st["n"][j + 1] == n
        if n == 0:
            assert np.isnan(st["mean"][j + 1]) and np.isnan(st["q"][:, j + 1]).all() and np.isnan(st["min"][j + 1])
            continue
        expected_q = _stats.sorted_quantiles(y[:, None], np.array([n]), (0.1, 0.25, 0.5, 0.75, 0.9))[:, 0]
        assert st["q"][:, j + 1].tolist() == expected_q.tolist()  # exactly
        assert st["mean"][j + 1] == y.sum() / n
        exact = Fraction(n * int((y * y).sum()) - int(y.sum()) ** 2, n * (n - 1))
        assert st["var"][j + 1] == float(exact)
        assert st["var"][j + 1] == pytest.approx(y.var(ddof=1), rel=1e-13)
        assert (st["min"][j + 1], st["max"][j + 1]) == (y[0], y[-1])
    assert _stats.code_counts(np.array([1.0, 2.5]), np.zeros(2, dtype=np.int64), 1) is None
    assert _stats.code_counts(np.array([0.0, 5000.0]), np.zeros(2, dtype=np.int64), 1) is None


def test_descriptives_match_plain_computation():
    resp = survey()
    names = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "dec", "wide"]
    box = [4.0, 5.0]
    got = descriptives(resp, items=names, by="g", top_box={f"q{j}": box for j in range(1, 8)})
    want = plain_descriptives(resp, names, "g", box)
    assert got["variable"].tolist() == want["variable"].tolist()
    for c in ("n", "missing", "median", "q1", "q3", "min", "max", "top_box"):
        np.testing.assert_array_equal(got[c].to_numpy(float), want[c].to_numpy(float), err_msg=c)
    for c in ("mean", "sd"):
        np.testing.assert_allclose(got[c].to_numpy(float), want[c].to_numpy(float), rtol=1e-13, err_msg=c)
    np.testing.assert_allclose(got["se"], got["sd"] / np.sqrt(got["n"]), rtol=1e-15)


def test_descriptives_without_groups_and_with_an_empty_variable():
    resp = survey(400)
    resp.data["empty"] = np.nan
    got = descriptives(resp, items=["q1", "empty"])
    want = plain_descriptives(Responses(resp.data.assign(one=1.0), missing_codes=resp.missing_codes),
                              ["q1", "empty"], "one", [4.0, 5.0])
    want = want.iloc[[0, 2]].reset_index(drop=True)
    assert got["n"].tolist() == want["n"].tolist() and got["missing"].tolist() == want["missing"].tolist()
    np.testing.assert_allclose(got[["mean", "sd", "median", "q1", "q3"]].to_numpy(float),
                               want[["mean", "sd", "median", "q1", "q3"]].to_numpy(float), rtol=1e-13)


def _per_variable(monkeypatch):
    """Send every variable through the one-at-a-time counting (the reference of the stacked path)."""
    from coprod.analysis.stats import counting

    def none(X):
        m = X.shape[1]
        return np.zeros(m, dtype=bool), np.zeros(m), np.zeros(m, dtype=np.int64)

    monkeypatch.setattr(counting, "countable", none)


def wide_survey(n=700, seed=3):
    """Variables of many code widths (2, 5, 7, 11, 101, 999 codes), negative and huge codes, an empty
    variable, an empty group and respondents without a group."""
    rng = np.random.default_rng(seed)
    resp = survey(n, seed)
    df = resp.data.copy()
    df["g"] = np.where(df["g"] == 3.0, 4.0, df["g"])  # code 3 unused: its value label gives an empty group
    df["yes"] = rng.integers(0, 2, n).astype(float)
    df["seven"] = rng.integers(1, 8, n).astype(float)
    df["eleven"] = rng.integers(0, 11, n).astype(float)
    df["age"] = rng.integers(18, 119, n).astype(float)
    df["span"] = rng.integers(-500, 499, n).astype(float)
    df["large"] = rng.integers(0, 3, n) + 2.0 ** 20  # counted one at a time: its sums need exact integers
    df["huge"] = rng.integers(0, 3, n) + 2.0 ** 40  # sorted
    df["empty"] = np.nan
    df["few"] = np.where(rng.random(n) < 0.97, np.nan, rng.integers(1, 6, n))  # groups with 0, 1, 2 values
    for c in ("seven", "eleven", "age"):
        df.loc[rng.random(n) < 0.1, c] = np.nan
    missing = dict(resp.missing_codes, seven=(7.0,))
    return Responses(df, missing_codes=missing, missing_ranges={"age": [(100.0, 200.0)]},
                     value_labels=dict(resp.value_labels, g={1.0: "a", 2.0: "b", 3.0: "c", 4.0: "d"}))


@pytest.mark.parametrize("by", ["g", None])
def test_stacked_counting_equals_per_variable_counting(monkeypatch, by):
    resp = wide_survey()
    kw = {"by": by, "top_box": {"q1": [4, 5], "seven": [6], "age": [18, 19], "few": [5]}}
    got = descriptives(resp, **kw)
    _per_variable(monkeypatch)
    want = descriptives(resp, **kw)
    assert len(got) > len(resp.data.columns) - 1
    pd.testing.assert_frame_equal(got, want, check_exact=True)  # the same numbers, bit for bit


def test_stacked_counting_in_column_chunks(monkeypatch):
    from coprod.analysis.stats import descriptives as module

    resp = wide_survey(300)
    want = descriptives(resp, by="g")
    monkeypatch.setattr(module, "_CELLS", 300 * 3)  # three columns at a time
    pd.testing.assert_frame_equal(descriptives(resp, by="g"), want, check_exact=True)


def test_valid_array_equals_valid_columns():
    resp = wide_survey(200)
    resp.data["nullable"] = pd.array([1, None, 3, 9] * 50, dtype="Int64")
    resp.missing_codes["nullable"] = (9,)
    names = [c for c in resp.columns if c != "g"]
    want = np.column_stack([resp.valid_column(c).to_numpy(dtype=float, na_value=np.nan) for c in names])
    got = resp.valid_array(names)
    np.testing.assert_array_equal(got, want)
    assert got.flags.f_contiguous and got.flags.writeable
    resp.data["ints"] = np.tile([1, 2, 8], 67)[:200]
    resp.data["text"] = pd.Series(["a", "x", None, "b"] * 50, dtype="string")
    resp.missing_codes.update(ints=(8,), text=("x",))
    with resp.shared_valid():
        np.testing.assert_array_equal(resp.valid_array(names), want)
        shared = resp.valid()  # column by column
    pd.testing.assert_frame_equal(resp.valid(), shared, check_exact=True)
    assert resp.valid()["ints"].isna().sum() == 66 and resp.valid()["text"].isna().sum() == 100
    np.testing.assert_array_equal(_stats.numeric_block(resp, [n.upper() for n in names]), want)


def test_reliability_exact_path_equals_float_path():
    rng = np.random.default_rng(3)
    n, k = 5000, 7
    B = np.clip(np.round(3 + rng.normal(size=(n, 1)) + rng.normal(size=(n, k))), 1, 5)
    names = [f"i{j}" for j in range(k)]
    r1, t1 = _scale_stats(B, names, 0.95)
    r2, t2 = _scale_stats_exact(n, B.sum(axis=0), B.T @ B, names, 0.95)
    for key in ("alpha", "alpha_std", "ci_low", "ci_high", "omega", "mean_r"):
        assert r2[key] == pytest.approx(r1[key], rel=1e-12), key
    assert (r1["n"], r1["k"], r1["note"]) == (r2["n"], r2["k"], r2["note"])
    for c in ("mean", "sd", "r_drop", "alpha_if_deleted", "scale_mean_if_deleted", "scale_var_if_deleted"):
        np.testing.assert_allclose(t2[c], t1[c], rtol=1e-11, err_msg=c)
    # the variance of a rest score is the exactly rounded value
    Bi = B.astype(np.int64)
    rest = Bi.sum(axis=1) - Bi[:, 0]
    exact = Fraction(n * int((rest * rest).sum()) - int(rest.sum()) ** 2, n * (n - 1))
    assert t2.loc[0, "scale_var_if_deleted"] == float(exact)


def test_reliability_degenerate_scales_same_notes():
    names = ["a", "b", "c"]
    for B in (np.array([[1.0, 2, 3]]), np.array([[1.0, 2, 3], [1, 3, 4], [1, 4, 4]]), np.empty((0, 3)),
              np.array([[2.0, 2, 2], [2, 2, 2]])):
        r1, t1 = _scale_stats(B, names, 0.95)
        r2, t2 = _scale_stats_exact(len(B), B.sum(axis=0), B.T @ B, names, 0.95)
        assert r1["note"] == r2["note"]
        for key in ("alpha", "omega", "mean_r"):
            assert (np.isnan(r1[key]) and np.isnan(r2[key])) or r1[key] == pytest.approx(r2[key], rel=1e-12)
        pd.testing.assert_frame_equal(t1, t2, rtol=1e-12)


def test_reliability_by_group_matches_listwise_plain_alpha():
    resp = survey()
    res = reliability(resp, items="q1..q6", reverse="q2", by="g")
    valid = resp.valid(["q1", "q2", "q3", "q4", "q5", "q6", "g"])
    valid["q2"] = 6 - valid["q2"]
    for _, row in res.scale.iterrows():
        sub = valid if row["group"] == "Total" else valid[valid["g"] == {"1": 1, "2": 2, "3": 3}[row["group"]]]
        B = sub.drop(columns="g").dropna().to_numpy()
        C = np.cov(B, rowvar=False)
        alpha = B.shape[1] / (B.shape[1] - 1) * (1 - np.trace(C) / C.sum())
        assert row["n"] == len(B)
        assert row["alpha"] == pytest.approx(alpha, rel=1e-12)


@pytest.mark.parametrize("df", [1000.5, 1500.0, 12345.6, 99999.0])
def test_studentized_range_sf_two_groups_closed_form(df):
    # k = 2: Q / sqrt(2) is |t| with df degrees of freedom, so P(Q > q) = 2 P(t > q / sqrt(2))
    q = np.array([0.01, 0.3, 1.0, 2.0, 2.8, 3.5, 5.0, 8.0, 12.0, 20.0])
    exact = 2 * stats.t.sf(q / np.sqrt(2), df)
    np.testing.assert_allclose(studentized_range_sf(q, 2, np.full(q.size, df)), exact, rtol=1e-9, atol=0)


@pytest.mark.parametrize("k", [3, 4, 6])
def test_studentized_range_sf_agrees_with_scipy(k):
    q = np.array([0.5, 2.0, 3.3, 4.2, 6.0])
    for df in (1200.0, 30000.0):
        ours = studentized_range_sf(q, k, np.full(q.size, df))
        theirs = np.array([stats.studentized_range.sf(v, k, df) for v in q])
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-10)  # scipy's own accuracy
        big = theirs > 1e-4
        np.testing.assert_allclose(ours[big], theirs[big], rtol=1e-7)


def test_studentized_range_sf_other_df_agrees_with_scipy():
    for df in (5.0, 999.0, 2e5):
        assert studentized_range_sf([3.1], 3, [df])[0] == pytest.approx(stats.studentized_range.sf(3.1, 3, df),
                                                                        rel=1e-9, abs=1e-12)


def test_games_howell_large_groups_match_scipy_p():
    rng = np.random.default_rng(11)
    ys = [rng.normal(0, 1, 4000), rng.normal(0.05, 1.3, 2500), rng.normal(0.1, 0.8, 3000)]
    t = games_howell(ys, ["a", "b", "c"])
    for _, row in t.iterrows():
        i, j = "abc".index(row["group1"]), "abc".index(row["group2"])
        a, b = ys[i].var(ddof=1) / ys[i].size, ys[j].var(ddof=1) / ys[j].size
        df = (a + b) ** 2 / (a ** 2 / (ys[i].size - 1) + b ** 2 / (ys[j].size - 1))
        assert df > 1000
        p = stats.studentized_range.sf(abs(row["statistic"]) * np.sqrt(2), 3, df)
        assert row["p"] == pytest.approx(p, abs=1e-10)


def test_shared_valid_gives_the_same_values(monkeypatch):
    resp = survey(500)
    plain = resp.valid()
    looked = []
    real = Responses.is_user_missing
    monkeypatch.setattr(Responses, "is_user_missing", lambda self, name: looked.append(name) or real(self, name))
    with resp.shared_valid():
        shared = resp.valid()
        again = resp.valid(["q1", "g"])
        np.testing.assert_array_equal(resp.valid_column("q1"), resp.valid_column("q1"))
        d_in = descriptives(resp, items="q1..q6", by="g")
    assert sorted(looked) == sorted(resp.data.columns)  # each column's missing rows found once
    pd.testing.assert_frame_equal(plain, shared)
    pd.testing.assert_frame_equal(plain[["q1", "g"]], again)
    pd.testing.assert_frame_equal(d_in, descriptives(resp, items="q1..q6", by="g"))
    assert "_shared_valid" not in resp.__dict__


def test_shared_valid_starts_afresh_when_the_data_are_replaced():
    resp = Responses(pd.DataFrame({"x": [1.0, 9.0, 2.0]}), missing_codes={"x": (9,)})
    with resp.shared_valid():
        assert resp.valid_column("x").tolist()[:1] == [1.0]
        resp.data = pd.DataFrame({"x": [5.0, 9.0, 9.0]})
        assert resp.valid_column("x").isna().tolist() == [False, True, True]
        assert resp.valid_column("x").tolist()[0] == 5.0


# ------------------------------------------------------------------------------ charts and the report
def test_likert_counts_lookup_equals_brute_force():
    from coprod.analysis.report.charts import likert_counts

    rng = np.random.default_rng(5)
    n = 2000
    g = rng.choice([1.0, 2.0, 3.0, np.nan], n)
    x = rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, 2.5, 7.0, -8.0, np.nan], n)
    r = Responses(pd.DataFrame({"g": g, "a": x, "b": x[::-1].copy()}),
                  value_labels={"a": {float(c): str(c) for c in range(1, 6)} | {-8.0: "dk"}},
                  missing_codes={"a": (-8.0,)})
    lc = likert_counts(r, ["a", "b"], by="g")
    assert lc.codes == [1.0, 2.0, 3.0, 4.0, 5.0]
    for i, col in enumerate(["a", "b"]):
        v = r.data[col].to_numpy()
        for j, code in enumerate([1.0, 2.0, 3.0]):
            in_group = g == code
            assert lc.counts[i, j].tolist() == [int((in_group & (v == c)).sum()) for c in lc.codes]
            assert lc.missing[i, j] == int(in_group.sum()) - int(lc.counts[i, j].sum())


def test_png_charts_are_their_svg_drawn():
    """Excel and Word get the very chart HTML shows: the PNG is the SVG drawn, for any counts."""
    from coprod.analysis.report import charts, raster

    rng = np.random.default_rng(3)
    made = []
    for G in (1, 3):
        counts = rng.integers(0, 500, (7, G, 4))
        counts[1, 0] = [1, 0, 0, 1]
        lc = charts.LikertCounts([f"v{i}" for i in range(7)], ["A long statement about accountability " * (i % 3 + 1)
                                                               for i in range(7)],
                                 ["Professional", "Volunteer", "Service user"][:G], [1.0, 2, 3, 4],
                                 ["No", "Rather no", "Rather yes", "Yes"], counts, rng.integers(0, 9, (7, G)))
        made.append(lambda fmt, lc=lc: charts.likert_chart(lc, "Title of the set", fmt=fmt, min_cell=5))
    panels = [(f"Scale {p}", charts.box_stats(rng.normal(size=300), rng.integers(0, 3, 300), ["A", "Bb", "Small"]))
              for p in range(4)]
    made.append(lambda fmt: charts.score_boxplots(panels, fmt=fmt, min_cell=5))
    for f in made:
        png = f("png")
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == raster.png(f("svg"))


@pytest.fixture(scope="module")
def survey_sav(tmp_path_factory):
    from coprod import instrument
    from coprod.analysis.data.io import write_responses
    from coprod.analysis.demo.simulate import simulated_responses

    inst = instrument.builtin()
    path = tmp_path_factory.mktemp("report") / "survey.sav"
    write_responses(simulated_responses(inst, n=1500, seed=4), path)
    return inst, path


@pytest.fixture
def workers(monkeypatch):
    """Worker processes for any data (as for a large file), reading in parts from 10 rows on."""
    from coprod.analysis.report import parallel

    if parallel.worker_count() < 1:
        pytest.skip("one core: the report works in one process")
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "CHUNKED_READ_FROM", 10)
    monkeypatch.setattr(parallel, "PART_ROWS", 100)  # 1500 rows: 15 parts
    return parallel


def _by_a_worker(job) -> bool:
    """A job a worker process did (this process only does what it could cancel)."""
    return job.future is not None and job.future.done() and not job.future.cancelled()


def test_read_in_parts_equals_one_read(survey_sav, workers):
    import pyreadstat

    _, path = survey_sav
    with workers.Workers(True) as work:
        read = workers.PartsRead(work, path)
        assert len(read.jobs) == 14
        read.jobs[-1].future.result(timeout=300)  # a worker has read the last rows
        df, meta = read(str(path), user_missing=True)
        assert _by_a_worker(work.jobs[0]) and not read.jobs
        assert not list(Path(work.folder()).iterdir())  # what the workers left was taken and removed
    want, wmeta = pyreadstat.read_sav(str(path), user_missing=True)
    pd.testing.assert_frame_equal(df, want)
    assert meta.number_rows == wmeta.number_rows == len(want)
    assert meta.missing_ranges == wmeta.missing_ranges and meta.variable_value_labels == wmeta.variable_value_labels


def test_statistics_commands_read_a_large_file_in_parts(survey_sav, workers, cli, monkeypatch):
    """describe, compare and frequencies read a large file as the report does (parts by this process and a
    worker): the same tables as one read."""
    _, path = survey_sav
    made = []
    real = workers.PartsRead.__init__

    def spy(self, work, p, usecols=None, layout=None):
        real(self, work, p, usecols, layout)
        made.append((usecols, len(self.jobs)))

    monkeypatch.setattr(workers.PartsRead, "__init__", spy)
    runs = [("describe", str(path), "--by", "role", "--format", "json"),
            ("compare", str(path), "--by", "role", "--items", "cq1..cq4", "--format", "json"),
            ("frequencies", str(path), "--items", "role", "--format", "json")]
    parts = [cli(*args) for args in runs]
    assert made == [(None, 14)] * 3  # the built-in instrument's file: every column (conformed as a whole)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 10 ** 15)
    made.clear()
    whole = [cli(*args) for args in runs]
    assert not made  # a small file: pyreadstat's own read
    for a, b in zip(parts, whole):
        assert a.returncode == b.returncode == 0 and a.stdout == b.stdout and a.stdout.startswith("{")


def test_read_in_parts_of_some_columns(survey_sav, workers):
    """With ``usecols`` (a statistic's --items) every part has those columns only: equal to one read of them."""
    import pyreadstat

    _, path = survey_sav
    cols = ["role", "cq2", "years"]
    with workers.Workers(True) as work:
        read = workers.PartsRead(work, path, cols)
        assert len(read.jobs) == 14
        df, meta = read(str(path), user_missing=True, usecols=cols)
    want, wmeta = pyreadstat.read_sav(str(path), user_missing=True, usecols=cols)
    pd.testing.assert_frame_equal(df, want)
    assert meta.number_rows == len(want) and meta.column_names == wmeta.column_names
    # parts_read, as the statistics commands call it: a few columns are one read (None: pyreadstat's own)
    every = pyreadstat.read_sav(str(path), metadataonly=True)[1].column_names
    with workers.parts_read(path, cols) as read:
        assert read is None
    with workers.parts_read(path, every[: len(every) // 2 + 1]) as read:
        assert isinstance(read, workers.PartsRead) and len(read.jobs) == 14


def test_read_in_parts_without_a_working_worker(survey_sav, workers):
    """Workers that died (out of memory, killed): every part is read here instead."""
    import pyreadstat
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    class Dead:
        def submit(self, fn, *args):
            f = Future()
            f.set_running_or_notify_cancel()
            f.set_exception(BrokenProcessPool("a worker died"))
            return f

    _, path = survey_sav
    with workers.Workers(False) as work:
        work.pool = Dead()
        read = workers.PartsRead(work, path)
        df, _ = read(str(path), user_missing=True)
    pd.testing.assert_frame_equal(df, pyreadstat.read_sav(str(path), user_missing=True)[0])


@pytest.mark.slow
def test_report_same_with_and_without_workers(survey_sav, workers, monkeypatch):
    from coprod.analysis.report import build_report
    from coprod.analysis.render.document import Figure

    inst, path = survey_sav

    def run():
        res = build_report(path, instrument=inst, progress=False)
        return res, [b for b in res.document.blocks if isinstance(b, Figure)]

    jobs = []
    real = workers.Workers.submit

    def submit(self, fn, *args, **kwargs):
        job = real(self, fn, *args, **kwargs)
        jobs.append(job)
        return job

    monkeypatch.setattr(workers.Workers, "submit", submit)
    par, par_figs = run()
    assert jobs and all(j.future is not None for j in jobs)  # everything was offered to the workers
    reads = [j for j in jobs if j.fn is workers._read_rows]
    charts = [j for j in jobs if j.fn.__name__ in ("likert_chart", "score_boxplots")]
    assert len(reads) == 14 and any(_by_a_worker(j) for j in charts)
    assert all(j.future.done() for j in reads + charts)  # nothing left running
    monkeypatch.setattr(workers, "PARALLEL_FROM", 10 ** 15)
    jobs.clear()
    plain, plain_figs = run()
    assert all(j.future is None for j in jobs)  # small data: all here
    assert plain.tables.keys() == par.tables.keys()
    for name in plain.tables:
        pd.testing.assert_frame_equal(plain.tables[name], par.tables[name])
    assert plain.methods == par.methods
    assert [f.name for f in plain_figs] == [f.name for f in par_figs] and len(plain_figs) > 1
    assert [f.png for f in plain_figs] == [f.png for f in par_figs]
    assert [f.caption for f in plain_figs] == [f.caption for f in par_figs]
    assert plain.document.provenance["input SHA-256"] == par.document.provenance["input SHA-256"] != ""


def test_workers_for_large_data_in_every_host(survey_sav, monkeypatch):
    """Large data get workers whether or not the calling process runs threads (a Jupyter kernel does)."""
    import threading

    from coprod.analysis.report import parallel

    _, path = survey_sav
    size = path.stat().st_size
    monkeypatch.setattr(parallel, "worker_count", lambda: 1)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", size)
    assert parallel.worth_it(path) and parallel.worth_it(str(path))
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert parallel.worth_it(path)
    finally:
        stop.set()
        t.join()
    monkeypatch.setattr(parallel, "PARALLEL_FROM", size + 1)
    assert not parallel.worth_it(path)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    monkeypatch.setattr(parallel, "worker_count", lambda: 0)  # one core
    assert not parallel.worth_it(path)


def test_welch_anova_equals_statsmodels():
    from statsmodels.stats.oneway import anova_generic

    from coprod.analysis.stats.grouptests import Sample, welch_anova

    rng = np.random.default_rng(3)
    ys = [rng.integers(1, 6, n).astype(float) for n in (12, 30, 7, 19)]
    s = Sample(np.concatenate(ys), np.repeat(np.arange(4), [len(y) for y in ys]), ["a", "b", "c", "d"])
    ours = welch_anova(s)
    ref = anova_generic(s.means, s.var, s.n, use_var="unequal")
    assert (ours.statistic, ours.df1, ours.df2) == (float(ref.statistic), float(ref.df[0]), float(ref.df[1]))
    assert ours.p == pytest.approx(float(ref.pvalue), rel=1e-12)  # F's tail from specfun, not scipy.special


def test_chi_square_table_equals_scipy():
    from coprod.analysis.stats.grouptests import Table

    rng = np.random.default_rng(5)
    for shape in ((2, 2), (3, 5), (4, 3)):
        counts = rng.integers(1, 40, shape)
        ours, ref = Table(counts).chi, stats.chi2_contingency(counts, correction=False)
        assert (ours.statistic, ours.dof) == (float(ref.statistic), int(ref.dof))
        assert ours.pvalue == pytest.approx(float(ref.pvalue), rel=1e-12)  # chi-square's tail from specfun


def test_brentq_same_roots_as_scipy():
    from scipy import optimize, special

    from coprod.analysis.stats.effects import brentq

    rng = np.random.default_rng(0)
    for _ in range(50):
        d1, d2, q, t = rng.uniform(1, 6), rng.uniform(10, 400), rng.uniform(0.5, 20), rng.uniform(0.05, 0.95)
        f = lambda nc: special.ncfdtr(d1, d2, nc, q) - t  # noqa: E731
        if f(0.0) <= 0:
            continue
        hi = q + max(1.0, q)
        while f(hi) > 0:
            hi *= 2
        assert brentq(f, 0.0, hi) == optimize.brentq(f, 0.0, hi, xtol=1e-13, rtol=1e-15, maxiter=500)


def test_levene_equals_scipy():
    from coprod.analysis.stats.compare import levene

    rng = np.random.default_rng(2)
    for _ in range(40):
        ys = [rng.integers(1, 6, rng.integers(3, 80)).astype(float) for _ in range(rng.integers(2, 6))]
        ref = stats.levene(*ys, center="mean")
        assert levene(ys) == (pytest.approx(float(ref.statistic), rel=1e-14, abs=1e-15),
                              pytest.approx(float(ref.pvalue), rel=1e-12, abs=1e-15))  # F's tail from specfun


def _complement_one_key_at_a_time(hidden, counts, keys, eligible):
    """The plain rule, key by key (the reference of suppress._complement)."""
    changed = False
    codes, _ = pd.factorize(keys)
    for code in range(codes.max() + 1):
        idx = np.flatnonzero((codes == code) & eligible)
        if len(idx) >= 2 and hidden[idx].sum() == 1:
            others = [i for i in idx if not hidden[i] and counts[i] > 0]
            if others:
                hidden[min(others, key=lambda i: counts[i])] = True
                changed = True
    return changed


@pytest.mark.parametrize("seed", range(20))
def test_complementary_suppression_equals_key_by_key(seed):
    from coprod.analysis.render.suppress import _complement

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    counts = rng.integers(0, 12, n).astype(float)  # ties, zeros and small cells
    keys = rng.choice(np.array(["a", "b", "c", "d", None], dtype=object), n)
    eligible = rng.random(n) < 0.8
    hidden = (counts > 0) & (counts < 5) & (rng.random(n) < 0.5)
    want = hidden.copy()
    changed = _complement_one_key_at_a_time(want, counts, keys, eligible)
    got = hidden.copy()
    assert _complement(got, counts, keys, eligible) == changed
    np.testing.assert_array_equal(got, want)


def test_cell_formatters_equal_format_value():
    from coprod.analysis.render import apa

    values = [0.0, -0.0, -0.004, 0.005, 1.25, 2.675, -3.14159, 1e9, 12345.678, float("nan"), float("inf"),
              np.float64(0.125), np.float32(2.5), np.int64(7), 7, True, np.bool_(False), None, pd.NA, pd.NaT,
              "..", "text", np.nan, 0.0004, 0.05]
    for kind in ("text", "int", "num", "num1", "num3", "r", "r3", "p", "df"):
        f = apa.formatter(kind)
        for v in values:
            try:
                want = apa.format_value(v, kind)
            except (OverflowError, ValueError) as exc:
                with pytest.raises(type(exc)):
                    f(v)
                continue
            assert f(v) == want, (kind, v)


def test_a_small_files_png_charts_are_drawn_beside(monkeypatch, tmp_path, cli):
    """The command line draws a small file's PNG charts in a worker process (while the statistics are
    computed); HTML (SVG written in a moment), one core, or a library call without ``workers`` does not."""
    from coprod import instrument
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.analysis.report import build_report, parallel

    inst = instrument.builtin()
    sim = simulated_responses(inst, n=60, seed=5)
    asked = []
    real = parallel.Workers.__init__
    monkeypatch.setattr(parallel.Workers, "__init__", lambda self, p: (asked.append(p), real(self, False))[1])
    monkeypatch.setattr(parallel, "worker_count", lambda: 1)
    for name, workers in (("r.docx", True), ("r.html", True), ("r2.docx", False)):
        build_report(sim, instrument=inst, out=tmp_path / name, workers=workers, invariance=False, progress=False)
    monkeypatch.setattr(parallel, "worker_count", lambda: 0)
    build_report(sim, instrument=inst, out=tmp_path / "r3.docx", workers=True, invariance=False, progress=False)
    assert asked == [True, False, False, False]
    import coprod.analysis.report as report
    from coprod.analysis.data.io import write_responses

    write_responses(sim, tmp_path / "x.sav")
    import multiprocessing as mp
    import sys

    calls = []
    monkeypatch.setattr(report, "build_report", lambda *a, **k: calls.append(k) or type("R", (), {"path": None})())
    monkeypatch.setattr(parallel, "_start_method", "spawn")
    assert cli("report", tmp_path / "x.sav", "--out", tmp_path / "c.docx").exit_code == 0
    assert calls[0]["workers"] is True
    linux = sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()
    assert parallel._start_method == ("fork" if linux else "spawn")  # forked from the command line's own process


def test_the_command_lines_workers_are_forked_where_its_process_has_one_thread(tmp_path):
    """fork_workers: the pool's workers are forked (they have what this process imported) while the process
    has one thread; with another thread running they are spawned (forking could deadlock), as the library's are."""
    import subprocess
    import sys

    (tmp_path / "probe.py").write_text("import sys\n\ndef inherited():\n    return 'colorsys' in sys.modules\n")
    script = (
        "import sys, threading\n"
        "import probe\n"
        "from coprod.analysis.report import parallel\n"
        "if __name__ == '__main__':\n"
        "    import colorsys  # here only: a spawned worker imports this script, not as __main__\n"
        "    parallel.worker_count = lambda: 1\n"
        "    if sys.argv[1] != 'library':\n"
        "        parallel.fork_workers()\n"
        "    if sys.argv[1] == 'thread':\n"
        "        threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
        "    with parallel.Workers(True) as work:\n"
        "        print(work.submit(probe.inherited).result())\n")
    (tmp_path / "run.py").write_text(script)
    env = {**__import__("os").environ, "PYTHONPATH": str(tmp_path)}
    out = {how: subprocess.run([sys.executable, str(tmp_path / "run.py"), how], capture_output=True, text=True, env=env,
                               timeout=120).stdout.strip() for how in ("cli", "thread", "library")}
    linux = sys.platform.startswith("linux")  # fork only there (macOS: frameworks may crash a forked child)
    assert out == {"cli": str(linux), "thread": "False", "library": "False"}


def test_no_forked_workers_outside_linux(monkeypatch):
    from coprod.analysis.report import parallel

    monkeypatch.setattr(parallel, "_start_method", "spawn")
    import multiprocessing as mp

    can_fork = "fork" in mp.get_all_start_methods()
    for platform, method in (("darwin", "spawn"), ("win32", "spawn"), ("linux", "fork" if can_fork else "spawn")):
        monkeypatch.setattr("sys.platform", platform)
        parallel.fork_workers()
        assert parallel._start_method == method, platform
        monkeypatch.setattr(parallel, "_start_method", "spawn")


def _big_result_after_mark(mark: str, n: int) -> bytes:
    data = b"x" * n
    Path(mark).write_text("sending")
    return data


def test_a_worker_stopped_while_it_sends_a_result_does_not_hang_the_stop(tmp_path):
    """After Ctrl-C the report stops its workers (``parallel._stop_pool``). A worker terminated halfway through
    sending its result left half a message in the pool's pipe, and the pool's thread waited for the rest for
    ever: the stop, and then the exit, hung (seen once in a dozen Ctrl-Cs of a report on a loaded machine).
    Reproduced here with a result of 300 MB, stopped while it is being sent."""
    import multiprocessing as mp
    import threading
    import time
    from concurrent.futures import ProcessPoolExecutor

    from coprod.analysis.report import parallel

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("needs fork")
    pool = ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"))
    pool.submit(int).result()  # the worker is up
    mark = tmp_path / "mark"
    future = pool.submit(_big_result_after_mark, str(mark), 300_000_000)
    deadline = time.monotonic() + 60
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # pickled, and being sent (about half a second for 300 MB); before or after it, nothing hangs
    future.cancel()
    stopper = threading.Thread(target=parallel._stop_pool, args=(pool,), daemon=True)
    stopper.start()
    stopper.join(30)
    hung = stopper.is_alive()
    if hung:  # let the pool's thread go, or this process would hang at its exit
        pool._result_queue._writer.close()
    assert mark.exists() and not hung


def test_a_stopped_pools_thread_shows_no_traceback_and_others_still_do(monkeypatch):
    """``_quiet_thread``: the pool thread's own failure after its workers are stopped (InvalidStateError before
    Python 3.12) is not printed; any other thread's exception still goes to the hook there was, one hook for
    however many pools."""
    import threading

    from coprod.analysis.report import parallel

    seen = []
    monkeypatch.setattr(threading, "excepthook", lambda args: seen.append(args.thread.name))
    monkeypatch.setattr(parallel, "_quiet", [])

    def fail():
        raise RuntimeError("boom")

    quiet = [threading.Thread(target=fail, name=f"pool{i}") for i in range(2)]
    for t in quiet:
        parallel._quiet_thread(t)
    hook = threading.excepthook
    other = threading.Thread(target=fail, name="other")
    for t in (*quiet, other):
        t.start()
        t.join()
    assert seen == ["other"] and threading.excepthook is hook
