"""Response data: reading, checking, scoring and statistics.

The names below are loaded on first use, so ``import analysis`` stays light.

>>> import analysis
>>> sorted(n for n in analysis.__all__ if not n.startswith("_"))[:4]
['ImportResult', 'Responses', 'ValidationReport', 'import_responses']
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "Responses": "analysis.responses",
    "load_responses": "analysis.io",
    "write_responses": "analysis.io",
    "validate": "analysis.validate",
    "ValidationReport": "analysis.validate",
    "score": "analysis.scoring",
    "reverse_code": "analysis.scoring",
    "import_responses": "analysis.importer",
    "ImportResult": "analysis.importer",
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
