"""The typed reads of the validator: one method per kind of value in the format's definitions."""

from __future__ import annotations

import math
from typing import Any

from tutor import limits
from tutor.i18n import LANGUAGES
from tutor.lessons.definitions import ID_PATTERN, Key, Part
from tutor.lessons.placeholders import PLACEHOLDER, format_limit_problem, split_format
from tutor.lessons.problems import Problem, kind_of, shorten, suggest
from tutor.lessons.units import Text
from tutor.lessons.yaml_lines import LineDict, LineList


class Reader:
    """Reads values of the parsed YAML into Python values, collecting a problem for each bad one."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def keys(self, m: LineDict, path: str, part: Part) -> None:
        """Unknown keys, then missing required ones, as `part` defines them."""
        allowed = part.names
        for key in m:
            if key not in allowed:
                self.error(
                    m.line_of(key),
                    f"{path}.{key}" if path else str(key),
                    f"unknown key{suggest(str(key), allowed)}",
                )
        for k in part.required:
            if k.name not in m:
                self.error(m.line, path or "(top)", f"missing required key '{k.name}'{k.missing}")

    def read(self, m: LineDict, key: Key, path: str) -> Any:
        """The value of `key` in `m`, read as its definition's kind says; None after a problem.

        Kinds whose reading depends on more than the value (layers, functions, asks, units …)
        are read by the loader itself.
        """
        value, line, where = m[key.name], m.line_of(key.name), f"{path}.{key.name}"
        if key.kind == "number":
            return self.number(value, line, where)
        if key.kind == "positive":
            return self.number(value, line, where, positive=True)
        if key.kind == "integer":
            return self.integer(value, line, where, minimum=key.minimum)
        if key.kind == "numbers":
            return self.numbers(value, line, where)
        if key.kind == "matrix":
            return self.matrix(value, line, where)
        if key.kind == "text":
            return self.text(value, line, where)
        if key.kind == "id":
            return self.identifier(value, line, where)
        if key.kind == "targets":
            return self.targets(value, line, where)
        if key.kind == "boolean":
            if isinstance(value, bool):
                return value
            self.error(line, where, f"must be true or false, not {kind_of(value)}")
            return None
        if key.kind == "step_at_zero":
            if not isinstance(value, bool) and value in (0, 1, "mistake"):
                return value
            self.error(line, where, f"must be 0, 1 or mistake, not {kind_of(value)}")
            return None
        if key.kind == "name":
            if isinstance(value, str) and (not key.choices or value in key.choices):
                return value
            if key.choices:
                hint = suggest(value, key.choices) if isinstance(value, str) else ""
                self.error(line, where, f"must be one of {', '.join(key.choices)}, not "
                                        f"{kind_of(value)}{hint}")
                return None
            self.error(line, where, "must be a name")
            return None
        raise ValueError(f"{key.name}: kind {key.kind!r} is read by the loader")

    def mapping(self, value: Any, line: int, path: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.error(line, path, f"must be a mapping (key: value), not {kind_of(value)}")
        return None

    def placeholders(self, value: str, line: int, path: str) -> bool:
        """False (with a problem) when a placeholder's format is wider than the limit."""
        for m in PLACEHOLDER.finditer(value):
            problem = format_limit_problem(split_format(m.group(1))[1])
            if problem:
                self.error(line, path, f"{{{{{shorten(m.group(1))}}}}}: {problem}")
                return False
        return True

    def text(self, value: Any, line: int, path: str, *, allow_id: bool = False) -> Text | None:
        if isinstance(value, str):
            if not self.placeholders(value, line, path):
                return None
            return Text({"*": value}, line, {}, path)
        if isinstance(value, LineDict):
            values: dict[str, str] = {}
            for key, v in value.items():
                if key == "id" and allow_id:
                    continue
                if key not in LANGUAGES:
                    self.error(
                        value.line_of(key),
                        f"{path}.{key}",
                        f"unknown language{suggest(str(key), LANGUAGES)}; "
                        f"use {' or '.join(LANGUAGES)}",
                    )
                elif not isinstance(v, str) or not v.strip():
                    self.error(value.line_of(key), f"{path}.{key}", "must be non-empty text")
                elif self.placeholders(v, value.line_of(key), f"{path}.{key}"):
                    values[key] = v
            if not values and not any(k not in LANGUAGES and k != "id" for k in value):
                self.error(value.line, path, f"needs text in {' and '.join(LANGUAGES)}")
                return None
            lines = {k: value.line_of(k) for k in values}
            return Text(values, value.line, lines, path) if values else None
        self.error(line, path, f"must be text, or a mapping of {'/'.join(LANGUAGES)} to text")
        return None

    def number(self, value: Any, line: int, path: str, *, positive: bool = False) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not finite(value)
        ):
            self.error(line, path, "must be a positive number" if positive else "must be a number")
            return None
        if positive and value <= 0:
            self.error(line, path, "must be a positive number")
            return None
        return value

    def integer(
        self, value: Any, line: int, path: str, *, minimum: int | None = None
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            what = (
                f"a whole number of at least {minimum}" if minimum is not None else "a whole number"
            )
            self.error(line, path, f"must be {what}")
            return None
        if minimum is not None and value < minimum:
            self.error(line, path, f"must be a whole number of at least {minimum}")
            return None
        return value

    def numbers(self, value: Any, line: int, path: str) -> tuple[float, ...] | None:
        if not isinstance(value, LineList) or not value:
            self.error(line, path, "must be a non-empty list of numbers")
            return None
        out = []
        for i, v in enumerate(value):
            n = self.number(v, value.line_of(i), f"{path}[{i}]")
            if n is None:
                return None
            out.append(float(n))
        return tuple(out)

    def matrix(self, value: Any, line: int, path: str) -> tuple[tuple[float, ...], ...] | None:
        if not isinstance(value, LineList) or not value:
            self.error(line, path, "must be a non-empty list of samples, e.g. [[0, 0], [1, 0]]")
            return None
        rows = []
        for i, row in enumerate(value):
            r = self.numbers(row, value.line_of(i), f"{path}[{i}]")
            if r is None:
                return None
            rows.append(r)
        return tuple(rows)

    def targets(self, value: Any, line: int, path: str) -> tuple[Any, ...] | None:
        """One number per sample, or (a network with several outputs) one list per sample."""
        if isinstance(value, LineList) and value and isinstance(value[0], LineList):
            return self.matrix(value, line, path)
        return self.numbers(value, line, path)

    def text_list(self, value: Any, line: int, path: str) -> tuple[Text, ...]:
        if not isinstance(value, LineList):
            self.error(line, path, "must be a list")
            return ()
        out = []
        for i, item in enumerate(value):
            t = self.text(item, value.line_of(i), f"{path}[{i}]")
            if t:
                out.append(t)
        return tuple(out)

    def identifier(self, value: Any, line: int, path: str) -> str | None:
        # fullmatch: `$` in the pattern would also accept a trailing newline.
        if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
            self.error(line, path, "must be an id of lowercase letters, digits, '-' or '_'")
            return None
        if len(value) > limits.MAX_ID_CHARS:
            self.error(line, path, limits.limit_message(
                "this id", len(value), limits.MAX_ID_CHARS, "characters"))
            return None
        return value


def finite(value: int | float) -> bool:
    """True for a float that is finite and an int that fits one (10**400 does not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
