"""Option values converted without pydantic (coprod.cliparams) equal typer's own conversion."""
from __future__ import annotations

from pathlib import Path
from typing import List

import pytest

from coprod import cliparams

typer_adapters = pytest.importorskip("typer._adapters")
from typer.models import OptionInfo  # noqa: E402

CASES = [
    (str, ["role", "", " a b ", "ääkköset", "-1", "q01..q60"]),
    (int, ["5", "0", "-3", "+7", "007", 5, 0, -2]),
    (bool, [True, False]),
    (List[str], [("a", "b"), ["x"], ()]),
    (list[str], [("a",), []]),
    (List[int], [("1", "2")]),
]


@pytest.mark.parametrize("annotation,values", CASES)
def test_plain_values_equal_typer_own(annotation, values):
    adapter = typer_adapters.try_build_adapter(annotation, OptionInfo())
    for v in values:
        ok, ours = cliparams.plain(annotation, v)
        assert ok, v
        theirs = adapter.validate_python(v)
        assert ours == theirs and type(ours) is type(theirs), (v, ours, theirs)


def test_other_values_are_left_to_typer():
    for annotation, v in [(int, "5.0"), (int, " 5"), (int, "1_000"), (int, "x"), (int, "9" * 30), (bool, "yes"),
                          (str, b"raw"), (str, 5), (Path, ""), (List[str], "a"), (List[float], ("1",)), (float, "1")]:
        assert cliparams.plain(annotation, v) == (False, None), (annotation, v)


def test_paths_are_paths():
    assert cliparams.plain(Path, "data/x.sav") == (True, Path("data/x.sav"))
    assert cliparams.plain(List[Path], ("a", "b")) == (True, [Path("a"), Path("b")])


def test_bad_values_keep_typer_messages(cli):
    r = cli("describe", "nofile.sav", "--min-cell", "many")
    assert r.exit_code == 2 and "--min-cell" in r.stderr
