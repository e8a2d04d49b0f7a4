"""The glossary (`w` in the menu and in a lesson): every term in Korean and English with its
meaning, narrowed as the learner types (either language; spaces don't matter: 오차역전파 finds
오차 역전파). The terms come from `tutor.glossary` (tutor/glossary.toml, which docs/glossary.md's
tables are generated from); this screen only lays them out.

Every printable key goes into the search box, so the screen closes with esc only (its footer
says so); ↑ ↓ PgUp PgDn scroll the terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tutor import glossary
from tutor.i18n import t

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp

MAX_QUERY = 40  # characters in the search box


def glossary_renderable(query: str, lang: str) -> RenderableType:
    """The terms matching `query` (all when empty): how many, then each with its meaning in
    `lang`, under its section's title."""
    found = glossary.search(query)
    if not query.strip():
        head = t("ui.glossary.count", lang, n=len(found))
    elif found:
        head = t("ui.glossary.found", lang, n=len(found), query=query.strip())
    else:
        head = t("ui.glossary.nothing", lang, query=query.strip())
    parts: list[RenderableType] = [Text(head, style="dim")]
    titles = glossary.sections()
    section = -1
    for term in found:
        if term.section != section and not query.strip():
            section = term.section
            parts += [Text(), Text(titles[section].title[lang], style="bold underline")]
        name = Text(term.name(lang), style="bold")
        parts += [name, Padding(Text(term.meaning[lang]), (0, 0, 0, 2))]
    return Group(*parts)


class GlossaryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        # priority: run as the Esc arrives, not after it has bubbled up to the app, by when the
        # keys behind it in the same burst were typed into the search (`x esc n n`: both n lost)
        Binding("escape", "close", "close", show=False, priority=True),
        Binding("up", "scroll(-1)", "up", show=False),
        Binding("down", "scroll(1)", "down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        # made once and kept (never looked up): closed by a key queued right behind the one that
        # opened it, the screen is dismissed before it mounts, and must not fail then
        self._box = Vertical(id="glossary-box")
        self._input = Input(id="glossary-search", max_length=MAX_QUERY)
        self._text = Static(id="glossary-text")
        self._scroll = VerticalScroll(self._text, id="glossary-scroll", can_focus=False)
        self._footer = Static(id="glossary-footer")

    def compose(self) -> ComposeResult:
        with self._box:
            yield self._input
            yield self._scroll
            yield self._footer

    @property
    def lang(self) -> str:
        return cast("TutorApp", self.app).lang  # Textual types `self.app` as any App

    @property
    def query_text(self) -> str:
        return self._input.value

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._show, init=True)
        self._input.focus()

    def on_key(self, event: events.Key) -> None:
        """A letter that reached the screen, not the search box (which stops every printable key
        it gets): typed right behind the `w` in one burst, it was sent here before the box had
        the focus (`w backprop` searched "ackprop")."""
        if not event.is_printable or not event.character:
            return
        event.stop()
        event.prevent_default()
        self._input.insert_text_at_cursor(event.character)

    def _show(self, _lang: str | None = None) -> None:
        lang = self.lang
        self._box.border_title = t("ui.glossary.title", lang)
        self._input.placeholder = t("ui.glossary.placeholder", lang)
        self._footer.update(Text(t("ui.glossary.keys", lang), style="dim"))
        self._text.update(glossary_renderable(self._input.value, lang))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._text.update(glossary_renderable(event.value, self.lang))
        self._scroll.scroll_home(animate=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # enter: nothing to submit, the list is already narrowed

    def action_scroll(self, delta: int) -> None:
        self._scroll.scroll_relative(y=delta * 2, animate=False)

    def action_page(self, delta: int) -> None:
        if delta > 0:
            self._scroll.scroll_page_down(animate=False)
        else:
            self._scroll.scroll_page_up(animate=False)

    def action_close(self) -> None:
        if self.app.screen is self:  # a second esc queued in the same burst: nothing
            self.dismiss(None)
