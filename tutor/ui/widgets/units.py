"""One widget per unit kind: text, plot, training walkthrough, quiz.

Attributes down, calls up: the lesson screen gives each view the lesson, the language, the state
it keeps (positions, question states) and a `report` callback; a view reports an answer through
that callback at once, in the order the keys came, never through a queued message. A view's child
widgets are made once and kept as attributes, never looked up, so a key that reaches a view while
it is being replaced (two quick presses) cannot fail on a widget that is not there (yet).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from tutor import lesson_state, quiz
from tutor.engine.records import StepRecord
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, PlotUnit, TextUnit, TrainingUnit
from tutor.question_spec import question_spec
from tutor.render.plots import FunctionPlot
from tutor.ui.widgets.preview import NextStep
from tutor.ui.widgets.sized import Panel, Sized
from tutor.ui.widgets.slot import Slot
from tutor.ui.widgets.steps import StepPanels
from tutor.ui.widgets.title import TitleLine, TitleState

if TYPE_CHECKING:
    from tutor.engine.run import Run

    # Markdown (markdown-it) and the question panel load when a view first shows them: a lesson
    # opened on a training unit paints its first frame without them
    from tutor.ui.widgets.question import QuestionPanel, Report

SPEEDS = (2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 0.02)  # seconds per step while playing (up to 50/s)
DEFAULT_SPEED = 1
AT_ONCE_SECONDS = 0.15  # computing longer than this moves to a worker, with a progress line
AT_ONCE_CHUNK = 512  # steps between two looks at the clock while computing at once
PROGRESS_SECONDS = 0.1  # the worker's progress line is redrawn at most this often


def next_step_panel(run: Run, rec: StepRecord, lang: str) -> Static:
    """The preview of step `rec` (what goes in, before its numbers are shown), in its panel."""
    panel = Static(
        NextStep(rec, run.total_steps, run.steps_per_epoch, run.config.epochs, lang),
        classes="panel next-step",
    )
    panel.border_title = t("ui.panel.next", lang)
    return panel


def state_before(lesson: Lesson, training: str, step: int, lang: str) -> tuple[Static, StepPanels]:
    """The run as it is just before step `step` (1-based): the next-step preview and the panels."""
    run = lesson.run(training)
    step = max(1, run.reach(step))  # a run that diverged before `step` ends earlier
    panel = next_step_panel(run, run.record(step - 1), lang)
    return panel, StepPanels(run, step - 1, lang, preview=False, id="panels")


class UnitView(Vertical):
    """Base of the unit views: `next`/`previous` return False when the unit has nothing left."""

    _panel: QuestionPanel | None = None

    def go_next(self) -> bool:
        return False

    def go_previous(self) -> bool:
        return False

    def question(self) -> QuestionPanel | None:
        """The question on screen (kept by the view, never looked up), if there is one."""
        return self._panel


class TextView(UnitView):
    def __init__(self, lesson: Lesson, unit: TextUnit, lang: str) -> None:
        super().__init__(classes="unit text-unit")
        self.lesson = lesson
        self.unit = unit
        self.lang = lang

    def compose(self) -> ComposeResult:
        from tutor.ui.widgets.markdown import LessonMarkdown

        yield LessonMarkdown(self.lesson.render(self.unit.body, self.lang), classes="lesson-text")


class PlotView(UnitView):
    def __init__(self, lesson: Lesson, unit: PlotUnit, lang: str) -> None:
        super().__init__(classes="unit plot-unit")
        self.lesson = lesson
        self.unit = unit
        self.lang = lang

    def compose(self) -> ComposeResult:
        unit = self.unit
        lang = self.lang

        def factory(width: int, height: int) -> FunctionPlot:
            return FunctionPlot(
                unit.functions,
                unit.x_from,
                unit.x_to,
                unit.derivative,
                lang,
                width,
                height,
                variable=unit.variable,
            )

        yield Sized(factory, id="function-plot")
        if unit.caption is not None:
            from tutor.ui.widgets.markdown import LessonMarkdown

            yield LessonMarkdown(self.lesson.render(unit.caption, lang), classes="caption")


class TrainingView(UnitView):
    """Step through a run: one press = one step. `position` = how many steps are revealed."""

    def __init__(
        self,
        lesson: Lesson,
        unit: TrainingUnit,
        lang: str,
        position: int,
        passed: set[str],
        states: dict[str, quiz.QuestionState],
        report: Report | None = None,
        moved: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(classes="unit training-unit")
        self.lesson = lesson
        self.unit = unit
        self.lang = lang
        self.run: Run = lesson.run(unit.id)
        # A resumed position far into a long run is computed once mounted, in a worker.
        self._resume_to = position if position > self.run.computed + AT_ONCE_CHUNK else None
        self.position = self.run.reach(0 if self._resume_to is not None else position)
        self.computing: tuple[int, int] | None = None  # (done, total) while a worker computes
        self.passed = passed  # ids of asks answered or revealed (shared with the screen)
        self.states = states
        self.report = report
        self.moved = moved  # called at once after every move (a key or the play timer)
        self._acknowledged: set[str] = set()  # answered asks the learner moved past
        self._skip_answered_before_open()
        self.speed = DEFAULT_SPEED
        self._timer: Timer | None = None
        self.goto_text: str | None = None  # the "go to step" digits typed so far (the screen's)
        self._title = Panel(id="training-title")  # a repaint alone while its height stays
        self._ask_area = Slot(id="ask-area")
        self._panels = StepPanels(
            self.run, self.position, lang, preview=self.shown_ask() is None, id="panels"
        )
        self._panels.ahead = self._title_ahead
        self._update()

    def compose(self) -> ComposeResult:
        yield self._title
        yield self._ask_area
        yield self._panels

    def on_mount(self) -> None:
        if self._resume_to is not None:
            target, self._resume_to = self._resume_to, None
            self._go(target)

    # -- state

    @property
    def total(self) -> int:
        return self.run.total_steps

    @property
    def playing(self) -> bool:
        return self._timer is not None

    def pending_ask(self, position: int | None = None) -> Ask | None:
        """The ask that must be answered before step `position + 1` is revealed, if any."""
        p = self.position if position is None else position
        return lesson_state.pending_ask(self.unit, p, self.passed)

    def asks_before(self, step: int) -> list[Ask]:
        """The asks to answer before step `step` (1-based) is revealed, in lesson order."""
        return lesson_state.asks_before(self.unit, step)

    def shown_ask(self) -> Ask | None:
        """The ask on screen: one answered in this sitting until the learner moves on, or the
        first pending one."""
        for ask in self.asks_before(self.position + 1):
            if ask.id in self._acknowledged:
                continue
            if ask.id not in self.passed or ask.id in self.states:
                return ask
        return None

    def _skip_answered_before_open(self) -> None:
        """Entering the unit (a restart, or coming back to it) at a step with several asks: the
        answered ones before the first open ask were moved past already; start at that open ask,
        not at the first, answered one. With no open ask, an answered one is shown as it was."""
        asks = self.asks_before(self.position + 1)
        if any(ask.id not in self.passed for ask in asks):
            for ask in asks:
                if ask.id not in self.passed:
                    break
                self._acknowledged.add(ask.id)

    # -- moves (the screen's actions call these)

    def go_next(self) -> bool:
        if self.position >= self.total:
            return False
        if self._past_answered_ask():
            return True
        if self.pending_ask() is not None:
            self._blocked()
            return True
        self._go(self.position + 1)
        return True

    def _past_answered_ask(self) -> bool:
        """An answered ask on screen: move past it. True when another ask of this step is shown
        now (the learner stays at this step); False when there is none, or nothing was moved."""
        shown = self.shown_ask()
        if shown is not None and shown.id in self.passed:
            self._acknowledged.add(shown.id)
            if self.shown_ask() is not None:
                self._update()
                return True
        return False

    def move_past(self, qid: str) -> bool:
        """Ask `qid` was skipped on purpose: move past it as past an answered one. True when
        another ask of this step is shown now (the learner stays at this step)."""
        self._acknowledged.add(qid)
        if self.shown_ask() is not None:
            self._update()
            return True
        return False

    def go_previous(self) -> bool:
        if self.position <= 0:
            return False
        self._go(self.position - 1)
        return True

    def go_to(self, target: int) -> None:
        """Move forward to `target`, stopping before any ask not yet answered."""
        target = max(0, min(target, self.total))
        p = lesson_state.stop_before_ask(self.unit, self.position, target, self.passed)
        if p != self.position:
            self._go(p)
        if p < target:
            self._blocked()

    def jump(self, target: int) -> None:
        """Go to position `target` (clamped): back by indexing, forward as `go_to` (stopping
        before any ask not yet answered)."""
        target = max(0, min(target, self.total))
        if target < self.position:
            self._go(target)
        else:
            self.go_to(target)

    def show_goto(self, text: str | None) -> None:
        """Show the "go to step" prompt with `text` typed so far (None: no prompt)."""
        self.goto_text = text
        self._update_title()

    def go_epoch_end(self) -> None:
        if self.position >= self.total:
            return
        self.go_to(self.run.epoch_end(self.position) + 1)

    def go_run_end(self) -> None:
        self.go_to(self.total)

    def go_start(self) -> None:
        self.pause()
        self._go(0)

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        elif self.position < self.total and self.is_attached:
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
            self._update_title()

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
            self._update_title()

    def change_speed(self, delta: int) -> None:
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        if self._timer is not None:
            self._timer.stop()
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
        self._update_title()

    def _tick(self) -> None:
        if not self.is_attached:  # the app is leaving (or the view was replaced): stop playing
            self.pause()
            return
        if self.position >= self.total:
            self.pause()
            return
        # past an answered ask as `n` goes (space on one used to say "answer first" in a toast
        # and leave the step's next ask hidden), then stop before an open one
        if self._past_answered_ask():
            shown = self.shown_ask()
            if shown is not None and shown.id not in self.passed:
                self._blocked()
            return
        if self.pending_ask() is not None:
            self._blocked()
            return
        self._go(self.position + 1)

    def _blocked(self) -> None:
        self.pause()
        panel = self.question()
        if panel is not None and not panel.finished:
            panel.warn_first()
            # scrolled down (to the epoch history), the ask and its warning were above the fold
            # and the press seemed to do nothing: bring them into view once laid out
            self.call_after_refresh(self._show_ask, panel)
        elif self.is_attached:
            self.notify(t("ui.ask.first", self.lang), timeout=3)

    @staticmethod
    def _show_ask(panel: Widget) -> None:
        if panel.is_attached:
            panel.scroll_visible(animate=False, immediate=True)

    def _go(self, position: int) -> None:
        if self.computing is not None:  # a worker computes the run: moves wait for it
            return
        if position > self.run.computed and self.is_attached and not self._compute_at_once(position):
            # Set before the worker starts: no other move may compute this run meanwhile.
            self.computing = (self.run.computed, position)
            self._update_title()
            self._compute_in_worker(position)
            return
        self.position = self.run.reach(position)  # a diverged run ends at its diverging step
        self._acknowledged.clear()
        self._update()
        if self.moved is not None:
            self.moved()

    def _compute_at_once(self, position: int) -> bool:
        """Compute the run up to `position` here if that takes under AT_ONCE_SECONDS; False
        when it would take longer (what was computed is kept; the worker goes on from it)."""
        from tutor.engine.run import Cancelled  # NumPy's module: loaded with the first run

        start = time.monotonic()

        def in_time(done: int, total: int) -> bool:
            return time.monotonic() - start < AT_ONCE_SECONDS

        try:
            self.run.compute(position, in_time, chunk=AT_ONCE_CHUNK)
        except Cancelled:
            return False
        return True

    @work(thread=True, exclusive=True, group="compute", exit_on_error=True)
    def _compute_in_worker(self, position: int) -> None:
        """Compute the run up to `position` in a thread, the progress in the title; the keys
        stay live: leaving the lesson (q) or the app (Ctrl+C) cancels the worker, which stops
        at its next chunk (a few milliseconds) and changes nothing."""
        from tutor.engine.run import Cancelled

        worker = get_current_worker()
        shown = [time.monotonic()]

        def progress(done: int, total: int) -> bool:
            if worker.is_cancelled:
                return False
            now = time.monotonic()
            if now - shown[0] >= PROGRESS_SECONDS:
                shown[0] = now
                # Posted, not called: the worker computes on while the title is drawn (py-spy:
                # 8 % of its samples waited in call_from_thread for each drawing).
                try:
                    if not self.post_message(self.Computing(done, total)):
                        return False  # the view is closing: stop here
                except RuntimeError:  # the app's loop is closed
                    return False
            return True

        try:
            self.run.compute(position, progress)
        except Cancelled:
            return
        if not worker.is_cancelled:
            with contextlib.suppress(RuntimeError):  # the app closed meanwhile
                self.post_message(self.Computed(position))

    class Computing(Message, bubble=False):
        """From the worker: `done` of `total` steps computed."""

        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Computed(Message, bubble=False):
        """From the worker: the run is computed up to `position` (sent after every Computing)."""

        def __init__(self, position: int) -> None:
            super().__init__()
            self.position = position

    def on_training_view_computing(self, message: Computing) -> None:
        if self.computing is not None:  # posted in order: Computed comes last, and stays last
            self.computing = (message.done, message.total)
            self._update_title()

    def on_training_view_computed(self, message: Computed) -> None:
        self.computing = None
        self._go(message.position)

    # -- drawing

    def _title_state(self, position: int) -> TitleState:
        """What the title line shows at `position` (equal states, the same line)."""
        lang = self.lang
        title = None if self.unit.title is None else self.lesson.render(self.unit.title, lang)
        status: tuple[str | float, ...] = ()
        if self.computing is not None:
            status = ("computing", *self.computing)
        elif self.playing:
            status = ("playing", SPEEDS[self.speed])
        elif position >= self.total:
            status = ("diverged" if self.run.divergence is not None else "finished",)
        return TitleState(lang, title, position, self.total, status, self.goto_text)

    def _update_title(self) -> None:
        state = self._title_state(self.position)
        self._title.show(state, lambda: TitleLine(state))

    def _title_ahead(self, position: int) -> None:
        """Render the title of `position` ahead (with the panels of the next step)."""
        state = self._title_state(position)
        self._title.prerender(state, lambda: TitleLine(state))

    def _update(self) -> None:
        self._update_title()
        ask = self.shown_ask()
        # an ask comes with its own "Next step" preview: the start panel then leaves it out
        self._panels.show(self.position, self.lang, preview=ask is None)
        current = self._panel
        if current is not None and (ask is None or current.spec.qid != ask.id):
            self._panel = current = None
            self._ask_area.fill()
        if ask is not None and current is None:
            rec = self.run.record(self.position)
            from tutor.ui.widgets.question import QuestionPanel

            spec = question_spec(self.lesson, ask, self.lang)
            self._panel = QuestionPanel(
                spec, self.states.get(ask.id), self.lang, report=self._answered
            )
            self._ask_area.fill(next_step_panel(self.run, rec, self.lang), self._panel)
        self._ask_area.display = ask is not None

    def _answered(
        self, qid: str, state: quiz.QuestionState, attempt: tuple[str, bool, bool] | None
    ) -> None:
        if state.solved or state.revealed:
            self.passed.add(qid)
        if self.report is not None:
            self.report(qid, state, attempt)
