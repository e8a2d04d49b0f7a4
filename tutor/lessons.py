"""Lesson format v1: load YAML safely, validate it, and fill placeholders from the engine.

Everything about the lesson format lives here: the schema, the loader (which remembers the line of
every key so that each problem names file, line and field path), the unit dataclasses, placeholder
resolution, and `check_lesson`, which replays every training unit and checks every answer.
See docs/lesson-format.md.
"""

from __future__ import annotations

import difflib
import math
import re
import stat
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import lesson_yaml, limits, paths
from tutor import text as untrusted
from tutor.engine.config import ConfigError, TrainingConfig
from tutor.i18n import DEFAULT_LANGUAGE, LANGUAGES
from tutor.lesson_yaml import LineDict, LineList

if TYPE_CHECKING:
    from tutor.engine.run import Run

FORMAT_VERSION = 1
LESSON_SUFFIXES = (".yaml", ".yml")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_TOLERANCE = 1e-6

# --------------------------------------------------------------------------------------------
# Problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a lesson, printed as `file:line: field: message`."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class LessonError(Exception):
    """A lesson that cannot be used; `problems` lists every reason, one per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------------------------
# YAML: parsed once per file and process, bounded and cleaned (see tutor/lesson_yaml.py)

_PARSED: dict[tuple[str, int, int], lesson_yaml.Parsed] = {}


def _parse_file(path: Path, file: str) -> lesson_yaml.Parsed:
    """The parsed file, from a per-process cache keyed on its path, size and change time."""
    try:
        st = path.stat()
    except OSError as exc:
        raise LessonError([Problem(file, 0, "", f"cannot be read: {exc.strerror}")]) from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, a device never end
        raise LessonError([Problem(file, 0, "", "is not a regular file")])
    if st.st_size > limits.MAX_FILE_BYTES:
        raise LessonError([Problem(file, 0, "", limits.limit_message(
            "the file", st.st_size, limits.MAX_FILE_BYTES, "bytes"))])
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    try:
        with path.open("rb") as f:
            raw = f.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LessonError([Problem(file, 0, "", f"cannot be read: {exc.strerror}")]) from None
    if len(raw) > limits.MAX_FILE_BYTES:
        raise LessonError([Problem(file, 0, "", limits.limit_message(
            "the file", len(raw), limits.MAX_FILE_BYTES, "bytes"))])
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LessonError([Problem(file, line, "", "is not UTF-8 text")]) from None
    parsed = lesson_yaml.parse(source)
    _PARSED[key] = parsed
    return parsed


# --------------------------------------------------------------------------------------------
# The lesson model


@dataclass(frozen=True)
class Text:
    """Text in one or more languages (a plain string counts for every language)."""

    values: Mapping[str, str]
    line: int = field(default=0, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    field: str = field(default="", compare=False)

    def line_of(self, lang: str) -> int:
        return self.lines.get(lang, self.line)

    @property
    def languages(self) -> frozenset[str]:
        if "*" in self.values:
            return frozenset(LANGUAGES)
        return frozenset(self.values)

    def get(self, lang: str) -> str:
        """The raw text in `lang`, falling back to English, then to any language there is."""
        for key in (lang, "*", DEFAULT_LANGUAGE, *LANGUAGES):
            if key in self.values:
                return self.values[key]
        return ""


@dataclass(frozen=True)
class Ask:
    id: str
    step: int  # 1-based: asked before this step is revealed
    predict: str
    index: int | None
    tolerance: float
    hints: tuple[Text, ...]
    explain: Text
    training: str  # the training unit's id
    line: int = field(default=0, compare=False)
    field: str = field(default="", compare=False)

    kind = "predict"


@dataclass(frozen=True)
class TextUnit:
    id: str
    body: Text
    line: int = field(default=0, compare=False)

    kind = "text"


@dataclass(frozen=True)
class PlotUnit:
    id: str
    functions: tuple[str, ...]
    derivative: bool
    x_from: float
    x_to: float
    caption: Text | None
    line: int = field(default=0, compare=False)

    kind = "plot"


@dataclass(frozen=True)
class TrainingUnit:
    id: str
    title: Text | None
    config: TrainingConfig
    asks: tuple[Ask, ...]
    line: int = field(default=0, compare=False)

    kind = "training"


@dataclass(frozen=True)
class QuizUnit:
    id: str
    kind: str  # choice | numeric | predict
    question: Text
    choices: tuple[Text, ...]
    answer: float | int | None
    answer_from: str | None
    tolerance: float
    training: str | None
    step: int | None
    predict: str | None
    index: int | None
    hints: tuple[Text, ...]
    explain: Text
    line: int = field(default=0, compare=False)
    field: str = field(default="", compare=False)


Unit = TextUnit | PlotUnit | TrainingUnit | QuizUnit
Question = Ask | QuizUnit


class Lesson:
    """A loaded, validated lesson. Training runs are built on first use and kept."""

    def __init__(
        self,
        id: str,
        title: Text,
        description: Text | None,
        units: tuple[Unit, ...],
        path: Path,
        order: float,
        minutes: int | None,
        display_path: str,
    ) -> None:
        self.id = id
        self.title = title
        self.description = description
        self.units = units
        self.path = path
        self.order = order
        self.minutes = minutes
        self.display_path = display_path
        self.cleaned: list[Problem] = []  # unsafe characters removed while loading
        self._runs: dict[str, Run] = {}

    def __repr__(self) -> str:
        return f"Lesson({self.id!r}, {self.display_path!r})"

    # -- structure

    @property
    def trainings(self) -> tuple[TrainingUnit, ...]:
        return tuple(u for u in self.units if isinstance(u, TrainingUnit))

    @property
    def quizzes(self) -> tuple[QuizUnit, ...]:
        return tuple(u for u in self.units if isinstance(u, QuizUnit))

    def questions(self) -> tuple[Question, ...]:
        """Every question in the lesson: quiz units and the training units' asks, in order."""
        out: list[Question] = []
        for u in self.units:
            if isinstance(u, QuizUnit):
                out.append(u)
            elif isinstance(u, TrainingUnit):
                out.extend(u.asks)
        return tuple(out)

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def unit(self, unit_id: str) -> Unit:
        return self.units[self.unit_index(unit_id)]

    def unit_index(self, unit_id: str) -> int:
        for i, u in enumerate(self.units):
            if u.id == unit_id:
                return i
        raise KeyError(unit_id)

    def texts(self) -> Iterator[Text]:
        """Every piece of text in the lesson."""
        yield self.title
        if self.description:
            yield self.description
        for u in self.units:
            if isinstance(u, TextUnit):
                yield u.body
            elif isinstance(u, PlotUnit):
                if u.caption:
                    yield u.caption
            elif isinstance(u, TrainingUnit):
                if u.title:
                    yield u.title
                for a in u.asks:
                    yield from a.hints
                    yield a.explain
            else:
                yield u.question
                yield from u.choices
                yield from u.hints
                yield u.explain

    @property
    def languages(self) -> tuple[str, ...]:
        """Languages in which every text of the lesson exists."""
        langs = set(LANGUAGES)
        for text in self.texts():
            langs &= text.languages
        return tuple(lang for lang in LANGUAGES if lang in langs)

    # -- engine

    def run(self, training_id: str, *, exact: bool = False) -> Run:
        """The run of a training unit; the same object on every call.

        `exact=True` gives its twin in exact rational arithmetic (perceptron rule only).
        """
        key = f"{training_id}#exact" if exact else training_id
        if key not in self._runs:
            unit = self.unit(training_id)
            if not isinstance(unit, TrainingUnit):
                raise KeyError(f"{training_id} is not a training unit")
            from tutor.engine.run import Run  # NumPy: only when a run is needed, not to list

            self._runs[key] = Run(unit.config, exact=exact)
        return self._runs[key]

    def evaluate(self, expression: str) -> Any:
        """The value of a placeholder expression (see docs/lesson-format.md)."""
        return evaluate(self, expression)

    def render(self, text: Text | None, lang: str) -> str:
        """The text in `lang` with every {{placeholder}} filled from the engine.

        A placeholder that does not resolve (only possible in a lesson that was not checked) is
        shown as `{{expression?}}` rather than breaking the screen.
        """
        if text is None:
            return ""

        def fill(m: re.Match[str]) -> str:
            try:
                return format_placeholder(self, m.group(1))
            except PlaceholderError:
                return "{{" + m.group(1).strip() + "?}}"

        return PLACEHOLDER.sub(fill, text.get(lang))

    def expected(self, question: Question) -> float:
        """The right answer: the 1-based choice, or the number the engine computes."""
        if isinstance(question, Ask):
            return _predicted_value(
                self, question.training, question.step, question.predict, question.index
            )
        if question.kind == "predict":
            assert question.training and question.step and question.predict
            return _predicted_value(
                self, question.training, question.step, question.predict, question.index
            )
        if question.kind == "numeric" and question.answer_from:
            return _as_number(self.evaluate(question.answer_from), question.answer_from)
        assert question.answer is not None
        return question.answer


