"""A yes/no question in a box (`ModalScreen[bool]`): y or enter on "yes" confirms; n, esc, q cancel.

"No" has the focus at first, so an absent-minded enter never confirms something that cannot be
undone.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tutor.i18n import t


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "yes", show=False),
        Binding("n,escape,q", "answer(False)", "no", show=False),
        Binding("left,right", "app.focus_next", "switch", show=False),
    ]

    def __init__(self, question: str, yes: str, lang: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.lang = lang
        self._no = Button(t("ui.confirm.no", lang) + " (n)", id="confirm-no")  # kept, not queried

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", id="confirm-yes", variant="error")
                yield self._no

    def on_mount(self) -> None:
        self._no.focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.app.screen is self:
            self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, yes: bool) -> None:
        if self.app.screen is self:  # a second answer key queued in the same burst: nothing
            self.dismiss(yes)
