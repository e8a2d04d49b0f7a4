"""The lesson screen's "go to step" prompt (`:` then digits, Enter): the half of
`tutor.ui.screens.lesson.LessonScreen` that reads the digits and jumps.

While the prompt is open it takes keys first (`UnitScreen._prompt_key`): digits, full-width ones
as an IME types them, Backspace, Enter (jump; going forward it stops before a question not yet
answered) and Esc; any other key closes the prompt and keeps its meaning.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from tutor.ui.screens.base import UnitScreen

if TYPE_CHECKING:
    from tutor.ui.widgets.units import TrainingView


def number_digit(character: str | None) -> str | None:
    """'7' for '7' or the full-width '７' an IME types; None for anything else."""
    if character is None or len(character) != 1:
        return None
    value = unicodedata.digit(character, None)
    return str(value) if value is not None and unicodedata.category(character) == "Nd" else None


class GoToStep(UnitScreen):
    """The prompt's half of the lesson screen, which gives `_training` and `_sync_position`."""

    goto: str | None = None  # digits typed after `:` ("go to step"), None: no prompt

    def _training(self) -> TrainingView | None:
        """The training view on screen, if the unit is a training."""
        raise NotImplementedError

    def _sync_position(self) -> None:
        """Save where the learner is now (after a jump)."""
        raise NotImplementedError

    def _prompt_key(self, key: str, character: str | None) -> bool:
        if self.goto is None:
            return False
        if self._goto_key(key, character):
            return True
        self._goto_close()  # any other key closes the prompt and keeps its meaning
        return False

    def _goto_key(self, key: str, character: str | None) -> bool:
        """A key while the prompt is open: digits (full-width too), Backspace, Enter, Esc."""
        view = self._training()
        if view is None or self.goto is None:
            return False
        if key == "enter":
            typed = self.goto
            self._goto_close()
            if typed:
                view.jump(int(typed))
                self._sync_position()
            return True
        if key == "escape":
            self._goto_close()
            return True
        if key == "backspace":
            self.goto = self.goto[:-1]
        else:
            digit = number_digit(character)
            if digit is None:
                return False
            if len(self.goto) < len(str(view.total)):  # bounded: no longer than the last step
                self.goto += digit
        view.show_goto(self.goto)
        return True

    def _goto_close(self) -> None:
        self.goto = None
        if (view := self._training()) is not None and view.goto_text is not None:
            view.show_goto(None)

    def action_goto(self) -> None:
        if (view := self._training()) is not None:
            view.pause()
            self.goto = ""
            view.show_goto("")
