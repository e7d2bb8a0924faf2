"""Which questionnaire a data file belongs to when none is named: the built-in one, with the optional
modules whose questions the file holds."""
from __future__ import annotations

import pytest

import coprod
from coprod.analysis.data.recorded import builtin_for, choose_instrument


@pytest.mark.parametrize("modules", [(), ("conciliation",), ("conciliation", "neighbourhood")])
def test_builtin_data_are_read_with_their_modules(tmp_path, modules):
    inst = coprod.builtin(modules)
    path = tmp_path / "survey.sav"
    coprod.write_responses(coprod.score(coprod.simulated_responses(inst, n=40, seed=5), inst), path)
    found = choose_instrument(data=path, required=True)
    assert found.instrument.modules == modules
    assert ("modules: " + ", ".join(modules) in found.note) == bool(modules)
    # every question of the file is a question of the instrument taken: none is an unknown variable
    own = {v.name for v in inst.variables}
    assert own <= {v.name for v in found.instrument.variables}


def test_columns_beyond_the_core_but_of_no_module_take_no_module():
    base = coprod.builtin()
    columns = [v.name for v in base.variables] + ["my_own_question"]
    assert builtin_for(columns).modules == ()
    conc = [v.name for v in coprod.builtin(("conciliation",)).variables]
    assert builtin_for(conc).modules == ("conciliation",)


def test_a_file_records_its_modules_and_is_read_with_them(tmp_path, monkeypatch):
    """A .sav of the conciliation module records the module in its label; reading it takes that module
    without trying each module against the columns. A label without modules (two do not fit in 64 bytes,
    or an older file) is read by the columns, as before."""
    import pyreadstat

    from coprod.analysis.data import recorded

    one, two = ("conciliation",), ("conciliation", "neighbourhood")
    paths = {}
    for modules in (one, two):
        inst = coprod.builtin(modules)
        paths[modules] = tmp_path / f"survey-{len(modules)}.sav"
        coprod.write_responses(coprod.simulated_responses(inst, n=20, seed=3), paths[modules])
    _, meta = pyreadstat.read_sav(str(paths[one]), metadataonly=True)
    assert meta.file_label == f"coprod instrument {coprod.builtin().id} {coprod.builtin().version} +conciliation"
    assert recorded.recorded(paths[one])["instrument_modules"] == one
    assert "instrument_modules" not in recorded.recorded(paths[two])  # 70 bytes: the modules are left out
    monkeypatch.setattr(recorded, "builtin_for", lambda columns: pytest.fail("modules guessed from the columns"))
    assert choose_instrument(data=paths[one], required=True).instrument.modules == one
    monkeypatch.undo()
    assert choose_instrument(data=paths[two], required=True).instrument.modules == two
