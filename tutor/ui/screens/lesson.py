"""The lesson screen (its rules: tutor.lesson_state, shared with the plain mode): units in order, 'unit i of n', keys to step, answer, move on, back and out."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor import quiz
from tutor.i18n import t
from tutor.lesson_state import LessonState, LessonStateView, stop_before_ask
from tutor.lesson_state import restored_states as restored_states  # tests import it from here
from tutor.lessons import Lesson, PlotUnit, QuizUnit, TextUnit, TrainingUnit
from tutor.resume import Resume, place
from tutor.ui.heap import SettlesHeap
from tutor.ui.screens.base import Body, UnitScreen
from tutor.ui.screens.goto import GoToStep
from tutor.ui.screens.reload import LiveReload, ProblemsPanel
from tutor.ui.widgets.keybar import KeyBar, Keys
from tutor.ui.widgets.units import PlotView, TextView, TrainingView, UnitView

if TYPE_CHECKING:  # loaded when shown: a first frame without a question needs no markdown-it
    from tutor.ui.widgets.question import QuestionPanel

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
# a network's training also opens the staged backpropagation walkthrough (b)
NETWORK_KEYS: Keys = (*TRAINING_KEYS[:-2], ("b", "backprop.key.stages"), *TRAINING_KEYS[-2:])
UNIT_KEYS: Keys = (
    ("→ n", "ui.key.next_unit"),
    ("← p", "ui.key.prev_unit"),
    ("↑ ↓", "ui.key.scroll"),
    ("c", "ui.key.contents"),
    ("w", "ui.key.glossary"),
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


class LessonScreen(SettlesHeap, GoToStep, LiveReload, LessonStateView, UnitScreen):
    """The lesson: its units in order. Every key is decided by `UnitScreen.on_key`, in order; the
    screen keeps the records (every unit's step, every question's state, the skips) and the views
    show them. Home/End scroll; g/G go to the start/end of a run (nothing is lost by either)."""

    KEYMAP: ClassVar[dict[str, str]] = {
        **UnitScreen.KEYMAP,
        "right": "next",
        "n": "next",
        "left": "previous",
        "p": "previous",
        "space": "play",
        "plus": "speed(1)",
        "equals_sign": "speed(1)",
        "minus": "speed(-1)",
        "e": "epoch_end",
        "G": "run_end",
        "g": "start",
        "t": "try_it",
        "colon": "goto",
        "right_square_bracket": "next_unit",
        "left_square_bracket": "previous_unit",
        "c": "contents",
        "w": "app.glossary",
        "b": "stages",
        "R": "reload",
    }

    def __init__(self, lesson: Lesson, *, quit_on_back: bool = False, watch: bool = False) -> None:
        super().__init__(quit_on_back=False)  # q goes back to the menu, even opened directly
        self.opened_directly = quit_on_back  # no menu below yet (see `action_back`)
        self.lesson = lesson
        # the records and the rules shared with the plain mode (tutor.lesson_state)
        self.record = LessonState(lesson)
        self._done_notified = False
        self.watching = watch  # --watch: a save of the lesson file reloads it (LiveReload)

    def compose(self) -> ComposeResult:
        # the unit resumed at is composed with the screen: in its first frame, not a frame later
        self._resumed = self.record.restore(self.tutor.store)
        self._view = self._build_view()
        yield Static(id="lesson-head")
        yield ProblemsPanel(id="reload-problems")
        yield Body(self._view, id="unit-body")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self._tell_resumed(self._resumed)
        self.watch(self.app, "lang", self._language_changed, init=False)
        self._shown()
        self._start_watching()

    def _tell_resumed(self, point: Resume) -> None:
        """Say so when the learner does not resume exactly where they were (`record.restore`;
        tutor.resume for a lesson edited since): the unit, each training's step, each question."""
        lesson = self.lesson
        if point.restarted:
            self.notify(t("ui.resume.restarted", self.lang), timeout=8)
        elif point.moved:
            self.notify(
                t("ui.resume.moved", self.lang, i=point.index + 1, n=len(lesson.units)),
                timeout=8,
            )

    # -- "go to step N": `:` then digits and Enter (before the answer box: digits are the step's)

    # -- the current unit

    @property
    def unit(self) -> TextUnit | PlotUnit | TrainingUnit | QuizUnit:
        return self.lesson.units[self.unit_index]

    def show_unit(self, index: int) -> None:
        """Mount the view of unit `index` (0-based) and save the position."""
        self.unit_index = max(0, min(index, len(self.lesson.units) - 1))
        body = self.body
        old = self._view
        if old is not None and isinstance(old, TrainingView):
            old.pause()
        self._view = self._build_view()
        body.show(self._view)  # in one frame, once mounted (no empty body in between)
        self._shown()

    def _shown(self) -> None:
        """The current unit's view is shown (or mounting): head, keys, position saved, done."""
        # the head says at once where the learner is (as the store does): under load the new
        # view may take a moment to mount, and the old one stays in view until then
        self._update_chrome()
        self._save()
        self._check_done()

    def _build_view(self) -> UnitView:
        self.goto = None  # a prompt belongs to the view it was opened in
        unit = self.unit
        lang = self.lang
        if isinstance(unit, TextUnit):
            return TextView(self.lesson, unit, lang)
        if isinstance(unit, PlotUnit):
            return PlotView(self.lesson, unit, lang)
        if isinstance(unit, TrainingUnit):
            return TrainingView(
                self.lesson,
                unit,
                lang,
                self.positions.get(unit.id, 0),
                self.passed,
                self.states,
                report=self._report,
                moved=self._sync_position,
            )
        from tutor.ui.widgets.quiz_views import QuizView

        return QuizView(
            self.lesson,
            unit,
            lang,
            self.states.get(unit.id),
            report=self._report,
            skipped=unit.id in self.skipped,
            order=self.record.choice_order(unit),
        )

    def _update_chrome(self) -> None:
        lang = self.lang
        where = Text("  ·  ")
        where.append(
            t("ui.lesson.unit_of", lang, i=self.unit_index + 1, n=len(self.lesson.units)),
            style="bold reverse",
        )
        where.append("  " + t(f"ui.unit.{self.unit.kind}", lang))
        if self._done_notified:
            where.append("  ✓ " + t("ui.lesson.done", lang), style="bold")
        # one line: a title too long for it is cut with "…", never the position or "done"
        title = Text(self.lesson.render(self.lesson.title, lang), style="bold")
        room = max(1, self.app.size.width - 2 - where.cell_len)  # the head's padding: 1 + 1
        title.truncate(room, overflow="ellipsis")
        self.query_one("#lesson-head", Static).update(Text.assemble(title, where))
        self._update_keys()

    def _update_keys(self) -> None:
        """The keys that work now: a quiz answered (or revealed) no longer offers 1-9, h, r."""
        unit = self.unit
        keys: Keys
        if isinstance(unit, TrainingUnit):
            keys = NETWORK_KEYS if unit.config.model == "mlp" else TRAINING_KEYS
        elif isinstance(unit, QuizUnit) and self._open_question() is not None:
            keys = CHOICE_KEYS if unit.kind == "choice" else QUIZ_KEYS
        else:
            keys = UNIT_KEYS
        self.query_one(KeyBar).show_keys(keys, self.lang)

    def on_resize(self) -> None:
        self._update_chrome()  # the head's title is fitted to the width

    def _save(self) -> None:
        unit = self.unit
        step = self.positions.get(unit.id, 0) if isinstance(unit, TrainingUnit) else 0
        where = place(self.lesson, self.unit_index)
        store = self.tutor.store
        store.save_position(
            self.lesson.id,
            unit.id,
            step,
            index=where.index,
            before=where.before,
            fingerprint=where.fingerprint,
        )
        if isinstance(unit, TrainingUnit):
            store.save_unit_step(self.lesson.id, unit.id, step)
        self.tutor.report_store()

    def _language_changed(self, lang: str) -> None:
        given = self._open_question()  # an answer being given: the typed number, the › choice
        self.show_unit(self.unit_index)
        view = self._view
        panel = view.question() if view is not None else None
        if given is not None and panel is not None:
            panel.keep_input_of(given)
        self.problems_panel.show_result(self._last_reload, lang)

    def _replace_lesson(self, lesson: Lesson) -> None:
        """A reloaded lesson: restored from the store as if opened again (see LiveReload)."""
        if (view := self._training()) is not None:
            view.pause()
        self.lesson = lesson
        self.record = LessonState(lesson)
        self.tutor.lessons = [lesson if known.path == lesson.path else known
                              for known in self.tutor.lessons]
        self._tell_resumed(self.record.restore(self.tutor.store))
        self.show_unit(self.unit_index)

    # -- what the views report

    def _sync_position(self) -> None:
        """The training view moved (a key or the play timer): keep and save its position."""
        view = self._view
        if (
            isinstance(view, TrainingView)
            and view.unit.id == self.unit.id
            and self.positions.get(view.unit.id) != view.position
        ):
            self.positions[view.unit.id] = view.position
            self._save()

    def _report(
        self, qid: str, state: quiz.QuestionState, attempt: tuple[str, bool, bool] | None
    ) -> None:
        """A question's state changed (called at once by the panel, in key order)."""
        self.record.answered(qid, state)
        self._update_keys()
        if attempt is not None:
            answer, correct, revealed = attempt
            self.tutor.store.record_attempt(
                self.lesson.id, qid, answer, correct, state.hints_shown, revealed
            )
            self.tutor.report_store()
        self._check_done()

    # -- done, and skipping on purpose

    def open_questions(self) -> list[str]:
        """Ids of the questions neither finished (right or revealed) nor skipped, in order."""
        return self.record.open_questions()

    def _check_done(self) -> None:
        """Done when the last unit is reached and every question is answered or skipped."""
        if not self.record.done():
            return
        if self.tutor.store.summary(self.lesson.id).status != "done":
            self.tutor.store.mark_done(self.lesson.id)
        if not self._done_notified:
            # on the lesson's own head, not a toast: a toast would follow the learner into the
            # menu and the next lesson
            self._done_notified = True
            self._update_chrome()

    def _skip_or_warn(self, panel: QuestionPanel) -> bool:
        """`n` on an unanswered question: the first time say that `n` again skips it (True: stay);
        the second time record the skip and move past it: to the next ask of the same step
        (True: stay at this step) or on (False)."""
        if not panel.skip_warned:
            panel.warn_skip()
            self._bring_into_view(panel.newest_widget())
            return True
        qid = panel.spec.qid
        self.record.skip(qid)
        self.tutor.store.record_skip(self.lesson.id, qid)
        self.tutor.report_store()
        view = self._view
        # another ask before the same step: it is shown now (else `n` goes on to the step)
        return isinstance(view, TrainingView) and view.move_past(qid)

    # -- actions

    def action_next(self) -> None:
        view = self._view
        panel = self._open_question()
        if panel is not None and self._skip_or_warn(panel):
            return
        if view is not None and view.go_next():
            self._sync_position()
            return
        self.action_next_unit()

    def action_previous(self) -> None:
        view = self._view
        if view is not None and view.go_previous():
            self._sync_position()
            return
        self.action_previous_unit()

    def action_next_unit(self) -> None:
        if self.unit_index + 1 < len(self.lesson.units):
            self.show_unit(self.unit_index + 1)
            return
        left = self.open_questions()
        if self.lesson.exam:  # the end of an exam: its score and the missed questions (and the
            from tutor.ui.screens.exam_score import ExamScoreScreen  # open ones, said there)

            self._check_done()
            self.app.push_screen(ExamScoreScreen(self.lesson, self.record))
        elif left:
            self.notify(t("ui.lesson.open_questions", self.lang, n=len(left)), timeout=6)
        else:
            self._check_done()

    def action_previous_unit(self) -> None:
        if self.unit_index > 0:
            self.show_unit(self.unit_index - 1)

    def _training(self) -> TrainingView | None:
        view = self._view
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
            self._sync_position()

    def action_run_end(self) -> None:
        if (view := self._training()) is not None:
            view.go_run_end()
            self._sync_position()

    def action_try_it(self) -> None:
        """t on a training: the playground with its data and settings (q comes back here)."""
        from tutor.playground.setup import Setup
        from tutor.ui.screens.playground import PlaygroundScreen

        if (view := self._training()) is None:
            return
        view.pause()
        setup = Setup.from_config(view.run.config, preset=self.lesson.id)
        if setup is None or setup.problems():
            self.notify(t("play.from_lesson.cannot", self.lang), severity="warning", timeout=6)
            return
        self.app.push_screen(PlaygroundScreen(setup))

    def action_start(self) -> None:
        if (view := self._training()) is not None:
            view.go_start()
            self._sync_position()
            self.body.scroll_home(animate=False)  # the start panel is at the top

    def action_stages(self) -> None:
        """Open the staged backpropagation walkthrough on the update last shown (networks)."""
        view = self._training()
        if view is None:
            return
        if view.unit.config.model != "mlp":
            self.notify(t("backprop.not_network", self.lang), timeout=3)
            return
        if view.position == 0:
            self.notify(t("backprop.need_step", self.lang), timeout=4)
            return
        view.pause()
        unit_id = view.unit.id
        # updates it may show: up to the first question not yet answered, as `n` would stop
        limit = stop_before_ask(view.unit, view.position, view.total, view.passed)

        def left_at(update: int) -> None:
            current = self._training()
            if current is not None and current.unit.id == unit_id:
                current.jump(update + 1)
                self._sync_position()

        from tutor.ui.screens.backprop import BackpropScreen

        self.app.push_screen(
            BackpropScreen(view.run, view.position - 1, max(limit, view.position), left_at)
        )

    def action_back(self) -> None:
        """q: the menu; a lesson opened directly has none below it: made now, in its place."""
        from tutor.ui.screens.menu import MenuScreen

        if self.opened_directly and self.app.screen is self and not any(
                isinstance(below, MenuScreen) for below in self.app.screen_stack[-2:-1]):
            self._leaving()
            self.app.switch_screen(MenuScreen())
        else:
            super().action_back()

    def _leaving(self) -> None:
        if (view := self._training()) is not None:
            view.pause()

    # -- the table of contents (`c`): the dialog shows tutor.contents, the jump goes through the
    #    LessonState

    def action_contents(self) -> None:
        from tutor.ui.dialogs.contents import ContentsScreen

        if self.app.screen is not self:
            return
        if (view := self._training()) is not None:
            view.pause()
        self.app.push_screen(ContentsScreen(self.record, self.lang), self._jump)

    def _jump(self, index: int | None) -> None:
        """The contents dialog closed: on the chosen unit (None: stay where the learner is)."""
        if index is not None and self.is_attached:
            self.show_unit(self.record.move_to(index))
