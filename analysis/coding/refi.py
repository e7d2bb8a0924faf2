"""REFI-QDA exchange (QDA-XML 1.0): the codebook as ``.qdc``, the answers as a ``.qdpx`` project, and
``.qdpx`` projects coded in NVivo, ATLAS.ti, MAXQDA or QualCoder read back as coded answers.

Export: each open answer is one text source (``sources/GUID.txt``, named ``KEY question``, with the
variable ``question``); each respondent key is a case with the variable ``group`` and references to
its answers; the themes are the codebook (nested by ``parent``), with stable GUIDs made from the
definition's id and the theme's code; coded answers, where given, become codings of the whole
answer. Import: every coding of a text source (or of a selection in it) marks the code present in
that source for the user who made it; a code is matched to a theme by its GUID, then its name (the
theme's label in any language, or its code); other codes are kept under their own names and reported.
"""
from __future__ import annotations

import io
import uuid
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from coprod.instrument.errors import DataError
from coprod.instrument.files import atomic_path, check_writable
from coprod.instrument.model import text_in
from coprod.instrument.themes import themes_for

from .merge import CODED_COLUMNS, PROBLEM_COLUMNS, CodingImport

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
_NAMESPACE = uuid.UUID("6f1d4c1e-3b7a-5d0e-9c61-0c0d3a1c0ded")
MAX_QDE_BYTES = 200 * 1024 * 1024


def guid(*parts) -> str:
    """A stable GUID for the parts (the same parts always give the same GUID)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def _codes_xml(parent, inst, lang: str, ns: str) -> None:
    fb = inst.default_language
    children: dict = {}
    for t in inst.themes:
        children.setdefault(t.parent, []).append(t)

    def add(into, theme):
        el = ET.SubElement(into, f"{{{ns}}}Code", guid=guid(inst.id, "code", theme.code), name=theme.label_in(lang, fb),
                           isCodable="true")
        desc = theme.description_in(lang, fb)
        ET.SubElement(el, f"{{{ns}}}Description").text = (f"{desc}\n" if desc else "") + f"[code: {theme.code}]"
        for child in children.get(theme.code, []):
            add(el, child)

    codes = ET.SubElement(parent, f"{{{ns}}}Codes")
    for t in children.get(None, []):
        add(codes, t)


def codebook_xml(inst, lang: str | None = None) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document."""
    ET.register_namespace("", CODEBOOK_NS)
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", origin="coprod")
    _codes_xml(root, inst, lang or inst.default_language, CODEBOOK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_qdc(inst, out, lang: str | None = None, force: bool = False) -> Path:
    """Write the definition's codebook as a ``.qdc`` file."""
    check_writable(out, force)
    with atomic_path(out, force) as tmp:
        tmp.write_bytes(codebook_xml(inst, lang))
    return Path(out)


def project_xml(answers: pd.DataFrame, inst, coder: str = "coding", lang: str | None = None,
                coded: pd.DataFrame | None = None) -> tuple[bytes, dict]:
    """(``project.qde``, {source file name: text}) for the answers; ``coded`` adds codings (value 1)."""
    lang = lang or inst.default_language
    P = f"{{{PROJECT_NS}}}"
    ET.register_namespace("", PROJECT_NS)
    now = datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    user = guid(inst.id, "user", coder)
    root = ET.Element(f"{P}Project", name=text_in(inst.title, lang, inst.default_language) or inst.id,
                      origin="coprod", creatingUserGUID=user, creationDateTime=now)
    ET.SubElement(ET.SubElement(root, f"{P}Users"), f"{P}User", guid=user, name=str(coder))
    _codes_xml(ET.SubElement(root, f"{P}CodeBook"), inst, lang, PROJECT_NS)
    variables = ET.SubElement(root, f"{P}Variables")
    var_guid = {v: guid(inst.id, "variable", v) for v in ("group", "question")}
    for name, g in var_guid.items():
        ET.SubElement(variables, f"{P}Variable", guid=g, name=name, typeOfVariable="Text")
    present = set()
    if coded is not None:
        sel = coded[coded["value"] == 1]
        present = set(zip(sel["key"], sel["question"], sel["theme"]))
    cases = ET.SubElement(root, f"{P}Cases")
    sources = ET.SubElement(root, f"{P}Sources")
    files, case_of = {}, {}
    for rec in answers.itertuples(index=False):
        sg = guid(inst.id, "source", rec.key, rec.question)
        files[f"{sg}.txt"] = rec.answer
        src = ET.SubElement(sources, f"{P}TextSource", guid=sg, name=f"{rec.key} {rec.question}",
                            plainTextPath=f"internal://{sg}.txt", creatingUser=user, creationDateTime=now)
        themes = [t for t in inst.themes if (rec.key, rec.question, t.code) in present]
        if themes:
            s = ET.SubElement(src, f"{P}PlainTextSelection", guid=guid(sg, "all"), name=rec.question,
                              startPosition="0", endPosition=str(len(rec.answer)), creatingUser=user)
            for t in themes:
                c = ET.SubElement(s, f"{P}Coding", guid=guid(sg, "coding", t.code, coder), creatingUser=user)
                ET.SubElement(c, f"{P}CodeRef", targetGUID=guid(inst.id, "code", t.code))
        _value(src, P, var_guid["question"], rec.question)
        if rec.key not in case_of:
            case_of[rec.key] = ET.SubElement(cases, f"{P}Case", guid=guid(inst.id, "case", rec.key), name=rec.key)
            if rec.group:
                _value(case_of[rec.key], P, var_guid["group"], rec.group)
        ET.SubElement(case_of[rec.key], f"{P}SourceRef", targetGUID=sg)
    for parent in (cases, sources):
        if not len(parent):
            root.remove(parent)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), files


