"""Every command of the command line, and each of its options, is documented (as sqlite-utils checks).

A command is documented where README.md or a page in docs/ shows ``coprod <command>``; each of its
options must then appear on one of those pages. The walk is over the typer app itself, so a new
command or option fails here until it is written up.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from coprod.cli import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in PAGES}


def _options(command):
    return [p for p in command.params if p.param_type_name == "option"]


def test_the_walk_sees_the_commands():
    assert {"check", "forms", "import", "score", "describe", "compare", "report", "demo"} <= set(COMMANDS)
    assert [o.opts for o in _options(GROUP.commands["compare"])][:2] == [["--by"], ["--items"]]


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_its_options_are_documented(pages, name):
    showing = {page: text for page, text in pages.items() if re.search(rf"\bcoprod {re.escape(name)}\b", text)}
    assert showing, f"`coprod {name}` appears in neither README.md nor docs/*.md"
    undocumented = [o.opts[0] for o in _options(GROUP.commands[name])
                    if not any(opt in text for opt in o.opts for text in showing.values())]
    assert not undocumented, f"coprod {name}: {undocumented} not on any page showing the command ({sorted(showing)})"


def test_global_options_are_documented(pages):
    for o in _options(GROUP):
        assert any(f"coprod {opt}" in text for opt in o.opts for text in pages.values()), o.opts


@pytest.mark.parametrize("name", COMMANDS)
def test_command_and_options_have_help(name):
    command = GROUP.commands[name]
    assert command.help and command.help.strip()
    assert all(p.help for p in command.params), [p.name for p in command.params if not p.help]
