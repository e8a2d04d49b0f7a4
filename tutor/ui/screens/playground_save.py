"""The playground's "save as a lesson" (`s`): ask an id, refuse one that is taken or unsafe, ask
before replacing a file, write through `tutor.playground.save_lesson` (the same text as
`play … --save ID`), then let the menu find it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.i18n import t
from tutor.playground.save import SaveError, id_problem, save_lesson
from tutor.ui.screens.base import TutorScreen

if TYPE_CHECKING:
    from tutor.playground.setup import Setup


class SaveAsLesson(TutorScreen):
    """The playground screen's base: `action_save`, with the setting in `self.setup`."""

    setup: Setup

    def _pause(self) -> None:
        """Stop playing (the playground screen's)."""

    # -- save

    def action_save(self) -> None:
        from tutor.ui.dialogs.text_prompt import TextPrompt

        self._pause()
        lang = self.lang
        self.app.push_screen(
            TextPrompt(t("play.save.question", lang), "", t("play.save.help", lang)),
            self._save_as,
        )

    def _save_as(self, lesson_id: str | None, replace: bool = False) -> None:
        from tutor import paths
        from tutor.text import clean
        from tutor.ui.dialogs.confirm import ConfirmScreen

        if lesson_id is None:
            return
        lesson_id = lesson_id.strip()
        lang = self.lang
        problem = id_problem(lesson_id)
        if problem is not None:
            self.app.notify(t("play.save.bad_id", lang, id=clean(lesson_id)[:40], why=problem),
                            severity="error", timeout=8)
            return
        folder = paths.user_lessons_dir()
        target = (folder / f"{lesson_id}.yaml").resolve()
        for lesson in self.tutor.lessons:
            if lesson.id == lesson_id and lesson.path.resolve() != target:
                self.app.notify(t("play.save.taken", lang, id=lesson_id,
                                  path=lesson.display_path), severity="error", timeout=8)
                return
        try:
            path = save_lesson(self.setup, lesson_id, folder, replace=replace)
        except SaveError as exc:
            if exc.exists and not replace:
                def answered(yes: bool | None) -> None:
                    if yes:
                        self._save_as(lesson_id, replace=True)

                self.app.push_screen(ConfirmScreen(
                    t("play.save.exists", lang, path=clean(str(folder / f"{lesson_id}.yaml"))),
                    t("play.save.replace", lang), lang), answered)
                return
            shown = [str(p) for p in exc.problems] or [str(exc)]
            self.app.notify("\n".join(shown), severity="error", timeout=10)
            return
        except OSError as exc:
            self.app.notify(t("play.save.failed", lang, reason=exc.strerror or type(exc).__name__),
                            severity="error", timeout=10)
            return
        self.tutor.load_lessons()
        self.app.notify(t("play.save.done", lang, path=clean(str(path)), id=lesson_id), timeout=8)