# --------------------------------------------------------------------------------------------
# Placeholders

PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
_FUNC = re.compile(r"^(d_)?([a-z_]+)\(\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)$")
_RUNREF = re.compile(
    r"^(?P<id>[a-z0-9][a-z0-9_-]*)\.(?P<exact>exact\.)?"
    r"(?:(?P<sel>step|epoch)\[(?P<n>-?\d{1,9})\]|(?P<end>initial|final)"
    r"|(?P<prop>converged_epoch|total_steps))"
    r"(?:\.(?P<field>[a-z_]+))?(?P<idx>(?:\[\d{1,9}\])*)$"
)
FUNCTIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "linear")

PREDICTABLE = {
    "perceptron": {
        "net": False,
        "output": False,
        "error": False,
        "bias_after": False,
        "weights_after": True,
        "delta": True,
    },
    "linear": {
        "loss": False,
        "grad_bias": False,
        "bias_after": False,
        "predictions": True,
        "errors": True,
        "grad_weights": True,
        "weights_after": True,
    },
    "mlp": {"loss": False, "outputs": True, "errors": True},
}


class PlaceholderError(ValueError):
    pass


def _split_format(inner: str) -> tuple[str, str]:
    expr, _, fmt = inner.partition(":")
    return expr.strip(), fmt.strip()


