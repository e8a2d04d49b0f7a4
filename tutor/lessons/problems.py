"""Problems with a lesson: `file:line: field: message`, and how messages quote untrusted values."""

from __future__ import annotations

from dataclasses import dataclass

from tutor import text as untrusted

TYPE_CHECKING = False
if TYPE_CHECKING:  # a warm `list` builds the problems of a broken file from its cache: no YAML
    from collections.abc import Sequence
    from typing import Any

MAX_FIELD_CHARS = 120
"""Characters of a problem's field shown (a key can be 50 KB long: its head is enough)."""

MAX_MESSAGE_CHARS = 600
"""Characters of a problem's message shown (every quoted value in it is bounded here too)."""


def bounded(text: str, limit: int) -> str:
    """`text`, or its first `limit` characters and "…" with the count of the rest."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a lesson, printed as `file:line: field: message`.

    The one place every problem passes: the field and the message are bounded here
    (`MAX_FIELD_CHARS`, `MAX_MESSAGE_CHARS`), so no value quoted from a file, however long,
    reaches a terminal or a JSON report unbounded.
    """

    file: str
    line: int
    field: str
    message: str
    severity: str = "error"  # or "warning": shown by `check`, which still exits 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "field", bounded(self.field, MAX_FIELD_CHARS))
        object.__setattr__(self, "message", bounded(self.message, MAX_MESSAGE_CHARS))

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return f"{where}: {self.field}: {message}" if self.field else f"{where}: {message}"

    def as_json(self) -> dict[str, str | int]:
        """The problem as `check --json` prints it."""
        return {"file": self.file, "line": self.line, "field": self.field,
                "message": self.message, "severity": self.severity}


class LessonError(Exception):
    """A lesson that cannot be used; `problems` lists every reason, one per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def suggest(word: str, options: Sequence[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `options`, or ''. A word longer than any
    option could be close to is not compared (difflib's time grows with its length)."""
    if len(word) > 2 * max((len(o) for o in options), default=0) + 8:
        return ""
    import difflib

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def shorten(inner: str) -> str:
    """At most 40 characters of a placeholder's inside, for a message."""
    inner = inner.strip()
    return inner if len(inner) <= 40 else inner[:40] + "…"


def shown_value(value: Any) -> str:
    """repr() of a scalar, at most 40 characters of it (a format of 20,000 characters …)."""
    text = repr(value) if isinstance(value, str | int | float | bool | None) else kind_of(value)
    return text if len(text) <= 40 else text[:40] + "…"


def kind_of(value: Any) -> str:
    """A value as a message quotes it: never more than 40 characters of it."""
    from tutor.lessons.yaml_lines import LineDict, LineList

    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    if value is None:
        return "nothing"
    shown = untrusted.clean(str(value))
    return f"'{shown[:40]}…'" if len(shown) > 40 else f"'{shown}'"

