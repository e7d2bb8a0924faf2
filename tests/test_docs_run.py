"""Every shell and Python example in README.md and docs/*.md runs, as written, in a folder prepared by
``coprod demo --out .``.

Conventions of the Markdown (docs/architecture.md says them too):

* a block tagged ``sh`` runs in bash (``set -e``, ``coprod`` on the PATH); ``python`` runs in one namespace
  per document; blocks of a document run top to bottom in that document's own copy of the demo folder;
* ``sh norun`` / ``python norun`` marks a block that must not run here (``make``, ``apt-get``, a benchmark);
* a block tagged ``text output`` right after a run block is output to check: each of its non-blank lines
  must appear in what the block printed (stdout and stderr), spaces normalised;
* an untagged block may not hold commands (a line starting with ``coprod``): tag it.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.S | re.M)
RUN = {"sh", "bash", "python"}


def blocks(path: Path) -> list[tuple[int, str, set, str]]:
    """(line, language, flags, code) of each fenced block of ``path``."""
    text = path.read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(text):
        info = m.group(1).split()
        lang, flags = (info[0] if info else ""), set(info[1:])
        out.append((text.count("\n", 0, m.start()) + 1, lang, flags, m.group(2)))
    return out


def runnable(path: Path) -> bool:
    return any(lang in RUN and "norun" not in flags for _, lang, flags, _ in blocks(path))


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory) -> Path:
    if os.environ.get("COPROD_DOCS_DEMO"):  # a folder `coprod demo` wrote before: saves its two minutes
        return Path(os.environ["COPROD_DOCS_DEMO"])
    folder = tmp_path_factory.mktemp("demo")
    r = subprocess.run([str(Path(sys.executable).with_name("coprod")), "demo", "--out", "."], cwd=folder,
                       capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return folder


def _squash(text: str) -> str:
    return " ".join(text.split())


def _check_output(expected: str, got: str, where: str) -> None:
    flat = _squash(got)
    for line in expected.splitlines():
        if line.strip():
            assert _squash(line) in flat, f"{where}: the output shown ({line.strip()!r}) was not printed:\n{got}"


def _run_sh(code: str, cwd: Path, env: dict) -> str:
    r = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", code], cwd=cwd, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, f"exit {r.returncode}\n{r.stdout}\n{r.stderr}"
    return r.stdout + r.stderr


def _run_python(code: str, cwd: Path, namespace: dict) -> str:
    buf = io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
            exec(compile(code, "<doc>", "exec"), namespace)
    finally:
        os.chdir(old)
    return buf.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize("doc", [d for d in DOCS if runnable(d)], ids=lambda d: d.name)
def test_examples_run(doc: Path, demo_folder: Path, tmp_path: Path):
    work = tmp_path / "demo"
    shutil.copytree(demo_folder, work)
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
               COLUMNS="200")
    namespace: dict = {"__name__": "__doc_example__"}
    last = None
    for line, lang, flags, code in blocks(doc):
        where = f"{doc.name}:{line}"
        if lang == "text" and "output" in flags:
            assert last is not None, f"{where}: output with no example before it"
            _check_output(code, last, where)
            continue
        last = None
        if lang not in RUN or "norun" in flags:
            continue
        try:
            last = _run_sh(code, work, env) if lang in ("sh", "bash") else _run_python(code, work, namespace)
        except AssertionError as exc:
            raise AssertionError(f"{where}: the example failed: {exc}") from None


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_command_blocks_are_tagged(doc: Path):
    """A block of commands says whether it runs (``sh``) or not (``sh norun``)."""
    for line, lang, flags, code in blocks(doc):
        if not lang:
            assert not re.search(r"^(\$ )?coprod( |$)", code, re.M), f"{doc.name}:{line}: tag this block sh (or sh norun)"
        assert lang != "sh" or not flags - {"norun"}, f"{doc.name}:{line}: unknown flags {flags}"


def _cli_surface() -> dict[str, set[str]]:
    """{command path: its options} of the whole command line."""
    import typer.main

    from coprod.cli import app

    def walk(cmd, path):
        out = {path: {o for p in cmd.params for o in getattr(p, "opts", []) if o.startswith("--")}}
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            out.update(walk(sub, f"{path} {name}".strip()))
        return out

    return walk(typer.main.get_command(app), "")


def test_every_command_and_option_is_documented():
    text = "\n".join(d.read_text(encoding="utf-8") for d in DOCS)
    missing = []
    for path, options in _cli_surface().items():
        if path and f"coprod {path}" not in text:
            missing.append(f"coprod {path}")
        for opt in sorted(options - {"--help"}):
            if not re.search(re.escape(opt) + r"(?![\w-])", text):
                missing.append(f"coprod {path} {opt}".replace("  ", " "))
    assert not missing, "not in README.md or docs/: " + ", ".join(missing)


# One voice: what a person reads in the terminal ----------------------------------------------------
HUMAN_COMMANDS = [
    ["describe", "responses-checked.sav", "--by", "role", "--items", "fa*"],
    ["frequencies", "responses-checked.sav", "--by", "role", "--items", "area"],
    ["reliability", "responses-checked.sav", "--by", "role", "--scale", "trust_comp"],
    ["compare", "responses-checked.sav", "--by", "role", "--items", "felt_acc,tr1,tr2,area"],
    ["compare", "responses-checked.sav", "--by", "role", "--items", "felt_acc", "--test", "anova"],
    ["model", "responses-checked.sav", "--by", "role", "--outcome", "tr1", "--covariates", "ageband,gender"],
]
RAW_NAMES = re.compile(r"\b(eta2|omega2|epsilon2|ci_method|mean_rank|effsize\w*|p_adj|ci_low|ci_high|\w+_\w+)\b")


def _header_lines(text: str) -> list[str]:
    """The header line of each terminal table (the line above its ``----`` rule)."""
    lines = text.splitlines()
    return [lines[i - 1] for i, line in enumerate(lines) if i and re.fullmatch(r"[- ]*-{3,}[- ]*", line)]


@pytest.mark.slow
@pytest.mark.parametrize("args", HUMAN_COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:]))
def test_terminal_tables_speak_apa(args, demo_folder):
    exe = str(Path(sys.executable).with_name("coprod"))
    r = subprocess.run([exe, *args], cwd=demo_folder, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    headers = _header_lines(r.stdout)
    assert headers
    for h in headers:
        assert not RAW_NAMES.search(h), f"internal column name in {h!r}"
    body = "\n".join(r.stdout.splitlines())
    assert not re.search(r"(?<![\d.])-0\.0+(?!\d*[1-9])\b", body), "a negative zero is shown"
    for line in r.stdout.splitlines():  # p, r, alpha, effect sizes bounded by 1: no leading zero
        assert not re.search(r"(?:[ηωεα]²?|\bV|\br) = -?0\.\d", line), line
    # note: the instrument the command took, in one line on stderr
    assert "note: using the built-in instrument coprod-accountability" in r.stderr


def test_info_in_finnish_has_no_english_words():
    exe = str(Path(sys.executable).with_name("coprod"))
    text = subprocess.run([exe, "info", "--lang", "fi"], capture_output=True, text=True, timeout=120).stdout
    english = re.compile(r"\b(questions?|variables?|scales?|languages|default|asked|if|or|and|mean|sum|"
                         r"of|at least|valid|reversed|respondent|groups?)\b")
    for line in text.splitlines():
        assert not english.search(line.split(": ", 1)[-1] if line.startswith("  ") else line), line
    from coprod import builtin

    assert "(1 kysymys)" in text and f"{len(builtin().scales)} mittaria" in text  # singular and plural


def test_files_written_are_named(demo_folder, tmp_path):
    exe = str(Path(sys.executable).with_name("coprod"))
    for args, out in [(["compare", "--by", "role", "--items", "felt_acc"], "x.docx"),
                      (["frequencies", "--items", "area"], "x.csv")]:
        target = tmp_path / out
        r = subprocess.run([exe, args[0], str(demo_folder / "responses-checked.sav"), *args[1:], "--out", str(target)],
                           capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == f"wrote {target}"