def _value(parent, P: str, var: str, text: str) -> None:
    vv = ET.SubElement(parent, f"{P}VariableValue")
    ET.SubElement(vv, f"{P}VariableRef", targetGUID=var)
    ET.SubElement(vv, f"{P}TextValue").text = str(text)


def write_qdpx(answers: pd.DataFrame, inst, out, coder: str = "coding", lang: str | None = None,
               coded: pd.DataFrame | None = None, force: bool = False) -> Path:
    """Write the answers as a REFI-QDA project (``.qdpx``: ``project.qde`` and ``sources/``)."""
    check_writable(out, force)
    qde, files = project_xml(answers, inst, coder, lang, coded)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        for name, text in files.items():
            z.writestr(f"sources/{name}", str(text).encode("utf-8"))
    with atomic_path(out, force) as tmp:
        tmp.write_bytes(buf.getvalue())
    return Path(out)


# ------------------------------------------------------------------------------------------ import
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el, name: str):
    return [c for c in el if _local(c.tag) == name]


def _walk_codes(el, path, out: dict) -> None:
    for code in _children(el, "Code"):
        name = code.get("name") or ""
        out[code.get("guid")] = (name, path + [name])
        _walk_codes(code, path + [name], out)
    for codes in _children(el, "Codes"):
        _walk_codes(codes, path, out)


def _theme_names(codes: dict, inst) -> dict:
    """{code GUID: theme}: by our GUIDs, then by label or code, else the code's name (its path if not unique)."""
    by_name = {}
    if inst is not None:
        for t in inst.themes:
            by_name[t.code.lower()] = t.code
            for label in t.label.values():
                by_name.setdefault(label.strip().lower(), t.code)
    ours = {guid(inst.id, "code", t.code): t.code for t in inst.themes} if inst is not None else {}
    counts = pd.Series([n for n, _ in codes.values()]).value_counts().to_dict() if codes else {}
    out = {}
    for g, (name, path) in codes.items():
        out[g] = ours.get(g) or by_name.get(name.strip().lower()) or (name if counts.get(name, 0) == 1 else "/".join(path))
    return out


def _read_zip(path) -> tuple[ET.Element, dict]:
    p = Path(path)
    try:
        z = zipfile.ZipFile(p)
    except (OSError, zipfile.BadZipFile) as exc:
        raise DataError(f"{p}: not a .qdpx project ({exc})") from None
    with z:
        names = {n.lower(): n for n in z.namelist()}
        if "project.qde" not in names:
            raise DataError(f"{p}: no project.qde in the archive: not a REFI-QDA project")
        if z.getinfo(names["project.qde"]).file_size > MAX_QDE_BYTES:
            raise DataError(f"{p}: project.qde is too large")
        try:
            root = ET.fromstring(z.read(names["project.qde"]))
        except ET.ParseError as exc:
            raise DataError(f"{p}: project.qde is not valid XML ({exc})") from None
        texts = {n: z.read(orig) for n, orig in names.items() if n.endswith(".txt")}
    return root, texts


def _source_text(src, texts: dict) -> str:
    content = _children(src, "PlainTextContent")
    if content and content[0].text:
        return content[0].text
    path = (src.get("plainTextPath") or "").replace("internal://", "")
    for cand in (path, f"sources/{path}"):
        raw = texts.get(cand.lower())
        if raw is not None:
            return raw.decode("utf-8-sig", errors="replace")
    return ""


