"""The walkthrough's title line: where the run is, and what it is doing (computing, playing …).

A `TitleState` is everything the line shows, so it is also the key the line is rendered and kept
under: the next step's line is rendered ahead with the step's panels.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
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

    def line(self, width: int | None = None) -> Text:
        """The line, as the learner reads it (text from the lesson is never markup). Given the
        `width` in cells it is drawn at, the training's title is cut to what the rest of the
        line leaves (left out when that is under `MIN_TITLE_CELLS`): the position and the "go to
        step" prompt always show, the status too unless the prompt needs its room, and the line
        stays one row (at 80 columns a Korean prompt after a 60-cell title took two, and the
        panel kept the second row)."""
        lang, total = self.lang, self.total
        position = Text(t("ui.training.position", lang, p=self.position, n=total))
        status = self._status()
        prompt = Text()
        if self.goto_text is not None:
            prompt.append("  " + t("ui.training.goto", lang, n=total) + " ", style="bold")
            prompt.append(self.goto_text + "▏", style="reverse")
        rest = Text.assemble(position, status, prompt)
        if width is not None and self.goto_text is not None and rest.cell_len > width:
            # the prompt takes the status's place: at the end of a run '■ 학습 끝: →를 누르면
            # 다음으로' and the Korean prompt made 85 cells at 80 columns, two rows that stayed
            rest = Text.assemble(position, prompt)
        if self.unit_title is None:
            return rest
        cells = UNIT_TITLE_CELLS
        if width is not None:
            cells = min(cells, width - rest.cell_len - len(GAP))
            if cells < MIN_TITLE_CELLS:
                return rest
        return Text.assemble((one_line(self.unit_title, cells), "bold"), GAP, rest)

    def _status(self) -> Text:
        """What the run is doing, after the position ("" when nothing is worth saying)."""
        lang, status = self.lang, self.status
        if status[:1] == ("computing",):
            done, of = int(status[1]), int(status[2])
            return Text("  … " + t("ui.training.computing", lang, done=f"{done:,}",
                                   total=f"{of:,}", pct=done * 100 // max(1, of)),
                        style="bold")
        if status[:1] == ("playing",):
            seconds = solution_text(float(status[1]))
            return Text("  ▶ " + t("ui.training.playing", lang, s=seconds), style="bold")
        if status == ("diverged",):
            return Text("  ■ " + t("ui.training.diverged", lang), style="bold")
        if status == ("finished",):
            return Text("  ■ " + t("ui.training.finished", lang), style="bold")
        return Text()


GAP = "  "  # between the training's title and the position
MIN_TITLE_CELLS = 8
"""Less room than this for the training's title (a narrow terminal, a long prompt) leaves it out."""


class TitleLine:
    """A `TitleState`'s line as a renderable: drawn at the width it is given (see `line`)."""

    def __init__(self, state: TitleState) -> None:
        self.state = state

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.state.line(options.max_width)

    def __str__(self) -> str:
        """The whole line as plain text (the title not cut to a width)."""
        return self.state.line().plain
