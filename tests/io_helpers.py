"""Shared helpers of the import tests: a small questionnaire with every kind of question, and data."""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

SPSS_DIR = Path(os.environ.get("COPROD_SPSS_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "spss"))

DEFINITION = """\
id: import-test
version: "1.0"
title: Import test
languages: [en]
default_language: en
respondent_id: resp_id
missing:
  -9: No answer
groups:
  question: role
  codes: {professional: 1, volunteer: 2, service_user: 3}
choices:
  role:
    options: {1: Professional, 2: Volunteer, 3: Service user}
  agree5:
    ordered: true
    options: {1: Strongly disagree, 2: Disagree, 3: Neither, 4: Agree, 5: Strongly agree}
    missing: {-8: Don't know}
  tools:
    options: {1: Meetings, 2: Surveys, 3: Feedback forms}
sections:
  - id: profile
    title: About you
    questions:
      - {name: role, type: single, choices: role, required: true, text: Your role?}
      - {name: years, type: integer, min: 0, max: 60, relevant: "role in (1, 2)", text: Years involved?}
      - {name: tools, type: multiple, choices: tools, text: Tools used?}
      - {name: comment, type: text, text: Anything else?}
  - id: felt
    title: Felt accountability
    relevant: "role = 1"
    defaults: {type: likert, choices: agree5}
    questions:
      - {name: fa1, text: I explain my decisions.}
      - {name: fa2, text: My work is judged by people who understand it.}
      - {name: fa3, text: Nobody follows up on what I do.}
scales:
  felt_acc:
    label: Felt accountability
    items: [fa1, fa2, fa3]
    reverse: [fa3]
    min_valid: 2
"""


def make_instrument(tmp_path: Path):
    from coprod import instrument

    p = tmp_path / "test_instrument.yaml"
    p.write_text(DEFINITION, encoding="utf-8")
    return instrument.load(p), p


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def spss_file(name: str) -> Path:
    p = SPSS_DIR / name
    if not p.exists():
        pytest.skip(f"{p} not available")
    return p


def need_pspp() -> str:
    exe = shutil.which("pspp")
    if exe is None:
        pytest.skip("pspp not installed")
    return exe
