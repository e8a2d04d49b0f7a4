"""The lesson screen: units in order, 'unit i of n', keys to step, answer, move on, back and out."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tutor import quiz
from tutor.i18n import t
from tutor.lessons import Lesson, PlotUnit, QuizUnit, TextUnit, TrainingUnit
from tutor.resume import place, resume_point
from tutor.ui.screens.base import Body, UnitScreen
from tutor.ui.widgets.keybar import KeyBar, Keys
from tutor.ui.widgets.units import (
    PlotView,
    QuestionAnswered,
    QuizView,
    TextView,
    TrainingView,
    UnitView,
)

TRAINING_KEYS: Keys = (
    ("→ n", "ui.key.next_step"),
    ("← p", "ui.key.prev_step"),
    ("space", "ui.key.play"),
    ("+ -", "ui.key.speed"),
    ("e", "ui.key.epoch"),
    ("G", "ui.key.end"),
    ("g", "ui.key.start"),
    ("?", "ui.key.help"),
    ("q", "ui.key.back"),
)
UNIT_KEYS: Keys = (
    ("→ n", "ui.key.next_unit"),
    ("← p", "ui.key.prev_unit"),
    ("↑ ↓", "ui.key.scroll"),
    ("L", "ui.key.language"),
    ("?", "ui.key.help"),
    ("q", "ui.key.back"),
)
QUIZ_KEYS: Keys = (
    ("h", "ui.key.hint"),
    ("r", "ui.key.reveal"),
    ("→ n", "ui.key.next_unit"),
    ("← p", "ui.key.prev_unit"),
    ("?", "ui.key.help"),
    ("q", "ui.key.back"),
)
CHOICE_KEYS: Keys = (("1-9", "ui.key.choose"), *QUIZ_KEYS)


class LessonScreen(UnitScreen):
    """The walkthrough keys are priority bindings: an answer box takes numbers (and backspace,
    enter) only, so n, p, h, q, ←, →, Home and End always mean the same thing. (h, r, q, the
    choices and scrolling come from `UnitScreen`.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right", "next", "next", show=False, priority=True),
        Binding("n", "next", "next", show=False, priority=True),
        Binding("left", "previous", "previous", show=False, priority=True),
        Binding("p", "previous", "previous", show=False, priority=True),
        Binding("space", "play", "play / pause", show=False),
        Binding("plus,equals_sign", "speed(1)", "faster", show=False),
        Binding("minus", "speed(-1)", "slower", show=False),
        Binding("e", "epoch_end", "end of epoch", show=False),
        Binding("end", "run_end", "end of run", show=False, priority=True),
        Binding("G", "run_end", "end of run", show=False, priority=True),
        Binding("home", "start", "start", show=False, priority=True),
        Binding("g", "start", "start", show=False, priority=True),
        Binding("right_square_bracket", "next_unit", "next unit", show=False, priority=True),
        Binding("left_square_bracket", "previous_unit", "previous unit", show=False, priority=True),
    ]

    def __init__(self, lesson: Lesson, *, quit_on_back: bool = False) -> None:
        super().__init__(quit_on_back=quit_on_back)
        self.lesson = lesson
        self.unit_index = 0
        self.positions: dict[str, int] = {}  # training unit id -> steps revealed
        self.states: dict[str, quiz.QuestionState] = {}  # question id -> state this sitting
        self.passed: set[str] = set()  # asks answered, revealed, or behind the saved position
        self._done_notified = False

    def compose(self) -> ComposeResult:
        yield Static(id="lesson-head")
        yield Body(id="unit-body")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self._restore()
        self.watch(self.app, "lang", self._language_changed, init=False)
        self.show_unit(self.unit_index)

    def _restore(self) -> None:
        """Resume where the learner was (see tutor.resume for a lesson edited since then)."""
        point = resume_point(self.lesson, self.tutor.store.position(self.lesson.id))
        self.unit_index = point.index
        unit = self.lesson.units[point.index]
        if isinstance(unit, TrainingUnit):
            self.positions[unit.id] = point.step
            self.passed.update(a.id for a in unit.asks if a.step <= point.step)
            # an ask of the next step answered (or revealed) before the learner left, without
            # moving on: not asked again, → shows the step it was asked for
            settled = {
                a.question_id
                for a in self.tutor.store.attempts(self.lesson.id)
                if a.correct or a.revealed
            }
            self.passed.update(
                a.id for a in unit.asks if a.step == point.step + 1 and a.id in settled
            )
        if point.restarted:
            self.notify(t("ui.resume.restarted", self.lang), timeout=8)
        elif point.moved:
            self.notify(
                t("ui.resume.moved", self.lang, i=point.index + 1, n=len(self.lesson.units)),
                timeout=8,
            )

    # -- the current unit

    @property
    def unit(self) -> TextUnit | PlotUnit | TrainingUnit | QuizUnit:
        return self.lesson.units[self.unit_index]

    def show_unit(self, index: int) -> None:
        """Mount the view of unit `index` (0-based) and save the position."""
        self.unit_index = max(0, min(index, len(self.lesson.units) - 1))
        body = self.query_one(Body)
        old = self.view
        if old is not None and isinstance(old, TrainingView):
            old.pause()
        body.remove_children()
        body.mount(self._build_view())
        body.scroll_home(animate=False)
        self._update_chrome()
        self._save()

    def _build_view(self) -> UnitView:
        unit = self.unit
        lang = self.lang
        if isinstance(unit, TextUnit):
            return TextView(self.lesson, unit, lang)
        if isinstance(unit, PlotUnit):
            return PlotView(self.lesson, unit, lang)
        if isinstance(unit, TrainingUnit):
            return TrainingView(
                self.lesson, unit, lang, self.positions.get(unit.id, 0), self.passed, self.states
            )
        return QuizView(self.lesson, unit, lang, self.states.get(unit.id))

    def _update_chrome(self) -> None:
        lang = self.lang
        head = Text()
        head.append(self.lesson.render(self.lesson.title, lang), style="bold")
        head.append("  ·  ")
        head.append(
            t("ui.lesson.unit_of", lang, i=self.unit_index + 1, n=len(self.lesson.units)),
            style="bold reverse",
        )
        head.append("  " + t(f"ui.unit.{self.unit.kind}", lang))
        self.query_one("#lesson-head", Static).update(head)
        unit = self.unit
        keys: Keys
        if isinstance(unit, TrainingUnit):
            keys = TRAINING_KEYS
        elif isinstance(unit, QuizUnit):
            keys = CHOICE_KEYS if unit.kind == "choice" else QUIZ_KEYS
        else:
            keys = UNIT_KEYS
        self.query_one(KeyBar).show_keys(keys, lang)

    def _save(self) -> None:
        unit = self.unit
        step = self.positions.get(unit.id, 0) if isinstance(unit, TrainingUnit) else 0
        where = place(self.lesson, self.unit_index)
        self.tutor.store.save_position(
            self.lesson.id,
            unit.id,
            step,
            index=where.index,
            before=where.before,
            fingerprint=where.fingerprint,
        )
        self.tutor.report_store()

    def _language_changed(self, lang: str) -> None:
        self.show_unit(self.unit_index)

    # -- messages from the views

    @on(TrainingView.Moved)
    def _on_moved(self, event: TrainingView.Moved) -> None:
        self.positions[event.unit_id] = event.position
        self._save()

    @on(QuestionAnswered)
    def _on_answered(self, event: QuestionAnswered) -> None:
        self.states[event.qid] = event.state
        if event.attempt is not None:
            answer, correct, revealed = event.attempt
            self.tutor.store.record_attempt(
                self.lesson.id, event.qid, answer, correct, event.state.hints_shown, revealed
            )
            self.tutor.report_store()

    # -- actions

    def action_next(self) -> None:
        view = self.view
        if view is not None and view.go_next():
            return
        self.action_next_unit()

    def action_previous(self) -> None:
        view = self.view
        if view is not None and view.go_previous():
            return
        self.action_previous_unit()

    def action_next_unit(self) -> None:
        if self.unit_index + 1 < len(self.lesson.units):
            self.show_unit(self.unit_index + 1)
            return
        self.tutor.store.mark_done(self.lesson.id)
        self.notify(t("ui.lesson.done", self.lang), timeout=4)

    def action_previous_unit(self) -> None:
        if self.unit_index > 0:
            self.show_unit(self.unit_index - 1)

    def _training(self) -> TrainingView | None:
        view = self.view
        return view if isinstance(view, TrainingView) else None

    def action_play(self) -> None:
        if (view := self._training()) is not None:
            view.toggle_play()

    def action_speed(self, delta: int) -> None:
        if (view := self._training()) is not None:
            view.change_speed(delta)

    def action_epoch_end(self) -> None:
        if (view := self._training()) is not None:
            view.go_epoch_end()

    def action_run_end(self) -> None:
        if (view := self._training()) is not None:
            view.go_run_end()

    def action_start(self) -> None:
        if (view := self._training()) is not None:
            view.go_start()
            self.query_one(Body).scroll_home(animate=False)  # the start panel is at the top

    def _leaving(self) -> None:
        if (view := self._training()) is not None:
            view.pause()
