"""The response dataset: a pandas DataFrame plus the metadata statistics need.

User-missing codes stay in :attr:`Responses.data` as values (so a file written back keeps
them), and are masked to NaN by :meth:`Responses.valid` before any statistic is computed:
user-missing codes are missing, exactly as in SPSS.
"""
from __future__ import annotations

import copy
import dataclasses
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np
import pandas as pd

from coprod.instrument.errors import VariableError
from coprod.instrument.words import plural

if TYPE_CHECKING:  # pragma: no cover
    from coprod.instrument.model import Instrument

MEASURES = ("nominal", "ordinal", "scale")


#: Read-only DataFrame attributes a :class:`Responses` answers as the DataFrame it holds.
FRAME_ATTRIBUTES = frozenset({
    "head", "tail", "shape", "index", "dtypes", "loc", "iloc", "at", "iat", "empty", "size", "ndim", "T",
    "describe", "info", "sample", "groupby", "query", "filter", "select_dtypes", "value_counts", "nunique",
    "isna", "notna", "items", "iterrows", "itertuples", "to_numpy", "agg", "apply", "corr", "cov", "count",
    "mean", "median", "std", "var", "sum", "min", "max", "quantile", "round", "to_string", "to_dict",
})


@dataclass(repr=False)
class Responses:
    """Responses with their metadata.

    For reading, a ``Responses`` behaves as the DataFrame it holds (``len``, ``[...]``, ``head()``,
    ``shape``, iteration over the column names, ...); the metadata are one attribute away, and
    :meth:`to_pandas` gives a plain DataFrame, with value labels if asked:

    >>> r = Responses(pd.DataFrame({"role": [1.0, 2.0, 9.0]}), variable_labels={"role": "Role"},
    ...               value_labels={"role": {1.0: "Staff", 2.0: "Volunteer", 9.0: "No answer"}},
    ...               missing_codes={"role": (9.0,)})
    >>> len(r), r.shape, list(r), r["role"].tolist()
    (3, (3, 1), ['role'], [1.0, 2.0, 9.0])
    >>> r.head(2)
       role
    0   1.0
    1   2.0
    >>> r.variable_labels["role"], r.missing_codes["role"]
    ('Role', (9.0,))
    >>> r.to_pandas(labels=True)["role"].tolist()
    ['Staff', 'Volunteer', 'No answer']

    Attributes
    ----------
    data : DataFrame
        One row per respondent, one column per variable. Coded answers are numbers;
        user-missing codes are kept as values.
    variable_labels : dict
        Variable name -> label.
    value_labels : dict
        Variable name -> {code: label}; codes are floats for numeric variables.
    missing_codes : dict
        Variable name -> tuple of discrete user-missing codes.
    missing_ranges : dict
        Variable name -> tuple of (low, high) user-missing ranges (inclusive, as in SPSS).
    measure : dict
        Variable name -> "nominal", "ordinal" or "scale".
    sources : list
        The files the data came from.
    instrument : Instrument or None
        The questionnaire definition the data were checked against.
    notes : list
        What reading or combining the data had to decide (an encoding, a renamed column ...), as text.
    score_notes : list
        :class:`~coprod.analysis.data.scoring.ScoreNote` from scoring: scales not scored, columns replaced.
    """

    data: pd.DataFrame
    variable_labels: dict = field(default_factory=dict)
    value_labels: dict = field(default_factory=dict)
    missing_codes: dict = field(default_factory=dict)
    missing_ranges: dict = field(default_factory=dict)
    measure: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)
    instrument: "Instrument | None" = None
    notes: list = field(default_factory=list)
    score_notes: list = field(default_factory=list)

    # ------------------------------------------------------------------ access
    @property
    def columns(self) -> list[str]:
        return list(self.data.columns)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, key):
        """``r["x"]`` is the column (a Series), ``r[["x", "y"]]`` or ``r[mask]`` a DataFrame."""
        return self.data[key]

    def __iter__(self):
        return iter(self.data.columns)

    def __contains__(self, name) -> bool:
        return name in self.data.columns

    def __getattr__(self, name: str):
        # only the DataFrame's reading methods, never a column: a column named like an attribute cannot hide one
        if name in FRAME_ATTRIBUTES and "data" in self.__dict__:
            return getattr(self.__dict__["data"], name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        return f"{self._caption()}\n{self.data!r}"

    def _caption(self) -> str:
        inst = self.instrument
        rows, cols = self.data.shape
        return (f"{type(self).__name__}: {plural(rows, 'row')}, {plural(cols, 'variable')}"
                + (f"; instrument {inst.id} {inst.version}" if inst is not None else ""))

    def _repr_html_(self) -> str:
        """In Jupyter: the first rows with value labels, each column headed by its name and label."""
        import html

        shown = self.to_pandas(labels=True).head(10)
        head = "".join(f"<th title='{html.escape(str(c))}'>{html.escape(str(c))}"
                       f"<br><small>{html.escape(self.variable_labels.get(c, ''))}</small></th>" for c in shown.columns)
        body = "".join("<tr>" + "".join(f"<td>{'' if pd.isna(v) else html.escape(str(v))}</td>" for v in row) + "</tr>"
                       for row in shown.itertuples(index=False))
        return (f"<div><p>{html.escape(self._caption())}</p><table><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table></div>")

    def to_pandas(self, labels: bool = False, valid: bool = False) -> pd.DataFrame:
        """A plain DataFrame (a copy): codes as stored, or with ``labels`` each labelled code as its label
        (an ordered categorical in code order); with ``valid``, user-missing codes as missing."""
        df = self.valid() if valid else self.data.copy()
        if not labels:
            return df
        for name, vl in self.value_labels.items():
            if name not in df.columns or not vl:
                continue
            col = df[name]
            mapped = col.map(lambda v: self.value_label(name, v) if pd.notna(v) else None)
            order = [vl[k] for k in sorted(vl, key=lambda k: (_as_float(k) is None, _as_float(k) or 0, str(k)))]
            cats = list(dict.fromkeys(order + [v for v in mapped.dropna().unique() if v not in order]))
            df[name] = pd.Categorical(mapped, categories=cats, ordered=True)
        return df

    def resolve(self, name: str) -> str:
        """Return the column called ``name``, matched case-insensitively; raise VariableError if none."""
        if name in self.data.columns:
            return name
        lowered = {str(c).lower(): c for c in self.data.columns}
        try:
            return lowered[name.lower()]
        except KeyError:
            where = f"{Path(str(self.sources[0])).name}: " if len(self.sources) == 1 else ""
            raise VariableError(f"{where}unknown variable {name!r}") from None

    def is_user_missing(self, name: str) -> np.ndarray:
        """Boolean mask of the rows whose value of ``name`` is a user-missing code or in a missing range."""
        col = self.data[name]
        mask = np.zeros(len(col), dtype=bool)
        codes = self.missing_codes.get(name) or ()
        ranges = self.missing_ranges.get(name) or ()
        if not codes and not ranges:
            return mask
        if pd.api.types.is_numeric_dtype(col):
            values = col.to_numpy(dtype=float, na_value=np.nan)
            num_codes = [float(c) for c in codes if isinstance(c, (int, float, np.number))]
            if num_codes:
                mask |= np.isin(values, num_codes)
            for lo, hi in ranges:
                mask |= (values >= float(lo)) & (values <= float(hi))
        else:
            str_codes = [str(c).rstrip() for c in codes]
            if str_codes:
                mask |= col.astype("string").str.rstrip().isin(str_codes).fillna(False).to_numpy(dtype=bool)
        return mask

    def valid(self, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The data with every user-missing value replaced by NaN (system-missing)."""
        cols = list(self.data.columns) if columns is None else [self.resolve(c) for c in columns]
        if self._shared() is not None:
            return pd.DataFrame({c: self.valid_column(c) for c in cols}, index=self.data.index)
        out = self.data[cols].copy()
        numeric = []
        for c in (c for c in dict.fromkeys(cols) if self.missing_codes.get(c) or self.missing_ranges.get(c)):
            mask = self.is_user_missing(c)
            if mask.any():
                if pd.api.types.is_numeric_dtype(out[c]):
                    numeric.append(c)
                else:
                    out[c] = out[c].mask(mask)
        if numeric and not out.columns.has_duplicates:  # floats with NaN, as astype(float).mask(mask), at once
            out[numeric] = self.valid_array(numeric)
        elif numeric:
            for c in numeric:
                out[c] = out[c].astype(float).mask(self.is_user_missing(c))
        return out

    def valid_column(self, name: str) -> pd.Series:
        """One column of :meth:`valid` (inside :meth:`shared_valid` its user-missing rows are found once)."""
        col = self.data[name]
        mask = self._missing_rows(name)
        if mask is None:
            return col
        if pd.api.types.is_numeric_dtype(col):  # as astype(float).mask(mask), by array
            values = col.to_numpy(dtype=float, na_value=np.nan, copy=True)
            values[mask] = np.nan
            return pd.Series(values, index=col.index, name=col.name, copy=False)
        return col.mask(mask)

    def _missing_rows(self, name: str) -> np.ndarray | None:
        """:meth:`is_user_missing` of ``name``, None where no row is; inside :meth:`shared_valid` worked out
        once (a mask of a byte a row is kept, not the valid values: a copy of the data would double a
        large file's memory)."""
        shared = self._shared()
        if shared is not None and name in shared:
            return shared[name]
        mask = self.is_user_missing(name)
        mask = mask if mask.any() else None
        if shared is not None:
            shared[name] = mask
        return mask

    def valid_array(self, names: list[str]) -> np.ndarray:
        """The valid values of the numeric columns ``names`` as one float array (rows x variables,
        column-major, a copy): the values of :meth:`valid_column`, NaN where missing, taken from the
        data column by column (no second copy of the block).

        >>> r = Responses(pd.DataFrame({"x": [1, 9], "y": [2.5, None]}), missing_codes={"x": (9,)})
        >>> r.valid_array(["x", "y"]).tolist()
        [[1.0, 2.5], [nan, nan]]
        """
        shared = self._shared() is not None
        out = np.empty((len(self), len(names)), dtype=float, order="F")
        block = self.data[names].to_numpy(dtype=float, na_value=np.nan) if self.data.columns.has_duplicates else None
        for j, name in enumerate(names):
            x = out[:, j]
            x[:] = block[:, j] if block is not None else self.data[name].to_numpy(dtype=float, na_value=np.nan)
            if shared:  # the rows found once
                mask = self._missing_rows(name)
                if mask is not None:
                    x[mask] = np.nan
                continue
            codes = [float(c) for c in self.missing_codes.get(name) or () if isinstance(c, (int, float, np.number))]
            ranges = self.missing_ranges.get(name) or ()
            if codes or ranges:
                mask = np.isin(x, codes) if codes else np.zeros(len(x), dtype=bool)
                for lo, hi in ranges:
                    mask |= (x >= float(lo)) & (x <= float(hi))
                x[mask] = np.nan
        return out

    @contextmanager
    def shared_valid(self) -> Iterator["Responses"]:
        """Inside the block, the valid values of each column are worked out once and shared by
        every statistic asked for (a report computes many on the same columns).

        The data must not be changed inside the block; replacing :attr:`data` discards what was shared.

        >>> r = Responses(pd.DataFrame({"x": [1.0, 9.0]}), missing_codes={"x": (9,)})
        >>> with r.shared_valid():
        ...     r.valid(["x"])["x"].tolist()
        [1.0, nan]
        """
        outer = self.__dict__.get("_shared_valid")
        if outer is None:
            self.__dict__["_shared_valid"] = (self.data, {})
        try:
            yield self
        finally:
            if outer is None:
                self.__dict__.pop("_shared_valid", None)

    def _shared(self) -> dict | None:
        entry = self.__dict__.get("_shared_valid")
        if entry is None:
            return None
        if entry[0] is not self.data:  # the data were replaced: start afresh
            entry = (self.data, {})
            self.__dict__["_shared_valid"] = entry
        return entry[1]

    def label(self, name: str) -> str:
        """The variable label, or the name where there is none."""
        return self.variable_labels.get(name) or name

    def value_label(self, name: str, value) -> str:
        """The label of ``value`` of variable ``name``; the value itself (as text) where there is none."""
        labels = self.value_labels.get(name) or {}
        for key in (value, _as_float(value)):
            if key is not None and key in labels:
                return labels[key]
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def measure_of(self, name: str) -> str:
        """The measure level; guessed from the values where the metadata do not say."""
        m = self.measure.get(name)
        if m in MEASURES:
            return m
        col = self.data[name]
        if not pd.api.types.is_numeric_dtype(col):
            return "nominal"
        if self.value_labels.get(name):
            return "ordinal"
        return "scale"

    @classmethod
    def from_frame(cls, df: pd.DataFrame, **meta) -> "Responses":
        """Wrap a plain DataFrame (no missing codes, no labels unless given)."""
        return cls(data=df, **meta)


def _as_float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def copied(responses: Responses, **changes) -> Responses:
    """A new object of the same class with ``changes``; its lists and dicts are copies, the data frame is shared."""
    own = {f.name: copy.copy(getattr(responses, f.name)) for f in dataclasses.fields(responses)
           if f.init and isinstance(getattr(responses, f.name), (list, dict))}
    return dataclasses.replace(responses, **{**own, **changes})


def as_responses(data) -> Responses:
    """Accept a :class:`Responses` or a plain DataFrame."""
    if isinstance(data, Responses):
        return data
    if isinstance(data, pd.DataFrame):
        return Responses.from_frame(data)
    raise TypeError(f"expected Responses or DataFrame, got {type(data).__name__}")
