"""Response data: reading, checking, scoring and statistics.

The names below are loaded on first use, so ``import analysis`` stays light.

>>> from coprod import analysis
>>> sorted(n for n in analysis.__all__ if not n.startswith("_"))[:4]
['ImportResult', 'Responses', 'ValidationReport', 'import_responses']
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "Responses": "coprod.analysis.data.responses",
    "load_responses": "coprod.analysis.data.io",
    "write_responses": "coprod.analysis.data.io",
    "validate": "coprod.analysis.data.validate",
    "ValidationReport": "coprod.analysis.data.validate",
    "score": "coprod.analysis.data.scoring",
    "reverse_code": "coprod.analysis.data.scoring",
    "import_responses": "coprod.analysis.data.importer",
    "ImportResult": "coprod.analysis.data.importer",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'analysis' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))
