"""A footer listing the keys that work right now, in the learner's language."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from tutor.i18n import t

# The keys a screen shows right now: (key as printed, i18n key of its label) pairs.
Keys = tuple[tuple[str, str], ...]


def key_lines(pairs: list[tuple[str, str]], width: int) -> Text:
    """`key label` pairs laid out to `width` cells: a line breaks only between two pairs, so a
    label is never split from its key or cut in two ('G  end of' / 'run')."""
    text = Text(end="")
    used = 0
    for key, label in pairs:
        pair = Text.assemble((f" {key} ", "bold reverse"), " " + label)
        size = cell_len(pair.plain)
        if used and used + 1 + size > width:
            text.append("\n")
            used = 0
        elif used:
            text.append(" ")
            used += 1
        text.append_text(pair)
        used += size
    return text


class KeyBar(Static):
    """One line (more when narrow, broken between pairs) of `key label` pairs; keys in bold reverse,
    so no colour is needed. Laid out again whenever its width changes."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pairs: list[tuple[str, str]] = []

    def show_keys(self, keys: Keys, lang: str) -> None:
        self.pairs = [(key, t(label_key, lang)) for key, label_key in keys]
        self._lay_out()

    def on_resize(self) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.content_size.width or max(1, self.app.size.width - 2)  # before the 1st layout
        self.update(key_lines(self.pairs, width))
