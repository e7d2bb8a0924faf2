"""The command line: fast help, one-line errors, init/check/schema."""
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from coprod import instrument

ROOT = Path(__file__).resolve().parents[1]


def coprod(*args, cwd=None):
    exe = Path(sys.executable).with_name("coprod")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-c", "from coprod import cli; cli.main()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_help_lists_commands_and_imports_nothing_heavy():
    code = ("import sys, time; t=time.perf_counter(); from coprod import cli; "
            "heavy=[m for m in ('pandas','scipy','statsmodels','openpyxl','matplotlib','pyreadstat','numpy') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    r = coprod("--help")
    assert r.returncode == 0
    for cmd in ("check", "schema", "init", "info"):
        assert f"  {cmd} " in r.stdout
    t0 = time.perf_counter()
    coprod("--help")
    assert time.perf_counter() - t0 < 2.0  # generous on a loaded machine; typically ~0.1 s


def test_check_builtin_ok_and_broken_exit_2(tmp_path):
    r = coprod("check", str(instrument.builtin_path()))
    assert r.returncode == 0 and "ok" in r.stdout and r.stderr == ""
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: T\nversion: 1\nlanguages: [en]\nsections:\n  - title: S\n    questions:\n      - name: q1\n        type: likert\n        choices: nolist\n        text: Q\n")
    r = coprod("check", str(bad))
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: {bad}:10: question 'q1': unknown choice list 'nolist'"
    assert "Traceback" not in r.stderr


def test_bad_option_and_missing_file_are_one_line(tmp_path):
    for args in (["--nope"], ["check"], ["check", str(tmp_path / "missing.yaml")], ["info", "--lang", "xx"]):
        r = coprod(*args)
        assert r.returncode == 2, args
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, r.stderr)


def test_init_writes_builtin_and_refuses_to_overwrite(tmp_path):
    target = tmp_path / "q.yaml"
    r = coprod("init", str(target))
    assert r.returncode == 0 and target.read_text(encoding="utf-8") == instrument.builtin_text()
    target.write_text("mine")
    r = coprod("init", str(target))
    assert r.returncode == 2 and "--force" in r.stderr and target.read_text() == "mine"
    r = coprod("init", str(target), "--force")
    assert r.returncode == 0 and target.read_text(encoding="utf-8") == instrument.builtin_text()


def test_schema_validates_builtin_and_rejects_garbage():
    jsonschema = pytest.importorskip("jsonschema")
    from coprod.instrument.yamlsource import parse_yaml

    r = coprod("schema")
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    doc, _ = parse_yaml(instrument.builtin_text())
    # YAML integer keys (codes) are strings in JSON
    doc = json.loads(json.dumps(doc, default=str))
    jsonschema.validate(doc, schema)
    doc["sections"][0]["questions"][0]["type"] = "number"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema)


def test_info_summarises(tmp_path):
    r = coprod("info", "--lang", "fi")
    assert r.returncode == 0
    inst = instrument.builtin()
    assert f"{len(inst.questions)} questions" in r.stdout
    assert "Ammattilainen" in r.stdout


def test_outputs_get_ordinary_permissions(tmp_path):
    from coprod.instrument.files import write_text

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o644


def test_stats_outputs_carry_provenance_but_json_stays_tables_only(tmp_path):
    import hashlib

    import numpy as np
    import pandas as pd
    import pyreadstat

    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": np.repeat([1.0, 2.0], 20), "x": rng.integers(1, 6, 40).astype(float)})
    sav = tmp_path / "d.sav"
    pyreadstat.write_sav(df, str(sav))
    digest = hashlib.sha256(sav.read_bytes()).hexdigest()
    r = coprod("describe", str(sav), "--by", "g", "--format", "md")
    assert r.returncode == 0 and digest in r.stdout and "d.sav" in r.stdout
    r = coprod("describe", str(sav), "--by", "g", "--format", "json")
    obj = json.loads(r.stdout)
    assert list(obj) == ["descriptives"] and all(isinstance(row, dict) for row in obj["descriptives"])
    total = [row for row in obj["descriptives"] if row["group"] == "Total"][0]
    assert total["n"] == 40 and total["mean"] == pytest.approx(df["x"].mean(), rel=1e-12)
