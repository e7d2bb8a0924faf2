"""coprod command line: each command is a thin layer over one library function.

Heavy libraries (pandas, scipy, statsmodels, openpyxl) are imported inside the commands that need
them, so ``coprod --help`` answers at once.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

try:  # typer >= 0.20 vendors click
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

app = typer.Typer(
    name="coprod",
    help="Questionnaires, forms, data checks and group statistics for co-production and accountability research.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False, rich_markup_mode=None,
)

@app.callback()
def _options(debug: bool = typer.Option(False, "--debug", help="Show the traceback of an internal error (also COPROD_DEBUG=1).")) -> None:
    """Questionnaires, forms, data checks and group statistics for co-production and accountability research."""


# Shared options -------------------------------------------------------------------------
InstrumentOpt = typer.Option(None, "--instrument", "-i", help="Questionnaire definition (.yaml) or XLSForm (.xlsx); default: the built-in instrument where one is needed.")
FormatOpt = typer.Option(None, "--format", "-f", help="Output format: terminal, json, csv, xlsx, docx, html, md, latex (default: from --out, else terminal).")
OutOpt = typer.Option(None, "--out", "-o", help="Write to this file instead of the terminal.")
PaperOpt = typer.Option("a4", "--paper", help="Page of Word tables and printed workbooks: a4 or letter.")
ForceOpt = typer.Option(False, "--force", help="Replace existing output files.")
MinCellOpt = typer.Option(5, "--min-cell", help="Hide counts and statistics resting on fewer respondents (0 = off; JSON is never suppressed).")
WeightOpt = typer.Option(None, "--weight", help="Case weight variable (as SPSS WEIGHT BY); cases with a missing, zero or negative weight are left out.")
WeightTypeOpt = typer.Option("frequency", "--weight-type", help="frequency (a case counts as w cases) or sampling (design-based SEs and CIs).")


def _err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


_NOTES: list | None = None  # notes of a run under main(): shown when it succeeds, so an error stays one line


def _note(message: str) -> None:  # a note on stderr; nothing for an empty message
    (_NOTES.append if _NOTES is not None else sys.stderr.write)(f"note: {message}\n" if message else "")


def _wrote(path) -> None:  # a file written; nothing for the terminal
    typer.echo(f"wrote {path}") if path else None


def _load_instrument(path: Optional[Path], required: bool = False, data: Optional[Path] = None):
    """The definition at ``path``; else the one ``data`` records or matches; else the built-in one if ``required``."""
    from coprod.analysis.data.recorded import choose_instrument
    found = choose_instrument(path, data=data, required=required)
    return _note(found.note) or found.instrument


# Commands: the questionnaire definition ---------------------------------------------------
@app.command(short_help="Validate a definition; list every problem with file:line.")
def check(path: Path = typer.Argument(..., help="Questionnaire definition to validate.")) -> None:
    """Validate a questionnaire definition and list every problem with file:line."""
    from coprod import instrument

    report = instrument.check(path)
    for p in report.problems:
        sys.stderr.write(f"{p.severity}: {p}\n")
    if not report.ok:
        raise typer.Exit(2)
    inst, nq, ns = report.instrument, len(report.instrument.questions), len(report.instrument.scales)
    typer.echo(f"{path}: ok: {inst.id} {inst.version}, {nq} question{'s' * (nq != 1)}, "
               f"{ns} scale{'s' * (ns != 1)}, languages {', '.join(inst.languages)}"
               + (f", {len(report.warnings)} warnings" if report.warnings else ""))


@app.command(short_help="Print the JSON Schema of the definition format.")
def schema(out: Optional[Path] = OutOpt, force: bool = ForceOpt) -> None:
    """Print the JSON Schema of the definition format (for editor completion and validation)."""
    import json

    from coprod.instrument.schema import json_schema
    from coprod.instrument.files import write_text

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    _wrote(write_text(out, text, force=force)) if out else sys.stdout.write(text)


@app.command(short_help="Write the built-in definition to a file to adapt.")
def init(path: Path = typer.Argument(Path("questionnaire.yaml"), help="Where to write the definition."),
         module: list[str] = typer.Option([], "--module", "-m", help="Switch on an optional module of the built-in instrument (conciliation, neighbourhood); repeat for more."),
         force: bool = ForceOpt) -> None:
    """Write the built-in instrument's definition to a file to adapt, with optional modules switched on."""
    from coprod import instrument
    from coprod.instrument.files import write_text

    write_text(path, instrument.builtin_text(module), force=force)
    typer.echo(f"wrote {path}: edit it, then run `coprod check {path}`")


