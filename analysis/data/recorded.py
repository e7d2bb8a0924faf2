"""Which questionnaire a data file belongs to, when none is named.

A ``.sav``, ``.zsav`` or ``.dta`` that coprod writes records the instrument its data were checked
against in the file label (``coprod instrument coprod-accountability 1.0``, and its optional modules
where the 64 bytes of the label hold them: ``... 1.0 +conciliation``); the data-entry workbook
records it on its hidden ``coprod`` sheet.  :func:`find_instrument` uses that record: the built-in
instrument when the file names it, else the built-in instrument when the file's variables are its
variables.  Either way it says so in one sentence, so no statistic silently depends on a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from coprod.instrument.names import utf8_truncate

#: How a file label records the instrument.
LABEL_PREFIX = "coprod instrument "
_LABEL = re.compile(r"^coprod instrument (\S+) (\S+)(?: \+(\S+))?\s*$")
#: Share of the built-in instrument's variables a file must hold, and share of the file's columns that
#: must be the instrument's, for the file to be taken as the built-in instrument's data.
MATCH_SHARE = 0.5


@dataclass
class Found:
    """The instrument found for a data file (``None`` when none), and the sentence saying how."""

    instrument: object = None
    note: str = ""


def file_label(instrument) -> str:
    """The file label recording ``instrument`` and its optional modules (at most 64 bytes, the SPSS limit;
    the modules only where they fit).

    >>> from types import SimpleNamespace as NS
    >>> file_label(NS(id="coprod-accountability", version="1.0"))
    'coprod instrument coprod-accountability 1.0'
    >>> file_label(NS(id="coprod-accountability", version="1.0", modules=("conciliation",)))
    'coprod instrument coprod-accountability 1.0 +conciliation'
    """
    label = f"{LABEL_PREFIX}{instrument.id} {instrument.version}"
    modules = tuple(getattr(instrument, "modules", ()) or ())
    with_modules = label + "".join(f" +{m}" if not i else f"+{m}" for i, m in enumerate(modules))
    return with_modules if len(with_modules.encode("utf-8")) <= 64 else utf8_truncate(label, 64)


def parse_file_label(label) -> tuple[str, str] | None:
    """(id, version) recorded by :func:`file_label`, or None.

    >>> parse_file_label("coprod instrument coprod-accountability 1.0")
    ('coprod-accountability', '1.0')
    >>> parse_file_label("Survey 2023") is None
    True
    """
    m = _LABEL.match(str(label or ""))
    return (m.group(1), m.group(2)) if m else None


def label_origin(label) -> dict:
    """What a file label records: ``instrument_id``, ``instrument_version`` and, where recorded,
    ``instrument_modules`` (a tuple, possibly empty); ``{}`` for a label coprod did not write.

    >>> label_origin("coprod instrument coprod-accountability 1.0 +conciliation")["instrument_modules"]
    ('conciliation',)
    """
    m = _LABEL.match(str(label or ""))
    if not m:
        return {}
    out = {"instrument_id": m.group(1), "instrument_version": m.group(2)}
    if m.group(3):
        out["instrument_modules"] = tuple(m.group(3).split("+"))
    return out


def recorded(path) -> dict:
    """What a file says about itself without reading its data: ``instrument_id``, ``instrument_version``
    and ``columns`` where known (SPSS and Stata files: from the dictionary only)."""
    import pyreadstat

    from coprod.analysis.data.sniff import sniff

    p = Path(path)
    kind = sniff(p)
    if kind not in ("sav", "zsav", "dta"):
        return {}
    try:
        reader = pyreadstat.read_dta if kind == "dta" else pyreadstat.read_sav
        _, meta = reader(str(p), metadataonly=True)
    except Exception:  # unreadable: the reading proper reports it
        return {}
    return {"columns": list(meta.column_names), **label_origin(getattr(meta, "file_label", None))}


def find_instrument(responses=None, path=None, builtin=None) -> Found:
    """The instrument for data read without one: the built-in one when the data record it (their
    ``origin``) or when their variables are its variables; otherwise none.

    Give ``responses`` (read by :func:`~coprod.analysis.data.read.load_responses`) or ``path`` (only the
    file's dictionary is read).  ``builtin`` stands in for :func:`coprod.instrument.builtin`.
    """
    if responses is not None:
        origin = getattr(responses, "origin", None) or {}
        columns = list(responses.data.columns)
        sources = list(getattr(responses, "sources", None) or [])
        name = Path(sources[0]).name if len(sources) == 1 else "the data"
    else:
        origin = recorded(path)
        if not origin:  # not SPSS or Stata: the columns are known only by reading the file
            from coprod.analysis.data.read import load_responses

            return find_instrument(load_responses(path), builtin=builtin)
        columns = origin.get("columns") or []
        name = Path(path).name
    if builtin is None:
        builtin = _recorded_builtin(origin) or builtin_for(columns)
    iid, iver = origin.get("instrument_id"), origin.get("instrument_version")
    if iid:
        if iid != builtin.id:
            return Found(None, f"{name} records the instrument {iid} {iver or ''}".rstrip()
                         + ", which is not the built-in one: name its definition to use its scales and labels")
        note = f"using the built-in instrument {_named(builtin)} recorded in {name}"
        if iver and str(iver) != str(builtin.version):
            note = (f"using the built-in instrument {_named(builtin)}; {name} records version {iver}")
        return Found(builtin, note)
    if columns and matches(columns, builtin):
        return Found(builtin, f"using the built-in instrument {_named(builtin)}: "
                              f"the variables of {name} are its variables")
    return Found(None, "")


def _recorded_builtin(origin):
    """The built-in instrument with the modules a file records (its label), or None where it records none
    or modules the built-in instrument does not have: then they are found from the columns."""
    modules = origin.get("instrument_modules")
    if modules is None:
        return None
    import coprod.instrument as instrument_pkg

    return instrument_pkg.builtin(tuple(modules)) if set(modules) <= set(instrument_pkg.builtin_modules()) else None


def builtin_for(columns):
    """The built-in instrument with the optional modules whose own variables ``columns`` hold (at least
    half of them): a file of the conciliation module's data is read with that module's questions."""
    import coprod.instrument as instrument_pkg

    base = instrument_pkg.builtin()
    cols = {str(c).lower() for c in columns or ()}
    known = {v.name.lower() for v in base.variables}
    ours = _derived_names(base)
    if not {c for c in cols - known if not ours(c)}:  # nothing beyond the core questionnaire and its scores
        return base
    modules = []
    for module in instrument_pkg.builtin_modules():
        own = {v.name.lower() for v in instrument_pkg.builtin((module,)).variables} - known
        if own and len(own & cols) >= MATCH_SHARE * len(own):
            modules.append(module)
    return instrument_pkg.builtin(tuple(modules)) if modules else base


def _named(inst) -> str:
    """``id version``, and the modules switched on: ``coprod-accountability 2.0 (modules: conciliation)``."""
    mods = tuple(getattr(inst, "modules", ()) or ())
    return f"{inst.id} {inst.version}" + (f" (modules: {', '.join(mods)})" if mods else "")


def matches(columns, instrument) -> bool:
    """Whether ``columns`` are ``instrument``'s data: at least half of its variables are there, and at least
    half of the columns are its variables, scale scores, reversed copies or bookkeeping columns.

    >>> from types import SimpleNamespace as NS
    >>> inst = NS(variables=[NS(name=n) for n in ("q1", "q2", "q3")], scales={"s": None}, respondent_id="id")
    >>> matches(["id", "Q1", "q2", "s"], inst), matches(["q1", "x", "y", "z"], inst)
    (True, False)
    """
    names = {v.name.lower() for v in instrument.variables}
    cols = [str(c).lower() for c in columns]
    if not cols or not names:
        return False
    present = sum(1 for c in set(cols) if c in names)
    ours = sum(1 for c in cols if c in names or _derived_names(instrument)(c))
    return present >= MATCH_SHARE * len(names) and ours >= MATCH_SHARE * len(cols)


def _derived_names(instrument):
    """Whether a (lower-case) column name is one coprod adds to ``instrument``'s data: a scale score, a reversed
    copy (``q1_r``), the respondent id, a bookkeeping column."""
    from coprod.analysis.data.loaded import META_PREFIX, SOURCE_VAR

    names = {v.name.lower() for v in instrument.variables}
    known = {s.lower() for s in instrument.scales} | {str(instrument.respondent_id).lower(), SOURCE_VAR}
    return lambda c: c in known or (c.endswith("_r") and c[:-2] in names) or c.startswith(META_PREFIX)


def choose_instrument(definition=None, data=None, required: bool = False) -> Found:
    """The instrument to use: the definition at ``definition`` (a path) when given; else the one the ``data``
    file records or matches (:func:`find_instrument`); else the built-in one where one is ``required``."""
    import coprod.instrument as instrument_pkg

    if definition is not None:
        return Found(instrument_pkg.load(definition))
    if data is not None:
        found = find_instrument(path=data)
        if found.instrument is not None or not required:
            return found
        return Found(instrument_pkg.builtin(), found.note)
    return Found(instrument_pkg.builtin() if required else None)


def columns_needed(path, items, by=None, builtin=None) -> list[str] | None:
    """The variables of an SPSS file that a statistic of ``items`` by ``by`` (a name or several) reads, from its dictionary
    alone; None (read every column) where that cannot be known without an instrument's view of the file:
    no ``items``, not a ``.sav``/``.zsav``, a file recording an instrument or holding the built-in one's
    variables (mapped and labelled by it), or names that do not resolve (the full read reports them).
    """
    from coprod.analysis.data.items import parse_items
    from coprod.analysis.data.sniff import sniff

    if not items or sniff(Path(path)) not in ("sav", "zsav"):
        return None
    origin = recorded(path)
    columns = origin.get("columns")
    if not columns or origin.get("instrument_id"):
        return None
    if builtin is None:
        import coprod.instrument as instrument_pkg

        builtin = instrument_pkg.builtin()
    if matches(columns, builtin):
        return None
    try:
        names = set(parse_items(items, columns))
    except Exception:  # the full read names the problem, as without the selection
        return None
    lowered = {str(c).lower(): c for c in columns}
    for extra in [by] if by is None or isinstance(by, str) else by:  # the grouping (and weight) variables
        if extra is None:
            continue
        found = extra if extra in columns else lowered.get(str(extra).lower())
        if found is None:
            return None
        names.add(found)
    return [c for c in columns if c in names]


def load_with_instrument(path, instrument=None, read_sav=None, columns=None):
    """Read ``path`` as :func:`~coprod.analysis.data.read.load_responses` does; without ``instrument``, with
    the one :func:`find_instrument` finds.  Returns ``(responses, note)``; ``note`` says which instrument was
    taken and why (empty when ``instrument`` was given or none was found).  ``columns``: only these
    variables (see :func:`columns_needed`)."""
    from coprod.analysis.data.conform import conform
    from coprod.analysis.data.read import load_responses

    res = load_responses(path, instrument=instrument, read_sav=read_sav, columns=columns)
    if instrument is not None:
        return res, ""
    found = find_instrument(res)
    if found.instrument is not None:
        conform(res, found.instrument)
    return res, found.note