def evaluate(lesson: Lesson, expression: str) -> Any:
    expr = expression.strip()
    m = _FUNC.match(expr)
    if m:
        deriv, name, x = m.group(1), m.group(2), float(m.group(3))
        if name not in FUNCTIONS:
            raise PlaceholderError(f"unknown function '{name}' (known: {', '.join(FUNCTIONS)})")
        from tutor.engine import activations as act

        return act.derivative(name, x) if deriv else act.evaluate(name, x)
    m = _RUNREF.match(expr)
    if not m:
        raise PlaceholderError(
            f"cannot read '{_shorten(expr)}': expected TRAINING.step[N].FIELD, TRAINING.epoch[E].FIELD, "
            "TRAINING.final.FIELD or FUNCTION(X)"
        )
    tid = m.group("id")
    try:
        unit = lesson.unit(tid)
    except KeyError:
        ids = [u.id for u in lesson.trainings]
        raise PlaceholderError(f"no training unit '{tid}'{_suggest(tid, ids)}") from None
    if not isinstance(unit, TrainingUnit):
        raise PlaceholderError(f"unit '{tid}' is not a training unit")
    if m.group("exact") and unit.config.model != "perceptron":
        raise PlaceholderError("exact arithmetic is available for the perceptron rule only")
    if m.group("exact") and unit.config.weights is None:
        raise PlaceholderError("exact arithmetic needs the initial weights written out")
    run = lesson.run(tid, exact=bool(m.group("exact")))
    prop = m.group("prop")
    if prop == "total_steps":
        value: Any = run.total_steps
    elif prop == "converged_epoch":
        value = run.converged_epoch()
    else:
        sel, end, fname = m.group("sel"), m.group("end"), m.group("field")
        if sel == "step":
            n = int(m.group("n"))
            if not 1 <= n <= run.total_steps:
                raise PlaceholderError(f"step[{n}] is outside 1..{run.total_steps}")
            obj: Any = run.record(n - 1)
        elif sel == "epoch":
            n = int(m.group("n"))
            if not 1 <= n <= run.config.epochs:
                raise PlaceholderError(f"epoch[{n}] is outside 1..{run.config.epochs}")
            obj = run.epoch(n)
        else:
            obj = run.record(0 if end == "initial" else run.total_steps - 1)
        if not fname:
            raise PlaceholderError(f"'{expr}' needs a field, e.g. .weights_after")
        if fname.startswith("_") or not hasattr(obj, fname):
            fields = [f for f in dir(obj) if not f.startswith("_")]
            raise PlaceholderError(f"no field '{fname}'{_suggest(fname, fields)}")
        value = getattr(obj, fname)
    for raw in re.findall(r"\[(\d+)\]", m.group("idx") or ""):
        i = int(raw)
        if not isinstance(value, tuple) or not 0 <= i < len(value):
            raise PlaceholderError(f"index [{i}] is out of range in '{expr}'")
        value = value[i]
    return value


_FORMAT_NUMBERS = re.compile(r"\d+")


def format_limit_problem(fmt: str) -> str | None:
    """Why a placeholder format is refused (a width or precision past the limit), else None."""
    for digits in _FORMAT_NUMBERS.findall(fmt):
        n = int(digits[-6:]) if len(digits) <= 6 else limits.MAX_FORMAT_WIDTH * 10**6
        if n > limits.MAX_FORMAT_WIDTH:
            shown = digits if len(digits) <= 12 else digits[:12] + "…"
            return f"the width or precision {shown} is past the limit of {limits.MAX_FORMAT_WIDTH}"
    return None


def _shorten(inner: str) -> str:
    inner = inner.strip()
    return inner if len(inner) <= 40 else inner[:40] + "…"


def format_value(value: Any, fmt: str = "") -> str:
    if fmt and format_limit_problem(fmt):
        raise PlaceholderError(format_limit_problem(fmt) or "")
    if isinstance(value, tuple | list):
        return "[" + ", ".join(format_value(v, fmt) for v in value) + "]"
    if value is None:
        return "none"
    if isinstance(value, Fraction):
        value = float(value)
    if fmt:
        try:
            text = format(value, fmt)
        except (ValueError, TypeError) as exc:
            raise PlaceholderError(f"format '{fmt}' does not fit {value!r}: {exc}") from None
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    # Prose uses the true minus sign; the exponent of 5.55e-17 keeps its ASCII hyphen.
    return "\N{MINUS SIGN}" + text[1:] if text.startswith("-") else text


def format_placeholder(lesson: Lesson, inner: str) -> str:
    expr, fmt = _split_format(inner)
    return format_value(evaluate(lesson, expr), fmt)


def _as_number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlaceholderError(f"'{what}' is not a single number")
    return float(value)


def _predicted_value(
    lesson: Lesson, training: str, step: int, predict: str, index: int | None
) -> float:
    value = getattr(lesson.run(training).record(step - 1), predict)
    if index is not None:
        value = value[index]
    return _as_number(value, f"{training}.step[{step}].{predict}")


# --------------------------------------------------------------------------------------------
# Validation


