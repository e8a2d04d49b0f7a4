"""Text for the plain mode: the output's cleaning, light Markdown, Rich renderables as text."""

from __future__ import annotations

import io
import re

from rich.console import Console, RenderableType

from tutor import text as untrusted

_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_CODE = re.compile(r"`([^`\n]*)`")
WIDTH = 10_000  # columns for Rich: a logical line stays one line (a reader or a pipe wraps)


def clean(text: str) -> str:
    """`text` as the plain mode may write it: the project's one cleaning (`tutor.text.clean`: no
    ESC, C0/C1 controls, DEL or bidi overrides; newlines and tabs kept), with Windows line ends
    read as line ends first.

    Lesson text is already cleaned where it is loaded; every line written passes here as well
    (engine strings, store warnings, echoed commands), so no escape byte can reach the terminal.
    """
    return untrusted.clean(text.replace("\r\n", "\n"))


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
