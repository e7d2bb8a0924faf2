"""The coding work in whole steps, as the command line and a report use them."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from coprod.instrument.errors import OptionError
from coprod.instrument.files import check_writable

from .answers import group_labels, key_secret, key_table, open_answers

EXPORT_FORMATS = {".xlsx": "workbook", ".qdpx": "qdpx", ".qdc": "qdc"}


def default_key_file(out) -> Path:
    """The key file beside an export: ``coding.key`` in the folder of ``out``."""
    return Path(out).parent / "coding.key"


def export_coding(resp, out, coder: str = "coding", blind: bool = False, seed: int | None = None,
                  key_file=None, lang: str | None = None, by: str | None = None, questions=None,
                  instrument=None, coded: pd.DataFrame | None = None, force: bool = False) -> dict:
    """Export the open answers of ``resp`` for coding: a workbook (``.xlsx``), a REFI-QDA project
    (``.qdpx``) or the codebook alone (``.qdc``; ``resp`` may then be None), by ``out``'s extension.
    ``coded`` (coded answers, one value per answer and theme) adds codings to a ``.qdpx`` project.

    Returns ``{"out": path, "key_file": path or None, "key_file_created": bool, "answers": n}``.
    """
    kind = EXPORT_FORMATS.get(Path(out).suffix.lower())
    if kind is None:
        raise OptionError(f"cannot tell the format from {str(out)!r} (use .xlsx, .qdpx or .qdc)", param="out")
    inst = instrument if instrument is not None else getattr(resp, "instrument", None)
    if inst is None:
        raise OptionError("a definition with a codebook is needed", param="instrument")
    check_writable(out, force)
    if kind == "qdc":
        from .refi import write_qdc

        write_qdc(inst, out, lang=lang, force=force)
        return {"out": Path(out), "key_file": None, "key_file_created": False, "answers": 0}
    if resp is None:
        raise OptionError(f"the data with the open answers are needed for {Path(out).suffix}")
    key_file = Path(key_file) if key_file else default_key_file(out)
    created = not key_file.exists()
    secret = key_secret(key_file, create=True)
    answers = open_answers(resp, secret, by=by, questions=questions, lang=lang)
    if kind == "workbook":
        from .workbook import write_workbook

        write_workbook(answers, inst, out, coder=coder, blind=blind, seed=seed, lang=lang, force=force)
    else:
        from .refi import write_qdpx

        write_qdpx(answers, inst, out, coder=coder, lang=lang, coded=coded, force=force)
    return {"out": Path(out), "key_file": key_file, "key_file_created": created, "answers": len(answers)}


def link_data(resp, key_file, by: str | None = None, lang: str | None = None, scales=None) -> tuple[dict, pd.DataFrame]:
    """({key: group label}, scale scores by ``key``) of the data, through the key file of the export.

    Scale scores are taken from the data where present, else scored from the definition.
    """
    inst = resp.instrument
    if inst is None:
        raise OptionError("a definition is needed to link the data", param="instrument")
    secret = key_secret(key_file, create=False)
    keys = key_table(resp, secret)["key"]
    _, labels = group_labels(resp, inst, by, lang or inst.default_language)
    groups = dict(zip(keys, labels))
    names = list(inst.scales) if scales is None else [s.strip() for s in (scales.split(",") if isinstance(scales, str) else scales)]
    unknown = [s for s in names if s not in inst.scales]
    if unknown:
        raise OptionError(f"unknown scale {unknown[0]!r} (scales: {', '.join(inst.scales)})", param="scales")
    missing = [s for s in names if s not in resp.data.columns]
    if missing:
        from coprod.analysis.data.scoring import score

        resp = score(resp, inst, scales=missing)
    have = [s for s in names if s in resp.data.columns]
    scores = pd.DataFrame({"key": keys.to_numpy()})
    for s in have:
        scores[s] = resp.valid([s])[s].to_numpy(dtype=float)
    return groups, scores


def coding_section(coded: pd.DataFrame, instrument=None, resp=None, key_file=None, by: str | None = None,
                   rule: str = "majority", adjust: str = "holm", lang: str | None = None,
                   quotes: bool = False, scales: bool = True) -> tuple[dict, str]:
    """What a report shows of the coding: ``(tables, methods paragraph)``.

    Tables: ``themes``, ``theme_tests``, ``cooccurrence``, ``theme_scales`` (with data and key file),
    ``agreement`` (with two or more coders), ``quotes`` (with ``quotes``); ``scales=False`` leaves out
    ``theme_scales``; the paragraph says how they were made.
    """
    from .agreement import agreement
    from .themes import themes_by_group

    groups = scores = None
    if resp is not None and key_file is not None:
        groups, scores = link_data(resp, key_file, by=by, lang=lang)
    res = themes_by_group(coded, instrument, groups=groups, scores=scores if scales else None, rule=rule, adjust=adjust,
                          lang=lang, quotes=quotes)
    tables = res.tables()
    sentences = []
    if coded["coder"].nunique() > 1:
        agr = agreement(coded)
        tables["agreement"] = agr.agreement
        sentences.append(agr.methods_sentence())
    sentences.append(res.methods_sentence())
    return tables, " ".join(s for s in sentences if s)


def export_coding_from(data, out, instrument, coded=None, rule: str = "majority", **options) -> dict:
    """:func:`export_coding` from files: the responses read from ``data`` (None for a ``.qdc``) and,
    for a ``.qdpx`` project, the consensus (``rule``) of coded files ``coded`` as its codings."""
    from coprod.analysis.data.io import load_responses

    from .merge import load_coded
    from .themes import consensus

    resp = load_responses(data, instrument=instrument) if data else None
    values = consensus(load_coded(coded, instrument).coded, rule) if coded else None
    return export_coding(resp, out, instrument=instrument, coded=values, **options)


def themes_from(files, instrument=None, data=None, key_file=None, by: str | None = None, lang: str | None = None,
                **options):
    """:func:`~analysis.coding.themes.themes_by_group` of coded files, with the groups and scale scores of
    the response file ``data`` linked through the key file (default: ``coding.key`` beside the first file);
    ``options`` as ``themes_by_group`` takes them (rule, coder, adjust, quotes)."""
    from coprod.analysis.data.io import load_responses

    from .merge import load_coded
    from .themes import themes_by_group

    coded = load_coded(files, instrument).coded
    groups = scores = None
    if data:
        resp = load_responses(data, instrument=instrument)
        groups, scores = link_data(resp, key_file or default_key_file(files[0]), by=by, lang=lang)
    return themes_by_group(coded, instrument, groups=groups, scores=scores, lang=lang, **options)