def _suggest(word: str, options: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class _Reader:
    """Walks the parsed YAML, turning it into dataclasses and collecting problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def error(self, line: int, path: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, path, message))

    def keys(self, m: LineDict, path: str, allowed: Sequence[str], required: Sequence[str]) -> None:
        for key in m:
            if key not in allowed:
                self.error(
                    m.line_of(key),
                    f"{path}.{key}" if path else str(key),
                    f"unknown key{_suggest(str(key), allowed)}",
                )
        for key in required:
            if key not in m:
                self.error(m.line, path or "(top)", f"missing required key '{key}'")

    def mapping(self, value: Any, line: int, path: str) -> LineDict | None:
        if isinstance(value, LineDict):
            return value
        self.error(line, path, f"must be a mapping (key: value), not {_kind(value)}")
        return None

    def placeholders(self, value: str, line: int, path: str) -> bool:
        """False (with a problem) when a placeholder's format is wider than the limit."""
        for m in PLACEHOLDER.finditer(value):
            problem = format_limit_problem(_split_format(m.group(1))[1])
            if problem:
                self.error(line, path, f"{{{{{_shorten(m.group(1))}}}}}: {problem}")
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
                        f"unknown language{_suggest(str(key), LANGUAGES)}; "
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
            or not _finite(value)
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
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.error(line, path, "must be an id of lowercase letters, digits, '-' or '_'")
            return None
        return value


def _finite(value: int | float) -> bool:
    """True for a float that is finite and an int that fits one (10**400 does not)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _shown(value: Any) -> str:
    """repr() of a scalar, at most 40 characters of it (a format of 20,000 characters …)."""
    text = repr(value) if isinstance(value, str | int | float | bool | None) else _kind(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _kind(value: Any) -> str:
    """A value as a message quotes it: never more than 40 characters of it."""
    if isinstance(value, LineDict):
        return "a mapping"
    if isinstance(value, LineList):
        return "a list"
    if value is None:
        return "nothing"
    shown = untrusted.clean(str(value))
    return f"'{shown[:40]}…'" if len(shown) > 40 else f"'{shown}'"


TOP_KEYS = ("format", "id", "title", "description", "order", "minutes", "units")
UNIT_TYPES = ("text", "training", "quiz", "plot")
TRAINING_KEYS = (
    "id",
    "title",
    "model",
    "inputs",
    "targets",
    "bias_input",
    "weights",
    "bias",
    "seed",
    "learning_rate",
    "epochs",
    "step_at_zero",
    "batch_size",
    "dtype",
    "hidden",
    "activation",
    "output_activation",
    "ask",
)
MODEL_KEYS = {
    "perceptron": {"bias_input", "weights", "bias", "seed", "step_at_zero"},
    "linear": {"weights", "bias", "seed", "batch_size", "dtype"},
    "mlp": {"seed", "hidden", "activation", "output_activation"},
}
ASK_KEYS = ("id", "step", "predict", "index", "tolerance", "hints", "explain")
QUIZ_KEYS = (
    "id",
    "kind",
    "question",
    "choices",
    "answer",
    "answer_from",
    "tolerance",
    "training",
    "step",
    "predict",
    "index",
    "hints",
    "explain",
)
QUIZ_KINDS = ("choice", "numeric", "predict")
PLOT_KEYS = ("id", "functions", "derivative", "from", "to", "caption")


def _read_training(r: _Reader, m: LineDict, path: str, position: int) -> TrainingUnit | None:
    before = len(r.problems)
    r.keys(m, path, TRAINING_KEYS, ("id", "model", "inputs", "targets", "learning_rate", "epochs"))
    uid = r.identifier(m.get("id"), m.line_of("id"), f"{path}.id") if "id" in m else None
    model = m.get("model")
    if "model" in m and model not in MODEL_KEYS:
        r.error(
            m.line_of("model"),
            f"{path}.model",
            f"must be one of {', '.join(MODEL_KEYS)}{_suggest(str(model), list(MODEL_KEYS))}",
        )
        model = None
    if model:
        common = {"id", "title", "model", "inputs", "targets", "learning_rate", "epochs", "ask"}
        for key in m:
            if key in TRAINING_KEYS and key not in common and key not in MODEL_KEYS[model]:
                r.error(m.line_of(key), f"{path}.{key}", f"does not apply to model '{model}'")
    kw: dict[str, Any] = {}
    if "inputs" in m:
        kw["inputs"] = r.matrix(m["inputs"], m.line_of("inputs"), f"{path}.inputs")
    if "targets" in m:
        kw["targets"] = r.numbers(m["targets"], m.line_of("targets"), f"{path}.targets")
    if "weights" in m:
        kw["weights"] = r.numbers(m["weights"], m.line_of("weights"), f"{path}.weights")
    if "learning_rate" in m:
        kw["learning_rate"] = r.number(
            m["learning_rate"], m.line_of("learning_rate"), f"{path}.learning_rate", positive=True
        )
    if "epochs" in m:
        kw["epochs"] = r.integer(m["epochs"], m.line_of("epochs"), f"{path}.epochs", minimum=1)
    for key in ("bias_input", "bias"):
        if key in m:
            kw[key] = r.number(m[key], m.line_of(key), f"{path}.{key}")
    for key, minimum in (("seed", 0), ("step_at_zero", 0), ("batch_size", 1)):
        if key in m:
            kw[key] = r.integer(m[key], m.line_of(key), f"{path}.{key}", minimum=minimum)
    if "hidden" in m:
        h = m["hidden"]
        if isinstance(h, int) and not isinstance(h, bool):
            h = LineList([h])
            h.line, h.lines = m.line_of("hidden"), [m.line_of("hidden")]
        if (
            isinstance(h, LineList)
            and h
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in h)
        ):
            kw["hidden"] = tuple(h)
        else:
            r.error(
                m.line_of("hidden"),
                f"{path}.hidden",
                "must be a list of layer sizes (whole numbers of at least 1), e.g. [2]",
            )
    for key in ("dtype", "activation", "output_activation"):
        if key in m:
            if isinstance(m[key], str):
                kw[key] = m[key]
            else:
                r.error(m.line_of(key), f"{path}.{key}", "must be a name")
    title = r.text(m["title"], m.line_of("title"), f"{path}.title") if "title" in m else None
    if uid is None or model is None or len(r.problems) > before:
        return None
    if any(v is None for v in kw.values()):
        return None
    try:
        config = TrainingConfig(model=model, **kw)
    except ConfigError as exc:
        r.error(_line_at(m, exc.field), f"{path}.{exc.field}", exc.message)
        return None
    problem = limits.training_problem(
        samples=config.n_samples,
        inputs=config.n_inputs,
        steps_per_epoch=config.steps_per_epoch,
        epochs=config.epochs,
        hidden=tuple(config.hidden) if config.model == "mlp" else None,
    )
    if problem is not None:
        field_name, message = problem
        r.error(m.line_of(field_name), f"{path}.{field_name}", message)
        return None
    if config.resolved_dtype == "float32":
        too_big = limits.float32_problem(config)
        if too_big is not None:
            field_name, message = too_big
            r.error(_line_at(m, field_name), f"{path}.{field_name}", message)
            return None
    asks = _read_asks(r, m, path, uid, model)
    return TrainingUnit(uid, title, config, asks, m.line)


def _line_at(m: LineDict, field_path: str) -> int:
    """The line of a config field like `inputs[2][1]` inside mapping `m`."""
    parts = re.findall(r"[A-Za-z_]+|\[\d+\]", field_path)
    node: Any = m
    line = m.line
    for part in parts:
        if part.startswith("["):
            i = int(part[1:-1])
            if isinstance(node, LineList) and i < len(node):
                line = node.line_of(i)
                node = node[i]
            else:
                break
        elif isinstance(node, LineDict) and part in node:
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line


def _read_question_common(
    r: _Reader, m: LineDict, path: str
) -> tuple[tuple[Text, ...], Text | None]:
    hints: tuple[Text, ...] = ()
    if "hints" in m:
        hints = r.text_list(m["hints"], m.line_of("hints"), f"{path}.hints")
        if not hints and isinstance(m["hints"], LineList):
            r.error(m.line_of("hints"), f"{path}.hints", "give at least one hint")
    else:
        r.error(m.line, path, "missing required key 'hints' (at least one hint)")
    explain = None
    if "explain" in m:
        explain = r.text(m["explain"], m.line_of("explain"), f"{path}.explain")
    else:
        r.error(m.line, path, "missing required key 'explain'")
    return hints, explain


def _read_prediction_target(
    r: _Reader, m: LineDict, path: str, model: str | None
) -> tuple[int | None, str | None, int | None, bool]:
    """step, predict, index of an ask or predict quiz; the flag says all is well."""
    ok = True
    step = (
        r.integer(m.get("step"), m.line_of("step"), f"{path}.step", minimum=1)
        if "step" in m
        else None
    )
    if "step" not in m:
        r.error(m.line, path, "missing required key 'step'")
        ok = False
    predict = m.get("predict")
    index = None
    if "index" in m:
        index = r.integer(m["index"], m.line_of("index"), f"{path}.index", minimum=0)
        ok = ok and index is not None
    if "predict" not in m:
        r.error(m.line, path, "missing required key 'predict'")
        return step, None, index, False
    if model is not None:
        fields = PREDICTABLE[model]
        if predict not in fields:
            r.error(
                m.line_of("predict"),
                f"{path}.predict",
                f"cannot predict '{predict}' for model '{model}'; choose one of "
                f"{', '.join(fields)}{_suggest(str(predict), list(fields))}",
            )
            return step, None, index, False
        if fields[predict] and index is None and "index" not in m:
            r.error(
                m.line_of("predict"),
                f"{path}.index",
                f"'{predict}' is a list of values: say which with `index` (0-based)",
            )
            ok = False
        elif not fields[predict] and "index" in m:
            r.error(
                m.line_of("index"),
                f"{path}.index",
                f"'{predict}' is a single value; remove `index`",
            )
            ok = False
    return step, predict, index, ok and step is not None


def _tolerance(r: _Reader, m: LineDict, path: str) -> float:
    if "tolerance" not in m:
        return DEFAULT_TOLERANCE
    v = m["tolerance"]
    if isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or not math.isfinite(v):
        r.error(m.line_of("tolerance"), f"{path}.tolerance", "must be a number of 0 or more")
        return DEFAULT_TOLERANCE
    return float(v)


def _read_asks(r: _Reader, m: LineDict, path: str, training: str, model: str) -> tuple[Ask, ...]:
    if "ask" not in m:
        return ()
    items = m["ask"]
    if not isinstance(items, LineList):
        r.error(m.line_of("ask"), f"{path}.ask", "must be a list of questions")
        return ()
    asks = []
    for i, item in enumerate(items):
        p = f"{path}.ask[{i}]"
        a = r.mapping(item, items.line_of(i), p)
        if a is None:
            continue
        r.keys(a, p, ASK_KEYS, ())
        step, predict, index, ok = _read_prediction_target(r, a, p, model)
        hints, explain = _read_question_common(r, a, p)
        aid = (
            r.identifier(a["id"], a.line_of("id"), f"{p}.id")
            if "id" in a
            else f"{training}-step{step}-{predict}"
        )
        if ok and explain is not None and aid and step is not None and predict is not None:
            asks.append(
                Ask(
                    aid,
                    step,
                    predict,
                    index,
                    _tolerance(r, a, p),
                    hints,
                    explain,
                    training,
                    a.line,
                    p,
                )
            )
    return tuple(asks)


def _read_quiz(
    r: _Reader, m: LineDict, path: str, models: dict[str, str], broken: set[str]
) -> QuizUnit | None:
    before = len(r.problems)
    r.keys(m, path, QUIZ_KEYS, ("id", "kind", "question"))
    uid = r.identifier(m.get("id"), m.line_of("id"), f"{path}.id") if "id" in m else None
    kind = m.get("kind")
    if "kind" in m and kind not in QUIZ_KINDS:
        r.error(
            m.line_of("kind"),
            f"{path}.kind",
            f"must be one of {', '.join(QUIZ_KINDS)}{_suggest(str(kind), QUIZ_KINDS)}",
        )
    question = (
        r.text(m["question"], m.line_of("question"), f"{path}.question")
        if "question" in m
        else None
    )
    hints, explain = _read_question_common(r, m, path)
    choices: tuple[Text, ...] = ()
    answer: float | int | None = None
    answer_from = None
    training = step = predict = index = None

    def only(*allowed: str) -> None:
        for key in ("choices", "answer", "answer_from", "training", "step", "predict", "index"):
            if key in m and key not in allowed:
                r.error(m.line_of(key), f"{path}.{key}", f"does not apply to a {kind} question")

    if kind == "choice":
        only("choices", "answer")
        if "choices" not in m:
            r.error(m.line, path, "missing required key 'choices'")
        else:
            choices = r.text_list(m["choices"], m.line_of("choices"), f"{path}.choices")
            if not 2 <= len(m["choices"] or ()) <= 9:
                r.error(m.line_of("choices"), f"{path}.choices", "give 2 to 9 choices")
        if "answer" not in m:
            r.error(m.line, path, "missing required key 'answer' (the right choice, 1-based)")
        else:
            answer = r.integer(m["answer"], m.line_of("answer"), f"{path}.answer", minimum=1)
            if answer is not None and choices and answer > len(choices):
                r.error(
                    m.line_of("answer"),
                    f"{path}.answer",
                    f"is choice {answer}, but there are only {len(choices)} choices",
                )
    elif kind == "numeric":
        only("answer", "answer_from")
        if "answer" not in m and "answer_from" not in m:
            r.error(m.line, path, "give `answer` or `answer_from` (an engine value)")
        if "answer" in m:
            answer = r.number(m["answer"], m.line_of("answer"), f"{path}.answer")
        if "answer_from" in m:
            if isinstance(m["answer_from"], str):
                answer_from = m["answer_from"].strip().removeprefix("{{").removesuffix("}}").strip()
            else:
                r.error(
                    m.line_of("answer_from"),
                    f"{path}.answer_from",
                    "must be an expression such as and-rule.final.weights_after[1]",
                )
    elif kind == "predict":
        only("training", "step", "predict", "index")
        training = m.get("training")
        model = None
        if "training" not in m:
            r.error(m.line, path, "missing required key 'training' (a training unit's id)")
        elif training in broken:
            return None
        elif training not in models:
            r.error(
                m.line_of("training"),
                f"{path}.training",
                f"no training unit '{training}' in this lesson"
                f"{_suggest(str(training), list(models))}",
            )
        else:
            model = models[training]
        if model is not None or "training" not in m or training not in models:
            step, predict, index, _ = _read_prediction_target(r, m, path, model)
    if len(r.problems) > before or not (uid and kind and question and explain):
        return None
    return QuizUnit(
        uid,
        kind,
        question,
        choices,
        answer,
        answer_from,
        _tolerance(r, m, path),
        training,
        step,
        predict,
        index,
        hints,
        explain,
        m.line,
        path,
    )


def _read_plot(r: _Reader, m: LineDict, path: str, position: int) -> PlotUnit | None:
    before = len(r.problems)
    r.keys(m, path, PLOT_KEYS, ("functions",))
    uid = r.identifier(m["id"], m.line_of("id"), f"{path}.id") if "id" in m else f"plot-{position}"
    functions = m.get("functions")
    names: tuple[str, ...] = ()
    if isinstance(functions, str):
        functions = [functions]
    if isinstance(functions, list) and functions:
        for i, f in enumerate(functions):
            if f not in FUNCTIONS:
                r.error(
                    m.line_of("functions"),
                    f"{path}.functions[{i}]",
                    f"unknown function '{f}'{_suggest(str(f), FUNCTIONS)}; "
                    f"choose from {', '.join(FUNCTIONS)}",
                )
        names = tuple(functions)
    elif "functions" in m:
        r.error(m.line_of("functions"), f"{path}.functions", "must list one or more functions")
    derivative = m.get("derivative", False)
    if not isinstance(derivative, bool):
        r.error(m.line_of("derivative"), f"{path}.derivative", "must be true or false")
    x_from = r.number(m.get("from", -6), m.line_of("from"), f"{path}.from")
    x_to = r.number(m.get("to", 6), m.line_of("to"), f"{path}.to")
    if x_from is not None and x_to is not None and x_from >= x_to:
        r.error(m.line_of("to"), f"{path}.to", "must be greater than `from`")
    caption = (
        r.text(m["caption"], m.line_of("caption"), f"{path}.caption") if "caption" in m else None
    )
    if len(r.problems) > before or uid is None or x_from is None or x_to is None:
        return None
    return PlotUnit(uid, names, bool(derivative), float(x_from), float(x_to), caption, m.line)


def _read_units(r: _Reader, units: Any, line: int) -> tuple[Unit, ...]:
    if not isinstance(units, LineList) or not units:
        r.error(line, "units", "must be a non-empty list of units")
        return ()
    out: list[Unit] = []
    # Predict questions may name a training unit anywhere in the lesson (before or after them).
    models: dict[str, str] = {
        body["id"]: body["model"]
        for item in units
        if isinstance(item, LineDict) and len(item) == 1
        for utype, body in item.items()
        if utype == "training" and isinstance(body, LineDict)
        and isinstance(body.get("id"), str) and body.get("model") in MODEL_KEYS
    }
    broken: set[str] = set()
    seen: dict[str, int] = {}
    for i, item in enumerate(units):
        path = f"units[{i}]"
        iline = units.line_of(i)
        if not isinstance(item, LineDict) or len(item) != 1:
            r.error(
                iline,
                path,
                f"each unit is a mapping with one key naming its type: {', '.join(UNIT_TYPES)}",
            )
            continue
        ((utype, body),) = item.items()
        bline = item.line_of(utype)
        if utype not in UNIT_TYPES:
            r.error(
                bline,
                f"{path}.{utype}",
                f"unknown unit type{_suggest(str(utype), UNIT_TYPES)}; "
                f"use one of {', '.join(UNIT_TYPES)}",
            )
            continue
        p = f"{path}.{utype}"
        unit: Unit | None = None
        if utype == "text":
            uid = f"text-{i + 1}"
            if isinstance(body, LineDict) and "id" in body:
                uid = r.identifier(body["id"], body.line_of("id"), f"{p}.id") or uid
            text = r.text(body, bline, p, allow_id=True)
            unit = TextUnit(uid, text, bline) if text else None
        else:
            m = r.mapping(body, bline, p)
            if m is None:
                continue
            if utype == "training":
                unit = _read_training(r, m, p, i + 1)
                if unit is None and isinstance(m.get("id"), str):
                    broken.add(m["id"])  # already reported; questions on it need no 2nd message
            elif utype == "quiz":
                unit = _read_quiz(r, m, p, models, broken)
            else:
                unit = _read_plot(r, m, p, i + 1)
        if unit is None:
            continue
        if unit.id in seen:
            r.error(bline, f"{p}.id", f"id '{unit.id}' is already used on line {seen[unit.id]}")
            continue
        seen[unit.id] = bline
        out.append(unit)
    question_ids: dict[str, int] = {}
    for u in out:
        for q in u.asks if isinstance(u, TrainingUnit) else [u] if isinstance(u, QuizUnit) else []:
            if q.id in question_ids and q.id != u.id:
                r.error(
                    q.line,
                    f"{q.field}.id",
                    f"question id '{q.id}' is already used on line {question_ids[q.id]}",
                )
            question_ids.setdefault(q.id, q.line)
    return tuple(out)


def display_path(path: Path) -> str:
    """A path as the learner would type it: relative to the current folder when inside it.

    Cleaned of unsafe characters (tutor/text.py): file names come from other people too.
    """
    try:
        return untrusted.clean(str(path.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError):
        return untrusted.clean(str(path))


def load_lesson(path: Path | str, *, shown_as: str | None = None) -> Lesson:
    """Read and validate one lesson file; raise LessonError listing every problem.

    Never raises anything else for any file content. Strings from which unsafe characters were
    removed (see tutor/text.py) do not stop the lesson; they are kept in `Lesson.cleaned` and
    `check_lesson` reports them.
    """
    path = Path(path)
    file = untrusted.clean(shown_as or display_path(path))
    parsed = _parse_file(path, file)
    r = _Reader(file)
    cleaned = [Problem(file, line, "", message) for line, message in parsed.cleaned]
    name = untrusted.first_unsafe(str(shown_as or path))
    if name is not None:
        cleaned.insert(0, Problem(file, 0, "", "the file name " + untrusted.unsafe_message(name)))
    r.problems.extend(Problem(file, line, "", message) for line, message in parsed.errors)
    r.problems.extend(
        Problem(file, line, untrusted.clean(key), "this key is given twice; keep one")
        for line, key in parsed.duplicates
    )
    data = parsed.data
    if data is None and not r.problems:
        r.error(1, "", "the file is empty; a lesson starts with `format: 1`")
    if r.problems:
        raise LessonError(r.problems + cleaned)
    if not isinstance(data, LineDict):
        raise LessonError(
            [Problem(file, 1, "", "a lesson must be a mapping (format, id, title, units)"), *cleaned]
        )
    r.keys(data, "", TOP_KEYS, ("format", "id", "title", "units"))
    if "format" in data and data["format"] != FORMAT_VERSION:
        r.error(
            data.line_of("format"),
            "format",
            f"this tutor reads format {FORMAT_VERSION}, not {_shown(data['format'])}",
        )
    lid = r.identifier(data["id"], data.line_of("id"), "id") if "id" in data else None
    title = r.text(data["title"], data.line_of("title"), "title") if "title" in data else None
    description = (
        r.text(data["description"], data.line_of("description"), "description")
        if "description" in data
        else None
    )
    order = r.number(data.get("order", 1000), data.line_of("order"), "order")
    minutes = (
        r.integer(data["minutes"], data.line_of("minutes"), "minutes", minimum=1)
        if "minutes" in data
        else None
    )
    units = _read_units(r, data.get("units"), data.line_of("units")) if "units" in data else ()
    if r.problems:
        raise LessonError(r.problems + cleaned)
    assert lid and title
    lesson = Lesson(lid, title, description, units, path, float(order or 0), minutes, file)
    lesson.cleaned = cleaned
    return lesson


# --------------------------------------------------------------------------------------------
# Check: replay and verify


def check_lesson(lesson: Lesson) -> list[Problem]:
    """Replay every training unit, resolve every placeholder, verify every answer."""
    problems: list[Problem] = list(lesson.cleaned)
    file = lesson.display_path

    def err(line: int, path: str, message: str) -> None:
        problems.append(Problem(file, line, path, message))

    for unit in lesson.trainings:
        run = lesson.run(unit.id)
        try:
            with _numpy_errors_raise():
                run.run_to_end()
        except (FloatingPointError, OverflowError) as exc:
            err(unit.line, f"training {unit.id}", f"the run breaks down: {exc}")
            continue
        bad = _first_non_finite(run)
        if bad is not None:
            err(
                unit.line,
                f"training {unit.id}",
                f"step {bad} produces a value that is not finite (the run diverges; lower "
                "learning_rate)",
            )
            continue
        for ask in unit.asks:
            if ask.step > run.total_steps:
                err(
                    ask.line,
                    f"{ask.field}.step",
                    f"is {ask.step}, but the run has {run.total_steps} steps",
                )
                continue
            _check_index(lesson, ask, err)
    for q in lesson.quizzes:
        if q.kind == "numeric" and q.answer_from:
            try:
                value = _as_number(lesson.evaluate(q.answer_from), q.answer_from)
            except PlaceholderError as exc:
                err(q.line, f"{q.field}.answer_from", str(exc))
                continue
            if q.answer is not None and abs(value - q.answer) > q.tolerance:
                err(
                    q.line,
                    f"{q.field}.answer",
                    f"is {q.answer!r}, but the engine gives {value!r} (tolerance {q.tolerance})",
                )
        elif q.kind == "predict":
            assert q.training is not None and q.step is not None
            total = lesson.run(q.training).total_steps
            if q.step > total:
                err(q.line, f"{q.field}.step", f"is {q.step}, but the run has {total} steps")
                continue
            _check_index(lesson, q, err)
    for text in lesson.texts():
        for lang in sorted(text.values):
            for m in PLACEHOLDER.finditer(text.values[lang]):
                try:
                    format_placeholder(lesson, m.group(1))
                except PlaceholderError as exc:
                    suffix = f".{lang}" if lang != "*" else ""
                    err(text.line_of(lang), f"{text.field}{suffix}",
                        f"{{{{{_shorten(m.group(1))}}}}}: {exc}")
    return sorted(set(problems))


def _check_index(lesson: Lesson, q: Question, err: Any) -> None:
    training = q.training
    assert training is not None and q.step is not None and q.predict is not None
    value = getattr(lesson.run(training).record(q.step - 1), q.predict)
    if q.index is not None and (not isinstance(value, tuple) or q.index >= len(value)):
        size = len(value) if isinstance(value, tuple) else 1
        err(q.line, f"{q.field}.index", f"is {q.index}, but '{q.predict}' has {size} values")


def first_non_finite(run: Run) -> int | None:
    """The 1-based step at which a run first holds ∞ or NaN (it diverged), or None."""
    return _first_non_finite(run)


def _first_non_finite(run: Run) -> int | None:
    for rec in run.history:
        for name in ("net", "loss"):
            v = getattr(rec, name, None)
            if isinstance(v, float) and not math.isfinite(v):
                return rec.index + 1
        if not all(math.isfinite(v) for v in _flatten(rec.weights_after)):
            return rec.index + 1
    return None


def _flatten(value: Any) -> Iterator[float]:
    if isinstance(value, tuple):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


class _numpy_errors_raise:
    """Overflow in a run becomes a clear problem instead of a RuntimeWarning."""

    def __enter__(self) -> None:
        import numpy as np

        self._old = np.seterr(over="raise", invalid="raise", divide="raise")

    def __exit__(self, *exc: object) -> None:
        import numpy as np

        np.seterr(**self._old)


# --------------------------------------------------------------------------------------------
# Finding lessons


def lesson_dirs(extra: Sequence[Path | str] = ()) -> list[Path]:
    """Where lessons are looked for: built-in, the user folder, then `--lessons` folders."""
    dirs = [paths.builtin_lessons_dir()]
    user = paths.user_lessons_dir()
    if user.is_dir():
        dirs.append(user)
    dirs.extend(Path(d) for d in extra)
    return dirs


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files of a folder, sorted; [] for a folder that cannot be read."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in LESSON_SUFFIXES and p.is_file())
    except OSError:
        return []


def id_clash(lesson: Lesson, first_of: dict[str, Lesson]) -> Problem | None:
    """The problem of a lesson whose id an earlier lesson already has, else None.

    `first_of` remembers the first lesson found with each id, so that is the one a clash names
    (and the one `discover` keeps); `perceptron-tutor check` reports clashes the same way.
    """
    first = first_of.setdefault(lesson.id, lesson)
    if first is lesson:
        return None
    message = f"lesson id '{lesson.id}' is also used by {first.display_path}"
    return Problem(lesson.display_path, 0, "id", message)


def discover(extra_dirs: Sequence[Path | str] = ()) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson found, sorted by order then id, and the problems met on the way.

    A lesson id found in two files is a problem naming both; the first one found is kept.
    """
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    by_id: dict[str, Lesson] = {}
    for folder in lesson_dirs(extra_dirs):
        if not folder.is_dir():
            problems.append(Problem(str(folder), 0, "", "is not a folder of lessons"))
            continue
        for file in lesson_files(folder):
            try:
                lesson = load_lesson(file)
            except LessonError as exc:
                problems.extend(exc.problems)
                continue
            except Exception as exc:  # a bug met by one file must not hide every other lesson
                problems.append(Problem(display_path(file), 0, "", f"could not be loaded "
                                        f"({type(exc).__name__}); please report this file"))
                continue
            clash = id_clash(lesson, by_id)
            if clash is not None:
                problems.append(clash)
                continue
            lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return lessons, problems


def find_lesson(name: str, extra_dirs: Sequence[Path | str] = ()) -> Lesson:
    """A lesson by id, or by the path of its file."""
    p = Path(name)
    if p.suffix in LESSON_SUFFIXES or p.exists():
        if p.is_file():
            return load_lesson(p)
        raise LessonError([Problem(name, 0, "", "no such lesson file")])
    lessons, problems = discover(extra_dirs)
    for lesson in lessons:
        if lesson.id == name:
            return lesson
    dupes = [pr for pr in problems if pr.field == "id" and f"'{name}'" in pr.message]
    if dupes:
        raise LessonError(dupes)
    ids = [lesson.id for lesson in lessons]
    raise LessonError(
        [
            Problem(
                name,
                0,
                "",
                f"no lesson with this id{_suggest(name, ids)}; known: {', '.join(ids) or 'none'}",
            )
        ]
    )
