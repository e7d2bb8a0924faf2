"""SPSS: an empty ``.sav`` template and a ``.sps`` syntax file that labels data and scores the scales.

The template (written with pyreadstat) has the respondent id and every variable with its label,
value labels, user-missing values, measurement level and format: ``F1.0``-style formats for codes (wide
enough for the missing codes, so ``F2.0`` with ``-9``), ``F8.0`` for whole numbers, ``F8.2`` for decimals,
``A255`` texts, ``A4000`` open answers, ``DATE11`` dates, ``A64`` for the respondent id.

The syntax labels any dataset with these variables (VARIABLE LABELS, VALUE LABELS, MISSING VALUES,
VARIABLE LEVEL), reverse-codes reverse-keyed items into new ``_r`` variables (``RECODE ... (ELSE=COPY)``
keeps the missing codes), computes each scale score with SPSS's minimum-valid rule (``MEAN.n``/``SUM.n``)
and runs RELIABILITY for each scale. Labels are cut on UTF-8 character boundaries to SPSS's limits
(256 bytes for variable labels, 120 for value labels).
"""
from __future__ import annotations

import struct
from pathlib import Path

from ..errors import DefinitionError, Problem
from ..model import Instrument, Scale, Variable, format_code, text_in
from ..names import utf8_truncate

VAR_LABEL_BYTES = 256
VALUE_LABEL_BYTES = 120
TEXT_WIDTH = 255
LONGTEXT_WIDTH = 4000
ID_WIDTH = 64
MAX_DISCRETE_MISSING = 3
_REVERSED = {"en": "reversed", "fi": "käännetty", "sv": "omvänd"}


def quote(text: str) -> str:
    """An SPSS string literal: ``'it''s'``; long texts are split into ``'...' + '...'`` pieces.

    >>> quote("it's")
    "'it''s'"
    >>> quote("a" * 70).count("+")
    0
    >>> print(quote("word " * 20))
    'word word word word word word word word word word word word word word word word '
        + 'word word word word '
    """
    text = text.replace("\r", " ").replace("\n", " ")
    pieces = []
    while len(text) > 80:  # keep syntax lines short: split after a space where there is one
        cut = text.rfind(" ", 40, 80)
        cut = cut + 1 if cut > 0 else 80
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return "\n    + ".join("'" + p.replace("'", "''") + "'" for p in pieces)


def spss_format(var: Variable) -> str:
    """The print format of a variable: F2.0 for codes -9..5, F8.2 for decimals, A255 for texts ..."""
    q = var.question
    if var.option is not None:
        return "F1.0"
    if q.choices is not None:
        width = max(len(format_code(c)) for c in q.choices.codes + tuple(var.missing_codes))
        decimals = max((len(format_code(c).split(".")[1]) for c in q.choices.codes if "." in format_code(c)), default=0)
        return f"F{width + (decimals + 1 if decimals else 0)}.{decimals}"
    if q.type == "integer":
        return "F8.0"
    if q.type == "decimal":
        return "F8.2"
    if q.type == "date":
        return "DATE11"
    return f"A{LONGTEXT_WIDTH if q.type == 'longtext' else TEXT_WIDTH}"


def missing_spec(codes, valid=(), name: str = "") -> list:
    """pyreadstat's ``missing_ranges`` entry: up to three codes, else one range plus one code.

    The range never covers a valid value (``valid``: codes, or (min, max) bounds of a number).

    >>> missing_spec([-9, -8])
    [-9, -8]
    >>> missing_spec([-9, -8, -7, 99], valid=(1, 2, 3))
    [{'lo': -9, 'hi': -7}, 99]
    >>> missing_spec([-9, 97, 98, 99], valid=(1, 2))
    [{'lo': 97, 'hi': 99}, -9]
    """
    codes = sorted(set(codes))
    if len(codes) <= MAX_DISCRETE_MISSING:
        return list(codes)
    for run, single in ((codes[:-1], codes[-1]), (codes[1:], codes[0])):
        if not any(run[0] <= v <= run[-1] for v in valid):
            return [{"lo": run[0], "hi": run[-1]}, single]
    raise DefinitionError([Problem(name or "<definition>", 0, f"{name}: missing codes {', '.join(format_code(c) for c in codes)} "
                                   "cannot be written as SPSS missing values (at most 3 codes, or a range plus one)")])


