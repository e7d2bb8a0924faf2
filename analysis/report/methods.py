"""The methods paragraph: written from what was actually run, ready to paste into a paper."""
from __future__ import annotations

from numbers import Integral

import pandas as pd

from coprod.analysis.render import apa


def _join(words: list[str], lang: str = "en") -> str:
    from coprod.analysis.report.words import say

    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + say("m.and", lang) + words[-1]


def methods_paragraph(*, versions, n, group_ns, by_label, n_no_group, inst, scales, tests, posthoc, adjust,
                      listwise, min_cell, validated, lang, extra=()) -> str:
    """The paragraph: the sample and its groups, the data check, missing data, scale scores and
    reliability, the tests, effect sizes, post hoc comparisons and p-value correction, small-cell
    suppression and the software, each sentence only when it applies.

    ``group_ns``: (group label, n or "fewer than k") pairs, empty without groups; ``tests`` and
    ``posthoc``: the comparison tables, None when nothing was compared; ``extra``: sentences of the
    further sections (measurement invariance, coded answers), placed before the small-cell sentence.
    """
    from coprod.analysis.report.words import say

    s = []
    groups = _join([f"{g} (n = {apa.fmt_int(k) if isinstance(k, Integral) else k})" for g, k in group_ns], lang)
    if group_ns:
        s.append(say("m.sample groups", lang, n=n, k=len(group_ns), by=by_label.lower(), groups=groups)
                 + (say("m.no group", lang, n=n_no_group) if n_no_group else "") + ".")
    else:
        s.append(say("m.sample", lang, n=n))
    if validated:
        s.append(say("m.validated", lang))
    s.append(say("m.missing codes", lang))
    if scales:
        s += _scale_sentences(scales, inst, lang)
    if tests is not None and len(tests):
        s += _test_sentences(tests, posthoc, adjust, listwise, lang)
    s += [x for x in extra if x]
    if min_cell:
        s.append(say("m.suppressed", lang, k=min_cell))
    s.append(say("m.software", lang, coprod=versions["coprod"], python=versions["Python"], pandas=versions["pandas"],
                 scipy=versions["SciPy"], statsmodels=versions["statsmodels"]))
    return " ".join(s)


def weight_sentences(weights, lang: str, grouped: bool) -> list[str]:
    """How the results were weighted (``weights``: a CaseWeights, or None for none), what was left out."""
    from coprod.analysis.report.words import say

    if weights is None:
        return []
    s = [say("m.weighted " + weights.kind, lang, var=weights.variable)]
    if weights.excluded:
        s.append(say("m.weight left out" + (" one" if weights.excluded == 1 else ""), lang, k=weights.excluded))
    s.append(say("m.weighted not run" if grouped else "m.weighted charts", lang))
    return s


def _scale_sentences(scales, inst, lang: str) -> list[str]:
    from coprod.analysis.report.words import say
    from coprod.instrument.model import text_in

    parts = []
    for sc in scales:
        m = len(sc.items)
        rule = say("m.rule some", lang, k=sc.min_valid, m=m) if sc.min_valid > 1 else say("m.rule one", lang)
        parts.append(f"{text_in(sc.label, lang, inst.default_language) or sc.name} ({say('m.items', lang, m=m)}"
                     + (say("m.reverse" if len(sc.reverse) > 1 else "m.reverse one", lang, k=len(sc.reverse))
                            if sc.reverse else "") + f"; {rule})")
    key = "m.scores mean" if all(sc.score == "mean" for sc in scales) else "m.scores mean or sum"
    return [say(key, lang, parts="; ".join(parts)), say("m.reliability", lang)]


def _test_sentences(tests, posthoc, adjust, listwise, lang: str) -> list[str]:
    from coprod.analysis.render import apa
    from coprod.analysis.report.words import say, term

    s = []
    used = pd.Series([apa.test_name(t) for t in tests["test"] if isinstance(t, str)]).value_counts()
    article = "the " if lang == "en" else ""
    words = [f"{article if not name.startswith(('Welch', 'Student', 'Fisher', 'Dunn')) else ''}{term(name, lang)}"
             + ((say("m.test count", lang, k=k) if k != 1 else say("m.test count one", lang)) if len(used) > 1 else "")
             for name, k in used.items()]
    es = [apa.effect_name(e) for e in dict.fromkeys(tests.get("effsize_name", pd.Series(dtype=object)))
          if isinstance(e, str) and e]
    s.append(say("m.compared effects", lang, tests=_join(words, lang), effects=_join(es, lang)) if es
             else say("m.compared", lang, tests=_join(words, lang)))
    if "levene_p" in tests.columns and tests["levene_p"].notna().any():
        s.append(say("m.levene", lang))
    if posthoc is not None and len(posthoc):
        methods = [term(apa.test_name(m), lang) for m in dict.fromkeys(posthoc["method"]) if isinstance(m, str)]
        s.append(say("m.posthoc", lang, methods=_join(methods, lang)))
    k = int(tests["p"].notna().sum())
    if adjust and adjust != "none" and k > 1:
        s.append(say("m.adjusted", lang, k=k, method=term(apa.adjust_name(adjust), lang)))
    elif k > 1:
        s.append(say("m.not adjusted", lang))
    s.append(say("m.listwise" if listwise else "m.pairwise", lang))
    return s
