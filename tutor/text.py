"""The one cleaning boundary for untrusted text: lesson files, file names, imported progress.

A string read from outside is passed through `clean` once, where it is read. What is removed:
C0 controls except newline and tab (this includes ESC, which starts every terminal escape
sequence, and CR, which lets a line overwrite itself), DEL, the C1 controls U+0080–U+009F (CSI
and OSC among them) and the bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069
(which reorder what is shown, e.g. U+202E RIGHT-TO-LEFT OVERRIDE), plus the marks U+200E, U+200F
and U+061C. A lone surrogate (U+D800–U+DFFF: a `\ud800` escape in YAML or JSON, a file name
that is not UTF-8) is not a character at all: no UTF-8 stream or SQLite text can hold it, so it
becomes U+FFFD (the replacement character), which shows that something was there. Everything left is shown through Rich/Textual as plain text, never as markup.

Standard library only: the lesson format, progress and the command line all use it.
"""

from __future__ import annotations

import re
import unicodedata

# newline (0x0A) and tab (0x09) stay; everything else below 0x20, DEL, C1, bidi controls go.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

_NAMES = {"\x1b": "ESC", "\x7f": "DEL", "\x00": "NUL", "\r": "CR", "\x07": "BEL", "\x9b": "CSI",
          "\x9d": "OSC"}


SURROGATE = re.compile("[\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` with every unsafe character removed and each lone surrogate replaced by U+FFFD."""
    return UNSAFE.sub("", SURROGATE.sub("\ufffd", text))


def first_unsafe(text: str) -> str | None:
    """The first unsafe character or lone surrogate in `text`, or None when the text is clean."""
    found = [m for m in (UNSAFE.search(text), SURROGATE.search(text)) if m is not None]
    return min(found, key=lambda m: m.start()).group(0) if found else None


def describe(char: str) -> str:
    """A character as `U+001B (ESC)`: its code point and a short name, for messages."""
    if SURROGATE.fullmatch(char):
        return f"U+{ord(char):04X} (a lone surrogate, not a character)"
    name = _NAMES.get(char) or unicodedata.name(char, "") or "control character"
    return f"U+{ord(char):04X} ({name})"


def unsafe_message(char: str) -> str:
    """The message `check` gives for text that held `char` (English, like every check message)."""
    if SURROGATE.fullmatch(char):
        return f"contains {describe(char)}, which no UTF-8 text can hold; it was replaced by U+FFFD"
    return (
        f"contains the control character {describe(char)}, which could change the terminal "
        "or reorder text; it was removed"
    )


def clean_path(path: object) -> str:
    """A file name to show: `str(path)` cleaned (names come from other people too)."""
    return clean(str(path))
