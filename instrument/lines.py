"""The containers of a parsed definition that remember the line of each key and item (no YAML needed to
read them: a built instrument read back from the cache uses them without the parser)."""
from __future__ import annotations


class LDict(dict):
    """A dict that knows the line of itself, of each key and of each value."""

    line = 0

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    """A list that knows its line and each item's line."""

    line = 0

    def __init__(self, *a):
        super().__init__(*a)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def line_of(container, key, default: int = 0) -> int:
    """The line of ``key`` in an LDict/LList, or ``default`` for plain containers."""
    if isinstance(container, (LDict, LList)):
        return container.line_of(key)
    return getattr(container, "line", default)
