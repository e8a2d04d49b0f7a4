"""The Textual application and `create_app`, the factory the CLI and the tests both use."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.reactive import Reactive, reactive
from textual.screen import Screen

from tutor.i18n import LANGUAGES, t
from tutor.ui.heap import SETTLE_SECONDS, forget_old_styles, settle

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.theme import Theme

    from tutor.accounts import Classroom, Learner
    from tutor.lessons import Lesson, Problem
    from tutor.lifeline import Lifeline
    from tutor.playground.setup import Setup
    from tutor.progress import Store


HANGUP_SIGNALS = (signal.SIGHUP, signal.SIGTERM)  # closed terminal / SSH drop, and `kill`
# Seconds after a directly opened lesson's first frame at which the other lessons are read (the
# frame has settled by then: its second layout follows the first within a few tens of ms)
LATE_LESSONS_SECONDS = 0.25


class Backdrop(Screen[None]):
    """Textual's blank bottom screen, which the app never shows: the first screen (the menu, a
    lesson opened directly, the login) is pushed onto it.

    Textual counts the screen just below the top one as visible: the first screen's layout laid
    out this blank one too, and on its next tick it asked the top screen to repaint what it had
    marked, the whole screen: one full frame more, 30-40 ms after the first screen had settled,
    and that was the frame a learner waited for (issue 10). Below another screen, what it marks
    is dropped; on top (it never is) it paints as any screen.
    """

    def _compositor_refresh(self) -> None:
        if self.app.screen is self:
            super()._compositor_refresh()
        else:
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()


class TutorApp(App[None]):
    """Lesson menu → lesson screen; `L` switches the language of every screen live.

    Progress is saved after every step and answer, so leaving never needs a save: q, Ctrl+C,
    a closed terminal (SIGHUP) and SIGTERM all just exit the app, which restores the terminal.
    Run by `tutor.ui.lifeline.run_app`, the app has a `lifeline`, told of every decision to leave
    (the first decision's status stands), which ends the process within 2 s whatever Textual does.
    """

    CSS_PATH = "app.tcss"
    TITLE = "perceptron-tutor"
    ENABLE_COMMAND_PALETTE = False
    # Textual annotates this `ClassVar[...] | None`, which mypy reads as an instance variable.
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [  # type: ignore[misc]
        (0, "-narrow"),
        (120, "-wide"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        # not priority: a lesson screen decides its keys in order (UnitScreen.on_key), and a
        # priority binding would overtake keys still queued before it
        Binding("L", "switch_language", "language", show=False),
        Binding("question_mark", "help", "help", show=False),
        Binding("ctrl+c", "quit", "quit", show=False, priority=True, system=True),
    ]

    lang: reactive[str] = reactive("en", init=False)
    # Nord from the start: the stylesheet is parsed once with its colours. Setting `theme` once
    # running (it was set in `on_mount`) parsed the whole stylesheet again and restyled and laid
    # out every widget before the first frame (about 20 ms of every start).
    theme: Reactive[str] = Reactive("nord")
    _theme_cache: tuple[str, Theme] | None = None  # (theme name, its Theme): `current_theme`

    def __init__(
        self,
        lang: str,
        lessons_dirs: Sequence[Path],
        store: Store,
        start_lesson: Lesson | None = None,
        start_review: bool = False,
        start_playground: Setup | None = None,
        watch: bool = False,
        classroom: Classroom | None = None,
    ) -> None:
        super().__init__()
        self.set_reactive(TutorApp.lang, lang if lang in LANGUAGES else "en")
        self.lessons_dirs = tuple(lessons_dirs)
        self.store = store
        self.start_lesson = start_lesson
        self.start_review = start_review
        self.start_playground = start_playground
        self.watch_lesson = watch  # --watch: the start lesson reloads when its file is saved
        self.lessons: list[Lesson] = []
        self._lessons_pending = False  # under a lesson opened directly: read a moment later
        self.problems: list[Problem] = []
        self._warned: str | None = None  # the store warning already shown
        self.lifeline: Lifeline | None = None  # set by run_app; None under run_test
        # True once the app has decided to leave (q, Ctrl+C, SIGHUP/SIGTERM): see `on_event`
        self.leaving = False
        # served (`perceptron-tutor serve`): "who are you?" first, then that learner's own store
        self.classroom = classroom
        self.learner: Learner | None = None
        # (message, severity) -> when its toast goes: a sentence already on screen is not stacked
        self._toast_until: dict[tuple[str, str], float] = {}

    def exit(
        self,
        result: None = None,
        return_code: int = 0,
        message: RenderableType | None = None,
    ) -> None:
        """Leave with `return_code`, unless an earlier decision to leave stands (q, then SIGTERM
        while quitting, still exits 0)."""
        self.leaving = True
        if self.lifeline is not None:
            return_code = self.lifeline.leaving(return_code)
        super().exit(result, return_code, message)

    async def on_event(self, event: events.Event) -> None:
        """Keys, mouse input and pastes that come after the decision to leave are dropped.

        Once `exit` is called, Textual reports every widget as detached (`is_attached` is False
        while the app exits), so a key still acted on (`n` after Ctrl+C in one burst, or keys
        typed while the terminal closed) would mount the next unit into a detached body:
        `MountError`, and the internal-error sentence instead of a clean exit. Keys already
        queued on a screen are dropped there (`UnitScreen.on_key`).
        """
        if self.leaving and isinstance(event, events.InputEvent | events.Paste):
            return
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification is plain text, never markup: messages carry lesson titles, file
        paths and ids that other people wrote (`[@click=app.quit]` must show as written).

        The same sentence while its toast is still up is not shown again: `]` pressed four times
        on a last unit stacked four copies over the quiz they were about."""
        now = time.monotonic()
        key = (message, severity)
        if self._toast_until.get(key, 0.0) > now:
            return
        shown_for = self.NOTIFICATION_TIMEOUT if timeout is None else timeout
        self._toast_until = {k: v for k, v in self._toast_until.items() if v > now}
        self._toast_until[key] = now + shown_for
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def clear_notifications(self) -> None:
        """Remove every toast; a sentence said after this is shown again."""
        self._toast_until.clear()
        super().clear_notifications()

    @property
    def current_theme(self) -> Theme:
        """As `App.current_theme`, looked up once per theme name (until a theme is registered).

        Textual asks it for every line it paints (a widget's colours, the ANSI theme under
        each line), and each ask copied the dict of every theme: about 60 asks and 0.2–0.3 ms
        of a 120×40 step's paint."""
        name = self.theme
        cached = self._theme_cache
        if cached is None or cached[0] != name:
            cached = self._theme_cache = (name, super().current_theme)
        return cached[1]

    def register_theme(self, theme: Theme) -> None:
        self._theme_cache = None
        super().register_theme(theme)

    def unregister_theme(self, theme_name: str) -> None:
        self._theme_cache = None
        super().unregister_theme(theme_name)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        """As App.push_screen, after letting go of the screens that have closed (see
        `_forget_closed_watchers` and `tutor.ui.heap.forget_old_styles`)."""
        self._forget_closed_watchers()
        forget_old_styles()
        return super().push_screen(*args, **kwargs)

    def _forget_closed_watchers(self) -> None:
        """Drop the `watch(app, "lang", ...)` callbacks of screens that have closed.

        Textual keeps a callback registered with `watch(self.app, ...)`, and with it the screen
        that made it (its widgets, its run), until the watched reactive next changes. Every
        screen here watches `lang`, so every lesson, playground or help opened and left stayed
        in memory until the learner switched language (the playground opened and left ten times:
        +17,000 objects and +2 MB each time)."""
        watchers = getattr(self, "__watchers", None)  # Textual's own name (textual/reactive.py)
        if isinstance(watchers, dict):
            for watching in watchers.values():
                watching[:] = [(node, callback) for node, callback in watching
                               if not (node._closing or node._closed)]

    def watch_lang(self, lang: str) -> None:
        from tutor.ui.dialogs.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return  # the help redraws in the new language: a toast there covered its last lines
        self.notify(t("ui.language.switched", lang), timeout=2)

    def get_default_screen(self) -> Screen:
        return Backdrop(id="_default")

    def on_mount(self) -> None:
        self._catch_hangup()
        if not gc.isenabled():  # off since the command line (tutor.ui.heap): on after the frame
            self.call_after_refresh(self.set_timer, SETTLE_SECONDS, self._settle_once)
        if self.start_lesson is not None:
            from tutor.ui.screens.lesson import LessonScreen

            # The lesson alone: the menu is made when the learner goes back to it
            # (LessonScreen.action_back). Below the lesson it was composed and laid out before
            # the lesson's first frame, for a screen nobody sees yet.
            self.push_screen(LessonScreen(self.start_lesson, quit_on_back=True,
                                          watch=self.watch_lesson))
            self.report_store()
            # Read a moment after the first frame, not right after it: that frame's layout asks
            # for one more (the widgets' virtual sizes are set by it), and reading the lessons
            # in between held that last frame back by as long as the reading took. The menu
            # reads them at once if it is shown before that (q right away).
            self._lessons_pending = True
            self.call_after_refresh(self.set_timer, LATE_LESSONS_SECONDS, self.read_late_lessons)
            return
        if self.classroom is not None:
            from tutor.ui.screens.login import LoginScreen

            self.load_lessons()
            self.push_screen(LoginScreen(self.classroom))
            return
        # each screen imported when it is shown: the menu's first frame needs no engine (NumPy)
        from tutor.ui.screens.menu import MenuScreen

        self.load_lessons()
        self.push_screen(MenuScreen())
        if self.start_review:
            from tutor.ui.screens.review import ReviewScreen

            self.push_screen(ReviewScreen(quit_on_back=True))
        elif self.start_playground is not None:
            from tutor.ui.screens.playground import PlaygroundScreen

            # q goes to the menu, as from a lesson opened directly: a lesson saved with `s` is there
            self.push_screen(PlaygroundScreen(self.start_playground))
        self.report_store()
        self._report_problems()

    def _settle_once(self) -> None:
        """The first frame is on the screen: collections on again, after one that freezes what
        was loaded to show it (unless the first screen settled already, `SettlesHeap`)."""
        if not gc.isenabled():
            settle()

    def read_late_lessons(self) -> None:
        """Read the lessons left for later by a lesson opened directly, once: the menu's list
        (the menu calls this before it shows them), and the toast about files with problems."""
        if not self._lessons_pending:
            return
        self._lessons_pending = False
        self.load_lessons()
        self._report_problems()

    def _report_problems(self) -> None:
        if self.problems:
            self.notify(
                t("ui.menu.problems", self.lang, n=len(self.problems)),
                severity="warning",
                timeout=8,
            )

    def _fatal_error(self) -> None:
        """An unexpected error: the traceback goes to the crash log, not onto the learner's screen.

        Textual calls this with the exception being handled; under `run_test` the exception is
        still re-raised for the test, since Textual records it before calling here.
        """
        from rich.text import Text

        from tutor.crash import crash_message

        if self.lifeline is not None:
            self.lifeline.leaving(1)
        self.bell()
        self.panic(Text(crash_message(self.lang)))

    def _catch_hangup(self) -> None:
        """Leave cleanly on SIGHUP/SIGTERM with status 128 + signal (the default would kill the
        process mid-frame, perhaps mid-write).

        A plain `signal.signal` handler, not `loop.add_signal_handler`: it runs in the main thread
        at the next bytecode even while the event loop is busy, so the lifeline's watchdog is armed
        at once and the process ends within 2 s even if the loop never comes back; the exit itself
        is handed to the loop. It stays installed after the app is gone, so a late signal cannot
        kill the process while the store is closing.
        """
        if self.is_headless:
            return  # tests: leave the test runner's signals alone
        loop = asyncio.get_running_loop()

        def on_signal(signum: int, _frame: object) -> None:
            if self.lifeline is not None:
                self.lifeline.signalled(signum)
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing left to tell
                loop.call_soon_threadsafe(self.exit, None, 128 + signum)

        for signum in HANGUP_SIGNALS:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signum, on_signal)

    def sign_in(self, learner: Learner) -> None:
        """A served session's learner is known: from now on the app reads and writes only their
        progress file (`learner.db_path`), and the menu replaces the login screen."""
        from tutor.progress import open_store
        from tutor.ui.screens.menu import MenuScreen

        before = self.store
        self.store = open_store(learner.db_path, lang=self.lang)
        self.learner = learner
        before.close()
        self.switch_screen(MenuScreen())
        self.notify(t("serve.login.welcome", self.lang, name=learner.name), timeout=4)
        self.report_store()
        if self.problems:
            self.notify(
                t("ui.menu.problems", self.lang, n=len(self.problems)),
                severity="warning",
                timeout=8,
            )

    def report_store(self) -> None:
        """Show the store's warning once (at start, or when saving fails mid-session)."""
        warning = self.store.warning
        if warning and warning != self._warned:
            self._warned = warning
            self.notify(warning, severity="warning", timeout=10)

    def load_lessons(self) -> None:
        from tutor.lessons import discover

        self.lessons, self.problems = discover(self.lessons_dirs)

    def action_switch_language(self) -> None:
        index = LANGUAGES.index(self.lang) if self.lang in LANGUAGES else 0
        self.lang = LANGUAGES[(index + 1) % len(LANGUAGES)]

    def action_glossary(self) -> None:
        from tutor.ui.screens.glossary import GlossaryScreen

        if not isinstance(self.screen, GlossaryScreen):
            self.push_screen(GlossaryScreen())

    def action_help(self) -> None:
        from tutor.ui.dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def create_app(
    lang: str,
    lessons_dirs: Sequence[Path] = (),
    store: Store | None = None,
    start_lesson: str | None = None,
    *,
    start_review: bool = False,
    start_playground: Setup | None = None,
    watch: bool = False,
    classroom_dir: Path | None = None,
) -> TutorApp:
    """Build the app. `start_lesson` (an id or a path) opens that lesson at once; `start_review`
    opens the review of missed questions (q then quits); `start_playground` opens the playground
    on that setting (q then quits); `watch` reloads the start lesson each time its file is saved.

    `classroom_dir` (a served session): the app starts with "who are you?" and then uses that
    learner's own progress file in the folder (`tutor.accounts`); `store` is replaced then.

    Raises `tutor.lessons.LessonError` when `start_lesson` cannot be found or is invalid, before
    anything is drawn, so the CLI can print the problems.
    """
    lesson = None
    if start_lesson is not None:
        from tutor.lessons import find_lesson

        lesson = find_lesson(start_lesson, tuple(lessons_dirs))
    if store is None:
        from tutor.progress import MemoryStore

        store = MemoryStore()
    classroom = None
    if classroom_dir is not None:
        from tutor.accounts import Classroom

        classroom = Classroom(classroom_dir)
    return TutorApp(lang, lessons_dirs, store, lesson, start_review, start_playground, watch,
                     classroom)
