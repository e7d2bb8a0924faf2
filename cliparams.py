"""Plain conversion of the command line's option values, before typer builds a pydantic validator.

typer (0.2x) turns every option value into its annotated type through a pydantic ``TypeAdapter``:
importing pydantic and building the adapters costs a ``coprod describe`` of a small file about a
third of the time it spends reading the file. The options of coprod are strings, paths, whole
numbers, flags and lists of these; a value that is plainly one of them (a string for ``str``, digits
for ``int``, True or False for a flag) is converted here to exactly what pydantic returns (tests/test_cliparams.py); anything
else, and every value of an option with other types or constraints, goes to typer's own conversion,
so its error messages stay typer's.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, List, get_args, get_origin

_INT = re.compile(r"[+-]?[0-9]+\Z")


def _leaf(kind, value) -> tuple[bool, Any]:
    """(True, converted) where ``value`` is plainly of ``kind``; (False, None) otherwise (a path is a
    ``Path`` here; typer's own path checks follow)."""
    if kind is str and type(value) is str:
        return True, value
    if kind is Path and type(value) is str and value:
        return True, Path(value)
    if kind is Path and isinstance(value, Path):
        return True, value
    if kind in (int, bool) and type(value) is kind:
        return True, value
    if kind is int and type(value) is str and _INT.match(value) and len(value) < 19:
        return True, int(value)
    return False, None


def plain(annotation, value) -> tuple[bool, Any]:
    """(True, the value) for a plain value of a plain type (``str``, ``int``, ``Path`` or a list of one of
    them); else (False, None)."""
    if get_origin(annotation) in (list, List):
        (kind,) = get_args(annotation) or (None,)
        if kind not in (str, Path, int) or not isinstance(value, (list, tuple)):
            return False, None
        out = [_leaf(kind, v) for v in value]
        return (True, [v for _, v in out]) if all(ok for ok, _ in out) else (False, None)
    if annotation in (str, Path, int, bool):
        return _leaf(annotation, value)
    return False, None


def _simple(info) -> bool:  # no constraints, parser or own click type: pydantic adds nothing then
    return all(getattr(info, a, None) is None for a in ("min", "max", "parser", "click_type"))


def install() -> None:
    """Let typer's parameters convert plain values here; a no-op with a typer that has no such step."""
    try:
        from typer import _coercion, _param_types, core
    except ImportError:  # pragma: no cover - an older typer (click's own types, no pydantic)
        return
    param_cls = getattr(core, "_TyperParameter", None)
    if param_cls is None or not hasattr(param_cls, "get_runtime_param") or getattr(param_cls, "_coprod_plain", False):
        return

    class PlainRuntimeParam(_coercion.RuntimeParam):
        def _coerce_value(self, value, param, ctx):
            ok, out = plain(self.annotation, value)
            if ok:  # a path goes through typer's own checks (exists, resolve_path, ...) as a Path
                path = _param_types.coerce_cli_path
                info = self.parameter_info
                if self.annotation is Path:
                    return path(out, info, path_type=Path, param=param, ctx=ctx)
                if get_args(self.annotation) == (Path,):
                    return [path(v, info, path_type=Path, param=param, ctx=ctx) for v in out]
                return out
            typer_own = _coercion.build_runtime_param(param.type_descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)

    original = param_cls.get_runtime_param

    def get_runtime_param(self):
        desc = self.type_descriptor
        if self._runtime_param is None and desc.file_annotation is None and _simple(desc.parameter_info) \
                and (desc.annotation in (str, Path, int, bool) or get_origin(desc.annotation) in (list, List)):
            self._runtime_param = PlainRuntimeParam(annotation=desc.annotation, parameter_info=desc.parameter_info)
        return original(self)

    param_cls.get_runtime_param = get_runtime_param
    param_cls._coprod_plain = True
