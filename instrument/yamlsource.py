"""Reading YAML with line numbers, safely.

PyYAML's composer gives every node its line; the tree is converted here into dicts and lists
that remember the line of each key and item.  No Python object is ever constructed from a
tag (safe loading), duplicate keys are errors, and alias expansion is capped so that an
"alias bomb" fails at once instead of eating the machine's memory.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from .errors import DefinitionError, Problem
from .inputs import MAX_DEFINITION_BYTES, input_problem
from .lines import LDict, LList, line_of  # noqa: F401 (the parsed tree's containers, read here)

MAX_BYTES = MAX_DEFINITION_BYTES
MAX_NODES = 2_000_000

try:  # libyaml is much faster on large files
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def read_text(path: str | Path, data: bytes | None = None) -> str:
    """Read a definition file as UTF-8 text, with a clean error for anything else; ``data``: its bytes,
    when they were read already (then the file is not read again)."""
    p = Path(path)
    if data is None:
        problem = input_problem(p, MAX_BYTES)  # a pipe, device or folder is never opened
        if problem:
            raise DefinitionError([Problem(str(p), 0, problem)])
        data = p.read_bytes()
    if b"\x00" in data[:8192] or b"\x00" in data:
        raise DefinitionError([Problem(str(p), 0, "not a text file (binary content); expected a YAML definition")])
    if data.startswith(b"PK\x03\x04"):
        raise DefinitionError([Problem(str(p), 0, "looks like a zip/xlsx file; expected a YAML definition")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DefinitionError([Problem(str(p), line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]) from None
    return text


class _Converter:
    def __init__(self, path: str):
        self.path = path
        self.count = 0
        self.problems: list[Problem] = []
        self.constructor = yaml.constructor.SafeConstructor()

    def convert(self, node):
        self.count += 1
        if self.count > MAX_NODES:
            raise DefinitionError([Problem(self.path, node.start_mark.line + 1,
                                           f"more than {MAX_NODES:,} YAML nodes after expanding aliases (an alias bomb?)")])
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            out = LDict()
            out.line = line
            self.constructor.flatten_mapping(node)
            for knode, vnode in node.value:
                key = self.convert(knode)
                if isinstance(key, (dict, list)):
                    self.problems.append(Problem(self.path, knode.start_mark.line + 1, "a key must be a plain value"))
                    continue
                if key in out:
                    self.problems.append(Problem(self.path, knode.start_mark.line + 1,
                                                 f"duplicate key {key!r} (first on line {out.key_lines[key]})"))
                    continue
                out[key] = self.convert(vnode)
                out.key_lines[key] = vnode.start_mark.line + 1 if not isinstance(vnode, yaml.ScalarNode) or vnode.value != "" else knode.start_mark.line + 1
            return out
        if isinstance(node, yaml.SequenceNode):
            out = LList()
            out.line = line
            for item in node.value:
                out.append(self.convert(item))
                out.item_lines.append(item.start_mark.line + 1)
            return out
        if node.tag == "tag:yaml.org,2002:bool" and node.value.lower() not in ("true", "false"):
            return node.value  # YAML 1.2: yes/no/on/off are text ("No" is a label, not false)
        try:
            return self.constructor.construct_object(node)
        except yaml.YAMLError as exc:
            self.problems.append(Problem(self.path, line, f"bad value: {getattr(exc, 'problem', exc)}"))
            return None


def parse_yaml(text: str, path: str = "<text>"):
    """Parse YAML text into LDict/LList; raise DefinitionError with the line on syntax errors.

    Returns (tree, problems) where problems are non-fatal structural ones (duplicate keys).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        msg = " ".join(str(x) for x in (exc.context, exc.problem) if x)
        raise DefinitionError([Problem(path, line, f"YAML syntax: {msg}")]) from None
    except yaml.YAMLError as exc:
        raise DefinitionError([Problem(path, 0, f"YAML syntax: {exc}")]) from None
    except RecursionError:
        raise DefinitionError([Problem(path, 0, "YAML nested too deeply")]) from None
    if node is None:
        raise DefinitionError([Problem(path, 1, "the file is empty")])
    conv = _Converter(path)
    try:
        tree = conv.convert(node)
    except RecursionError:
        raise DefinitionError([Problem(path, 0, "YAML nested too deeply (recursive alias?)")]) from None
    return tree, conv.problems
