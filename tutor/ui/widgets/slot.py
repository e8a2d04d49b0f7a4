"""A place in a view whose content is replaced as a whole (a training's ask area)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget


class Slot(Vertical):
    """A place whose content is replaced as a whole (`fill`), safe before and after it is mounted:
    before its compose has run, the new content is what it will compose."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content: list[Widget] = []
        self._composed = False

    def compose(self) -> ComposeResult:
        self._composed = True
        yield from self._content

    def fill(self, *widgets: Widget) -> None:
        old = self._content
        self._content = list(widgets)
        if not self._composed:
            return
        if old:
            self.remove_children()
        if widgets:
            self.mount(*widgets)
