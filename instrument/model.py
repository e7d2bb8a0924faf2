"""The questionnaire model: immutable objects built by :func:`instrument.load`.

Texts are mappings from language code to text (``{"en": ..., "fi": ..., "sv": ...}``).
Every object remembers the line of the definition it came from (``line``), so later checks
can point at the definition.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Mapping, Optional

from .expr import Expr

Text = Mapping[str, str]

#: Question types, with what each stores.
QUESTION_TYPES = {
    "single": "one code from a choice list",
    "multiple": "any number of codes from a choice list (one 0/1 variable per option)",
    "likert": "one code from an ordered agreement/frequency list",
    "integer": "a whole number",
    "decimal": "a number",
    "text": "a short text",
    "longtext": "an open answer",
    "date": "a date",
    "note": "text shown to the respondent; stores nothing",
}
CODED_TYPES = ("single", "multiple", "likert")
NUMERIC_TYPES = ("integer", "decimal")
TEXT_TYPES = ("text", "longtext")
SCORES = ("mean", "sum")


def frozen_text(mapping: Mapping[str, str] | None) -> Text:
    return MappingProxyType(dict(mapping or {}))


def text_in(text: Text | None, lang: str, fallback: str | None = None) -> str:
    """The text in ``lang``; else in ``fallback``; else any; else ''."""
    if not text:
        return ""
    if lang in text and text[lang]:
        return text[lang]
    if fallback and text.get(fallback):
        return text[fallback]
    return next((t for t in text.values() if t), "")


def format_code(code) -> str:
    """A code as written in the definition: 3, -9, 2.5 or a string."""
    if isinstance(code, float) and code.is_integer():
        return str(int(code))
    return str(code)


@dataclass(frozen=True)
class Choice:
    """One answer option (or missing code) of a choice list."""

    code: int | float
    label: Text
    missing: bool = False
    line: int = 0
    name: str = ""  # the XLSForm choice name when it is not the code itself (``yes`` for code 1)
    xlsform: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # other choices-sheet columns

    @property
    def xls_name(self) -> str:
        """The name of this choice in an XLSForm and in Kobo/ODK data: ``name``, else the code."""
        return self.name or format_code(self.code)


@dataclass(frozen=True)
class ChoiceList:
    """A reusable list of answer options, with its declared missing codes."""

    name: str
    options: tuple[Choice, ...]
    missing: tuple[Choice, ...] = ()
    top_box: tuple = ()  # codes that count as agreeing ("top-two box")
    ordered: bool = False
    line: int = 0

    @property
    def codes(self) -> tuple:
        """The valid codes, in order."""
        return tuple(c.code for c in self.options)

    @property
    def missing_codes(self) -> tuple:
        return tuple(c.code for c in self.missing)

    @property
    def all(self) -> tuple[Choice, ...]:
        return self.options + self.missing

    def label(self, code, lang: str, fallback: str | None = None) -> str:
        for c in self.all:
            if c.code == code:
                return text_in(c.label, lang, fallback)
        return format_code(code)

    def value_labels(self, lang: str, fallback: str | None = None) -> dict:
        """{code: label} for every option and missing code."""
        return {c.code: text_in(c.label, lang, fallback) for c in self.all}


@dataclass(frozen=True)
class Group:
    """A respondent group (e.g. professionals), identified by its code in the group question."""

    id: str
    code: int
    label: Text
    line: int = 0


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    name: str
    type: str
    text: Text
    section: str = ""
    label: Text = field(default_factory=lambda: MappingProxyType({}))
    variants: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))
    hint: Text = field(default_factory=lambda: MappingProxyType({}))
    instruction: Text = field(default_factory=lambda: MappingProxyType({}))
    required: bool = False
    min: Optional[float] = None
    max: Optional[float] = None
    relevant: Optional[Expr] = None
    choices: Optional[ChoiceList] = None
    missing: tuple[Choice, ...] = ()  # missing codes of numeric questions (global ones)
    measure: str = "nominal"
    probes: tuple[Text, ...] = ()  # interview probes for open questions
    line: int = 0
    #: A form from elsewhere: its XLSForm columns the definition does not hold (original ``type`` and
    #: ``name``, ``relevant``, ``constraint``, ``choice_filter`` ...), written again unchanged.
    xlsform: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def xls_name(self) -> str:
        """The question's name in the XLSForm and in Kobo/ODK data (the original when it was renamed)."""
        return self.xlsform.get("name", self.name)

    @property
    def is_coded(self) -> bool:
        return self.type in CODED_TYPES

    @property
    def stores_data(self) -> bool:
        return self.type != "note"

    @property
    def missing_codes(self) -> tuple:
        """The codes that mean 'no valid answer' for this question."""
        if self.choices is not None and self.type != "multiple":
            return self.choices.missing_codes + tuple(c.code for c in self.missing if c.code not in self.choices.missing_codes)
        if self.type in NUMERIC_TYPES:
            return tuple(c.code for c in self.missing)
        return ()

    def variable_names(self) -> tuple[str, ...]:
        """The data columns this question fills: one, or one 0/1 column per option for multiple choice."""
        if self.type == "note":
            return ()
        if self.type == "multiple" and self.choices is not None:
            return tuple(f"{self.name}_{format_code(c.code).replace('-', 'm').replace('.', '_')}" for c in self.choices.options)
        return (self.name,)

    def text_for(self, lang: str, group: str | None = None, fallback: str | None = None) -> str:
        """The question text in ``lang``, in the wording for ``group`` where it has its own."""
        if group and group in self.variants:
            return text_in(self.variants[group], lang, fallback)
        return text_in(self.text, lang, fallback)

    def label_for(self, lang: str, fallback: str | None = None) -> str:
        """A short variable label: the ``label`` text, else the question text."""
        return text_in(self.label, lang, fallback) or text_in(self.text, lang, fallback)