def _labels(inst: Instrument, lang: str):
    fb = inst.default_language
    var_labels = {inst.respondent_id: utf8_truncate("Respondent id" if lang == "en" else inst.respondent_id, VAR_LABEL_BYTES)}
    value_labels, missing, measure, formats = {}, {}, {}, {}
    for v in inst.variables:
        var_labels[v.name] = utf8_truncate(text_in(v.label, lang, fb), VAR_LABEL_BYTES)
        if v.value_labels and v.kind == "numeric":
            value_labels[v.name] = {c: utf8_truncate(text_in(t, lang, fb), VALUE_LABEL_BYTES) for c, t in v.value_labels.items()}
        if v.missing_codes:
            valid = v.valid_codes or tuple(b for b in (v.min, v.max) if b is not None)
            missing[v.name] = missing_spec(v.missing_codes, valid, v.name)
        measure[v.name] = v.measure
        formats[v.name] = spss_format(v)
    formats[inst.respondent_id] = f"A{ID_WIDTH}"
    measure[inst.respondent_id] = "nominal"
    return var_labels, value_labels, missing, measure, formats


def write_template(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    """Write an empty ``.sav`` with every variable, its labels, missing values, level and format."""
    import pandas as pd
    import pyreadstat

    from ..files import atomic_path

    lang = lang or inst.default_language
    var_labels, value_labels, missing, measure, formats = _labels(inst, lang)
    cols = {}
    # pyreadstat sizes string variables from the data, so the file is written with one row of full-width
    # texts, which is then cut off (see _drop_cases): the template keeps A255/A4000 and has no cases.
    cols[inst.respondent_id] = pd.Series(["x" * ID_WIDTH], dtype=object)
    for v in inst.variables:
        fmt = formats[v.name]
        if fmt.startswith("A"):
            cols[v.name] = pd.Series(["x" * int(fmt[1:])], dtype=object)
        elif fmt == "DATE11":
            cols[v.name] = pd.Series([pd.NaT], dtype="datetime64[ns]")
        else:
            cols[v.name] = pd.Series([float("nan")], dtype=float)
    df = pd.DataFrame(cols)
    with atomic_path(path, force) as tmp:
        pyreadstat.write_sav(df, str(tmp), file_label=utf8_truncate(text_in(inst.title, lang, inst.default_language), 64),
                             column_labels=var_labels, variable_value_labels=value_labels, missing_ranges=missing,
                             variable_measure=measure, variable_format=formats)
        _drop_cases(tmp)
    return Path(path)


def _drop_cases(path: Path) -> None:
    """Remove the (one) case of an uncompressed system file: set the case count to 0 and cut the data."""
    data = bytearray(path.read_bytes())
    if data[:4] != b"$FL2":
        raise DefinitionError([Problem(str(path), 0, "unexpected system file written")])
    endian = "<" if struct.unpack_from("<i", data, 64)[0] in (2, 3) else ">"
    case_size, compression, _, ncases = struct.unpack_from(endian + "iiii", data, 68)
    if compression != 0 or ncases != 1:
        raise DefinitionError([Problem(str(path), 0, "unexpected system file layout")])
    del data[len(data) - 8 * case_size:]
    struct.pack_into(endian + "i", data, 80, 0)
    path.write_bytes(bytes(data))


def _item_reverse(inst: Instrument, item: str) -> list[tuple]:
    """(old, new) pairs that reverse an item: the choice list's codes mirrored, or min+max-x."""
    q = inst.question(item)
    if q.choices is not None:
        codes = list(q.choices.codes)
        return list(zip(codes, reversed(codes)))
    lo, hi = q.min, q.max
    if q.type == "integer":
        return [(x, lo + hi - x) for x in range(int(lo), int(hi) + 1)]
    return []


def reversed_name(inst: Instrument, item: str) -> str:
    taken = {v.name.lower() for v in inst.variables} | {s.lower() for s in inst.scales} | {inst.respondent_id.lower()}
    name, i = f"{item}_r", 2
    while name.lower() in taken:
        name, i = f"{item}_r{i}", i + 1
    return name


def scale_items(inst: Instrument, sc: Scale) -> list[str]:
    """The variables a scale score is computed from (reverse-keyed items as their ``_r`` copies)."""
    return [reversed_name(inst, it) if it in sc.reverse else it for it in sc.items]


def syntax(inst: Instrument, lang: str | None = None) -> str:
    """The SPSS/PSPP syntax that labels a dataset and computes and checks the scale scores."""
    lang = lang or inst.default_language
    fb = inst.default_language
    var_labels, value_labels, missing, measure, formats = _labels(inst, lang)
    variables = inst.variables
    out = ["* Encoding: UTF-8.",
           f"* {text_in(inst.title, lang, fb)} ({inst.id} {inst.version}): labels, missing values and scale scores.",
           "* Run it on a dataset with these variables (e.g. after GET FILE or the data-entry import).", ""]
    out.append("VARIABLE LABELS")
    names = [inst.respondent_id] + [v.name for v in variables]
    out.append("\n  /".join(f"  {n} {quote(var_labels[n])}" if i == 0 else f"{n} {quote(var_labels[n])}"
                            for i, n in enumerate(names)) + ".")
    if value_labels:
        out.append("VALUE LABELS")
        parts = []
        for name, labels in value_labels.items():
            parts.append(f"{name}\n" + "\n".join(f"    {format_code(c)} {quote(t)}" for c, t in labels.items()))
        out.append("  " + "\n  /".join(parts) + ".")
    if missing:
        specs = []
        for name, spec in missing.items():
            items = [f"{format_code(s['lo'])} THRU {format_code(s['hi'])}" if isinstance(s, dict) else format_code(s) for s in spec]
            specs.append(f"{name} ({', '.join(items)})")
        out.append("MISSING VALUES " + "\n  /".join(specs) + ".")
    levels = {}
    for name in names:
        levels.setdefault(measure[name].upper(), []).append(name)
    out.append("VARIABLE LEVEL " + "\n  /".join(f"{' '.join(vs)} ({lv})" for lv, vs in levels.items()) + ".")
    numeric_formats = [(n, f) for n, f in formats.items() if f.startswith(("F", "DATE"))]
    if numeric_formats:
        by_fmt = {}
        for n, f in numeric_formats:
            by_fmt.setdefault(f, []).append(n)
        out.append("FORMATS " + "\n  /".join(f"{' '.join(vs)} ({f})" for f, vs in by_fmt.items()) + ".")
    out.append("")

    done = set()
    for sc in inst.scales.values():
        out.append(f"* Scale {sc.name}: {text_in(sc.label, lang, fb)}.")
        for item in sc.reverse:
            if item in done:
                continue
            done.add(item)
            rname = reversed_name(inst, item)
            pairs = _item_reverse(inst, item)
            if not pairs:
                out.append(f"COMPUTE {rname} = {format_code(inst.question(item).min + inst.question(item).max)} - {item}.")
            else:
                out.append(f"RECODE {item} " + " ".join(f"({format_code(a)}={format_code(b)})" for a, b in pairs)
                           + f" (ELSE=COPY) INTO {rname}.")
            label = utf8_truncate(f"{var_labels[item]} ({_REVERSED.get(lang, _REVERSED['en'])})", VAR_LABEL_BYTES)
            out.append(f"VARIABLE LABELS {rname} {quote(label)}.")
            if item in missing:
                spec = missing[item]
                items = [f"{format_code(s['lo'])} THRU {format_code(s['hi'])}" if isinstance(s, dict) else format_code(s) for s in spec]
                out.append(f"MISSING VALUES {rname} ({', '.join(items)}).")
                labels = value_labels.get(item, {})
                miss_labels = [(c, t) for c, t in labels.items() if c in inst.variable(item).missing_codes]
                if miss_labels:
                    out.append(f"VALUE LABELS {rname} " + " ".join(f"{format_code(c)} {quote(t)}" for c, t in miss_labels) + ".")
            out.append(f"FORMATS {rname} ({formats[item]}).")
            out.append(f"VARIABLE LEVEL {rname} ({measure[item].upper()}).")
        items = scale_items(inst, sc)
        fn = "MEAN" if sc.score == "mean" else "SUM"
        out.append(f"COMPUTE {sc.name} = {fn}.{sc.min_valid}({', '.join(items)}).")
        out.append(f"VARIABLE LABELS {sc.name} {quote(utf8_truncate(text_in(sc.label, lang, fb), VAR_LABEL_BYTES))}.")
        out.append(f"FORMATS {sc.name} (F8.2).")
        out.append(f"VARIABLE LEVEL {sc.name} (SCALE).")
        out.append("EXECUTE.")
        out.append(f"RELIABILITY\n  /VARIABLES={' '.join(items)}\n  /SCALE({quote(utf8_truncate(text_in(sc.label, lang, fb), 200))}) ALL"
                   "\n  /MODEL=ALPHA\n  /SUMMARY=TOTAL.")
        out.append("")
    out.append("EXECUTE.")
    return "\n".join(out) + "\n"


def write_syntax(inst: Instrument, path: str | Path, lang: str | None = None, force: bool = False) -> Path:
    from ..files import write_text

    return write_text(path, syntax(inst, lang), force)
