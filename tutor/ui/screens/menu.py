"""The lesson menu: every lesson, its description and where the learner stands."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import t
from tutor.ui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from tutor.lessons import Lesson
    from tutor.ui.app import TutorApp

MENU_KEYS = (
    ("↑ ↓", "ui.key.select"),
    ("enter", "ui.key.open"),
    ("L", "ui.key.language"),
    ("?", "ui.key.help"),
    ("q", "ui.key.quit"),
)


class MenuScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "quit", "quit", show=False),
    ]

    @property
    def tutor(self) -> TutorApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static(id="menu-title")
        yield OptionList(id="lessons")
        yield Static(id="menu-problems")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def _language_changed(self, lang: str) -> None:
        self.refresh_menu()

    def status_text(self, lesson: Lesson) -> Text:
        """'✓ done', '▶ stopped at unit 3 of 7 (step 5)' or '· not started', in words."""
        lang = self.tutor.lang
        summary = self.tutor.store.summary(lesson.id)
        text = Text("   ")
        if summary.status == "done":
            text.append("✓ " + t("ui.menu.done", lang), style="bold")
        elif summary.status == "in_progress" and summary.position is not None:
            try:
                index = lesson.unit_index(summary.position.unit_id) + 1
            except KeyError:
                index = 1
            key = "ui.menu.stopped_step" if summary.position.step else "ui.menu.stopped"
            text.append(
                "▶ " + t(key, lang, i=index, n=len(lesson.units), s=summary.position.step),
                style="bold",
            )
        else:
            text.append("· " + t("ui.menu.not_started", lang), style="dim")
        if summary.answered:
            text.append(
                "  " + t("ui.menu.score", lang, right=summary.right, answered=summary.answered),
                style="dim",
            )
        return text

    def refresh_menu(self) -> None:
        lang = self.tutor.lang
        title = Text(t("ui.menu.title", lang), style="bold")
        title.append("   " + t("ui.menu.subtitle", lang), style="dim")
        self.query_one("#menu-title", Static).update(title)
        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for number, lesson in enumerate(self.tutor.lessons, start=1):
            prompt = Text()
            prompt.append(f"{number}. ", style="bold")
            prompt.append(lesson.render(lesson.title, lang), style="bold")
            if lesson.minutes:
                prompt.append("  " + t("ui.menu.minutes", lang, n=lesson.minutes), style="dim")
            if lesson.description is not None:
                prompt.append("\n   " + lesson.render(lesson.description, lang))
            prompt.append("\n")
            prompt.append(self.status_text(lesson))
            options.add_option(Option(prompt, id=lesson.id))
        if not self.tutor.lessons:
            options.add_option(Option(Text(t("ui.menu.empty", lang)), disabled=True))
        if self.tutor.lessons:
            options.highlighted = highlighted if highlighted is not None else 0
        options.focus()
        problems = self.query_one("#menu-problems", Static)
        problems.display = bool(self.tutor.problems)
        if self.tutor.problems:
            problems.update(
                Text("⚠ " + t("ui.menu.problems", lang, n=len(self.tutor.problems)), style="bold")
            )
        self.query_one(KeyBar).show_keys(MENU_KEYS, lang)

    @on(OptionList.OptionSelected, "#lessons")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from tutor.ui.screens.lesson import LessonScreen

        lesson = next((x for x in self.tutor.lessons if x.id == event.option.id), None)
        if lesson is not None:
            self.app.push_screen(LessonScreen(lesson))

    def action_quit(self) -> None:
        self.app.exit()