def _variables(el, names: dict) -> dict:
    out = {}
    for vv in _children(el, "VariableValue"):
        ref = _children(vv, "VariableRef")
        name = names.get(ref[0].get("targetGUID")) if ref else None
        values = [c.text for c in vv if _local(c.tag) != "VariableRef"]
        if name and values:
            out[name.lower()] = values[0] or ""
    return out


def read_qdpx(path, instrument=None) -> CodingImport:
    """Read a ``.qdpx`` project into the coded-answers table (one row per coder, source and code)."""
    root, texts = _read_zip(path)
    name = Path(path).name
    users = {u.get("guid"): u.get("name") or u.get("id") or u.get("guid") for u in root.iter() if _local(u.tag) == "User"}
    codes: dict = {}
    for cb in (e for e in root if _local(e.tag) == "CodeBook"):
        _walk_codes(cb, [], codes)
    themes = _theme_names(codes, instrument)
    var_names = {v.get("guid"): v.get("name") for v in root.iter() if _local(v.tag) == "Variable"}
    group_of = {}
    for case in (e for e in root.iter() if _local(e.tag) == "Case"):
        group = _variables(case, var_names).get("group", "")
        for ref in _children(case, "SourceRef"):
            group_of[ref.get("targetGUID")] = (case.get("name") or "", group)
    default_user = users.get(root.get("creatingUserGUID")) or Path(path).stem
    rows, problems, sources = [], [], [e for e in root.iter() if _local(e.tag) == "TextSource"]
    for src in sources:
        _source_rows(src, texts, themes, users, default_user, var_names, group_of, name, rows)
    coded = pd.DataFrame(rows, columns=CODED_COLUMNS)
    coded = _fill_absent(coded, instrument, list(dict.fromkeys(themes.values())))
    known = {t.code for t in instrument.themes} if instrument is not None and instrument.themes else None
    if known is not None:
        for theme in dict.fromkeys(coded.loc[coded["value"] == 1, "theme"]):
            if theme not in known:
                problems.append([name, 0, "", "", "", theme, f"code {theme!r} is not a theme of the codebook (kept)"])
    return CodingImport(coded, pd.DataFrame(problems, columns=PROBLEM_COLUMNS))


def _source_rows(src, texts, themes, users, default_user, var_names, group_of, name, rows) -> None:
    text = _source_text(src, texts)
    sg = src.get("guid")
    variables = _variables(src, var_names)
    key, group = group_of.get(sg, ("", ""))
    label = src.get("name") or src.get("plainTextPath") or sg
    question = variables.get("question", "")
    if question and label.endswith(f" {question}"):
        key = key or label[: -len(question) - 1]
    key = key or label
    group = group or variables.get("group", "")
    seen = set()
    codings = [(src, c) for c in _children(src, "Coding")]
    codings += [(sel, c) for sel in _children(src, "PlainTextSelection") for c in _children(sel, "Coding")]
    for holder, coding in codings:
        ref = _children(coding, "CodeRef")
        if not ref:
            continue
        coder = users.get(coding.get("creatingUser")) or users.get(holder.get("creatingUser")) or default_user
        theme = themes.get(ref[0].get("targetGUID"), ref[0].get("targetGUID"))
        if (coder, theme) in seen:
            continue
        seen.add((coder, theme))
        rows.append([coder, key, group, question, text, theme, 1.0, float("nan"), "", name])
    if not codings:  # an uncoded source stays in the table, coded by nobody
        rows.append(["", key, group, question, text, "", float("nan"), float("nan"), "", name])


def _fill_absent(coded: pd.DataFrame, inst, themes: list[str]) -> pd.DataFrame:
    """Each coder's absent codes as 0 on every source: on our questions the themes that apply, else every code."""
    coders = [c for c in dict.fromkeys(coded["coder"]) if c]
    if not coders:
        return coded
    units = coded.drop_duplicates(["key", "question"])
    have = set(zip(coded["coder"], coded["key"], coded["question"], coded["theme"]))
    extra = []
    for u in units.itertuples(index=False):
        applicable = [t.code for t in themes_for(inst, u.question)] if inst is not None and u.question else themes
        for coder in coders:
            for theme in applicable or themes:
                if (coder, u.key, u.question, theme) not in have:
                    extra.append([coder, u.key, u.group, u.question, u.answer, theme, 0.0, float("nan"), "", u.source])
    out = pd.concat([coded[coded["coder"] != ""], pd.DataFrame(extra, columns=CODED_COLUMNS)], ignore_index=True)
    return out
