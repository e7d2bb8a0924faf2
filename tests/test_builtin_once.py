"""The built-in definition is parsed once per process and every module set is built from that tree."""
from __future__ import annotations

import itertools

import pytest

import coprod.instrument as instrument
from coprod.instrument import yamlsource
from coprod.instrument.loader import build


def _snapshot(x):
    """Everything of a parsed tree, lines included, as nested tuples."""
    if isinstance(x, dict):
        return ("dict", type(x).__name__, getattr(x, "line", None), sorted(getattr(x, "key_lines", {}).items(), key=repr),
                [(k, _snapshot(v)) for k, v in x.items()])
    if isinstance(x, list):
        return ("list", type(x).__name__, getattr(x, "line", None), list(getattr(x, "item_lines", [])),
                [_snapshot(v) for v in x])
    return x


def _module_sets():
    mods = instrument.builtin_modules()
    return [c for r in range(len(mods) + 1) for c in itertools.combinations(mods, r)]


@pytest.fixture
def fresh_caches(tmp_path, monkeypatch):
    """Nothing parsed or built in this process, nor kept between runs (an empty cache directory)."""
    from coprod.instrument import cache

    monkeypatch.setenv(cache.ENV, str(tmp_path / "cache"))
    clear = (instrument._builtin_tree, instrument._builtin, instrument._builtin_module_names)
    for f in clear:
        f.cache_clear()
    yield
    for f in clear:
        f.cache_clear()


def test_every_module_set_equals_loading_the_file():
    for mods in _module_sets():
        assert instrument.builtin(mods) == instrument.load(instrument.builtin_path(), modules=list(mods)), mods


def test_building_leaves_the_tree_unchanged():
    tree, _ = yamlsource.parse_yaml(instrument.builtin_text(), str(instrument.builtin_path()))
    before = _snapshot(tree)
    path = str(instrument.builtin_path())
    for mods in _module_sets():
        build(tree, path, list(mods))
    build(tree, path, None, all_modules=True)
    assert _snapshot(tree) == before


def test_one_parse_for_a_file_of_every_module(monkeypatch, fresh_caches):
    from coprod.analysis.data.recorded import builtin_for

    calls = []
    real = yamlsource.parse_yaml
    monkeypatch.setattr(yamlsource, "parse_yaml", lambda *a, **k: calls.append(1) or real(*a, **k))
    full = instrument.builtin(instrument.builtin_modules())
    found = builtin_for([v.name for v in full.variables])
    assert found.modules == instrument.builtin_modules()
    assert "modules: [conciliation]" in instrument.builtin_text(["conciliation"])
    assert len(calls) == 1


def test_scale_scores_of_the_core_need_no_module_built(monkeypatch, fresh_caches):
    # the demo's data: the core questionnaire with its scale scores and reversed copies
    from coprod.analysis.data.recorded import _derived_names, builtin_for

    from coprod.instrument import loader

    base = instrument.builtin()
    cols = [v.name for v in base.variables] + list(base.scales) + [base.variables[5].name.upper() + "_r"]
    built = []
    real = loader.check_tree
    monkeypatch.setattr(loader, "check_tree", lambda *a, **k: built.append(a[3]) or real(*a, **k))
    assert builtin_for(cols) is base and built == []
    # no module's own variable could be taken for a score or reversed copy of the core
    known = {v.name.lower() for v in base.variables}
    for mod in instrument.builtin_modules():
        own = {v.name.lower() for v in instrument.builtin((mod,)).variables} - known
        assert own and not any(_derived_names(base)(c) for c in own), mod