@app.command()
def info(path: Optional[Path] = typer.Argument(None, help="Definition (.yaml) or XLSForm (.xlsx); default: the built-in instrument."),
         instrument_path: Optional[Path] = InstrumentOpt,
         lang: Optional[str] = typer.Option(None, "--lang", help="Language of the summary.")) -> None:
    """Summarise a definition: sections, questions, scales, groups."""
    from coprod.instrument.errors import OptionError
    from coprod.instrument.summary import summary_text

    if path and instrument_path:
        raise OptionError("give the definition once: as the argument or with --instrument", param="instrument")
    inst = _load_instrument(path or instrument_path, required=True)
    typer.echo(summary_text(inst, lang))


@app.command(short_help="Forms: questionnaires, XLSForm, entry workbook, codebook, SPSS.")
def forms(instrument_path: Optional[Path] = InstrumentOpt,
          out: Path = typer.Option(Path("forms"), "--out", "-o", help="Directory to write the files into."),
          lang: Optional[List[str]] = typer.Option(None, "--lang", help="Language (repeatable; default: every declared language)."),
          group: Optional[str] = typer.Option(None, "--group", help="Respondent group for the questionnaire and interview guide wording."),
          kind: Optional[List[str]] = typer.Option(None, "--kind", help="questionnaire, entry, xlsform, codebook, ddi, spss, guide, lavaan (repeatable; default all)."),
          force: bool = ForceOpt) -> None:
    """Generate questionnaires, the data-entry workbook, XLSForm, codebooks, DDI, SPSS files, the interview guide and the lavaan script."""
    from coprod.instrument.forms import write_forms

    inst = _load_instrument(instrument_path, required=True)
    written = write_forms(inst, out, langs=lang or None, group=group, kinds=kind or None, force=force)
    typer.echo("".join(f"wrote {p}\n" for p in written), nl=False)


# Commands: statistics ---------------------------------------------------------------------
DataArg = typer.Argument(..., help="Response data file (.sav and the other formats coprod reads).")
ByOpt = typer.Option(None, "--by", help="Grouping variable (e.g. the respondent group).")
ItemsOpt = typer.Option(None, "--items", help="Variables: names, ranges A1..A5 (or 'A1 TO A5'), patterns fa*; comma-separated.")


def _stats_data(data: Path, instrument_path: Optional[Path], out: Optional[str] = None, force: bool = False,
                items: Optional[str] = None, by: Optional[str] = None, weight: Optional[str] = None):
    from coprod.analysis.data.recorded import columns_needed, load_with_instrument
    from coprod.analysis.report.parallel import fork_workers, parts_read  # a large file in parts beside a worker
    from coprod.instrument.files import check_writable

    check_writable(out, force) if out else None  # before the work, not after it
    cols = columns_needed(data, items, [by, weight]) if items and instrument_path is None else None  # --items: those only
    fork_workers()  # the worker forked: this process is the command line's own
    with parts_read(data, cols) as sav:
        resp, note = load_with_instrument(data, instrument=_load_instrument(instrument_path), columns=cols, read_sav=sav)
    return _note(note) or resp


def _emit(tables, resp, data: Path, fmt, out, force, min_cell, paper: str = "a4", **context) -> None:
    from coprod.analysis.report.provenance import emit_with_provenance

    command = "coprod " + " ".join(sys.argv[1:])
    _wrote(emit_with_provenance(tables, resp, data, fmt, out, force, min_cell, paper, command, **context))


@app.command()
def describe(data: Path = DataArg, by: Optional[str] = ByOpt, items: Optional[str] = ItemsOpt,
             instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt,
             out: Optional[str] = OutOpt, min_cell: int = MinCellOpt, force: bool = ForceOpt, paper: str = PaperOpt,
             weight: Optional[str] = WeightOpt, weight_type: str = WeightTypeOpt) -> None:
    """Descriptives: n, mean, SD, quartiles, top box, per group."""
    from coprod.analysis.stats.descriptives import descriptives

    resp = _stats_data(data, instrument_path, out, force, items, by, weight)
    _emit({"descriptives": descriptives(resp, items=items, by=by, weight=weight, weight_type=weight_type)}, resp, data, fmt,
          out, force, min_cell, paper=paper, weight=weight, weight_type=weight_type)


