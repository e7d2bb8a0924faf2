"""What the report shows: the groups and the sample, which variables go where, the charts, the
display tables and the document they make."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coprod.analysis.render import Document, Figure, Heading, Paragraph, RenderContext
from coprod.analysis.render.specs import descriptives_by_group, display_table
from coprod.analysis.render.suppress import suppress_table
from coprod.analysis.report.words import say

#: The one group of a report without a grouping variable (tables, box plots).
ALL = "All respondents"


@dataclass
class Plan:
    """What the report is about: grouping, sample, and the variables of each section."""

    by: str | None
    inst: object
    lang: str
    groups: object = None
    group_order: list = field(default_factory=list)
    sample: pd.DataFrame | None = None
    n_no_group: int = 0
    scales: list = field(default_factory=list)
    likert: list = field(default_factory=list)
    nominal: list = field(default_factory=list)
    validation: object = None

    @property
    def overall(self) -> bool:
        """No grouping variable: the report describes the whole sample."""
        return self.by is None

    @property
    def scale_names(self) -> list[str]:
        return [s.name for s in self.scales]


def plan_report(resp, inst, by: str | None, lang: str, validation=None) -> Plan:
    """The groups of ``by`` (none: the whole sample), the sample table and the variables to show."""
    from coprod.analysis.stats import common as _stats

    plan = Plan(by=by, inst=inst, lang=lang, validation=validation)
    plan.groups = groups = _stats.groups_of(resp, by)
    if plan.overall:
        plan.sample = pd.DataFrame([{"group": ALL, "n": len(resp), "percent": 100.0 if len(resp) else np.nan}],
                                   columns=["group", "n", "percent"])
    else:
        plan.group_order = list(groups.labels)
        if inst is not None and inst.group_question and inst.group_question.lower() == by.lower() and inst.groups:
            plan.group_order = [resp.value_label(by, float(g.code)) for g in inst.groups]
        plan.sample, plan.n_no_group = sample_table(resp, groups)
    plan.scales = [s for s in (inst.scales.values() if inst is not None else []) if s.name in resp.data.columns]
    plan.likert, plan.nominal = _items(resp, inst, by)
    return plan


def sample_table(resp, groups) -> tuple[pd.DataFrame, int]:
    """Respondents per group, those without a valid group, and the total; and how many had none."""
    n = len(resp)
    counts = np.bincount(groups.index[groups.index >= 0], minlength=groups.k)
    none = int((groups.index < 0).sum())
    rows = [{"group": lab, "n": int(c), "percent": 100.0 * c / n if n else np.nan} for lab, c in zip(groups.labels, counts)]
    if none:
        rows.append({"group": "No valid group", "n": none, "percent": 100.0 * none / n})
    rows.append({"group": "Total", "n": n, "percent": 100.0 if n else np.nan})
    return pd.DataFrame(rows, columns=["group", "n", "percent"]), none


def _items(resp, inst, by: str | None) -> tuple[list, list]:
    """The Likert (ordered) items and the categorical questions; without a questionnaire, the
    numeric variables by measure level."""
    likert, nominal = [], []
    if inst is not None:
        for v in inst.variables:
            if v.name not in resp.data.columns or (by is not None and v.name.lower() == by.lower()):
                continue
            q = v.question
            if q.type == "likert" or (q.type == "single" and q.choices is not None and q.choices.ordered):
                likert.append(v.name)
            elif q.type in ("single", "multiple"):
                nominal.append(v.name)
        return likert, nominal
    rid = {"id", "resp_id", "respondent_id"}
    for c in resp.data.columns:
        if c == by or str(c).lower() in rid or not pd.api.types.is_numeric_dtype(resp.data[c]):
            continue
        m = resp.measure_of(c)
        (likert if m in ("ordinal", "scale") else nominal).append(c)
    return likert, nominal


def rating_like(resp, name: str, most: int = 11) -> bool:
    """Whether a variable of a file without a questionnaire is a rating item: the ordinal measure
    level, whole-number answers and at most ``most`` distinct valid values (value labels alone do not
    say it: SPSS files often mark a labelled nominal variable such as gender as "scale")."""
    if resp.measure.get(name) != "ordinal":
        return False
    vals = resp.valid([name])[name].dropna()
    if not pd.api.types.is_numeric_dtype(vals):
        return False
    vals = vals.to_numpy(dtype=float)
    return len(vals) > 0 and bool(np.all(vals == np.floor(vals))) and len(np.unique(vals)) <= most


def chart_sets(resp, plan: Plan) -> list[tuple[str, list]]:
    """(title, items) of each Likert chart: one per scale, then the other items by answer list."""
    done = set()
    sets = []
    for s in plan.scales:
        items = [i for i in s.items if i in resp.data.columns and i in plan.likert]
        if items:
            sets.append((resp.label(s.name), items))
            done.update(items)
    rest = [v for v in plan.likert if v not in done]
    if rest and plan.inst is not None:
        by_list: dict = {}
        for v in rest:
            cl = plan.inst.variable(v).question.choices
            by_list.setdefault(cl.name if cl else "", []).append(v)
        return sets + _numbered(say("r.other items", plan.lang), list(by_list.values()))
    # a Likert chart of a continuous number says nothing; items share a chart only when they
    # share their answer codes (a chart counts the codes of its first item)
    by_codes: dict = {}
    for v in rest:
        if rating_like(resp, v):
            miss = set(resp.missing_codes.get(v) or ())
            rng = resp.missing_ranges.get(v) or ()
            labelled = [c for c in (resp.value_labels.get(v) or {})
                        if c not in miss and not any(lo <= c <= hi for lo, hi in rng)]
            key = tuple(sorted(labelled)) or tuple(np.unique(resp.valid([v])[v].dropna().to_numpy(dtype=float)))
            by_codes.setdefault(key, []).append(v)
    return sets + _numbered(say("r.items", plan.lang), list(by_codes.values()))


def _numbered(title: str, groups: list) -> list[tuple[str, list]]:
    """One chart per list of items: the title, numbered when there is more than one (titles stay distinct)."""
    if len(groups) == 1:
        return [(title, groups[0])]
    return [(f"{title} ({i + 1}/{len(groups)})", vs) for i, vs in enumerate(groups)]


def display_tables(tables: dict, plan: Plan, min_cell: int, adjust: str,
                   listwise: bool, notes=(), labels=None) -> tuple[dict, RenderContext]:
    """The tables as shown (small cells suppressed, no group column without groups) and their context;
    ``notes``: sentences for every table's note (the case weights); ``labels``: variable labels in the
    report's language, shown beside the names in the frequencies."""
    hidden: dict = {}
    shown: dict = {}
    for name, df in tables.items():
        rule = "descriptives" if name.startswith("descriptives") else name
        shown[name], hidden[name] = suppress_table(rule, df, min_cell, related=tables)
    hidden["descriptives"] = hidden.get("descriptives", 0) + hidden.get("descriptives_scales", 0)
    if plan.overall:  # one group: no group column in the reliability tables
        for name in ("reliability", "item_total"):
            if name in shown and "group" in shown[name].columns:
                shown[name] = shown[name].drop(columns="group")
    ctx = RenderContext(group_order=plan.group_order, min_cell=min_cell, suppressed=hidden, adjust=adjust,
                        missing_rule=(say("r.listwise rule", plan.lang) if listwise else None), data_notes=notes,
                        variable_labels=dict(labels or {}))
    return shown, ctx


