"""``coprod demo``: the whole job on the built-in instrument, from questionnaire to report.

:func:`run_demo` writes into one directory:

* ``forms/``: every form of the built-in questionnaire (questionnaires, data-entry workbook,
  XLSForm, codebooks, SPSS syntax ...), as ``coprod forms`` writes them;
* ``responses.sav``: 300 simulated respondents (:mod:`analysis.simulate`), labelled for SPSS,
  with a few deliberate mistakes for the data check to find;
* ``responses-entry.xlsx``: the same responses typed into the data-entry workbook;
* ``responses-checked.sav`` and ``data-check.xlsx``: the import of ``responses.sav`` checked
  against the questionnaire, with scale scores, and the list of problems found;
* ``coding/``: the open answers exported for two coders (``coder-1.xlsx``, ``coder-2.xlsx``, with the
  key file ``coding.key``) and coded with the starter codebook, with planted disagreements
  (:mod:`analysis.demo.coding`);
* ``report.html``, ``report.xlsx``, ``report.docx``: the report (:func:`analysis.report.build_report`),
  with the measurement invariance of the scales and what respondents said in the coded answers.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from coprod.instrument.errors import OutputExistsError

N_RESPONDENTS = 300
SEED = 20240601


@dataclass
class DemoResult:
    out_dir: Path
    files: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    seconds: float = 0.0


#: optional modules of the built-in instrument the demo switches on
DEMO_MODULES = ("conciliation",)


def fill_entry_workbook(inst, responses, path, force: bool = False) -> Path:
    """Write the data-entry workbook of ``inst`` with ``responses`` typed in (text stays text)."""
    import datetime as dt

    import numpy as np

    from coprod.instrument.files import atomic_path, check_writable, set_cell
    from coprod.instrument.forms.entry import FIRST_ROW, entry_workbook

    check_writable(path, force)
    wb = entry_workbook(inst)
    ws = wb["Data"]
    columns = {str(ws.cell(1, j).value).lower(): j for j in range(1, ws.max_column + 1) if ws.cell(1, j).value}
    df = responses.data
    for name in df.columns:
        j = columns.get(str(name).lower())
        if j is None:
            continue
        values = df[name].tolist()
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and np.isnan(v)):
                continue
            cell = ws.cell(FIRST_ROW + i, j)
            if isinstance(v, str):
                set_cell(cell, v)
            elif isinstance(v, (dt.date, dt.datetime)):
                cell.value = v
            else:
                f = float(v)
                cell.value = int(f) if f.is_integer() else f
    with atomic_path(path, force) as tmp:
        wb.save(tmp)
    return Path(path)


def run_demo(out_dir="coprod-demo", force: bool = False, n: int = N_RESPONDENTS, seed: int = SEED,
             progress: bool | None = None) -> DemoResult:
    """Run the demo into ``out_dir``; nothing is replaced without ``force``.

    The demo reads back the files it writes, so each is put in place as soon as it is complete.
    """
    from coprod.instrument.files import outside_batch

    with outside_batch():
        return _run_demo(out_dir, force, n, seed, progress)


def _run_demo(out_dir, force, n, seed, progress) -> DemoResult:
    from coprod import instrument

    from coprod.analysis.data.importer import import_responses
    from coprod.analysis.data.io import load_responses, write_responses
    from coprod.analysis.report import build_report
    from coprod.analysis.demo.simulate import simulated_responses
    from coprod.instrument.forms import write_forms

    t0 = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise OutputExistsError(f"{out}: exists and is not a directory")
    targets = {k: out / name for k, name in (
        ("sav", "responses.sav"), ("entry", "responses-entry.xlsx"), ("checked", "responses-checked.sav"),
        ("check", "data-check.xlsx"), ("html", "report.html"), ("xlsx", "report.xlsx"), ("docx", "report.docx"),
        ("coder1", "coding/coder-1.xlsx"), ("coder2", "coding/coder-2.xlsx"))}
    if not force:
        for p in targets.values():
            if p.exists():
                raise OutputExistsError(f"{p}: exists already")
    out.mkdir(parents=True, exist_ok=True)
    inst = instrument.builtin(DEMO_MODULES)
    res = DemoResult(out)

    forms = write_forms(inst, out / "forms", force=force)
    res.files += [Path(p) for p in forms]
    res.lines.append(f"forms: {len(forms)} files in {out / 'forms'}")

    sim = simulated_responses(inst, n=n, seed=seed)
    write_responses(sim, targets["sav"], force=force)
    fill_entry_workbook(inst, sim, targets["entry"], force=force)
    res.files += [targets["sav"], targets["entry"]]
    res.lines.append(f"simulated {n} respondents ({', '.join(f'{g.id} {int((sim.data[inst.group_question] == g.code).sum())}' for g in inst.groups)}): "
                     f"{targets['sav'].name}, and typed into the data-entry workbook {targets['entry'].name}")

    entry = load_responses(targets["entry"], inst)
    res.lines.append(f"read back the data-entry workbook: {len(entry.data)} rows")

    imp = import_responses([targets["sav"]], instrument=inst, out=targets["checked"], report=targets["check"], force=force)
    res.files += [targets["checked"], targets["check"]]
    res.lines += ["import and check: " + imp.summary_lines()[1] if len(imp.summary_lines()) > 1 else "import and check done"]
    res.lines += [line for line in imp.summary_lines()[2:] if line.startswith("  ")]

    from coprod.analysis.demo.coding import simulate_coding

    coded = simulate_coding(sim, inst, out / "coding", seed, force=force)
    res.files += coded
    res.lines.append(f"coded the open answers: two coders' workbooks in {out / 'coding'}")

    build_report(targets["sav"], instrument=inst, out=[targets["html"], targets["xlsx"], targets["docx"]],
                 force=force, command="coprod demo", progress=progress, coded=coded)
    res.files += [targets["html"], targets["xlsx"], targets["docx"]]
    res.lines.append(f"report: {targets['html']}, {targets['xlsx']}, {targets['docx']}")
    res.seconds = time.perf_counter() - t0
    return res
