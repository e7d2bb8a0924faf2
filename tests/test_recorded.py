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
