"""The lesson menu: every lesson, its description and where the learner stands; review and reset.

Reset always asks first (`ConfirmScreen`); `x` resets the highlighted lesson, `X` every lesson.
When the store is not saving, a quiet line above the keys says so for as long as it lasts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.i18n import t
from tutor.progress.review import due_questions
from tutor.resume import resume_point
from tutor.ui.dialogs.confirm import ConfirmScreen
from tutor.ui.screens.base import TutorScreen
from tutor.ui.widgets.keybar import KeyBar, Keys

if TYPE_CHECKING:
    from tutor.lessons import Lesson

MENU_KEYS: Keys = (
    ("↑ ↓", "ui.key.select"),
    ("enter", "ui.key.open"),
    ("r", "ui.key.review"),
    ("x", "ui.key.reset"),
    ("X", "ui.key.reset_all"),
    ("w", "ui.key.glossary"),
    ("L", "ui.key.language"),
    ("?", "ui.key.help"),
    ("q", "ui.key.quit"),
)


class MenuScreen(TutorScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "quit", "quit", show=False),
        Binding("r", "review", "review", show=False),
        Binding("x,delete", "reset", "reset lesson", show=False),
        Binding("X", "reset_all", "reset everything", show=False),
        # priority: run as the key arrives, so the glossary is open for the keys behind it (`w`
        # then `back` in one burst: the letters reached the list first and were lost)
        Binding("w", "app.glossary", "glossary", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield Static(id="menu-title")
        yield OptionList(id="lessons")
        yield Static(id="menu-problems")
        yield Static(id="menu-review")
        yield Static(id="menu-saving")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._language_changed, init=False)
        # back from a lesson opened directly, whose lessons may not be read yet (a moment after
        # its first frame): read now, before the list is first shown
        self.tutor.read_late_lessons()
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu(on_last=True)  # back from a lesson: the cursor on the lesson left

    def _language_changed(self, lang: str) -> None:
        self.refresh_menu()

    def status_text(self, lesson: Lesson) -> Text:
        """'✓ done', '▶ stopped at unit 3 of 7 (step 5)' or '· not started', in words."""
        lang = self.tutor.lang
        summary = self.tutor.store.summary(lesson.id)
        text = Text()
        if summary.status == "done":
            text.append("✓ " + t("ui.menu.done", lang), style="bold")
        elif summary.status == "in_progress" and summary.position is not None:
            point = resume_point(lesson, summary.position)  # where opening it will resume
            key = "ui.menu.stopped_step" if point.step else "ui.menu.stopped"
            text.append(
                "▶ " + t(key, lang, i=point.index + 1, n=len(lesson.units), s=point.step),
                style="bold",
            )
        elif summary.status == "in_progress":
            text.append("▶ " + t("ui.menu.in_progress", lang), style="bold")
        else:
            text.append("· " + t("ui.menu.not_started", lang), style="dim")
        if summary.answered:
            score = t(
                "ui.menu.score",
                lang,
                right=summary.right,
                answered=summary.answered,
                total=len(lesson.questions()),
            )
            text.append("  " + score, style="dim")
        skipped = len(self.tutor.store.skipped(lesson.id))
        if skipped:
            text.append("  " + t("ui.menu.skipped", lang, n=skipped), style="dim")
        return text

    def refresh_menu(self, *, on_last: bool = False) -> None:
        lang = self.tutor.lang
        title = Text(t("ui.menu.title", lang), style="bold")
        title.append("   " + t("ui.menu.subtitle", lang), style="dim")
        self.query_one("#menu-title", Static).update(title)
        options = self.query_one("#lessons", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for number, lesson in enumerate(self.tutor.lessons, start=1):
            head = Text()
            head.append(f"{number}. ", style="bold")
            head.append(lesson.render(lesson.title, lang), style="bold")
            if lesson.minutes:
                head.append("  " + t("ui.menu.minutes", lang, n=lesson.minutes), style="dim")
            if lesson.pack is not None:  # installed from a lesson pack: say which
                head.append("  " + t("ui.menu.pack", lang, name=lesson.pack), style="dim")
            body: list[Text] = []
            if lesson.description is not None:
                body.append(Text(lesson.render(lesson.description, lang)))
            body.append(self.status_text(lesson))
            # Padding, not leading spaces: wrapped lines stay under the indent on narrow screens.
            prompt = Group(head, Padding(Group(*body), (0, 0, 0, 3)))
            options.add_option(Option(prompt, id=lesson.id))
        if not self.tutor.lessons:
            options.add_option(Option(Text(t("ui.menu.empty", lang)), disabled=True))
        if self.tutor.lessons:
            if highlighted is None or on_last:  # on the lesson in progress, if there is one
                last = self.tutor.store.last_lesson()
                ids = [lesson.id for lesson in self.tutor.lessons]
                highlighted = ids.index(last) if last in ids else (highlighted or 0)
            options.highlighted = highlighted
        options.focus()
        problems = self.query_one("#menu-problems", Static)
        problems.display = bool(self.tutor.problems)
        if self.tutor.problems:
            problems.update(
                Text("⚠ " + t("ui.menu.problems", lang, n=len(self.tutor.problems)), style="bold")
            )
        due = len(due_questions(self.tutor.store, self.tutor.store.now()))
        review = self.query_one("#menu-review", Static)
        review.display = due > 0
        review.update(Text(t("ui.menu.review_due", lang, n=due)))
        saving = self.query_one("#menu-saving", Static)
        saving.display = not self.tutor.store.saving
        saving.update(Text(t("ui.menu.not_saving", lang)))
        self.query_one(KeyBar).show_keys(MENU_KEYS, lang)

    def _selected(self) -> Lesson | None:
        options = self.query_one("#lessons", OptionList)
        if options.highlighted is None or not self.tutor.lessons:
            return None
        option = options.get_option_at_index(options.highlighted)
        return next((x for x in self.tutor.lessons if x.id == option.id), None)

    @on(OptionList.OptionSelected, "#lessons")
    def _open(self, event: OptionList.OptionSelected) -> None:
        from tutor.ui.screens.lesson import LessonScreen

        lesson = next((x for x in self.tutor.lessons if x.id == event.option.id), None)
        if lesson is not None:
            self.app.push_screen(LessonScreen(lesson))

    def action_review(self) -> None:
        from tutor.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_reset(self) -> None:
        lesson = self._selected()
        if lesson is None:
            return
        lang = self.tutor.lang
        title = lesson.render(lesson.title, lang)

        def done(yes: bool | None) -> None:
            if yes:
                self.tutor.store.reset(lesson.id)
                self.notify(t("ui.reset.done", self.tutor.lang, lesson=title), timeout=4)
            self.refresh_menu()

        question = t("ui.reset.confirm", lang, lesson=title)
        self.app.push_screen(ConfirmScreen(question, t("ui.reset.yes", lang), lang), done)

    def action_reset_all(self) -> None:
        lang = self.tutor.lang

        def done(yes: bool | None) -> None:
            if yes:
                self.tutor.store.reset(None)
                self.notify(t("ui.reset.done_all", self.tutor.lang), timeout=4)
            self.refresh_menu()

        question = t("ui.reset.confirm_all", lang)
        self.app.push_screen(ConfirmScreen(question, t("ui.reset.yes_all", lang), lang), done)

    def action_quit(self) -> None:
        self.app.exit()
