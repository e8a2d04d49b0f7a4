"""What the screens share: the app as a `TutorApp`, and for the lesson and review screens, a body of
unit views driven by the same keys (the question panel's, scrolling, going back)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen

from tutor.ui.widgets.units import UnitView

if TYPE_CHECKING:
    from tutor.ui.app import TutorApp


class Body(VerticalScroll, can_focus=False):
    """The unit's content; scrolled by the screen's keys so that ←/→/Home/End stay free."""


class TutorScreen(Screen[None]):
    @property
    def tutor(self) -> TutorApp:
        """The app: Textual types `self.app` as any App, and these screens only run in a TutorApp."""
        return cast("TutorApp", self.app)

    @property
    def lang(self) -> str:
        return self.tutor.lang


class UnitScreen(TutorScreen):
    """A screen with a `Body` of unit views: the keys for the question panel, scrolling the body,
    and back. They are priority bindings: an answer box takes numbers (and backspace, enter) only,
    so h, r and q always mean the same thing. Textual adds a subclass's BINDINGS to these.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "hint", "hint", show=False, priority=True),
        Binding("r", "reveal", "reveal", show=False, priority=True),
        Binding("q,escape", "back", "back", show=False, priority=True),
        Binding("up", "scroll(-1)", "scroll up", show=False),
        Binding("down", "scroll(1)", "scroll down", show=False),
        Binding("pageup", "page(-1)", "page up", show=False),
        Binding("pagedown", "page(1)", "page down", show=False),
        *[Binding(str(i), f"choose({i})", f"choice {i}", show=False) for i in range(1, 10)],
    ]

    def __init__(self, *, quit_on_back: bool = False) -> None:
        super().__init__()
        self.quit_on_back = quit_on_back

    @property
    def view(self) -> UnitView | None:
        views = self.query(UnitView)
        return views.last() if views else None

    def _panel_call(self, name: str, *args: int) -> None:
        """Forward a key to the question panel on screen, if there is one."""
        view = self.view
        panel = view.question() if view is not None else None
        if panel is not None:
            getattr(panel, name)(*args)

    def action_hint(self) -> None:
        self._panel_call("hint")

    def action_reveal(self) -> None:
        self._panel_call("reveal")

    def action_choose(self, number: int) -> None:
        self._panel_call("choose", number)

    def action_scroll(self, delta: int) -> None:
        self.query_one(Body).scroll_relative(y=delta * 2, animate=False)

    def action_page(self, delta: int) -> None:
        body = self.query_one(Body)
        if delta > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)

    def _leaving(self) -> None:
        """Called before the screen goes back (a training view stops playing)."""

    def action_back(self) -> None:
        self._leaving()
        if self.quit_on_back:
            self.app.exit()
        else:
            self.app.pop_screen()