@app.command()
def frequencies(data: Path = DataArg, by: Optional[str] = ByOpt, items: Optional[str] = ItemsOpt,
                instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt,
                out: Optional[str] = OutOpt, min_cell: int = MinCellOpt, force: bool = ForceOpt, paper: str = PaperOpt,
                weight: Optional[str] = WeightOpt, weight_type: str = WeightTypeOpt) -> None:
    """Frequency tables with missing codes listed, per group."""
    from coprod.analysis.stats.frequencies import frequencies as freq

    resp = _stats_data(data, instrument_path, out, force, items, by, weight)
    _emit({"frequencies": freq(resp, items=items, by=by, weight=weight, weight_type=weight_type)}, resp, data, fmt, out,
          force, min_cell, paper=paper, weight=weight, weight_type=weight_type)


@app.command()
def reliability(data: Path = DataArg, items: Optional[str] = ItemsOpt,
                reverse: Optional[str] = typer.Option(None, "--reverse", help="Reverse-keyed items (with --items)."),
                scale: Optional[List[str]] = typer.Option(None, "--scale", help="A scale of the instrument (repeatable; default all)."),
                by: Optional[str] = ByOpt, instrument_path: Optional[Path] = InstrumentOpt,
                fmt: Optional[str] = FormatOpt, out: Optional[str] = OutOpt, min_cell: int = MinCellOpt,
                force: bool = ForceOpt, paper: str = PaperOpt, weight: Optional[str] = WeightOpt,
                weight_type: str = WeightTypeOpt) -> None:
    """Reliability: alpha with CI, omega, item-total statistics."""
    from coprod.analysis.stats.reliability import reliability as rel
    from coprod.instrument.errors import OptionError

    if items and scale:
        raise OptionError("give a scale or items, not both", param="scale")
    resp = _stats_data(data, instrument_path, out, force, items, by, weight)
    res = rel(resp, items=items, reverse=reverse or (), by=by, scale=scale or None, weight=weight, weight_type=weight_type)
    _emit(res.tables(), resp, data, fmt, out, force, min_cell, paper=paper, weight=weight, weight_type=weight_type)


@app.command()
def invariance(data: Path = DataArg, by: str = typer.Option(..., "--by", help="Grouping variable (e.g. the respondent group)."),
               scale: Optional[List[str]] = typer.Option(None, "--scale", help="A scale of the instrument (repeatable; default all)."),
               items: Optional[str] = ItemsOpt,
               reverse: Optional[str] = typer.Option(None, "--reverse", help="Reverse-keyed items (with --items)."),
               estimator: str = typer.Option("ml", "--estimator", help="ml, or mlr (robust SEs, Yuan-Bentler scaled chi-square)."),
               missing: str = typer.Option("listwise", "--missing", help="listwise, or fiml (full-information ML)."),
               min_n: int = typer.Option(50, "--min-n", help="Leave out groups with fewer respondents."),
               instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt,
               out: Optional[str] = OutOpt, min_cell: int = MinCellOpt, force: bool = ForceOpt) -> None:
    """Measurement invariance by CFA: configural, metric, scalar, strict; latent means."""
    from coprod.analysis.stats.cfa import invariance as inv
    from coprod.instrument.errors import OptionError

    if items and scale:
        raise OptionError("give a scale or items, not both", param="scale")
    resp = _stats_data(data, instrument_path, out, force)
    builtin = None if items or instrument_path else resp.instrument or _load_instrument(None, required=True)
    res = inv(resp, by=by, scale=scale or None, items=items, reverse=reverse or (), instrument=builtin,
              estimator=estimator, missing=missing, min_n=min_n)
    rule = ("Full-information maximum likelihood: every respondent with an answer to the scale." if missing == "fiml"
            else "Listwise deletion: respondents who answered every item of the scale.")
    _emit(res.tables(), resp, data, fmt, out, force, min_cell, missing_rule=rule)
    for sentence in res.sentences.values():
        sys.stderr.write(sentence + "\n")


