"""The JSON Schema (draft 2020-12) of lesson format v1, generated from the format's definitions.

Editors that run yaml-language-server (VS Code's YAML extension, Neovim, Helix, Zed …) complete
and validate a lesson file against it as the author types. It is built from the same `Key` and
`Part` objects the loader validates with (tutor/lessons/definitions.py), so the two agree on
structure: keys, kinds, required keys, allowed values, the keys a model or quiz kind takes. The
loader goes further (targets match inputs, a step inside the run, answers the engine confirms):
what the schema rejects the loader rejects, never the other way round
(tests/test_lesson_schema.py).

The wheel ships the generated file (`SCHEMA_FILE`); `perceptron-tutor schema` prints it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tutor import limits
from tutor.i18n import LANGUAGES
from tutor.lessons.definitions import (
    ASK,
    FORMAT_VERSION,
    ID_RE,
    LAYER,
    LESSON,
    MODELS,
    PLOT,
    PREDICTABLE,
    QUIZ,
    QUIZ_KIND_KEYS,
    QUIZ_KINDS,
    TEXT_DOC,
    TRAINING,
    UNIT_TYPES,
    Key,
    Part,
)

SCHEMA_FILE = Path(__file__).resolve().parent / f"lesson-v{FORMAT_VERSION}.schema.json"
"""The generated schema as the package ships it; tests check it equals `lesson_schema()`."""


def _text() -> dict[str, Any]:
    return {"$ref": "#/$defs/text"}


def _value(key: Key) -> dict[str, Any]:
    """The schema of one key's value, from its kind."""
    kind = key.kind
    out: dict[str, Any]
    if kind == "version":
        out = {"const": FORMAT_VERSION}
    elif kind == "id":
        out = {"$ref": "#/$defs/id"}
    elif kind == "text":
        out = _text()
    elif kind == "texts":
        out = {"type": "array", "items": _text(), "minItems": key.min_items}
    elif kind == "number":
        out = {"type": "number"}
    elif kind == "positive":
        out = {"type": "number", "exclusiveMinimum": 0}
    elif kind == "tolerance":
        out = {"type": "number", "minimum": 0}
    elif kind == "integer":
        out = {"type": "integer"}
        if key.minimum is not None:
            out["minimum"] = key.minimum
    elif kind == "numbers":
        out = {"type": "array", "items": {"type": "number"}, "minItems": 1}
    elif kind == "targets":
        row = {"type": "array", "items": {"type": "number"}, "minItems": 1}
        out = {"type": "array", "minItems": 1,
               "oneOf": [{"items": {"type": "number"}}, {"items": row}]}
    elif kind == "network":
        out = {"type": "array", "items": {"$ref": "#/$defs/layer"}, "minItems": 1}
    elif kind == "step_at_zero":
        out = {"enum": [0, 1, "mistake"]}
    elif kind == "matrix":
        row = {"type": "array", "items": {"type": "number"}, "minItems": 1,
               "maxItems": limits.MAX_INPUTS}
        out = {"type": "array", "items": row, "minItems": 1}
    elif kind in ("name", "choice"):
        out = {"type": "string"}
        if key.choices:
            out["enum"] = list(key.choices)
    elif kind == "layers":
        size = {"type": "integer", "minimum": 1}
        out = {"oneOf": [size, {"type": "array", "items": size, "minItems": 1}]}
    elif kind == "functions":
        name = {"type": "string", "enum": list(key.choices)}
        out = {"oneOf": [name, {"type": "array", "items": name, "minItems": 1,
                                "uniqueItems": True}]}
    elif kind == "boolean":
        out = {"type": "boolean"}
    elif kind == "expression":
        out = {"type": "string"}
    elif kind == "asks":
        out = {"type": "array", "items": {"$ref": "#/$defs/ask"}}
    elif kind == "units":
        out = {"type": "array", "items": {"$ref": "#/$defs/unit"}, "minItems": 1}
    else:
        raise ValueError(f"{key.name}: no schema for kind {kind!r}")
    if key.max_items is not None and out.get("type") == "array":
        out["maxItems"] = key.max_items
    return {"description": key.doc, **out}


def _object(part: Part) -> dict[str, Any]:
    return {
        "type": "object",
        "description": part.doc,
        "properties": {k.name: _value(k) for k in part.keys},
        "required": [k.name for k in part.required],
        "additionalProperties": False,
    }


