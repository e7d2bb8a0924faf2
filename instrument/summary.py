"""A short text summary of a definition (``coprod info``)."""
from __future__ import annotations

from .model import Instrument, text_in


def summary_text(inst: Instrument, lang: str | None = None) -> str:
    """Sections, question counts, groups and scales of ``inst`` in ``lang``.

    >>> from coprod import instrument
    >>> print(summary_text(instrument.builtin()).splitlines()[0])  # doctest: +ELLIPSIS
    coprod-accountability ...
    """
    from .errors import OptionError

    lang = lang or inst.default_language
    if lang not in inst.languages:
        raise OptionError(f"{lang!r} is not one of the instrument's languages ({', '.join(inst.languages)})", param="lang")
    t = lambda x: text_in(x, lang, inst.default_language)  # noqa: E731
    lines = [f"{inst.id} {inst.version}: {t(inst.title)}",
             f"languages: {', '.join(inst.languages)} (default {inst.default_language}); "
             f"{len(inst.questions)} questions, {len(inst.variables)} variables, {len(inst.scales)} scales"]
    if inst.groups:
        lines.append(f"respondent groups (question {inst.group_question}): "
                     + ", ".join(f"{g.code} = {t(g.label)} ({g.id})" for g in inst.groups))
    lines.append("")
    for s in inst.sections:
        asked = f"  [asked if {s.relevant.words(lang=lang)}]" if s.relevant else ""
        lines.append(f"{s.id}: {t(s.title)} ({len(s.questions)} questions){asked}")
    if inst.scales:
        lines.append("")
        lines.append("scales:")
        for sc in inst.scales.values():
            rev = f"; reversed {', '.join(sc.reverse)}" if sc.reverse else ""
            lines.append(f"  {sc.name}: {t(sc.label)} — {sc.score} of {', '.join(sc.items)} (at least {sc.min_valid} valid{rev})")
    return "\n".join(lines)
