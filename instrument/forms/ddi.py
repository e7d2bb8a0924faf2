"""DDI-Codebook 2.5 XML: the study and every variable, one file per language (``ddi_en.xml``, ``ddi_fi.xml``).

What archives such as the Finnish Social Science Data Archive read: ``stdyDscr/citation/titlStmt``
(title, id) and version; in ``dataDscr`` one ``varGrp`` per scale and one ``var`` per variable with its
label (``labl xml:lang``), question text (``qstn/qstnLit``; group wordings and interviewer instructions as
``qstn/ivuInstr``), ``universe`` (who is asked, in words), valid range, categories
(``catgry`` with ``catValu``/``labl``, ``missing="Y"`` for missing codes) and SPSS format; scale scores are
``var`` elements with their ``derivation``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..model import Instrument, format_code, text_in
from ._common import group_label, phrase, universe
from .codebook import _CODEBOOK, variable_facts
from .spss import scale_items, spss_format

NS = "ddi:codebook:2_5"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = "ddi:codebook:2_5 https://ddialliance.org/Specification/DDI-Codebook/2.5/XMLSchema/codebook.xsd"
_RESPONDENT = {"en": "Respondent id", "fi": "Vastaajan tunnus", "sv": "Svarandekod"}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent, tag: str, text: str | None = None, lang: str | None = None, **attrs):
    el = ET.SubElement(parent, _q(tag), {k: str(v) for k, v in attrs.items() if v is not None})
    if lang:
        el.set(XML_LANG, lang)
    if text is not None:
        el.text = text
    return el


def ddi_tree(inst: Instrument, lang: str | None = None) -> ET.ElementTree:
    """The DDI-Codebook 2.5 document in ``lang``."""
    lang = lang or inst.default_language
    ET.register_namespace("", NS)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.Element(_q("codeBook"), {"version": "2.5", "ID": f"{inst.id}-{lang}",
                                       "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation": SCHEMA})
    root.set(XML_LANG, lang)
    title = text_in(inst.title, lang, inst.default_language)
    doc = _sub(root, "docDscr")
    dts = _sub(_sub(doc, "citation"), "titlStmt")
    _sub(dts, "titl", f"{title}: {_CODEBOOK.get(lang, _CODEBOOK['en']).lower()}", lang)
    _study(_sub(root, "stdyDscr"), inst, lang, title)
    _data(_sub(root, "dataDscr"), inst, lang)
    ET.indent(root, space="  ")
    return ET.ElementTree(root)


def _study(stdy, inst: Instrument, lang: str, title: str) -> None:
    """``stdyDscr``: title (and the other languages' as parallel titles), id, version, abstract, universe."""
    cit = _sub(stdy, "citation")
    ts = _sub(cit, "titlStmt")
    _sub(ts, "titl", title, lang)
    for other in inst.languages:
        if other != lang and inst.title.get(other):
            _sub(ts, "parTitl", inst.title[other], other)
    _sub(ts, "IDNo", inst.id, agency="coprod")
    _sub(_sub(cit, "verStmt"), "version", inst.version)
    info = _sub(stdy, "stdyInfo")
    if inst.description:
        _sub(info, "abstract", text_in(inst.description, lang, inst.default_language), lang)
    if inst.groups:
        _sub(_sub(info, "sumDscr"), "universe", "; ".join(group_label(inst, g.id, lang) for g in inst.groups), lang)
    else:
        _sub(_sub(info, "sumDscr"), "universe", phrase("all", lang), lang)


def _data(data, inst: Instrument, lang: str) -> None:
    """``dataDscr``: a ``varGrp`` per scale, the respondent id, every variable, then the scale scores."""
    fb = inst.default_language
    ids: dict[str, str] = {}
    for v in inst.variables:
        ids.setdefault(v.name, f"V{len(ids) + 1}")
    for sc in inst.scales.values():
        grp = _sub(data, "varGrp", type="multipleQuestText", ID=f"G_{sc.name}",
                   var=" ".join(ids[i] for i in sc.items if i in ids))
        _sub(grp, "labl", text_in(sc.label, lang, fb), lang)
        if sc.construct:
            _sub(grp, "defntn", sc.construct, lang)
    rid = _sub(data, "var", ID="V0", name=inst.respondent_id, intrvl="discrete")
    _sub(rid, "labl", _RESPONDENT.get(lang, _RESPONDENT["en"]), lang)
    _sub(rid, "varFormat", type="character", schema="SPSS")
    for v in inst.variables:
        _variable(_sub(data, "var", ID=ids[v.name], name=v.name, intrvl="contin" if v.measure == "scale" else "discrete"),
                  inst, v, lang)
    for sc in inst.scales.values():
        _scale_score(_sub(data, "var", ID=f"S_{sc.name}", name=sc.name, intrvl="contin"), inst, sc, lang,
                     " ".join(ids[i] for i in sc.items if i in ids))


def _variable(el, inst: Instrument, v, lang: str) -> None:
    """One ``var``: label, question (wordings, instruction), range, universe, categories, format."""
    f = variable_facts(inst, v, lang)
    _sub(el, "labl", f["label"], lang)
    qstn = _sub(el, "qstn", ID=f"Q_{v.name}")
    _sub(qstn, "qstnLit", f["texts"][lang] + (f" [{f['option']}]" if f["option"] else ""), lang)
    for gid, t in f["variants"].items():
        _sub(qstn, "ivuInstr", f"{phrase('for_group', lang)} {group_label(inst, gid, lang)}: {t}", lang)
    if v.question.instruction:
        _sub(qstn, "ivuInstr", text_in(v.question.instruction, lang, inst.default_language), lang)
    if v.min is not None or v.max is not None:
        _sub(_sub(el, "valrng"), "range", min=format_code(v.min) if v.min is not None else None,
             max=format_code(v.max) if v.max is not None else None)
    _sub(el, "universe", universe(inst, v.question, lang), lang)
    for missing, codes in ((None, f["values"]), ("Y", f["missing"])):
        for code, label in codes:
            cat = _sub(el, "catgry", missing=missing)
            _sub(cat, "catValu", format_code(code))
            _sub(cat, "labl", label, lang)
    fmt = spss_format(v)
    _sub(el, "varFormat", fmt, type="character" if fmt.startswith("A") else "numeric", schema="SPSS",
         formatname=fmt.rstrip("0123456789.") or None)


def _scale_score(el, inst: Instrument, sc, lang: str, var_ids: str) -> None:
    """A scale score's ``var``: label, universe, and its derivation in words and in SPSS syntax."""
    _sub(el, "labl", text_in(sc.label, lang, inst.default_language), lang)
    _sub(el, "universe", phrase("all", lang), lang)
    der = _sub(el, "derivation", var=var_ids)
    fn = "MEAN" if sc.score == "mean" else "SUM"
    _sub(der, "drvdesc", f"{sc.score} of {', '.join(sc.items)}"
         + (f"; reverse-keyed: {', '.join(sc.reverse)}" if sc.reverse else "")
         + f"; at least {sc.min_valid} valid items", "en")
    _sub(der, "drvcmd", f"COMPUTE {sc.name} = {fn}.{sc.min_valid}({', '.join(scale_items(inst, sc))}).", syntax="SPSS")
    _sub(el, "varFormat", "F8.2", type="numeric", schema="SPSS", formatname="F")


def ddi_xml(inst: Instrument, lang: str | None = None) -> str:
    """The DDI document as text (UTF-8 XML with declaration)."""
    tree = ddi_tree(inst, lang)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(tree.getroot(), encoding="unicode") + "\n"


def write_ddi(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    from ..files import write_text

    return write_text(path, ddi_xml(inst, lang), force)

