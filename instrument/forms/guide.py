"""The interview guide for semi-structured interviews (``.docx``, and the same content as Markdown).

An introduction and consent script, then each section with its open questions (``longtext``) in the
chosen group's wording, their probes and interviewer instructions, then a closing script. Without a
group, every wording variant is listed, marked with its group.
"""
from __future__ import annotations

from pathlib import Path

from ..model import Instrument, text_in
from ..words import localised
from ._common import check_group, group_label, phrase, universe
from .questionnaire import _asked_of_group

_S = {
    "guide": {"en": "Interview guide", "fi": "Haastattelurunko", "sv": "Intervjuguide"},
    "intro_h": {"en": "Introduction and consent", "fi": "Johdanto ja suostumus", "sv": "Inledning och samtycke"},
    "intro": {
        "en": ["Thank you for taking part. This interview is part of the study \u201c{title}\u201d. We talk about how you work with "
               "others in the service and to whom you feel accountable for your work.",
               "Taking part is voluntary: you can skip any question and stop at any time without giving a reason. The interview "
               "takes about an hour. With your permission it is recorded; the recording is transcribed and the results are "
               "reported so that you cannot be identified.",
               "Do you have any questions before we start? Do you agree to take part and to the interview being recorded?"],
        "fi": ["Kiitos, että osallistut. Tämä haastattelu on osa tutkimusta \u201d{title}\u201d. Puhumme siitä, miten teet työtä muiden "
               "kanssa palvelussa ja kenelle koet olevasi vastuussa työstäsi.",
               "Osallistuminen on vapaaehtoista: voit jättää vastaamatta mihin tahansa kysymykseen ja keskeyttää milloin tahansa "
               "syytä kertomatta. Haastattelu kestää noin tunnin. Luvallasi se äänitetään; äänite litteroidaan ja tulokset "
               "raportoidaan niin, ettei sinua voi tunnistaa.",
               "Onko sinulla kysyttävää ennen kuin aloitamme? Suostutko osallistumaan ja haastattelun äänittämiseen?"],
        "sv": ["Tack för att du deltar. Den här intervjun är en del av studien \u201d{title}\u201d. Vi talar om hur du arbetar "
               "tillsammans med andra i tjänsten och inför vem du känner dig ansvarig för ditt arbete.",
               "Deltagandet är frivilligt: du kan hoppa över vilken fråga som helst och avbryta när som helst utan att ange "
               "skäl. Intervjun tar ungefär en timme. Med ditt tillstånd spelas den in; inspelningen skrivs ut och resultaten "
               "rapporteras så att du inte kan identifieras.",
               "Har du några frågor innan vi börjar? Samtycker du till att delta och till att intervjun spelas in?"],
    },
    "consent": {"en": "Consent given (date, interviewer): ____________________",
                "fi": "Suostumus annettu (päivämäärä, haastattelija): ____________________",
                "sv": "Samtycke givet (datum, intervjuare): ____________________"},
    "probes": {"en": "Probes", "fi": "Tarkentavat kysymykset", "sv": "Följdfrågor"},
    "close_h": {"en": "Closing", "fi": "Lopetus", "sv": "Avslutning"},
    "close": {"en": ["Is there anything else you would like to add that we have not talked about?",
                     "Thank you for your time. If you have questions about the study later, you can contact the research team."],
              "fi": ["Haluaisitko lisätä vielä jotakin, mistä emme ole puhuneet?",
                     "Kiitos ajastasi. Jos sinulla on myöhemmin kysyttävää tutkimuksesta, voit ottaa yhteyttä tutkimusryhmään."],
              "sv": ["Finns det något mer du vill tillägga som vi inte har talat om?",
                     "Tack för din tid. Om du senare har frågor om studien kan du kontakta forskargruppen."]},
    "group": {"en": "Respondent group", "fi": "Vastaajaryhmä", "sv": "Svarandegrupp"},
}


def _s(key: str, lang: str):
    return localised(_S, key, lang)


