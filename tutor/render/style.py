"""Styles shared by the renderables. Colour only ever repeats what a symbol or word already says."""

from __future__ import annotations

EMPH = "bold"
NOTE = "dim"
VALUE = "cyan"
UP = "green"
DOWN = "red"
SAME = "dim"
CURRENT = "bold yellow"
LINE = "magenta"
TARGET_ONE = "blue"
TARGET_ZERO = "white"
CHANGED = "bold"

UP_MARK = "▲"
DOWN_MARK = "▼"
SAME_MARK = "="
