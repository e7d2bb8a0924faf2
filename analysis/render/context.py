"""What the table notes need to know beyond the tables themselves.

>>> ctx = RenderContext(group_order=["Volunteer", "Professional"], adjust="holm")
>>> ctx.group_order, ctx.min_cell, ctx.hidden("tests")
(('Volunteer', 'Professional'), 5, 0)
>>> ctx.replace(suppressed={"tests": 2}).hidden("tests")
2
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping, Sequence

DEFAULT_MIN_CELL = 5


@dataclass(frozen=True)
class RenderContext:
    """Hints for the display tables (see :mod:`analysis.render.specs`).

    Attributes
    ----------
    group_order : tuple of str
        Group labels in the order to show them (the questionnaire's); other groups follow.
    min_cell : int
        The small-cell threshold the tables were suppressed with (for the suppression note).
    suppressed : mapping
        Table name -> number of cells hidden there; a table with hidden cells gets the note.
    adjust : str, optional
        The p-value correction asked for, named in the note of the tests table.
    missing_rule : str, optional
        A sentence on how missing answers were handled, replacing each table's default.
    sample_note : str, optional
        A note under the sample table.
    data_notes : tuple of str
        Sentences about the data for every table's note (why a statistic is empty).
    design_based : bool
        Sampling weights: descriptives show the design-based SE and 95% CI of the mean.
    variable_labels : mapping
        Variable name -> label, shown beside the name where a table has no label of its own (frequencies).
    top_box_labels : mapping
        Variable name -> what its top box holds in words ("agree or strongly agree", "often or very
        often"): the descriptives' top-box column is headed by it.
    """

    group_order: Sequence[str] = ()
    min_cell: int = DEFAULT_MIN_CELL
    suppressed: Mapping[str, int] = field(default_factory=dict)
    adjust: str | None = None
    missing_rule: str | None = None
    sample_note: str | None = None
    data_notes: Sequence[str] = ()
    design_based: bool = False
    variable_labels: Mapping[str, str] = field(default_factory=dict)
    top_box_labels: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "group_order", tuple(self.group_order or ()))
        object.__setattr__(self, "data_notes", tuple(self.data_notes or ()))
        object.__setattr__(self, "suppressed", MappingProxyType(dict(self.suppressed or {})))
        object.__setattr__(self, "variable_labels", MappingProxyType(dict(self.variable_labels or {})))
        object.__setattr__(self, "top_box_labels", MappingProxyType(dict(self.top_box_labels or {})))

    def hidden(self, table: str) -> int:
        """Cells hidden in ``table``."""
        return int(self.suppressed.get(table, 0) or 0)

    def replace(self, **changes) -> "RenderContext":
        """A copy with ``changes``."""
        return dataclasses.replace(self, **changes)