@app.command()
def compare(data: Path = DataArg, by: str = typer.Option(..., "--by", help="Grouping variable (e.g. the respondent group)."),
            items: Optional[str] = ItemsOpt,
            test: str = typer.Option("auto", "--test", help="auto, student, welch, mann-whitney, anova, welch-anova, kruskal, chi2, fisher."),
            posthoc: Optional[str] = typer.Option(None, "--posthoc", help="tukey, games-howell, dunn, bonferroni, scheffe or none (default: by test)."),
            levene: str = typer.Option("mean", "--levene", help="Centre of Levene's test: mean (as SPSS) or median."),
            adjust: str = typer.Option("holm", "--adjust", help="Correction across variables: holm, fdr-bh, bonferroni, none."),
            listwise: bool = typer.Option(False, "--listwise", help="Only respondents valid on every variable (default: per variable)."),
            instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt,
            out: Optional[str] = OutOpt, min_cell: int = MinCellOpt, force: bool = ForceOpt, paper: str = PaperOpt,
            weight: Optional[str] = WeightOpt, weight_type: str = WeightTypeOpt) -> None:
    """Group comparisons: tests, effect sizes, post hoc."""
    from coprod.analysis.stats.compare import compare as cmp

    resp = _stats_data(data, instrument_path, out, force, items, by, weight)
    res = cmp(resp, items=items, by=by, test=test, posthoc=posthoc, adjust=adjust, listwise=listwise, levene=levene,
              weight=weight, weight_type=weight_type)
    rule = ("Listwise deletion: respondents with a missing answer on any compared variable are excluded." if listwise
            else "Missing answers are excluded variable by variable (pairwise).")
    _emit(res.tables(), resp, data, fmt, out, force, min_cell, paper=paper, adjust=adjust, missing_rule=rule, weight=weight,
          weight_type=weight_type)


@app.command(name="model")
def model_cmd(data: Path = DataArg, outcome: str = typer.Option(..., "--outcome", help="Item (or scale score with few values) to model as ordered categories."),
              by: str = typer.Option(..., "--by", help="Grouping variable (e.g. the respondent group)."),
              covariates: Optional[str] = typer.Option(None, "--covariates", help="Covariates, comma-separated (numeric, or categorical when text or nominal)."),
              instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt, out: Optional[str] = OutOpt, min_cell: int = MinCellOpt, force: bool = ForceOpt) -> None:
    """Ordinal regression: proportional-odds model of an item on group and covariates."""
    from coprod.analysis.stats.ordinal import ordinal_model
    resp = _stats_data(data, instrument_path, out, force, ",".join(filter(None, [outcome, covariates])), by)
    res = ordinal_model(resp, outcome, by, covariates=covariates)
    _emit(res.tables(), resp, data, fmt, out, force, min_cell, missing_rule=res.missing_rule)


@app.command()
def nonresponse(data: Path = DataArg, by: Optional[str] = ByOpt, items: Optional[str] = ItemsOpt,
                adjust: str = typer.Option("holm", "--adjust", help="Correction across variables: holm, fdr-bh, bonferroni, none."),
                instrument_path: Optional[Path] = InstrumentOpt, fmt: Optional[str] = FormatOpt, out: Optional[str] = OutOpt,
                min_cell: int = MinCellOpt, force: bool = ForceOpt, paper: str = PaperOpt) -> None:
    """Non-response: don't know, not applicable, refused and skipped by group; tests; break-off; Little's MCAR test."""
    from coprod.analysis.stats.nonresponse import nonresponse as nr

    resp = _stats_data(data, instrument_path, out, force, None, by)
    _emit(nr(resp, items=items, by=by, adjust=adjust).tables(), resp, data, fmt, out, force, min_cell, paper=paper, adjust=adjust)


# Commands: responses in --------------------------------------------------------------------
@app.command(name="import", short_help="Read, combine and check responses; write clean data.")
def import_cmd(files: List[Path] = typer.Argument(..., help="Response files: .sav .zsav .por .dta .xlsx .csv, ODK/Kobo exports."),
               instrument_path: Optional[Path] = InstrumentOpt,
               out: Optional[Path] = typer.Option(None, "--out", "-o", help="Checked dataset to write: .sav .zsav .dta .csv .xlsx (default: check only)."),
               report: Optional[Path] = typer.Option(None, "--report", help="Problem report to write: .csv or .xlsx."),
               strict: bool = typer.Option(False, "--strict", help="Write no data and exit 1 when any problem is found."),
               no_score: bool = typer.Option(False, "--no-score", help="Do not add scale scores."),
               reverse_copies: bool = typer.Option(False, "--reverse-copies", help="Also add reverse-coded items as {item}_r."),
               force: bool = ForceOpt) -> None:
    """Read, combine and check response files against the questionnaire; write a labelled dataset."""
    from coprod.analysis.data.importer import import_responses

    res = import_responses(files, instrument=_load_instrument(instrument_path), out=out, report=report,
                           strict=strict, force=force, score_scales=not no_score, reverse_copies=reverse_copies)
    typer.echo("\n".join(res.summary_lines()))
    if strict and res.n_problems:
        raise typer.Exit(1)