def guide_content(inst: Instrument, lang: str | None = None, group: str | None = None) -> dict:
    """The guide as data: title, introduction, sections with questions and probes, closing."""
    lang = lang or inst.default_language
    gid = check_group(inst, group)
    fb = inst.default_language
    title = text_in(inst.title, lang, fb)
    sections = []
    for sec in inst.sections:
        if not _asked_of_group(inst, sec.relevant, gid):
            continue
        qs = []
        for q in sec.questions:
            if q.type != "longtext" or not _asked_of_group(inst, q.relevant, gid):
                continue
            variants = [] if gid else [(group_label(inst, g, lang), text_in(t, lang, fb)) for g, t in q.variants.items()]
            qs.append({"name": q.name, "text": q.text_for(lang, gid, fb), "variants": variants,
                       "who": universe(inst, q, lang),
                       "instruction": text_in(q.instruction, lang, fb),
                       "probes": [text_in(p, lang, fb) for p in q.probes]})
        if qs:
            sections.append({"title": text_in(sec.title, lang, fb), "intro": text_in(sec.intro, lang, fb), "questions": qs})
    return {"title": f"{_s('guide', lang)}: {title}", "subtitle": f"{inst.id} {inst.version}"
            + (f" · {_s('group', lang)}: {group_label(inst, gid, lang)}" if gid else ""),
            "intro_heading": _s("intro_h", lang), "intro": [p.format(title=title) for p in _s("intro", lang)],
            "consent": _s("consent", lang), "sections": sections, "probes": _s("probes", lang),
            "close_heading": _s("close_h", lang), "close": list(_s("close", lang)), "lang": lang}


def guide_markdown(inst: Instrument, lang: str | None = None, group: str | None = None) -> str:
    c = guide_content(inst, lang, group)
    out = [f"# {c['title']}", "", f"_{c['subtitle']}_", "", f"## {c['intro_heading']}", ""]
    for p in c["intro"]:
        out += [p, ""]
    out += [c["consent"], ""]
    n = 0
    for sec in c["sections"]:
        out += [f"## {sec['title']}", ""]
        if sec["intro"]:
            out += [sec["intro"], ""]
        for q in sec["questions"]:
            n += 1
            out += [f"**{n}. {q['text']}** (`{q['name']}`)", "", f"_{q['who']}_", ""]
            for glabel, t in q["variants"]:
                out += [f"- [{phrase('for_group', c['lang'])} {glabel}] {t}"]
            if q["variants"]:
                out.append("")
            if q["instruction"]:
                out += [f"_{q['instruction']}_", ""]
            if q["probes"]:
                out += [f"{c['probes']}:", ""] + [f"- {p}" for p in q["probes"]] + [""]
    out += [f"## {c['close_heading']}", ""]
    for p in c["close"]:
        out += [p, ""]
    return "\n".join(out)


def guide_document(inst: Instrument, lang: str | None = None, group: str | None = None):
    """The guide as a python-docx Document (A4)."""
    from docx import Document
    from docx.shared import Cm

    c = guide_content(inst, lang, group)
    doc = Document()
    for s in doc.sections:
        s.page_height, s.page_width = Cm(29.7), Cm(21.0)
        s.left_margin = s.right_margin = Cm(2.5)
    doc.core_properties.title = c["title"]
    doc.core_properties.language = c["lang"]
    doc.add_heading(c["title"], level=0)
    doc.add_paragraph().add_run(c["subtitle"]).italic = True
    doc.add_heading(c["intro_heading"], level=1)
    for p in c["intro"]:
        doc.add_paragraph(p)
    doc.add_paragraph(c["consent"])
    n = 0
    for sec in c["sections"]:
        doc.add_heading(sec["title"], level=1)
        if sec["intro"]:
            doc.add_paragraph(sec["intro"])
        for q in sec["questions"]:
            n += 1
            para = doc.add_paragraph()
            para.add_run(f"{n}. {q['text']}").bold = True
            para.add_run(f"  ({q['name']})")
            para.paragraph_format.keep_with_next = True
            doc.add_paragraph().add_run(q["who"]).italic = True
            for glabel, t in q["variants"]:
                doc.add_paragraph(f"[{phrase('for_group', c['lang'])} {glabel}] {t}", style="List Bullet")
            if q["instruction"]:
                doc.add_paragraph().add_run(q["instruction"]).italic = True
            if q["probes"]:
                doc.add_paragraph(f"{c['probes']}:")
                for p in q["probes"]:
                    doc.add_paragraph(p, style="List Bullet")
    doc.add_heading(c["close_heading"], level=1)
    for p in c["close"]:
        doc.add_paragraph(p)
    return doc


def write_guide_docx(inst: Instrument, path: str | Path, lang: str | None = None, group: str | None = None,
                     force: bool = False) -> Path:
    from ..files import atomic_path

    doc = guide_document(inst, lang, group)
    with atomic_path(path, force) as tmp:
        doc.save(str(tmp))
    return Path(path)


def write_guide_markdown(inst: Instrument, path: str | Path, lang: str | None = None, group: str | None = None,
                         force: bool = False) -> Path:
    from ..files import write_text

    return write_text(path, guide_markdown(inst, lang, group), force)
