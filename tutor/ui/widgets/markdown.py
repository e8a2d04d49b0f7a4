"""Markdown for text that lesson authors wrote: formatting yes, raw HTML and links no.

Lesson files are untrusted. Textual's default parser ("gfm-like") passes raw HTML and turns
`[text](file:///etc/passwd)` or a bare URL into a clickable link (and a terminal hyperlink). Here
HTML, links, autolinks and images are not parsed at all, so they appear as the characters written,
and a click on anything opens nothing.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from textual.widgets import Markdown

_INERT_RULES = ["link", "image", "autolink", "html_inline", "html_block", "linkify"]


def inert_parser() -> MarkdownIt:
    """A gfm-like parser without HTML, links, autolinks or images."""
    md = MarkdownIt("gfm-like", {"html": False, "linkify": False})
    md.disable(_INERT_RULES, ignoreInvalid=True)
    return md


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
        super().__init__(markdown, name=name, id=id, classes=classes,
                         parser_factory=inert_parser, open_links=False)
