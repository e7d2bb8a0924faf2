"""The methods paragraph: written from what was actually run, ready to paste into a paper."""
from __future__ import annotations

import pandas as pd


def _join(words: list[str]) -> str:
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def methods_paragraph(*, versions, n, group_ns, by_label, n_no_group, inst, scales, tests, posthoc, adjust,
                      listwise, min_cell, validated, lang, extra=()) -> str:
    """The paragraph: the sample and its groups, the data check, missing data, scale scores and
    reliability, the tests, effect sizes, post hoc comparisons and p-value correction, small-cell
    suppression and the software, each sentence only when it applies.

    ``group_ns``: (group label, n or "fewer than k") pairs, empty without groups; ``tests`` and
    ``posthoc``: the comparison tables, None when nothing was compared; ``extra``: sentences of the
    further sections (measurement invariance, coded answers), placed before the small-cell sentence.
    """
    from coprod.instrument.model import text_in

    from coprod.analysis.render import apa

    s = []
    groups = _join([f"{g} (n = {k})" for g, k in group_ns])
    s.append(f"The analysis included {n} respondents" + (f" in {len(group_ns)} groups by {by_label.lower()}: {groups}" if group_ns else "")
             + (f"; {n_no_group} without a valid group answer were left out of the group comparisons" if n_no_group else "") + ".")
    if validated:
        s.append("Responses were checked against the questionnaire definition (answer codes, ranges and skip logic); "
                 "values that failed the check were treated as missing.")
    s.append("Answers coded as missing (such as \"don't know\" and \"not applicable\") were treated as missing values.")
    if scales:
        parts = []
        for sc in scales:
            rule = f"at least {sc.min_valid} of {len(sc.items)} items" if sc.min_valid > 1 else "at least one item"
            parts.append(f"{text_in(sc.label, lang, inst.default_language) or sc.name} ({len(sc.items)} items"
                         + (f", {len(sc.reverse)} reverse-keyed" if sc.reverse else "") + f"; {rule})")
        s.append("Scale scores were the " + ("mean" if all(sc.score == "mean" for sc in scales) else "mean or sum")
                 + " of the items, computed when a respondent answered enough items: " + "; ".join(parts) + ".")
        s.append("Internal consistency was estimated with Cronbach's α (with Feldt's 95% confidence interval) and "
                 "McDonald's ω (one-factor model, minimum residual), from the respondents who answered every item of the scale.")
    if tests is not None and len(tests):
        used = pd.Series([apa.test_name(t) for t in tests["test"] if isinstance(t, str)]).value_counts()
        words = [f"{'the ' if not name.startswith(('Welch', 'Student', 'Fisher', 'Dunn')) else ''}{name}"
                 + (f" ({k} variable{'s' if k != 1 else ''})" if len(used) > 1 else "") for name, k in used.items()]
        es = [apa.effect_name(e) for e in dict.fromkeys(tests.get("effsize_name", pd.Series(dtype=object))) if isinstance(e, str) and e]
        s.append(f"Groups were compared with {_join(words)}" + (f"; effect sizes ({_join(es)}) are reported with 95% confidence intervals" if es else "") + ".")
        if "levene_p" in tests.columns and tests["levene_p"].notna().any():
            s.append("Homogeneity of variances was checked with Levene's test (mean-centred).")
        if posthoc is not None and len(posthoc):
            methods = [apa.test_name(m) for m in dict.fromkeys(posthoc["method"]) if isinstance(m, str)]
            s.append(f"Pairwise post hoc comparisons used {_join(methods)}.")
        k = int(tests["p"].notna().sum())
        if adjust and adjust != "none" and k > 1:
            s.append(f"p-values of the {k} group comparisons were adjusted for multiple testing with {apa.adjust_name(adjust)}.")
        elif k > 1:
            s.append("p-values were not adjusted for multiple testing.")
        s.append("Missing data were handled " + ("listwise (only respondents with valid answers to every compared variable)."
                                                  if listwise else "pairwise: each analysis used every respondent with valid values on the variables it involved."))
    s += [x for x in extra if x]
    if min_cell:
        s.append(f"To protect confidentiality, figures resting on fewer than {min_cell} respondents were suppressed, "
                 "together with the figures from which they could be worked out.")
    s.append(f"Analyses were run with coprod {versions['coprod']} (Python {versions['Python']}; pandas {versions['pandas']}, "
             f"SciPy {versions['SciPy']}, statsmodels {versions['statsmodels']}).")
    return " ".join(s)