@app.command(name="score", short_help="Add scale scores (SPSS MEAN.n rule) to a data file.")
def score_cmd(data: Path = typer.Argument(..., help="Response file to score."),
              instrument_path: Optional[Path] = InstrumentOpt,
              out: Path = typer.Option(..., "--out", "-o", help="Where to write the data with scores: .sav .zsav .dta .csv .xlsx."),
              scale: Optional[List[str]] = typer.Option(None, "--scale", help="A scale to score (repeatable; default all)."),
              reverse_copies: bool = typer.Option(False, "--reverse-copies", help="Also add reverse-coded items as {item}_r."),
              force: bool = ForceOpt) -> None:
    """Add scale scores (mean or sum of valid items, SPSS MEAN.n rule) to a response file."""
    from coprod.analysis.data.scoring import score_file

    line, notes = score_file(data, _load_instrument(instrument_path, required=True, data=data), out, scale or None,
                             reverse_copies, force)
    for n in notes:
        _note(n)
    typer.echo(line)


# Commands: the report and the demo -------------------------------------------------------
@app.command(short_help="One report: methods, checks, tables, charts (html/xlsx/docx).")
def report(data: Path = typer.Argument(..., help="Response data file (.sav and the other formats coprod reads)."),
           by: Optional[str] = typer.Option(None, "--by", help="Grouping variable (default: the instrument's group question; none: the whole sample)."),
           instrument_path: Optional[Path] = InstrumentOpt,
           out: List[Path] = typer.Option(..., "--out", "-o", help="Report file: .html, .xlsx, .docx or .md (repeatable)."),
           lang: Optional[str] = typer.Option(None, "--lang", help="Language of labels and charts."),
           min_cell: int = MinCellOpt, decimal: Optional[str] = typer.Option(None, "--decimal", help="Numbers written with a decimal point or comma (default: comma for fi and sv)."),
           adjust: str = typer.Option("holm", "--adjust", help="Correction across the comparisons: holm, fdr-bh, bonferroni, none."),
           test: str = typer.Option("auto", "--test", help="Test for the group comparisons (default: by measure level)."),
           listwise: bool = typer.Option(False, "--listwise", help="Only respondents valid on every compared variable."),
           invariance: bool = typer.Option(True, "--invariance/--no-invariance", help="Test whether the groups can be compared: CFA and measurement invariance of each scale."),
           coded: Optional[List[Path]] = typer.Option(None, "--coded", help="Coded open answers (.xlsx workbooks, .qdpx or a coded-answers .csv; repeatable): adds what respondents said."),
           key_file: Optional[Path] = typer.Option(None, "--key-file", help="Key file of the coding export (default: coding.key beside the first --coded file)."),
           force: bool = ForceOpt, weight: Optional[str] = WeightOpt, weight_type: str = WeightTypeOpt) -> None:
    """One report: sample, methods, data check, reliability, invariance, group comparisons, charts, frequencies, coded answers."""
    from coprod.analysis.report import build_report, parallel

    parallel.fork_workers()  # the workers forked: this process is the command line's own
    res = build_report(data, by=by, instrument=_load_instrument(instrument_path, data=data), out=out, lang=lang,
                       min_cell=min_cell, adjust=adjust, test=test, listwise=listwise, force=force, invariance=invariance,
                       coded=coded or None, key_file=key_file, command="coprod " + " ".join(sys.argv[1:]), weight=weight,
                       weight_type=weight_type, decimal=decimal, workers=True)
    typer.echo("".join(f"wrote {p}\n" for p in ([res.path] if isinstance(res.path, str) else res.path or [])), nl=False)


@app.command(short_help="The whole job on the built-in instrument and simulated data.")
def demo(out: Path = typer.Option(Path("coprod-demo"), "--out", "-o", help="Directory to write into."),
         force: bool = ForceOpt) -> None:
    """Run the whole job on the built-in questionnaire: forms, simulated data, check, report."""
    from coprod.analysis.demo import run_demo

    res = run_demo(out, force=force)
    typer.echo("\n".join(res.lines))
    typer.echo(f"done in {res.seconds:.0f} s: open {res.out_dir / 'report.html'} in a browser")


