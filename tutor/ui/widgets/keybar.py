"""A footer listing the keys that work right now, in the learner's language."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutor.i18n import t

# The keys a screen shows right now: (key as printed, i18n key of its label) pairs.
Keys = tuple[tuple[str, str], ...]


class KeyBar(Static):
    """One line (wrapping when narrow) of `key label` pairs; keys in bold, so no colour is needed."""

    def show_keys(self, keys: Keys, lang: str) -> None:
        text = Text()
        for i, (key, label_key) in enumerate(keys):
            if i:
                text.append(" ")
            text.append(f" {key} ", style="bold reverse")
            text.append(" " + t(label_key, lang))
        self.update(text)
