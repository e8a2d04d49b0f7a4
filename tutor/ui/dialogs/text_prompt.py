"""One line of text asked in a box (`ModalScreen[str | None]`): Enter gives the text, Esc None.

The playground asks a setting's new value and a lesson id with it. What is typed is plain text:
the caller reads and validates it (it is never markup, never a path until checked).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

MAX_CHARS = 200


class TextPrompt(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "cancel", show=False),
    ]

    def __init__(self, question: str, value: str, help_line: str) -> None:
        super().__init__()
        self.question = question
        self.help_line = help_line
        self._input = Input(value=value, max_length=MAX_CHARS, id="prompt-input")

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box"):
            yield Static(Text(self.question, style="bold"), id="prompt-question")
            yield self._input
            yield Static(Text(self.help_line), id="prompt-help")

    def on_mount(self) -> None:
        self._input.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.app.screen is self:
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        if self.app.screen is self:
            self.dismiss(None)
