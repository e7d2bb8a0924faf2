"""Hostile output targets: links, full disks, folders that are files, interrupted runs.

Whatever goes wrong, the run ends with one ``error:`` line naming the path and the cause, exit 2,
and nothing it wrote remains (every output of a run is written whole or not at all).
"""
from __future__ import annotations

import errno
import os

import pytest

from clirun import coprod
from coprod.instrument import files
from coprod.instrument.errors import OutputError, OutputExistsError


def listing(d):
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


def test_dangling_symlink_is_not_written_through(tmp_path):
    victim = tmp_path / "elsewhere" / "victim.txt"
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    r = coprod("schema", "--out", link)
    assert r.code == 2 and r.err == f"error: {link}: exists already (a symbolic link) (use --force to replace it)\n"
    assert not victim.exists() and link.is_symlink()


def test_symlink_to_a_file_is_replaced_only_with_force_and_never_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "out.json"
    link.symlink_to(victim)
    assert coprod("schema", "--out", link).code == 2
    r = coprod("schema", "--out", link, "--force")
    assert r.code == 0, r.err
    assert victim.read_text() == "keep me"
    assert not link.is_symlink() and link.read_text().startswith("{")


def test_fifo_and_folder_targets_are_refused(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    r = coprod("schema", "--out", fifo, "--force")
    assert (r.code, r.err) == (2, f"error: {fifo}: is not a regular file\n")
    r = coprod("schema", "--out", tmp_path, "--force")
    assert (r.code, r.err) == (2, f"error: {tmp_path}: is a directory\n")


def test_a_file_where_a_folder_is_needed(tmp_path):
    blocker = tmp_path / "forms"
    blocker.write_text("not a folder")
    r = coprod("forms", "--out", blocker / "sub", "--kind", "codebook")
    assert r.code == 2 and r.err.startswith("error: ") and r.err.count("\n") == 1
    assert str(blocker) in r.err and "not a directory" in r.err
    assert blocker.read_text() == "not a folder"


def _disk_fills_after(monkeypatch, n_ok: int):
    """os.replace succeeds n_ok times, then the disk is full."""
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] > n_ok:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)


def test_forms_on_a_full_disk_leave_nothing(tmp_path, monkeypatch):
    _disk_fills_after(monkeypatch, 3)
    out = tmp_path / "forms"
    r = coprod("forms", "--out", out)
    assert r.code == 2
    assert r.err.startswith("error: ") and r.err.endswith(": no space left on device\n") and r.err.count("\n") == 1
    assert listing(tmp_path) == []


def test_a_failing_write_inside_a_writer_leaves_nothing(tmp_path, monkeypatch):
    """The disk fills while a workbook is being saved (not at the final move)."""
    import openpyxl.workbook.workbook as wb

    def full(self, filename):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(wb.Workbook, "save", full)
    r = coprod("forms", "--out", tmp_path / "f")
    assert r.code == 2 and r.err.endswith(": no space left on device\n"), r.err
    assert listing(tmp_path) == []


def test_interrupt_leaves_nothing(tmp_path, monkeypatch):
    """Ctrl-C in the middle of writing: one line, exit 130, no partial files."""
    from coprod.instrument.forms import codebook

    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(codebook, "write_codebook_html", interrupted, raising=False)
    monkeypatch.setattr(codebook, "codebook_html", interrupted)
    r = coprod("forms", "--out", tmp_path / "f")
    assert (r.code, r.err) == (130, "error: interrupted\n")
    assert listing(tmp_path) == []


def test_output_batch_takes_back_new_files_when_a_later_move_fails(tmp_path, monkeypatch):
    _disk_fills_after(monkeypatch, 1)
    with pytest.raises(OutputError, match="no space left on device"):
        with files.output_batch():
            files.write_text(tmp_path / "a.txt", "a")
            files.write_text(tmp_path / "b" / "b.txt", "b")
    assert listing(tmp_path) == []


def test_output_errors_are_oserrors_and_exists_errors_file_exists_errors(tmp_path):
    (tmp_path / "x").write_text("")
    with pytest.raises(FileExistsError):
        files.write_text(tmp_path / "x", "y")
    with pytest.raises(OSError):
        files.write_text(tmp_path / "x" / "y", "z")
    with pytest.raises(OutputExistsError):
        files.check_writable(tmp_path / "x")


@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    from coprod import builtin, simulated_responses, write_responses

    path = tmp_path_factory.mktemp("resp") / "r.sav"
    write_responses(simulated_responses(builtin(), n=60, seed=3), path)
    return path


def test_import_whose_report_fails_leaves_no_data(responses, tmp_path, monkeypatch):
    """The problem report is written after the data: when it fails, the data file is taken back too."""
    _disk_fills_after(monkeypatch, 1)
    r = coprod("import", responses, "--out", tmp_path / "clean.sav", "--report", tmp_path / "problems.csv")
    assert r.code == 2 and r.err.endswith(": no space left on device\n"), r.err
    assert listing(tmp_path) == []


def test_report_whose_second_output_fails_leaves_neither(responses, tmp_path, monkeypatch):
    _disk_fills_after(monkeypatch, 1)
    r = coprod("report", responses, "--out", tmp_path / "r.html", "--out", tmp_path / "r.xlsx")
    assert r.code == 2 and r.err.endswith(": no space left on device\n"), r.err
    assert listing(tmp_path) == []


def test_markdown_report_interrupted_leaves_no_figure_folder(responses, tmp_path, monkeypatch):
    """Ctrl-C while the charts of a Markdown report are being put in place: no chart, folder or .md remains."""
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", replace)
    r = coprod("report", responses, "--out", tmp_path / "r.md")
    assert (r.code, r.err) == (130, "error: interrupted\n")
    assert calls["n"] == 3
    assert listing(tmp_path) == []
