"""Markdown for text that lesson authors wrote: formatting yes, raw HTML and links no.

Lesson files are untrusted. Textual's default parser ("gfm-like") passes raw HTML and turns
`[text](file:///etc/passwd)` or a bare URL into a clickable link (and a terminal hyperlink). Here
HTML, links, autolinks and images are not parsed at all, so they appear as the characters written,
and a click on anything opens nothing.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown

from tutor.limits import markdown_parser

# The spaces around an operator inside an expression ("θ = w₀ = 0.3", "k > 0이면") are no place
# to break a line. A no-break space (U+00A0) cannot say so here: Textual's Markdown turns every
# run of whitespace in a paragraph into one plain space (`re.sub(r"\s+", " ", ...)` in
# textual/widgets/_markdown.py, 8.2.8), and Rich and Textual wrap at any `\s`. U+2800 BRAILLE
# PATTERN BLANK is a one-cell blank that is not whitespace, so both keep it and never break
# there; the charts already draw braille, so every font the app needs has it.
EXPRESSION_SPACE = "\u2800"
_OPERATOR_SPACES = re.compile(r"(?<=\S) ([=<>≠≤≥×+−←→·]) (?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")
# a short "(±0.001 이내)", "(within ±0.001)": one piece ("(within⏎±0.001)" at 80 columns)
_TOLERANCE = re.compile(r"\([^()\n]{0,16}±[^()\n]{0,16}\)")


def bind_expressions(markdown: str) -> str:
    """`markdown` with the spaces around operators inside expressions made `EXPRESSION_SPACE`,
    outside code (fenced or indented blocks, `inline code`: code is copied, and stays as written).
    """
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or _FENCE.match(line) or line.startswith(("    ", "\t")):
            out.append(line)
            continue
        parts = line.split("`")
        for i in range(0, len(parts), 2):  # even parts lie outside inline code spans
            parts[i] = _OPERATOR_SPACES.sub(
                lambda m: f"{EXPRESSION_SPACE}{m.group(1)}{EXPRESSION_SPACE}", parts[i]
            )
            parts[i] = _TOLERANCE.sub(
                lambda m: m.group(0).replace(" ", EXPRESSION_SPACE), parts[i]
            )
        out.append("`".join(parts))
    return "\n".join(out)


def inert_parser() -> MarkdownIt:
    """A gfm-like parser without HTML, links, autolinks or images: the one the load-time limit
    on Markdown parts counts with (`tutor.limits.markdown_parser`)."""
    parser: MarkdownIt = markdown_parser()
    return parser


class LessonMarkdown(Markdown):
    """A Markdown widget for lesson text: no HTML, no links, never opens a URL."""

    def __init__(
        self,
        markdown: str | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            None if markdown is None else bind_expressions(markdown),
            name=name,
            id=id,
            classes=classes,
            parser_factory=inert_parser,
            open_links=False,
        )

    def update(self, markdown: str) -> AwaitComplete:
        """Show `markdown`, its expressions bound (`bind_expressions`)."""
        return super().update(bind_expressions(markdown))
