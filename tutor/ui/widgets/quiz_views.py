"""The question views of a lesson: a quiz unit, and a training's "predict the next value" ask,
each a `QuestionPanel` with the state the question is asked about shown above it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor import quiz
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, QuizUnit, TrainingUnit
from tutor.question_spec import question_spec
from tutor.ui.widgets.question import QuestionPanel, Report
from tutor.ui.widgets.units import UnitView, state_before


class QuestionView(UnitView):
    """A view of one question: it keeps the question's state and reports each change up.

    The screen holds the states and passes them back in, so a question shows as it was left.
    """

    def __init__(
        self,
        lesson: Lesson,
        lang: str,
        state: quiz.QuestionState | None,
        *,
        classes: str,
        report: Report | None = None,
        skipped: bool = False,
        order: tuple[int, ...] | None = None,
    ) -> None:
        super().__init__(classes=classes)
        self.lesson = lesson
        self.lang = lang
        self.state = state
        self.report = report
        self.skipped = skipped  # skipped on purpose before: the panel says so
        self.order = order  # an exam sitting's order of the choices (tutor.exam), else None

    def _make_panel(self, question: Ask | QuizUnit) -> QuestionPanel:
        self._panel = QuestionPanel(
            question_spec(self.lesson, question, self.lang, order=self.order),
            self.state,
            self.lang,
            report=self._answered,
            skipped=self.skipped,
        )
        return self._panel

    def _answered(
        self, qid: str, state: quiz.QuestionState, attempt: tuple[str, bool, bool] | None
    ) -> None:
        self.state = state
        if self.report is not None:
            self.report(qid, state, attempt)


class QuizView(QuestionView):
    """A quiz unit; for `predict`, the state before that step of the training is shown too."""

    def __init__(
        self,
        lesson: Lesson,
        unit: QuizUnit,
        lang: str,
        state: quiz.QuestionState | None,
        report: Report | None = None,
        skipped: bool = False,
        order: tuple[int, ...] | None = None,
    ) -> None:
        super().__init__(
            lesson, lang, state, classes="unit quiz-unit", report=report, skipped=skipped,
            order=order,
        )
        self.unit = unit
        self._make_panel(unit)

    def compose(self) -> ComposeResult:
        unit = self.unit
        lang = self.lang
        yield Static(Text(t(f"ui.quiz.kind.{unit.kind}", lang), style="bold"), id="quiz-kind")
        if unit.kind == "predict" and unit.training and unit.step:
            # the step asked about first, then the question: both in view together
            preview, panels = state_before(self.lesson, unit.training, unit.step, lang)
            yield preview
            assert self._panel is not None
            yield self._panel
            yield panels
        else:
            assert self._panel is not None
            yield self._panel


class AskView(QuestionView):
    """A training unit's ask on its own (for review): the run just before that step, and the ask."""

    def __init__(
        self,
        lesson: Lesson,
        ask: Ask,
        lang: str,
        state: quiz.QuestionState | None,
        report: Report | None = None,
    ) -> None:
        super().__init__(lesson, lang, state, classes="unit ask-unit", report=report)
        self.ask = ask
        self._make_panel(ask)

    def compose(self) -> ComposeResult:
        lesson = self.lesson
        ask = self.ask
        lang = self.lang
        training = lesson.unit(ask.training)
        title = Text()
        if isinstance(training, TrainingUnit) and training.title is not None:
            title.append(lesson.render(training.title, lang), style="bold")
            title.append("  ")
        total = lesson.run(ask.training).total_steps
        title.append(t("ui.training.position", lang, p=ask.step - 1, n=total))
        yield Static(title, id="training-title")
        preview, panels = state_before(lesson, ask.training, ask.step, lang)
        yield preview
        assert self._panel is not None
        yield self._panel
        yield panels
