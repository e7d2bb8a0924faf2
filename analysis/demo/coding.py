"""Simulated coding of the demo's open answers: two coders fill their coding workbooks with the built-in
starter codebook, as coders would, so the demo report can show what respondents said.

Each simulated answer (:data:`analysis.demo.simulate.TEXTS`) carries its themes in its words
(:data:`KEYWORDS`); the first coder marks exactly those, the second the same except for a planted
share of decisions (:data:`FLIP_SHARE`, chosen at random from ``seed``), so their agreement is high
but not perfect.  The first coder marks one answer in :data:`QUOTE_SHARE` as a quote.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

#: Words of an answer -> the themes of the starter codebook they show.
KEYWORDS = {"responsib": ("unclear_resp", "accountability"), "unclear": ("role_conflict", "roles"),
            "training": ("support", "volunteer_difference"), "supervisor": ("support", "vertical_acc"),
            "closely": ("discretion",), "paperwork": ("burden",), "feedback": ("evaluation",),
            "worked well": ("trust",), "cooperation": ("trust", "horizontal_acc"), "understand": ("involvement",),
            "meetings": ("process_outcome",)}
#: Share of the second coder's decisions that differ from the first coder's.
FLIP_SHARE = 0.04
#: Share of the answers the first coder marks as quotes.
QUOTE_SHARE = 0.03
CODERS = ("coder-1", "coder-2")


def themes_in(answer: str) -> set[str]:
    """The themes an answer's words show.

    >>> sorted(themes_in("Our supervisor follows every case closely."))
    ['discretion', 'support', 'vertical_acc']
    """
    text = str(answer).lower()
    return {theme for word, themes in KEYWORDS.items() if word in text for theme in themes}


def _fill(path: Path, inst, rng: np.random.Generator, flip: float, quotes: float) -> None:
    """Code every answer of the workbook at ``path``: present themes 1, the others that apply 0."""
    from openpyxl import load_workbook

    from coprod.analysis.coding.workbook import SHEET
    from coprod.instrument.themes import themes_for

    wb = load_workbook(path)
    ws = wb[SHEET]
    col = {c.value: c.column for c in ws[1] if c.value}
    applies: dict = {}
    for r in range(2, ws.max_row + 1):
        question, answer = ws.cell(r, col["question"]).value, ws.cell(r, col["answer"]).value
        if question not in applies:
            applies[question] = [t.code for t in themes_for(inst, question)]
        present = themes_in(answer)
        for theme in applies[question]:
            value = int(theme in present)
            if rng.random() < flip:
                value = 1 - value
            ws.cell(r, col[theme]).value = value
        if quotes and rng.random() < quotes:
            ws.cell(r, col["quote"]).value = 1
    wb.save(path)


def simulate_coding(resp, inst, folder, seed: int, force: bool = False) -> list[Path]:
    """Export the open answers of ``resp`` for two coders into ``folder`` (with ``coding.key``) and code
    them; returns the two workbooks."""
    from coprod.analysis.coding.run import export_coding

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    paths = []
    for i, coder in enumerate(CODERS):
        out = folder / f"{coder}.xlsx"
        export_coding(resp, out, coder=coder, seed=seed + i, instrument=inst, force=force)
        _fill(out, inst, rng, flip=FLIP_SHARE if i else 0.0, quotes=0.0 if i else QUOTE_SHARE)
        paths.append(out)
    return paths
