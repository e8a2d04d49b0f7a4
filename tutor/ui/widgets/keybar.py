"""A footer listing the keys that work right now, in the learner's language."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tutor.i18n import t


class KeyBar(Static):
    """One line (wrapping when narrow) of `key label` pairs; keys in bold, so no colour is needed."""

    def show_keys(self, keys: Sequence[tuple[str, str]], lang: str) -> None:
        text = Text()
        for i, (key, label_key) in enumerate(keys):
            if i:
                text.append(" ")
            text.append(f" {key} ", style="bold reverse")
            text.append(" " + t(label_key, lang))
        self.update(text)