def validation_blocks(validation, lang: str = "en") -> list:
    """The data check: problems per kind, then the first 50 problems."""
    from coprod.analysis.data.validate import PROBLEMS

    summary = validation.summary
    if not summary:
        return [Paragraph(say("r.no problems", lang))]
    table = validation.table
    counts = table.groupby("problem", sort=True)["count"].sum() if "count" in table.columns else pd.Series(summary)
    sm = pd.DataFrame({"problem": list(summary), "meaning": [PROBLEMS.get(k, "") for k in summary],
                       "rows": [int(summary[k]) for k in summary],
                       "values": [int(counts.get(k, summary[k])) for k in summary]})
    out = [display_table("validation_summary", sm, title=say("r.problems found", lang))]
    detail = table[[c for c in ("row", "respondent_id", "variable", "problem", "value", "detail") if c in table.columns]].head(50)
    t = display_table("validation", detail, title=say("r.problems 50" if len(table) > 50 else "r.problems", lang))
    t.notes.append(say("r.rows note", lang))
    out.append(t)
    return out


def figure(name: str, caption: str, img, fmt: str) -> Figure:
    return Figure(name, caption, svg=img if fmt == "svg" else None, png=img if fmt != "svg" else None)


def document(title: str, plan: Plan, shown: dict, ctx: RenderContext, methods: str, by_label: str,
             scale_figures: list, item_figures: list, extra: dict | None = None) -> Document:
    """The report's blocks in order: sample, methods, data check, non-response, reliability, whether the groups
    can be compared, scale scores and comparisons, items, frequencies, what respondents said (``extra``: the
    blocks of those two sections and the note on the comparisons)."""
    extra = extra or {}
    overall, lang = plan.overall, plan.lang
    doc = Document(title)
    B = doc.blocks
    B.append(Heading(say("r.sample", lang)))
    B.append(display_table("sample", shown["sample"], ctx, title=say("r.respondents", lang) if overall
                           else say("r.respondents by", lang, by=by_label.lower())))
    B.append(Heading(say("r.methods", lang)))
    B.append(Paragraph(methods, "methods"))
    if plan.validation is not None:
        B.append(Heading(say("r.data check", lang)))
        B += validation_blocks(plan.validation, lang)
    B += extra.get("nonresponse", [])
    if "reliability" in shown:
        B.append(Heading(say("r.reliability", lang)))
        B.append(display_table("reliability", shown["reliability"], ctx))
        B.append(display_table("item_total", shown["item_total"], ctx))
    B += extra.get("invariance", [])
    B += _scale_blocks(plan, shown, ctx, scale_figures, extra.get("compare_note", ""))
    if plan.likert:
        B.append(Heading(say("r.items", lang)))
        B += item_figures
        if "descriptives" in shown and len(shown["descriptives"]):
            B.append(display_table("descriptives", shown["descriptives"], ctx,
                                   title=say("r.items" if overall else "r.items by group", lang)))
    if "frequencies" in shown:
        B.append(Heading(say("r.frequencies", lang)))
        B.append(display_table("frequencies", shown["frequencies"], ctx,
                               title=say("r.categorical" if overall else "r.categorical by group", lang)))
    B += extra.get("coding", [])
    return doc