# Commands: coding open answers ----------------------------------------------------------------
coding_app = typer.Typer(help="Code open answers: workbooks for coders, their import, agreement, themes by group.",
                         no_args_is_help=True, rich_markup_mode=None)
app.add_typer(coding_app, name="coding")
CodedArg = typer.Argument(..., help="Coded workbooks (.xlsx), REFI-QDA projects (.qdpx) or a coded-answers table (.csv).")
KeyFileOpt = typer.Option(None, "--key-file", help="Key file linking pseudonymous keys to respondents (default: coding.key beside the output).")


@coding_app.command("export", short_help="Open answers to code: a workbook (.xlsx), a REFI-QDA project (.qdpx) or the codebook (.qdc).")
def coding_export(data: Optional[Path] = typer.Argument(None, help="Response data with the open answers (not needed for .qdc)."),
                  instrument_path: Optional[Path] = InstrumentOpt,
                  out: Path = typer.Option(..., "--out", "-o", help="coding.xlsx, project.qdpx or codebook.qdc."),
                  coder: str = typer.Option("coding", "--coder", help="The coder's name, stored in the workbook."),
                  blind: bool = typer.Option(False, "--blind", help="Leave the respondent group out of the workbook."),
                  seed: Optional[int] = typer.Option(None, "--seed", help="Seed of the order of answers within each question."),
                  key_file: Optional[Path] = KeyFileOpt, by: Optional[str] = ByOpt,
                  lang: Optional[str] = typer.Option(None, "--lang", help="Language of labels and the codebook."),
                  coded: Optional[List[Path]] = typer.Option(None, "--coded", help="Coded answers to include as codings in a .qdpx project (repeatable)."),
                  rule: str = typer.Option("majority", "--rule", help="Combining several coders for --coded: majority, any, all."),
                  force: bool = ForceOpt) -> None:
    """Write the open answers, under pseudonymous keys, for coding with the definition's codebook."""
    from coprod.analysis.coding.run import export_coding_from

    res = export_coding_from(data, out, _load_instrument(instrument_path, required=True, data=data), coded=coded, rule=rule,
                             coder=coder, blind=blind, seed=seed, key_file=key_file, lang=lang, by=by, force=force)
    typer.echo(f"wrote {res['out']}" + (f": {res['answers']} answers" if res["key_file"] else ""))
    if res["key_file_created"]:
        typer.echo(f"wrote {res['key_file']}: it links the keys to respondents; keep it apart from the workbooks")


@coding_app.command("import", short_help="Check and merge coded workbooks into one coded-answers table.")
def coding_import(files: List[Path] = CodedArg, instrument_path: Optional[Path] = InstrumentOpt,
                  out: Optional[Path] = typer.Option(None, "--out", "-o", help="Coded-answers table to write (.csv)."),
                  report: Optional[Path] = typer.Option(None, "--report", help="Problems to write (.csv, .xlsx ...)."),
                  force: bool = ForceOpt) -> None:
    """Read one or more coders' workbooks, report every problem (nothing is dropped), merge them."""
    from coprod.analysis.coding.merge import import_coding, write_coded
    from coprod.analysis.render import emit

    res = import_coding(files, _load_instrument(instrument_path))
    if out:
        write_coded(res.coded, out, force=force)
    if report:
        emit({"problems": res.problems}, None, str(report), force, min_cell=0)
    typer.echo("\n".join(res.summary_lines()))
    for p in [out, report]:
        _wrote(p)


@coding_app.command("agreement", short_help="Krippendorff's alpha per theme, percent agreement, disagreements.")
def coding_agreement(files: List[Path] = CodedArg, instrument_path: Optional[Path] = InstrumentOpt,
                     fmt: Optional[str] = FormatOpt, out: Optional[str] = OutOpt, force: bool = ForceOpt) -> None:
    """Agreement between coders (nominal Krippendorff's alpha) and the disagreements to reconcile."""
    from coprod.analysis.coding.agreement import agreement
    from coprod.analysis.coding.merge import load_coded
    from coprod.analysis.render import emit

    res = agreement(load_coded(files, _load_instrument(instrument_path)).coded)
    _wrote(emit(res.tables(), fmt, out, force, min_cell=0))