def _layer() -> dict[str, Any]:
    out = _object(LAYER)
    out["anyOf"] = [{"required": ["weights"]}, {"required": ["units"]}, {"required": ["biases"]}]
    return out


def _when(key: str, value: str, then: dict[str, Any]) -> dict[str, Any]:
    return {"if": {"properties": {key: {"const": value}}, "required": [key]}, "then": then}


def _training() -> dict[str, Any]:
    out = _object(TRAINING)
    rules = []
    for model in MODELS:
        banned = {k.name: False for k in TRAINING.keys if model not in k.models}
        ask_item: dict[str, Any] = {"properties": {"predict": {"enum": list(PREDICTABLE[model])}}}
        if model != "mlp":
            ask_item["properties"].update({"layer": False, "input": False})
        ask = {"items": ask_item}
        rules.append(_when("model", model, {"properties": {**banned, "ask": ask}}))
    # explicit layers give each layer's size and activation
    rules.append({"if": {"required": ["layers"]}, "then": {"properties": {
        "hidden": False, "activation": False, "output_activation": False}}})
    out["allOf"] = rules
    return out


def _quiz() -> dict[str, Any]:
    out = _object(QUIZ)
    kind_keys = {k for keys in QUIZ_KIND_KEYS.values() for k in keys}
    required: dict[str, dict[str, Any]] = {
        "choice": {
            "required": ["choices", "answer"],
            "properties": {"answer": {"type": "integer", "minimum": 1}},
        },
        "numeric": {"anyOf": [{"required": ["answer"]}, {"required": ["answer_from"]}]},
        "predict": {"required": ["training", "step", "predict"]},
    }
    rules = []
    for kind in QUIZ_KINDS:
        then = dict(required[kind])
        banned = {k: False for k in sorted(kind_keys - set(QUIZ_KIND_KEYS[kind]))}
        then["properties"] = {**then.get("properties", {}), **banned}
        rules.append(_when("kind", kind, then))
    out["allOf"] = rules
    return out


def _unit() -> dict[str, Any]:
    bodies: dict[str, dict[str, Any]] = {
        "text": {"$ref": "#/$defs/text_unit"},
        "training": {"$ref": "#/$defs/training"},
        "quiz": {"$ref": "#/$defs/quiz"},
        "plot": {"$ref": "#/$defs/plot"},
    }
    assert set(bodies) == set(UNIT_TYPES)
    return {
        "description": "A unit: a mapping with one key naming its type "
                       f"({', '.join(UNIT_TYPES)}).",
        "type": "object",
        "properties": {t: bodies[t] for t in UNIT_TYPES},
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
    }


def lesson_schema() -> dict[str, Any]:
    """The JSON Schema of format v1 as a dict (draft 2020-12).

    No `$id`: an editor reads the file a lesson names, and every `$ref` is a fragment inside it
    (with an `$id`, a resolver might try to fetch the references from that address instead).
    """
    string = {"type": "string", "maxLength": limits.MAX_TEXT_CHARS}
    languages = {lang: {**string, "minLength": 1, "pattern": r"\S"} for lang in LANGUAGES}
    one_language = [{"required": [lang]} for lang in LANGUAGES]
    schema = _object(LESSON)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"perceptron-tutor lesson, format {FORMAT_VERSION}",
        **schema,
        "$defs": {
            "id": {"type": "string", "pattern": ID_RE, "description":
                   "An id: lowercase letters, digits, '-' or '_', starting with a letter or "
                   "digit."},
            "text": {
                "description": TEXT_DOC,
                "oneOf": [
                    string,
                    {"type": "object", "properties": languages, "additionalProperties": False,
                     "anyOf": one_language},
                ],
            },
            "text_unit": {
                "description": "Text shown on its own screen; an optional `id` names it.",
                "oneOf": [
                    string,
                    {"type": "object",
                     "properties": {"id": {"$ref": "#/$defs/id"}, **languages},
                     "additionalProperties": False, "anyOf": one_language},
                ],
            },
            "unit": _unit(),
            "training": _training(),
            "layer": _layer(),
            "ask": _object(ASK),
            "quiz": _quiz(),
            "plot": _object(PLOT),
        },
    }


def schema_text() -> str:
    """The schema as the shipped file holds it: indented JSON, UTF-8, a final newline."""
    return json.dumps(lesson_schema(), ensure_ascii=False, indent=2) + "\n"


def shipped_schema_text() -> str:
    """The schema file shipped with the package (the same text as `schema_text()`)."""
    return SCHEMA_FILE.read_text(encoding="utf-8")
