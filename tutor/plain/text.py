"""Text for the plain mode: the one cleaning function, light Markdown, Rich renderables as text."""

from __future__ import annotations

import io
import re
import unicodedata

from rich.console import Console, RenderableType

# Bidirectional overrides and isolates can reorder what a reader hears or sees.
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]*)`")
WIDTH = 100  # columns Rich may use; the plain mode never relies on the terminal's width


def clean(text: str) -> str:
    """`text` without control characters (ESC, C0 and C1 codes, DEL; bidi overrides), keeping
    newlines and tabs, so nothing written can move a cursor, change colours or reorder a line.

    Every line the plain mode writes passes through here. (The single place to swap for the
    project's load-time cleaning, tutor/text.py, once it exists.)
    """
    text = text.replace("\r\n", "\n").translate(_BIDI)
    return "".join(
        c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc"
    )


def plain_markdown(text: str) -> str:
    """Lesson Markdown for reading aloud: `**bold**`, `*italic*` and `code` marks removed, a
    fenced code block's fences dropped and its lines indented by four spaces; everything else
    (lists, indented blocks, line breaks) kept as written."""
    lines: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            lines.append("    " + line)
            continue
        line = _EMPHASIS.sub(r"\2", line)
        line = _ITALIC.sub(r"\1", line)
        lines.append(_CODE.sub(r"\1", line))
    return "\n".join(lines).rstrip()


def rich_lines(renderable: RenderableType) -> list[str]:
    """A Rich renderable as plain lines: no colour, no styles, no escape sequences.

    Meant for renderables made of `Text` lines (StepHeader, NetEquation); tables with boxes are
    written by the plain mode's own formatting instead.
    """
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=WIDTH,
        no_color=True,
        color_system=None,
        force_terminal=False,
        force_interactive=False,
        legacy_windows=False,
        highlight=False,
        emoji=False,
        markup=False,
    )
    console.print(renderable)
    return [line.rstrip() for line in buffer.getvalue().splitlines()]
