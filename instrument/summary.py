"""A short text summary of a definition (``coprod info``)."""
from __future__ import annotations

from .model import Instrument, text_in
from .words import count, in_words, word


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
             f"{word('languages', lang)}: {', '.join(inst.languages)} ({word('default', lang)} {inst.default_language}); "
             f"{count(len(inst.questions), 'question', lang)}, {count(len(inst.variables), 'variable', lang)}, "
             f"{count(len(inst.scales), 'scale', lang)}"]
    if inst.groups:
        lines.append(f"{word('respondent groups', lang, q=inst.group_question)}: "
                     + ", ".join(f"{g.code} = {t(g.label)} ({g.id})" for g in inst.groups))
    lines.append("")
    for s in inst.sections:
        asked = f"  [{word('asked if', lang)} {in_words(inst, s.relevant, lang)}]" if s.relevant else ""
        lines.append(f"{s.id}: {t(s.title)} ({count(len(s.questions), 'question', lang)}){asked}")
    if inst.scales:
        lines.append("")
        lines.append(word("scales:", lang))
        for sc in inst.scales.values():
            rev = f"; {word('reversed', lang, items=', '.join(sc.reverse))}" if sc.reverse else ""
            how = word("sum of" if sc.score == "sum" else "mean of", lang, items=", ".join(sc.items))
            lines.append(f"  {sc.name}: {t(sc.label)} — {how} ({word('at least valid', lang, n=sc.min_valid)}{rev})")
    return "\n".join(lines)
