"""Live reload of the lesson on screen: `--watch` (a save reloads it) and the key R (reload now).

The file is loaded and checked in a thread (`tutor.lessons.watch.reload_lesson`: a lesson with long
trainings takes a while to replay), so the screen keeps answering keys meanwhile; the result comes
back as a worker event on the screen's own thread and is applied there:

* an edit that loads: the new lesson replaces the old, and the learner is put back where the store
  says they are, exactly as when the lesson is opened again after a restart (`LessonState.restore`,
  `tutor.resume`): the same unit id and step, or the nearest earlier unit if that unit is gone, or
  step 0 of a training whose configuration changed. Problems that `check` still finds (an answer
  the engine contradicts, a warning) are listed in the panel above the unit;
* an edit that does not load: the last good version stays on screen, and the panel lists the
  edit's problems as `file:line: field: message`, as `check` prints them (text, never markup).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from tutor.i18n import t
from tutor.lessons.watch import POLL_SECONDS, FileWatch, Reloaded, reload_lesson
from tutor.ui.screens.base import UnitScreen

if TYPE_CHECKING:
    from tutor.lessons import Lesson

MAX_SHOWN = 6  # problems listed in the panel; the rest are counted


class ProblemsPanel(Static):
    """What is wrong with the last save of the lesson file; hidden when nothing is."""

    DEFAULT_CSS = """
    ProblemsPanel {
        display: none;
        height: auto;
        max-height: 9;
        padding: 0 1;
        background: $error 25%;
    }
    ProblemsPanel.-shown {
        display: block;
    }
    """

    def show_result(self, result: Reloaded | None, lang: str) -> None:
        """Show the problems of `result` (None, or nothing wrong: hide)."""
        if result is None or not result.problems:
            self.remove_class("-shown")
            self.update("")
            return
        errors = len(result.errors)
        if result.lesson is None:
            title = t("ui.reload.broken", lang, n=errors)
        elif errors:
            title = t("ui.reload.problems", lang, n=errors)
        else:
            title = t("ui.reload.warnings", lang, n=len(result.problems))
        text = Text(title, style="bold")
        for problem in result.problems[:MAX_SHOWN]:
            text.append("\n" + str(problem))  # Text: a problem quotes what the author wrote
        if len(result.problems) > MAX_SHOWN:
            text.append("\n" + t("ui.reload.more", lang, n=len(result.problems) - MAX_SHOWN))
        self.update(text)
        self.add_class("-shown")


class LiveReload(UnitScreen):
    """The reload half of the lesson screen (`tutor.ui.screens.lesson.LessonScreen`)."""

    lesson: Lesson
    watching: bool = False  # --watch: reload when the file is saved
    _file_watch: FileWatch | None = None
    _last_reload: Reloaded | None = None

    def _start_watching(self) -> None:
        """With --watch: look at the file twice a second."""
        if self.watching:
            self._file_watch = FileWatch([self.lesson.path])
            self.set_interval(POLL_SECONDS, self._poll_file)

    def _poll_file(self) -> None:
        if self._file_watch is not None and self._file_watch.changed():
            self.action_reload()

    def action_reload(self) -> None:
        """Load the lesson file again, in a thread; `on_worker_state_changed` applies it."""
        lesson = self.lesson
        self.run_worker(partial(reload_lesson, lesson.path, shown_as=lesson.display_path),
                        name="reload", group="reload", thread=True, exclusive=True)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "reload" or event.state != WorkerState.SUCCESS:
            return
        result = worker.result
        if isinstance(result, Reloaded) and self.is_mounted:
            self._apply_reload(result)

    def _apply_reload(self, result: Reloaded) -> None:
        self._last_reload = result
        self.problems_panel.show_result(result, self.lang)
        if result.lesson is None:
            return  # the last good version stays on screen
        self._replace_lesson(result.lesson)
        self.notify(t("ui.reload.done", self.lang), timeout=2)

    @property
    def problems_panel(self) -> ProblemsPanel:
        return self.query_one(ProblemsPanel)

    def _replace_lesson(self, lesson: Lesson) -> None:
        """Put `lesson` on screen where the learner is (see the module docstring)."""
        raise NotImplementedError