def _scale_blocks(plan: Plan, shown: dict, ctx: RenderContext, figures: list, compare_note: str = "") -> list:
    """Scale scores (by group: M (SD) with the groups' n), box plots, group comparisons, post hoc."""
    B: list = []
    lang = plan.lang
    scores = shown.get("descriptives_scales")
    if plan.overall and scores is not None and len(scores):
        B.append(Heading(say("r.scores", lang)))
        B.append(display_table("descriptives", scores, ctx, title=say("r.scores", lang)))
        B += figures
    elif scores is not None and len(scores):
        B.append(Heading(say("r.scores by group", lang)))
        gn = dict(zip(shown["sample"]["group"], shown["sample"]["n"]))
        B.append(descriptives_by_group(scores, ctx, gn, title=say("r.scores by group msd", lang)))
        B += figures
    if "tests" in shown:
        if not plan.scales:
            B.append(Heading(say("r.comparisons", lang)))
        tests = display_table("tests", shown["tests"], ctx,
                              title=say("r.comparisons scales" if plan.scales else "r.comparisons", lang))
        if compare_note:
            tests.notes.append(compare_note)
        B.append(tests)
        if "posthoc" in shown and len(shown["posthoc"]):
            B.append(display_table("posthoc", shown["posthoc"], ctx))
    return B
