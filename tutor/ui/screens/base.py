"""What the screens share: the app as a `TutorApp`, and for the lesson and review screens, a body of
unit views driven by the same keys (the question panel's, scrolling, going back)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget

from tutor.ui.heap import forget_old_styles

if TYPE_CHECKING:
    # types only: the menu imports this module, and the unit views bring NumPy (the engine)
    from tutor.ui.app import TutorApp
    from tutor.ui.widgets.question import QuestionPanel
    from tutor.ui.widgets.units import UnitView


def keymap_key(key: str, character: str | None) -> str:
    """`key` as `KEYMAP` names it: a full-width digit an IME types (`２`, which Textual names
    `fullwidth_digit_two`) is its ASCII digit, so it picks a choice as `2` does."""
    if character is not None and len(character) == 1 and unicodedata.category(character) == "Nd":
        value = unicodedata.digit(character, None)
        if value is not None and unicodedata.normalize("NFKC", character) == str(value):
            return str(value)
    return key


class Body(VerticalScroll, can_focus=False):
    """The unit's content; scrolled by the screen's keys so that ←/→/Home/End stay free."""

    _latest: Widget | None = None  # the content asked for last (`show`)
    _then: Callable[[], None] | None = None  # and what goes with it
    _mounting = False  # a content is being mounted (hidden) now

    def show(self, content: Widget, then: Callable[[], None] | None = None) -> None:
        """Show `content` instead of what the body shows, in one frame (with `then`, which
        updates what goes with it: the screen's head and key bar).

        Removing the old content at once and mounting the new showed an empty body for a frame
        or two (0.3–0.5 s under load): a view's children are composed over several turns of the
        event loop, each by its own task, and the screen was painted in between. The new content
        is mounted hidden; once it and all its children are mounted, the old content is removed
        and the new shown in the same frame.

        One content is mounted at a time. Content asked for while one mounts waits, and content
        asked for after it (quick presses) replaces it unmounted: only the newest is mounted
        next, and the one that was mounting is removed unseen. Mounting every content asked for
        let a burst of `] ] ] [ [ [` keys pile up hundreds of half-mounted units (2,993 widgets
        alive at once in a tmux burst of 300 keys, and the process at 290 MB after it).
        """
        self._latest, self._then = content, then
        if not self._mounting:
            self._mount_latest()

    def _mount_latest(self) -> None:
        content, then = self._latest, self._then
        if content is None:
            return
        self._mounting = True
        content.display = False
        mounted = self.mount(content)

        async def swap() -> None:
            try:
                await mounted
            finally:
                self._mounting = False
            if content is not self._latest:
                if content.is_attached:
                    content.remove()
                self._mount_latest()  # the newest asked for meanwhile
                return
            old = [child for child in self.children if child is not content]
            if old:
                self.remove_children(old)
                self.call_after_refresh(forget_old_styles)  # once they are off the screen
            content.display = True
            self.scroll_home(animate=False)
            if then is not None:
                then()

        self.call_next(swap)


class TutorScreen(Screen[None]):
    @property
    def tutor(self) -> TutorApp:
        """The app: Textual types `self.app` as any App, and these screens only run in a TutorApp."""
        return cast("TutorApp", self.app)

    @property
    def lang(self) -> str:
        return self.tutor.lang


class UnitScreen(TutorScreen):
    """A screen with a `Body` of unit views, whose keys are all decided here, one at a time, in the
    order they came (see `on_key`): nothing on the screen takes focus, and no key is a priority
    binding, so a burst or a paste cannot overtake itself. A subclass adds to `KEYMAP`.
    """

    # key (Textual's name) -> action; the question panel's typing comes first (see `on_key`)
    KEYMAP: ClassVar[dict[str, str]] = {
        "h": "hint",
        "r": "reveal",
        "q": "back",
        "escape": "back",
        "up": "scroll(-1)",
        "down": "scroll(1)",
        "pageup": "page(-1)",
        "pagedown": "page(1)",
        "home": "scroll_edge(-1)",
        "end": "scroll_edge(1)",
        "L": "app.switch_language",
        "question_mark": "app.help",
        **{str(i): f"choose({i})" for i in range(1, 10)},
    }

    def __init__(self, *, quit_on_back: bool = False) -> None:
        super().__init__()
        self.quit_on_back = quit_on_back
        self._view: UnitView | None = None  # the unit view on screen (kept, never looked up)

    @property
    def view(self) -> UnitView | None:
        return self._view

    def _open_question(self) -> QuestionPanel | None:
        view = self._view
        panel = view.question() if view is not None else None
        return panel if panel is not None and not panel.finished else None

    async def on_key(self, event: events.Key) -> None:
        """Every key of this screen, in order: first a prompt of the screen's own, then the answer box (number characters,
        Backspace, Enter; `e` only right after a digit), then ↑ ↓ Enter on a choice question,
        then `KEYMAP`. Keys not in it go on to the app (Ctrl+C). Keys still queued here when
        the app decided to leave are dropped (see `TutorApp.on_event`)."""
        if self.tutor.leaving:
            event.stop()
            return
        if self.app.screen is not self:
            # queued for this screen before it was left (q q, ? n in one burst): the key belongs
            # to the screen now on top, so hand it back to the app, which routes it there
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        if self._prompt_key(event.key, event.character):
            event.stop()
            return
        panel = self._open_question()
        if panel is not None and panel.type_key(event.key, event.character):
            event.stop()
            return
        if panel is not None and panel.spec.kind == "choice":
            moved = {"up": -1, "down": 1}.get(event.key)
            if moved is not None and panel.highlight(moved):
                event.stop()
                return
            if event.key == "enter" and panel.choose_highlighted():
                event.stop()
                return
        action = self.KEYMAP.get(keymap_key(event.key, event.character))
        if action is None:
            return
        event.stop()
        await self.run_action(action)

    def _prompt_key(self, key: str, character: str | None) -> bool:
        """A prompt of the screen's own (the lesson's "go to step") takes keys first; True: taken."""
        return False

    def on_paste(self, event: events.Paste) -> None:
        """A paste goes into the answer box, its number characters in order."""
        event.stop()
        if self.tutor.leaving:
            return
        panel = self._open_question()
        if panel is not None:
            panel.paste(event.text)

    def _panel_call(self, name: str, *args: int) -> None:
        """Forward a key to the question panel on screen, if there is one."""
        view = self._view
        panel = view.question() if view is not None else None
        if panel is not None:
            getattr(panel, name)(*args)
            if name == "hint":
                self._bring_into_view(panel.newest_widget())

    def _bring_into_view(self, widget: Widget) -> None:
        """Bring `widget` into view once it is laid out (a hint that appears below the fold)."""

        def scroll() -> None:
            if widget.is_attached:
                self.body.scroll_to_widget(widget, animate=False)

        self.call_after_refresh(scroll)

    @property
    def body(self) -> Body:
        return self.query_one(Body)

    def action_hint(self) -> None:
        self._panel_call("hint")

    def action_reveal(self) -> None:
        self._panel_call("reveal")

    def action_choose(self, number: int) -> None:
        self._panel_call("choose", number)

    def action_scroll(self, delta: int) -> None:
        self.body.scroll_relative(y=delta * 2, animate=False)

    def action_scroll_edge(self, delta: int) -> None:
        if delta < 0:
            self.body.scroll_home(animate=False)
        else:
            self.body.scroll_end(animate=False)

    def action_page(self, delta: int) -> None:
        body = self.body
        if delta > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def _leaving(self) -> None:
        """Called before the screen goes back (a training view stops playing)."""

    def action_back(self) -> None:
        if self.app.screen is not self or (len(self.app.screen_stack) < 2 and not self.quit_on_back):
            return
        self._leaving()
        if self.quit_on_back:
            self.app.exit()
        else:
            self.app.pop_screen()
