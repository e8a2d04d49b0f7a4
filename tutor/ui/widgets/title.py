"""The walkthrough's title line: where the run is, and what it is doing (computing, playing …).

A `TitleState` is everything the line shows, so it is also the key the line is rendered and kept
under: the next step's line is rendered ahead with the step's panels.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.text import Text

from tutor.i18n import t
from tutor.question_spec import solution_text

UNIT_TITLE_CELLS = 60
"""A training's title longer than this (in terminal cells) is cut, with "…": the line is where
the run is, and a lesson's title of thousands of characters must not push the steps off screen."""


def one_line(title: str, cells: int = UNIT_TITLE_CELLS) -> str:
    """`title` on one line (runs of white space, line breaks included, as one space), cut to at
    most `cells` terminal cells with "…" (a wide character is never split)."""
    title = " ".join(title.split())
    if cell_len(title) <= cells:
        return title
    # The longest prefix within `cells - 1` cells, found by bisection on `cell_len` (Rich's
    # `set_cell_size` miscounts a run of zero-width joiners and can end one cell over).
    low, high = 0, len(title)
    while low < high:
        middle = (low + high + 1) // 2
        if cell_len(title[:middle]) <= cells - 1:
            low = middle
        else:
            high = middle - 1
    return title[:low].rstrip(_DANGLING) + "…"


_DANGLING = " \u200b\u200c\u200d\u2060\ufeff"
"""Left at the end of a cut title, these would join or space the "…" to nothing."""


class TitleState(NamedTuple):
    """What a walkthrough's title line shows; the key its rendered line is kept under."""

    lang: str
    unit_title: str | None
    position: int
    total: int
    # ("computing", done, of), ("playing", seconds a step), ("finished",), ("diverged",) or ()
    status: tuple[str | float, ...]
    goto_text: str | None  # the "go to step" digits typed so far

    def line(self) -> Text:
        """The line, as the learner reads it (text from the lesson is never markup)."""
        lang, total, status = self.lang, self.total, self.status
        title = Text()
        if self.unit_title is not None:
            title.append(one_line(self.unit_title), style="bold")
            title.append("  ")
        title.append(t("ui.training.position", lang, p=self.position, n=total))
        if status[:1] == ("computing",):
            done, of = int(status[1]), int(status[2])
            title.append("  … " + t("ui.training.computing", lang, done=f"{done:,}",
                                     total=f"{of:,}", pct=done * 100 // max(1, of)),
                         style="bold")
        elif status[:1] == ("playing",):
            seconds = solution_text(float(status[1]))
            title.append("  ▶ " + t("ui.training.playing", lang, s=seconds), style="bold")
        elif status == ("diverged",):
            title.append("  ■ " + t("ui.training.diverged", lang), style="bold")
        elif status == ("finished",):
            title.append("  ■ " + t("ui.training.finished", lang), style="bold")
        if self.goto_text is not None:
            title.append("  " + t("ui.training.goto", lang, n=total) + " ", style="bold")
            title.append(self.goto_text + "▏", style="reverse")
        return title
