"""The built-in instrument kept between runs: the same instrument read back, never a stale or foreign one,
and a cache that cannot be read or written changes nothing."""
from __future__ import annotations

import os
import pickle

import pytest

from coprod import instrument
from coprod.instrument import cache


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """An empty cache directory of its own, and no instrument built yet in this process."""
    d = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV, str(d))
    instrument._builtin.cache_clear()
    instrument._builtin_module_names.cache_clear()
    instrument._builtin_tree.cache_clear()
    yield d
    instrument._builtin.cache_clear()
    instrument._builtin_module_names.cache_clear()
    instrument._builtin_tree.cache_clear()


def _entries(d):
    return sorted(p.name for p in d.glob("*.pickle")) if d.exists() else []


def test_built_once_then_read_back(fresh, monkeypatch):
    first = instrument.builtin(("conciliation",))
    names = instrument.builtin_modules()
    assert len(_entries(fresh)) == 2 and "conciliation" in names  # the instrument, and the module names
    instrument._builtin.cache_clear()
    instrument._builtin_module_names.cache_clear()
    instrument._builtin_tree.cache_clear()
    # a new process: nothing is parsed or built, and the instrument is the same
    from coprod.instrument import loader, yamlsource

    monkeypatch.setattr(yamlsource, "parse_yaml", lambda *a, **k: pytest.fail("parsed again"))
    monkeypatch.setattr(loader, "check_tree", lambda *a, **k: pytest.fail("built again"))
    again = instrument.builtin(("conciliation",))
    assert again == first and again is not first
    assert instrument.builtin_modules() == names
    assert [v.name for v in again.variables] == [v.name for v in first.variables]
    assert again.scales.keys() == first.scales.keys()


def test_other_modules_other_entries(fresh):
    plain = instrument.builtin()
    conc = instrument.builtin(("conciliation",))
    assert len(_entries(fresh)) == 2 and plain != conc and plain.modules == ()


def test_a_changed_definition_or_code_is_a_new_entry():
    a = cache.key(b"text", "instrument")
    assert a == cache.key(b"text", "instrument")
    assert a != cache.key(b"text2", "instrument") != cache.key(b"text", "instrument", "conciliation")


def test_unreadable_or_foreign_entries_are_rebuilt(fresh):
    first = instrument.builtin()
    (entry,) = fresh.glob("*.pickle")
    for bad in (b"", b"not a pickle", cache._FORMAT + b"\x80\x05garbage", pickle.dumps("x")):
        entry.write_bytes(bad)
        instrument._builtin.cache_clear()
        assert instrument.builtin() == first
        assert entry.read_bytes().startswith(cache._FORMAT)  # written again, whole


def test_an_entry_of_another_user_is_not_read(fresh, monkeypatch):
    instrument.builtin()
    monkeypatch.setattr(cache, "_owned", lambda path: False)
    monkeypatch.setattr(cache.pickle, "loads", lambda *a: pytest.fail("read an entry it does not own"))
    instrument._builtin.cache_clear()
    assert instrument.builtin().id == "coprod-accountability"


def test_no_cache_where_it_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the directory would be")
    monkeypatch.setenv(cache.ENV, str(blocked / "cache"))
    instrument._builtin.cache_clear()
    try:
        assert instrument.builtin().id == "coprod-accountability"
    finally:
        instrument._builtin.cache_clear()
    assert blocked.read_text() == "a file where the directory would be"
    assert not [p for p in tmp_path.iterdir() if p.name != "file"]


@pytest.mark.parametrize("value", ["off", "", "0"])
def test_switched_off(tmp_path, monkeypatch, value):
    monkeypatch.setenv(cache.ENV, value)
    assert cache.cache_dir() is None
    cache.store("x", 1)
    assert cache.load("x") is None


def test_default_place(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "coprod"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == type(tmp_path)(os.path.expanduser("~")) / ".cache" / "coprod"


def test_a_definition_file_checked_before_is_read_back(fresh, tmp_path, monkeypatch):
    """A user's own definition (YAML or XLSForm): the second check reads the report back, warnings and all;
    an edited file is checked again."""
    from coprod.instrument import loader, yamlsource

    src = tmp_path / "mine.yaml"
    src.write_text(instrument.builtin_text(), encoding="utf-8")
    first = instrument.check(src)
    assert first.ok
    with monkeypatch.context() as m:
        m.setattr(yamlsource, "parse_yaml", lambda *a, **k: pytest.fail("parsed again"))
        m.setattr(loader, "parse_yaml", lambda *a, **k: pytest.fail("parsed again"))
        again = instrument.check(src)
    assert again.instrument == first.instrument and again.problems == first.problems
    src.write_text(instrument.builtin_text() + "\nnot_a_key: 1\n", encoding="utf-8")
    edited = instrument.check(src)
    assert [p.message for p in edited.problems] != [p.message for p in first.problems]
    # an XLSForm: read by openpyxl once
    from coprod.instrument.forms.xlsform import write_xlsform

    form = write_xlsform(first.instrument, tmp_path / "form.xlsx")
    one = instrument.check(form)
    from coprod.instrument import xlsform_read

    with monkeypatch.context() as m:
        m.setattr(xlsform_read, "read_xlsform_tree", lambda *a, **k: pytest.fail("read again"))
        two = instrument.check(form)
    assert one.ok and two.instrument == one.instrument and two.problems == one.problems


def test_a_definition_is_built_from_the_bytes_its_report_is_kept_under(fresh, tmp_path, monkeypatch):
    """The file is read once: the bytes of the cache's key are the bytes parsed (read twice, an edit in
    between would keep the new file's report under the old bytes' key)."""
    from pathlib import Path

    src = tmp_path / "mine.yaml"
    src.write_text(instrument.builtin_text(), encoding="utf-8")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"{self} read again"))
    assert instrument.check(src).ok
