"""JSON Schema of the definition format, for editors (completion and validation of the YAML).

Editors such as VS Code (YAML extension) read it from a first-line comment::

    # yaml-language-server: $schema=coprod.schema.json

The schema checks the shape; ``coprod check`` checks everything else (references, names, translations).
"""
from __future__ import annotations

import copy

from .model import QUESTION_TYPES, SCORES

NAME = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_]{0,31}$", "description": "SPSS/Stata-safe name: a letter, then letters, digits or _ (at most 32), no trailing underscore, not an SPSS reserved word"}
TEXT = {
    "description": "Text in every declared language: {en: ..., fi: ..., sv: ...} (a plain string when only one language is declared)",
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "object", "patternProperties": {"^[a-z]{2}$": {"type": "string", "minLength": 1}}, "additionalProperties": False, "minProperties": 1},
    ],
}
CODES = {
    "type": "object",
    "description": "code: text; codes are numbers",
    "propertyNames": {"pattern": "^-?[0-9]+(\\.[0-9]+)?$"},
    "additionalProperties": {"$ref": "#/$defs/text"},
}
CODEBOOK = {
    "type": "array",
    "description": "Themes for coding open answers (coprod coding)",
    "items": {
        "type": "object", "additionalProperties": False, "required": ["code", "label"],
        "properties": {
            "code": NAME, "label": {"$ref": "#/$defs/text"}, "description": {"$ref": "#/$defs/text"},
            "parent": {"type": "string", "description": "Code of the parent theme"},
            "questions": {"type": "array", "items": NAME, "description": "Open questions it applies to (default: every longtext question)"},
        },
    },
}
EXPR = {"type": "string", "description": "Skip logic, e.g. \"role in (1, 2) and years >= 3\" or \"selected(tools, 4)\": asked only when true"}

TEXT_REF = {"$ref": "#/$defs/text"}
CODES_REF = {"$ref": "#/$defs/codes"}

#: A question; its keys but ``name`` and ``text`` can also be a section's defaults.
QUESTION = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {
        "name": NAME,
        "type": {"enum": list(QUESTION_TYPES), "description": "; ".join(f"{k}: {v}" for k, v in QUESTION_TYPES.items())},
        "text": TEXT_REF,
        "label": {**TEXT_REF, "description": "Short variable label"},
        "variants": {"type": "object", "description": "Wording per respondent group: {group_id: text}", "additionalProperties": TEXT_REF},
        "hint": TEXT_REF,
        "instruction": {**TEXT_REF, "description": "Instruction for the interviewer"},
        "required": {"type": "boolean"},
        "min": {"type": "number"},
        "max": {"type": "number"},
        "relevant": EXPR,
        "choices": {"type": "string", "description": "Name of a choice list"},
        "measure": {"enum": ["nominal", "ordinal", "scale"]},
        "probes": {"type": "array", "items": TEXT_REF, "description": "Interview probes for open questions"},
        "xlsform": {"type": "object", "description": "XLSForm columns of a form from elsewhere, written back unchanged"},
    },
}
DEFAULTS = {k: v for k, v in QUESTION["properties"].items() if k not in ("name", "text", "xlsform")}

GROUPS = {
    "type": "object", "additionalProperties": False, "required": ["question", "codes"],
    "properties": {"question": NAME, "codes": {"type": "object", "additionalProperties": {"type": "integer"}}},
}
CHOICE_LIST = {
    "type": "object", "additionalProperties": False, "required": ["options"],
    "properties": {
        "options": CODES_REF,
        "missing": CODES_REF,
        "top_box": {"type": "array", "items": {"type": "number"}, "description": "Codes counted as agreeing"},
        "ordered": {"type": "boolean"},
        "names": {"type": "object", "description": "XLSForm choice names of codes: {code: name}"},
        "xlsform": {"type": "object", "description": "Other choices-sheet columns: {code: {column: text}}"},
    },
}
SECTION = {
    "type": "object", "additionalProperties": False, "required": ["title", "questions"],
    "properties": {
        "id": NAME, "title": TEXT_REF, "intro": TEXT_REF, "relevant": EXPR,
        "xlsform": {"type": "object", "description": "The group's XLSForm columns"},
        "defaults": {"type": "object", "additionalProperties": False, "properties": DEFAULTS},
        "questions": {"type": "array", "items": {"$ref": "#/$defs/question"}},
    },
}
SCALE = {
    "type": "object", "additionalProperties": False, "required": ["label", "items"],
    "properties": {
        "label": TEXT_REF,
        "items": {"type": "array", "items": NAME, "minItems": 2},
        "reverse": {"type": "array", "items": NAME},
        "score": {"enum": list(SCORES)},
        "min_valid": {"type": "integer", "minimum": 1},
        "construct": {"type": "string"},
        "source": {"type": "string"},
    },
}

#: The whole definition.
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://coprod.invalid/schema/definition.json",
    "title": "coprod questionnaire definition",
    "type": "object",
    "required": ["id", "title", "version", "languages", "sections"],
    "additionalProperties": False,
    "$defs": {"text": TEXT, "codes": CODES, "question": QUESTION},
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "title": TEXT_REF,
        "version": {"type": ["string", "integer"], "description": "e.g. \"1.2\" (in quotes: 1.10 unquoted is the number 1.1)"},
        "description": TEXT_REF,
        "languages": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]{2}$"}, "minItems": 1, "uniqueItems": True,
                      "description": "ISO 639-1 codes, e.g. [en, fi, sv] (Swedish is sv; se is Northern Sámi)"},
        "default_language": {"type": "string", "pattern": "^[a-z]{2}$"},
        "respondent_id": NAME,
        "missing": {**CODES_REF, "description": "Missing codes valid for every question, e.g. -9: No answer"},
        "groups": GROUPS,
        "choices": {"type": "object", "additionalProperties": CHOICE_LIST},
        "sections": {"type": "array", "items": SECTION},
        "scales": {"type": "object", "additionalProperties": SCALE},
        "references": {"type": "array", "items": {"type": "string"}},
        "codebook": CODEBOOK,
        "xlsform": {"type": "object", "description": "Settings and rows of a form from elsewhere"},
        "modules": {"type": "array", "items": {"type": "string"}, "description": "Optional modules switched on, e.g. [conciliation]"},
        "module_library": {
            "type": "object",
            "additionalProperties": {
                "type": "object", "required": ["title"], "additionalProperties": False,
                "properties": {"title": {"$ref": "#/$defs/text"}, "description": {"$ref": "#/$defs/text"},
                               "groups": {"type": "object"}, "choices": {"type": "object", "additionalProperties": CHOICE_LIST},
                               "sections": {"type": "array"}, "scales": {"type": "object", "additionalProperties": SCALE},
                               "variants": {"type": "object"}, "references": {"type": "array", "items": {"type": "string"}}},
            },
        },
    },
}


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a questionnaire definition (a copy of :data:`SCHEMA`).

    >>> s = json_schema()
    >>> sorted(s["required"])
    ['id', 'languages', 'sections', 'title', 'version']
    >>> s["properties"]["sections"]["items"]["properties"]["defaults"]["properties"]["measure"]
    {'enum': ['nominal', 'ordinal', 'scale']}
    """
    return copy.deepcopy(SCHEMA)
