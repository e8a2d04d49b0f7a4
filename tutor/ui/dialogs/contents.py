"""The lesson's table of contents (`c`): every unit with its kind and marks; enter jumps there.

A `ModalScreen[int | None]`: it dismisses with the chosen unit's index (0-based) or None, and the
lesson screen moves through `LessonState.move_to`. The entries come from `tutor.contents`; the
dialog only lays them out.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.contents import Entry, contents
from tutor.i18n import t
from tutor.lesson_state import LessonState

STATUS_MARKS = {  # one cell each, and the word after it: never colour alone
    "right": "✓", "revealed": "»", "skipped": "↷", "tried": "✗", "open": "?",
    "done": "✓", "steps": " ", "": " ",
}  # fmt: skip


def entry_lines(entry: Entry, lang: str) -> Table:
    """Two lines, each cut to the width (never wrapped): '▶  3. Title' and, under the title,
    '✓ training walkthrough · step 5 of 12 · 2 to answer'."""
    detail = t(f"ui.unit.{entry.kind}", lang)
    if entry.status == "steps":
        detail += " · " + t("ui.contents.steps", lang, p=entry.step, n=entry.total)
    elif entry.status:
        detail += " · " + t(f"ui.contents.{entry.status}", lang)
    if entry.questions_open:
        detail += " · " + t("ui.contents.asks_open", lang, n=entry.questions_open)
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(width=4, no_wrap=True, justify="right")
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_row(
        Text("▶" if entry.current else " ", style="bold"),
        Text(f"{entry.index + 1}.", style="bold"),
        Text(entry.title, style="bold" if entry.current else ""),
    )
    grid.add_row("", Text(STATUS_MARKS[entry.status]), Text(detail, style="dim"))
    return grid


class ContentsScreen(ModalScreen[int | None]):
    """The units of the lesson in a list; ↑ ↓ and enter jump, esc / q / c close."""

    # priority: each runs as its key arrives, in order (not after the key has bubbled up to
    # the app, by when the keys behind it in the same burst were queued here and lost: `c ↓
    # enter p` chose the unit and dropped the p)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,c", "close", "close", show=False, priority=True),
        Binding("enter", "choose", "go", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("down", "move(1)", show=False, priority=True),
        # the list's own Home, End, PgUp, PgDn ran after an Enter right behind them (a priority
        # key, run as it arrives): `end enter` chose the unit highlighted before
        Binding("pageup", "page(-1)", show=False, priority=True),
        Binding("pagedown", "page(1)", show=False, priority=True),
        Binding("home", "edge(-1)", show=False, priority=True),
        Binding("end", "edge(1)", show=False, priority=True),
        Binding("L", "app.switch_language", "language", show=False),
    ]

    def __init__(self, record: LessonState, lang: str) -> None:
        super().__init__()
        self.record = record
        self.lang = lang
        # made once and kept (never looked up): closed by a key queued right behind the one that
        # opened it, the dialog is dismissed before it mounts, and must not fail then
        self._box = Vertical(id="contents-box")
        self._list = OptionList(id="contents-list")
        self._footer = Static(id="contents-footer")
        # the unit ↑ ↓ have reached, kept here: keys right behind the `c` that opened the dialog
        # arrive before the list has its options (`c ↓ ↓ enter` lost the first ↓)
        self._cursor = record.unit_index

    def compose(self) -> ComposeResult:
        with self._box:
            yield self._list
            yield self._footer

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._show, init=True)
        self._list.focus()

    def _show(self, lang: str) -> None:
        self.lang = lang
        lesson = self.record.lesson
        self._box.border_title = t("ui.contents.title", lang, lesson=lesson.render(lesson.title, lang))
        self._list.clear_options()
        self._list.add_options(
            Option(entry_lines(entry, lang), id=f"unit-{entry.index}")
            for entry in contents(self.record, lang)
        )
        self._list.highlighted = self._cursor
        self._footer.update(Text(t("ui.contents.keys", lang), style="dim"))

    @on(OptionList.OptionSelected, "#contents-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.app.screen is self:
            self.dismiss(event.option_index)

    @on(OptionList.OptionHighlighted, "#contents-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._cursor = event.option_index  # a click moves it in the list itself

    def action_move(self, delta: int) -> None:
        last = len(self.record.lesson.units) - 1
        self._cursor = max(0, min(last, self._cursor + delta))
        if self._list.option_count:
            self._list.highlighted = self._cursor

    def action_page(self, delta: int) -> None:
        rows = self._list.scrollable_content_region.height // 2  # two lines a unit
        self.action_move(delta * max(1, rows))

    def action_edge(self, delta: int) -> None:
        self.action_move(delta * len(self.record.lesson.units))

    def action_choose(self) -> None:
        if self.app.screen is self:
            self.dismiss(self._cursor)

    def action_close(self) -> None:
        if self.app.screen is self:  # a second close key queued in the same burst: nothing
            self.dismiss(None)