@coding_app.command("themes", short_help="Themes by group, tests, co-occurrence, scale scores, quote bank.")
def coding_themes(files: List[Path] = CodedArg, instrument_path: Optional[Path] = InstrumentOpt,
                  data: Optional[Path] = typer.Option(None, "--data", help="The response data: groups and scale scores (with --key-file)."),
                  key_file: Optional[Path] = KeyFileOpt, by: Optional[str] = ByOpt,
                  rule: str = typer.Option("majority", "--rule", help="Combining coders: majority, any, all."),
                  coder: Optional[str] = typer.Option(None, "--coder", help="Use this coder's values only (e.g. the reconciled ones)."),
                  adjust: str = typer.Option("holm", "--adjust", help="Correction across themes: holm, fdr-bh, bonferroni, none."),
                  quotes: bool = typer.Option(False, "--quotes", help="Add the quote bank."),
                  lang: Optional[str] = typer.Option(None, "--lang", help="Language of theme and group labels."),
                  fmt: Optional[str] = FormatOpt, out: Optional[str] = OutOpt, min_cell: int = MinCellOpt,
                  force: bool = ForceOpt) -> None:
    """Themes by respondent group with tests, co-occurrence, scale scores and quotes."""
    from coprod.analysis.coding.run import themes_from
    from coprod.analysis.render import RenderContext, emit

    res = themes_from(files, _load_instrument(instrument_path, required=data is not None, data=data), data=data,
                      key_file=key_file, by=by, lang=lang, rule=rule, coder=coder, adjust=adjust, quotes=quotes)
    _wrote(emit(res.tables(), fmt, out, force, min_cell=min_cell, context=RenderContext(adjust=adjust)))


DATA_COMMANDS = {"describe", "frequencies", "reliability", "invariance", "compare", "model", "nonresponse", "import",
                 "score", "report", "demo", "coding"}  # their libraries loaded before the run (one_command)
FLAGS = {"coded": "--coded", "fmt": "--format", "kinds": "--kind", "langs": "--lang", "min_cell": "--min-cell", "instrument": "--instrument", "paper": "--paper"}


def main() -> None:
    """Console entry point: run the app, turning every error into one line on stderr and exit 2.

    An internal error (a bug) is one line and exit 3; with ``--debug`` or ``COPROD_DEBUG=1`` its
    traceback follows, as csvkit's ``-v`` shows it.  Once the run is over, Ctrl-C is ignored (``run_over``).
    """
    from coprod.instrument.errors import run_over

    try:
        _main()
    finally:
        run_over()


def _main() -> None:
    from coprod.instrument.errors import CoprodError, command_asked, debug_asked, error_lines, interrupted, one_command
    from coprod.instrument.files import output_batch

    global _NOTES
    debug, _NOTES = debug_asked(sys.argv), []
    try:
        libs = ("numpy", "pandas", "pyreadstat") if sys.argv[1:2] and sys.argv[1] in DATA_COMMANDS and "--help" not in sys.argv else ()
        with one_command(debug, libs), output_batch(), command_asked(app, sys.argv):  # every file written, or none
            rc = app(standalone_mode=False)
            if rc == 130:  # typer turns Ctrl-C into exit status 130: take back what was written
                raise KeyboardInterrupt
        sys.stderr.write("".join(_NOTES))
    except CoprodError as exc:
        for line in error_lines(exc, FLAGS):
            _err(line)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _err("aborted")
        sys.exit(130)
    except click_exc.ClickException as exc:  # bad option or argument
        msg = exc.format_message().replace("\n", " ")
        ctx = getattr(exc, "ctx", None)
        where = f"{ctx.command_path}: " if ctx is not None and ctx.command_path != "coprod" else ""
        _err(f"{where}{msg}")
        sys.exit(2)
    except BrokenPipeError:
        sys.exit(0)
    except MemoryError:
        _err("out of memory")
        sys.exit(2)
    except (KeyboardInterrupt, Exception) as exc:  # a bug: one line, the traceback only on request
        if interrupted(exc):  # Ctrl-C, also where a library wrapped it (a class being made, a worker)
            _err("interrupted")
            sys.exit(130)
        _err(f"internal error ({type(exc).__name__}: {exc}); please report it (--debug shows the traceback)")
        if debug:
            import traceback

            traceback.print_exc()
        sys.exit(3)
    if rc == 130:  # typer turns Ctrl-C inside a command into exit status 130, silently
        _err("interrupted")
    sys.exit(rc if isinstance(rc, int) else 0)
