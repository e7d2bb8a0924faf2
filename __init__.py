"""coprod: questionnaires, forms, data checks and group statistics for co-production research.

The public API for Python and Jupyter. Names are loaded on first use, so ``import coprod``
and the ``coprod`` command start at once.

>>> import coprod
>>> inst = coprod.builtin()
>>> inst.languages
('en', 'fi', 'sv')
>>> data = coprod.simulated_responses(inst, n=60, seed=1)
>>> res = coprod.describe(data, items="tr1..tr3", by="role")
>>> list(res.columns[:4])
['variable', 'label', 'group', 'n']
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    # the definition
    "load": "coprod.instrument", "check": "coprod.instrument", "builtin": "coprod.instrument",
    "Instrument": "coprod.instrument",
    "write_forms": "coprod.instrument.forms",
    # responses in
    "Responses": "coprod.analysis.data.responses",
    "load_responses": "coprod.analysis.data.io",
    "write_responses": "coprod.analysis.data.io",
    "import_responses": "coprod.analysis.data.importer",
    "validate": "coprod.analysis.data.validate",
    "score": "coprod.analysis.data.scoring",
    # statistics
    "describe": ("coprod.analysis.stats.descriptives", "descriptives"),
    "descriptives": "coprod.analysis.stats.descriptives",
    "frequencies": "coprod.analysis.stats.frequencies",
    "reliability": "coprod.analysis.stats.reliability",
    "compare": "coprod.analysis.stats.compare",
    "nonresponse": "coprod.analysis.stats.nonresponse",
    "cfa": "coprod.analysis.stats.cfa",
    "invariance": "coprod.analysis.stats.cfa",
    "ordinal_model": "coprod.analysis.stats.ordinal",
    # tables and the report
    "report": ("coprod.analysis.report", "build_report"),
    "build_report": "coprod.analysis.report",
    "simulated_responses": "coprod.analysis.demo.simulate",
    "run_demo": "coprod.analysis.demo",
    # errors
    "CoprodError": "coprod.instrument.errors", "DefinitionError": "coprod.instrument.errors",
    "DataError": "coprod.instrument.errors", "VariableError": "coprod.instrument.errors",
    "OptionError": "coprod.instrument.errors", "OutputExistsError": "coprod.instrument.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'coprod' has no attribute {name!r}")
    module, attr = target if isinstance(target, tuple) else (target, name)
    value = getattr(import_module(module), attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
