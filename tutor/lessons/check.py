"""`check`: replay every training unit, resolve every placeholder, verify every answer."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tutor.lessons.lesson import Lesson
from tutor.lessons.placeholders import (
    PLACEHOLDER,
    PlaceholderError,
    as_number,
    format_placeholder,
    record_value,
)
from tutor.lessons.problems import Problem, shorten
from tutor.lessons.units import Question

if TYPE_CHECKING:
    from tutor.engine.run import Run

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
                value = as_number(lesson.evaluate(q.answer_from), q.answer_from)
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
                        f"{{{{{shorten(m.group(1))}}}}}: {exc}")
    return sorted(set(problems))


def _check_index(lesson: Lesson, q: Question, err: Any) -> None:
    training = q.training
    assert training is not None and q.step is not None and q.predict is not None
    value = record_value(lesson.run(training).record(q.step - 1), q.predict)
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

