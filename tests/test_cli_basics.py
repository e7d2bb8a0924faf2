"""The command line: help, one-line errors, init/check/schema (start-up time: test_cli_process.py)."""
import json
import os

import pytest

from coprod import instrument


def test_help_lists_commands(cli):
    r = cli("--help")
    assert r.returncode == 0
    for cmd in ("check", "schema", "init", "info"):
        assert f"  {cmd} " in r.stdout


def test_check_builtin_ok_and_broken_exit_2(tmp_path, cli):
    r = cli("check", str(instrument.builtin_path()))
    assert r.returncode == 0 and "ok" in r.stdout and r.stderr == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: T\nversion: 1\nlanguages: [en]\nsections:\n  - title: S\n    questions:\n      - name: q1\n        type: likert\n        choices: nolist\n        text: Q\n")
    r = cli("check", str(bad))
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {bad}:10: question 'q1': unknown choice list 'nolist'"
    assert "Traceback" not in r.stderr


def test_bad_option_and_missing_file_are_one_line(tmp_path, cli):
    for args in (["--nope"], ["check"], ["check", str(tmp_path / "missing.yaml")], ["info", "--lang", "xx"]):
        r = cli(*args)
        assert r.returncode == 2, args
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)


def test_internal_error_is_one_line_and_debug_shows_the_traceback(cli, monkeypatch):
    import coprod.instrument.summary

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(coprod.instrument.summary, "summary_text", broken)
    message = "error: internal error (RuntimeError: boom); please report it (--debug shows the traceback)"
    r = cli("info")
    assert (r.exit_code, r.stdout, r.stderr) == (3, "", message + "\n")
    r = cli("--debug", "info")
    first, *rest = r.stderr.splitlines()
    assert r.exit_code == 3 and first == message
    assert rest[0] == "Traceback (most recent call last):" and rest[-1] == "RuntimeError: boom"


def test_init_writes_builtin_and_refuses_to_overwrite(tmp_path, cli):
    target = tmp_path / "q.yaml"
    r = cli("init", str(target))
    assert r.returncode == 0 and target.read_text(encoding="utf-8") == instrument.builtin_text()
    target.write_text("mine")
    r = cli("init", str(target))
    assert r.returncode == 2 and "--force" in r.stderr and target.read_text() == "mine"
    r = cli("init", str(target), "--force")
    assert r.returncode == 0 and target.read_text(encoding="utf-8") == instrument.builtin_text()


def test_schema_validates_builtin_and_rejects_garbage(cli):
    jsonschema = pytest.importorskip("jsonschema")
    from coprod.instrument.yamlsource import parse_yaml

    r = cli("schema")
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    doc, _ = parse_yaml(instrument.builtin_text())
    # YAML integer keys (codes) are strings in JSON
    doc = json.loads(json.dumps(doc, default=str))
    jsonschema.validate(doc, schema)
    doc["sections"][0]["questions"][0]["type"] = "number"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_info_summarises(tmp_path, cli):
    r = cli("info", "--lang", "fi")
    assert r.returncode == 0
    inst = instrument.builtin()
    assert f"{len(inst.questions)} kysymystä" in r.stdout and "questions" not in r.stdout
    assert "Ammattilainen" in r.stdout


def test_outputs_get_ordinary_permissions(tmp_path):
    from coprod.instrument.files import write_text

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_stats_outputs_carry_provenance_but_json_stays_tables_only(tmp_path, cli):
    import hashlib

    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": np.repeat([1.0, 2.0], 20), "x": rng.integers(1, 6, 40).astype(float)})
    sav = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(sav))
    digest = hashlib.sha256(sav.read_bytes()).hexdigest()
    r = cli("describe", str(sav), "--by", "g", "--format", "md")
    assert r.returncode == 0 and digest in r.stdout and "d.sav" in r.stdout
    r = cli("describe", str(sav), "--by", "g", "--format", "json")
    obj = json.loads(r.stdout)
    assert list(obj) == ["descriptives"] and all(isinstance(row, dict) for row in obj["descriptives"])
    total = [row for row in obj["descriptives"] if row["group"] == "Total"][0]
    assert total["n"] == 40 and total["mean"] == pytest.approx(df["x"].mean(), rel=1e-12)


def test_only_the_command_asked_is_made(cli, monkeypatch):
    """typer makes the options of every command it has; a run has the command it names alone (its group
    for ``coding``), and afterwards the whole app again.  A misspelt name is answered by the whole app."""
    import typer.main

    from coprod import cli as coprod_cli

    made, make = [], typer.main.get_command_from_info
    monkeypatch.setattr(typer.main, "get_command_from_info",
                        lambda command_info, **kw: made.append(command_info) or make(command_info, **kw))
    before = (list(coprod_cli.app.registered_commands), list(coprod_cli.app.registered_groups))
    r = cli("describe", "--help")
    assert r.returncode == 0 and "Usage: coprod describe [OPTIONS]" in r.stdout
    assert [i.callback.__name__ for i in made] == ["describe"]
    made.clear()
    r = cli("coding", "agreement", "--help")
    assert r.returncode == 0 and "Usage: coprod coding agreement" in r.stdout
    assert len(made) == len(coprod_cli.coding_app.registered_commands)
    assert (coprod_cli.app.registered_commands, coprod_cli.app.registered_groups) == before
    made.clear()
    r = cli("describ")
    assert r.returncode == 2 and r.stderr == "error: No such command 'describ'. Did you mean 'describe'?\n"
    assert len(made) == len(before[0]) + len(coprod_cli.coding_app.registered_commands)