@dataclass(frozen=True)
class Section:
    """A section of the questionnaire with its questions."""

    id: str
    title: Text
    intro: Text = field(default_factory=lambda: MappingProxyType({}))
    questions: tuple[Question, ...] = ()
    relevant: Optional[Expr] = None
    line: int = 0
    xlsform: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # e.g. the original relevant


@dataclass(frozen=True)
class Scale:
    """A multi-item construct scored from its items."""

    name: str
    label: Text
    items: tuple[str, ...]
    reverse: tuple[str, ...] = ()
    score: str = "mean"
    min_valid: int = 1
    construct: str = ""
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class Variable:
    """One data column as the forms, the importer and the codebook see it."""

    name: str
    question: Question
    label: Text
    kind: str  # "numeric", "string" or "date"
    measure: str  # "nominal", "ordinal", "scale"
    value_labels: Mapping = field(default_factory=lambda: MappingProxyType({}))  # {code: Text}
    missing_codes: tuple = ()
    option: Optional[Choice] = None  # for multiple choice: the option this 0/1 column stands for
    min: Optional[float] = None
    max: Optional[float] = None

    @property
    def valid_codes(self) -> tuple:
        if self.option is not None:
            return (0, 1)
        if self.question.choices is not None:
            return self.question.choices.codes
        return ()


@dataclass(frozen=True)
class Instrument:
    """A whole questionnaire definition."""

    id: str
    title: Text
    version: str
    languages: tuple[str, ...]
    default_language: str
    sections: tuple[Section, ...]
    choice_lists: Mapping[str, ChoiceList]
    scales: Mapping[str, Scale]
    groups: tuple[Group, ...] = ()
    group_question: Optional[str] = None
    respondent_id: str = "resp_id"
    missing: tuple[Choice, ...] = ()
    description: Text = field(default_factory=lambda: MappingProxyType({}))
    references: tuple[str, ...] = ()
    path: str = ""
    themes: tuple = ()  # the codebook for open answers: instrument.themes.Theme objects
    #: A form from elsewhere: its other settings (``settings``) and the rows that are no question
    #: (``rows``: metadata, calculate, repeats, each ``{after: question's XLSForm name, cells: {...}}``).
    xlsform: Mapping = field(default_factory=lambda: MappingProxyType({}))
    modules: tuple[str, ...] = ()

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, name: str) -> Question:
        """The question called ``name`` (case-insensitive); KeyError if none."""
        for q in self.questions:
            if q.name.lower() == name.lower():
                return q
        raise KeyError(name)

    def section_and_question(self, name: str) -> tuple[Section, Question] | None:
        """The section and question that fill data column ``name`` (or are called ``name``); None if none."""
        return self._questions_by_column.get(name)

    @cached_property
    def _questions_by_column(self) -> Mapping[str, tuple[Section, Question]]:
        out: dict = {}
        for sec in self.sections:
            for q in sec.questions:
                for key in (*q.variable_names(), q.name):
                    out.setdefault(key, (sec, q))  # the first in questionnaire order, as a search finds it
        return MappingProxyType(out)

    def group(self, id_or_code) -> Group:
        for g in self.groups:
            if g.id == id_or_code or g.code == id_or_code:
                return g
        raise KeyError(id_or_code)

    def text(self, text: Text, lang: str | None = None) -> str:
        return text_in(text, lang or self.default_language, self.default_language)

    @cached_property  # built once per instrument: the objects are immutable
    def variables(self) -> tuple[Variable, ...]:
        """Every data column in questionnaire order (the respondent id is not included)."""
        out = []
        for q in self.questions:
            if not q.stores_data:
                continue
            if q.type == "multiple" and q.choices is not None:
                for var, opt in zip(q.variable_names(), q.choices.options):
                    lab = {lang: f"{text_in(q.label, lang) or text_in(q.text, lang)}: {text_in(opt.label, lang)}" for lang in self.languages}
                    out.append(Variable(
                        name=var, question=q, label=MappingProxyType(lab), kind="numeric", measure="nominal",
                        value_labels=MappingProxyType({0: _NOT_SELECTED, 1: _SELECTED}), missing_codes=(), option=opt))
                continue
            if q.type in CODED_TYPES:
                kind = "numeric"
                vl = {c.code: c.label for c in q.choices.all} if q.choices else {}
                for c in q.missing:
                    vl.setdefault(c.code, c.label)
            elif q.type in NUMERIC_TYPES:
                kind = "numeric"
                vl = {c.code: c.label for c in q.missing}
            elif q.type == "date":
                kind, vl = "date", {}
            else:
                kind, vl = "string", {}
            out.append(Variable(
                name=q.name, question=q, label=q.label or q.text, kind=kind, measure=q.measure,
                value_labels=MappingProxyType(vl), missing_codes=q.missing_codes, min=q.min, max=q.max))
        return tuple(out)

    def variable(self, name: str) -> Variable:
        """The data column called ``name`` (case-insensitive); KeyError if none."""
        found = self._variables_by_name.get(name.lower())
        if found is None:
            raise KeyError(name)
        return found

    @cached_property
    def _variables_by_name(self) -> Mapping[str, Variable]:
        out: dict[str, Variable] = {}
        for v in self.variables:
            out.setdefault(v.name.lower(), v)  # the first of equal names, as a search in order finds it
        return MappingProxyType(out)


_SELECTED = MappingProxyType({"en": "Selected", "fi": "Valittu", "sv": "Vald"})
_NOT_SELECTED = MappingProxyType({"en": "Not selected", "fi": "Ei valittu", "sv": "Inte vald"})
