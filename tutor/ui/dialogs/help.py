"""Help (`?`): every key, and what the numbers on the walkthrough mean."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tutor.i18n import t
from tutor.render.equation import Prose

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp


def help_renderable(lang: str) -> Group:
    """Every key in a two-column table, then what the walkthrough's numbers mean."""
    keys = Table(box=box.SIMPLE_HEAD, show_header=False, pad_edge=False, expand=True)
    keys.add_column(no_wrap=True, style="bold")
    # fold, not the default ellipsis: Rich's wrap of Korean can leave a line one cell too wide,
    # and the ellipsis then cut every wrapped Korean line with "…"
    keys.add_column(ratio=1, overflow="fold")
    for line in t("ui.help.keys", lang).strip().splitlines():
        key, _, what = line.partition("\t")
        keys.add_row(key, Prose(what))  # never "−0.35 +⏎0.35…" inside an expression
    numbers = Table(box=None, show_header=False, pad_edge=False, expand=True)
    numbers.add_column(no_wrap=True)
    numbers.add_column(ratio=1, overflow="fold")
    for line in t("ui.help.numbers", lang).strip().splitlines():
        name, _, what = line.partition(":")
        numbers.add_row("•", Prose(name + ":" + what, lead=len(name) + 1))
    return Group(
        Text(t("ui.help.keys_title", lang), style="bold underline"),
        keys,
        Text(t("ui.help.keys_note", lang), style="italic"),
        Text(),
        Text(t("ui.help.numbers_title", lang), style="bold underline"),
        numbers,
    )


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: run as the key arrives, not after it has bubbled up to the app, by when
        # the keys behind it in the same burst were queued here too and lost (`? q ] ]`)
        Binding("escape,q,question_mark,enter", "close", "close", show=False, priority=True),
        Binding("L", "app.switch_language", "language", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # made once and kept (never looked up): a help closed by a key queued right behind the
        # one that opened it is dismissed before it mounts, and must not fail then
        self._box = Vertical(id="help-box")
        self._text = Static(id="help-text")
        self._scroll = VerticalScroll(self._text, id="help-scroll")
        self._footer = Static(id="help-footer")

    def compose(self) -> ComposeResult:
        with self._box:
            yield self._scroll
            yield self._footer

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._show, init=True)
        self._scroll.focus()

    def _show(self, lang: str) -> None:
        lang = cast("TutorApp", self.app).lang  # Textual types `self.app` as any App
        self._box.border_title = t("ui.help.title", lang)
        self._text.update(help_renderable(lang))
        self._footer.update(t("ui.help.close", lang))

    def action_close(self) -> None:
        if self.app.screen is self:  # a second close key queued in the same burst: nothing
            self.dismiss(None)
