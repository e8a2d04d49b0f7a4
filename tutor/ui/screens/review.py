"""Review: the missed questions that are due, asked again until each one is answered right.

The schedule is `tutor.progress.review` (Leitner boxes): every answer here goes through `record_review`, a
wrong one back to box 1 (and the panel shows the next hint), a right one up a box. A revealed
solution does not count as right: the question comes back at the end of this review with a fresh
start. Predictions are asked on the same state as in the lesson (the run just before that step).
An exam's choices come in the order its sitting showed them (`tutor.exam.stored_order`).

Opened with `questions`, it asks those (an exam's missed questions, from its score screen) instead
of the due ones, through the same boxes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from tutor import exam, quiz
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, Question, QuizUnit
from tutor.progress.review import (
    INTERVAL_DAYS,
    LAST_BOX,
    RETIRED,
    due_entries,
    next_due,
    record_review,
)
from tutor.ui.screens.base import Body, UnitScreen
from tutor.ui.widgets.keybar import KeyBar, Keys
from tutor.ui.widgets.quiz_views import AskView, QuizView

REVIEW_KEYS: Keys = (
    ("h", "ui.key.hint"),
    ("r", "ui.key.reveal"),
    ("→ n", "ui.key.next_question"),
    ("?", "ui.key.help"),
    ("q", "ui.key.back"),
)
CHOICE_KEYS: Keys = (("1-9", "ui.key.choose"), *REVIEW_KEYS)
DONE_KEYS: Keys = (("L", "ui.key.language"), ("?", "ui.key.help"), ("q", "ui.key.back"))
# the question on screen is answered: on to the next one
ANSWERED_KEYS: Keys = (("→ n", "ui.key.next_question"), ("?", "ui.key.help"), ("q", "ui.key.back"))


@dataclass(frozen=True)
class Item:
    """One due question, found in the lessons loaded now."""

    lesson: Lesson
    question: Ask | QuizUnit
    box: int


class ReviewScreen(UnitScreen):
    """Keys as on the lesson screen, decided in order by `UnitScreen.on_key` (h, r, q, the
    choices and scrolling come from there)."""

    KEYMAP: ClassVar[dict[str, str]] = {
        **UnitScreen.KEYMAP, "right": "next", "n": "next", "w": "app.glossary"
    }

    def __init__(
        self,
        *,
        quit_on_back: bool = False,
        questions: Sequence[tuple[Lesson, Question]] | None = None,
    ) -> None:
        super().__init__(quit_on_back=quit_on_back)
        self.questions = questions  # these instead of the due ones (an exam's missed questions)
        self.queue: list[Item] = []
        self.current = 0  # index in queue; == len(queue) when the review is over
        self.state: quiz.QuestionState | None = None  # of the current question
        self.right = 0  # questions answered right in this review
        self.skipped = 0  # due questions whose lesson or question no longer exists
        self.last_box: int | None = None  # the current question's box after its last answer

    @property
    def item(self) -> Item | None:
        return self.queue[self.current] if self.current < len(self.queue) else None

    def compose(self) -> ComposeResult:
        yield Static(id="review-head")
        yield Body(id="review-body")
        yield KeyBar(id="keybar")

    def on_mount(self) -> None:
        self._load()
        self.watch(self.app, "lang", self._language_changed, init=False)
        self._show()

    def _load(self) -> None:
        store = self.tutor.store
        if self.questions is not None:
            for asked_in, asked in self.questions:
                known = store.review_entry(asked_in.id, asked.id)
                self.queue.append(Item(asked_in, asked, known.box if known else 1))
            return
        lessons = {lesson.id: lesson for lesson in self.tutor.lessons}
        for entry in due_entries(store, store.now()):
            lesson = lessons.get(entry.lesson_id)
            try:
                question = lesson.question(entry.question_id) if lesson else None
            except KeyError:
                question = None
            if lesson is None or question is None:
                self.skipped += 1
            else:
                self.queue.append(Item(lesson, question, entry.box))

    def _language_changed(self, lang: str) -> None:
        self._show()

    # -- drawing

    def _show(self) -> None:
        """Mount the current question (with its state), or the end of the review."""
        body = self.body
        self._view = None
        item = self.item
        lang = self.lang
        keys: Keys
        if item is None:
            # a class, not an id: a quick second redraw (L L) mounts the next one before the
            # old one is gone, and two siblings may not share an id
            body.show(Static(self._summary(), classes="review-summary"))
            keys = DONE_KEYS
        else:
            question = item.question
            if isinstance(question, Ask):
                self._view = AskView(item.lesson, question, lang, self.state, self._report)
            else:
                order = exam.stored_order(item.lesson, self.tutor.store, question)
                self._view = QuizView(
                    item.lesson, question, lang, self.state, self._report, order=order
                )
            body.show(self._view)  # in one frame, once mounted
            choice = isinstance(question, QuizUnit) and question.kind == "choice"
            keys = CHOICE_KEYS if choice else REVIEW_KEYS
            if self.state is not None and self.state.finished:
                keys = ANSWERED_KEYS
        self._update_head()
        self.query_one(KeyBar).show_keys(keys, lang)

    def _update_head(self) -> None:
        lang = self.lang
        head = Text(t("ui.review.title", lang), style="bold")
        item = self.item
        if item is not None:
            head.append("  ·  ")
            head.append(
                t("ui.review.position", lang, i=self.current + 1, n=len(self.queue)),
                style="bold reverse",
            )
            head.append("  " + item.lesson.render(item.lesson.title, lang))
            box = self.last_box if self.last_box is not None else item.box
            if box != RETIRED:
                head.append("  " + t("ui.review.box", lang, b=box, n=LAST_BOX), style="dim")
        self.query_one("#review-head", Static).update(head)

    def _summary(self) -> Text:
        lang = self.lang
        text = Text()
        if self.queue:
            text.append(t("ui.review.finished", lang, n=self.right) + "\n", style="bold")
        else:
            text.append(t("ui.review.nothing", lang) + "\n", style="bold")
        if self.skipped:
            text.append(t("ui.review.skipped", lang, n=self.skipped) + "\n")
        store = self.tutor.store
        upcoming = next_due(store, store.now())
        if upcoming is not None:
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(upcoming))
            text.append(t("ui.review.next", lang, when=when) + "\n")
        text.append("\n" + t("ui.review.back", lang), style="dim")
        return text

    # -- answers

    def _report(
        self, qid: str, state: quiz.QuestionState, attempt: tuple[str, bool, bool] | None
    ) -> None:
        """A question's state changed (called at once by the panel, in key order)."""
        item = self.item
        if item is None:
            return
        self.state = state
        if state.finished:
            self.query_one(KeyBar).show_keys(ANSWERED_KEYS, self.lang)
        if attempt is None:
            return  # a hint was shown
        _, correct, revealed = attempt
        store = self.tutor.store
        entry = record_review(store, item.lesson.id, qid, correct and not revealed)
        self.last_box = entry.box
        if revealed:
            self.queue.append(Item(item.lesson, item.question, entry.box))
            self.notify(t("ui.review.again_later", self.lang), timeout=4)
        elif correct:
            self.right += 1
            if entry.box == RETIRED:
                self.notify(t("ui.review.retired", self.lang), timeout=4)
            else:
                days = INTERVAL_DAYS[entry.box]
                self.notify(t("ui.review.moved", self.lang, b=entry.box, d=days), timeout=4)
        self._update_head()
        self.tutor.report_store()

    # -- actions

    def action_next(self) -> None:
        if self.item is None:
            return
        if self.state is None or not self.state.finished:
            self.notify(t("ui.review.answer_first", self.lang), timeout=3)
            return
        self.current += 1
        self.state = None
        self.last_box = None
        self._show()
