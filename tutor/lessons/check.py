"""`check`: replay every training unit, resolve every placeholder, verify every answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tutor.lessons.definitions import LAYERED
from tutor.lessons.lesson import Lesson
from tutor.lessons.placeholders import (
    PLACEHOLDER,
    PlaceholderError,
    TargetError,
    as_number,
    format_placeholder,
    layered_value,
    record_value,
)
from tutor.lessons.problems import Problem, shorten
from tutor.lessons.units import Question

if TYPE_CHECKING:
    from tutor.engine.records import Divergence
    from tutor.engine.run import Progress, Run

def check_lesson(lesson: Lesson,
                 progress: Callable[[str], Progress | None] | None = None) -> list[Problem]:
    """Replay every training unit, resolve every placeholder, verify every answer.

    `progress(unit_id)` may give a callback for that unit's run (`Run.compute`): a long run
    then reports how far it is (and an exception the callback raises stops the check)."""
    problems: list[Problem] = list(lesson.cleaned)
    file = lesson.display_path

    def err(line: int, path: str, message: str) -> None:
        problems.append(Problem(file, line, path, message))

    for unit in lesson.trainings:
        run = lesson.run(unit.id)
        try:
            run.compute(progress=progress(unit.id) if progress is not None else None)
        except OverflowError as exc:
            err(unit.line, f"training {unit.id}", f"the run breaks down: {exc}")
            continue
        stop = run.divergence
        if stop is not None:
            err(unit.line, f"training {unit.id}", divergence_message(stop))
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
    record = lesson.run(training).record(q.step - 1)
    if q.layer is not None and q.predict in LAYERED and record.model == "mlp":
        try:
            layered_value(record, q.predict, q.layer, q.index, q.input)
        except TargetError as exc:
            err(q.line, f"{q.field}.{exc.field}", str(exc))
        return
    value = record_value(record, q.predict)
    if q.index is not None and (not isinstance(value, tuple) or q.index >= len(value)):
        size = len(value) if isinstance(value, tuple) else 1
        err(q.line, f"{q.field}.index", f"is {q.index}, but '{q.predict}' has {size} values")


def first_non_finite(run: Run) -> int | None:
    """The 1-based step at which a computed run first holds ∞ or NaN (it diverged and stopped
    there: the engine keeps the reason, `Run.divergence`), or None."""
    stop = run.divergence
    return None if stop is None else stop.step + 1


def divergence_message(stop: Divergence) -> str:
    """`check`'s sentence for a run that diverged: where, what, and what to try."""
    what = {"net": "net input is", "loss": "loss is", "weights": "weights are",
            "bias": "bias is"}.get(stop.what, stop.what + " is")
    return (f"step {stop.step + 1}: the {what} no longer finite (∞ or NaN): the run diverges "
            "and stops there; a smaller learning_rate keeps it finite")
