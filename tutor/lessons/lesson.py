"""A loaded lesson: its units, its questions, its training runs, and its texts filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.i18n import LANGUAGES
from tutor.lessons.placeholders import (
    PLACEHOLDER,
    PlaceholderError,
    as_number,
    evaluate,
    format_placeholder,
    predicted_value,
)
from tutor.lessons.problems import Problem
from tutor.lessons.units import (
    Ask,
    PlotUnit,
    Question,
    QuizUnit,
    Text,
    TextUnit,
    TrainingUnit,
    Unit,
)

if TYPE_CHECKING:
    from tutor.engine.run import Run


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
        *,
        exam: bool = False,
    ) -> None:
        self.id = id
        self.title = title
        self.description = description
        self.units = units
        self.path = path
        self.order = order
        self.minutes = minutes
        self.display_path = display_path
        self.exam = exam  # sat like an exam: shuffled choices, a score (tutor/exam.py)
        self.pack: str | None = None  # the lesson pack it came from (tutor/lessons/packs.py)
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
            return predicted_value(
                self, question.training, question.step, question.predict, question.index,
                question.layer, question.input,
            )
        if question.kind == "predict":
            assert question.training and question.step and question.predict
            return predicted_value(
                self, question.training, question.step, question.predict, question.index,
                question.layer, question.input,
            )
        if question.kind == "numeric" and question.answer_from:
            return as_number(self.evaluate(question.answer_from), question.answer_from)
        assert question.answer is not None
        return question.answer

