"""The end of an exam sitting: the score, then every missed question with what was answered, the
right answer and its explanation, all as the sitting showed them (its order of the choices).

The score is `tutor.exam.exam_score`, from the store's attempts: the screen only shows it. `r`
asks the missed questions again on the review screen (through the review boxes, as a review);
q or esc goes back to the lesson.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor import exam
from tutor.i18n import t
from tutor.lesson_state import LessonState
from tutor.lessons import Lesson, QuizUnit
from tutor.plain.text import plain_markdown
from tutor.question_spec import question_spec
from tutor.ui.screens.base import TutorScreen
from tutor.ui.widgets.keybar import KeyBar, Keys

SCORE_KEYS: Keys = (
    ("↑ ↓", "ui.key.scroll"),
    ("r", "ui.key.retry"),
    ("w", "ui.key.glossary"),
    ("L", "ui.key.language"),
    ("?", "ui.key.help"),
    ("q", "ui.key.back"),
)
ALL_RIGHT_KEYS: Keys = (("L", "ui.key.language"), ("?", "ui.key.help"), ("q", "ui.key.back"))


class ExamScoreScreen(TutorScreen):
    """The sitting's score and its missed questions; `r` retries them, q goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "back", "back", show=False),
        Binding("r", "retry", "retry", show=False),
        Binding("w", "app.glossary", "glossary", show=False),
    ]

    def __init__(self, lesson: Lesson, record: LessonState) -> None:
        super().__init__()
        self.lesson = lesson
        self.record = record  # the lesson screen's records: the sitting's seed (order of choices)
        self.score: exam.ExamScore | None = None
        # made once and kept (never looked up)
        self._head = Static(id="score-head")
        self._text = Static(id="score-text")
        self._scroll = VerticalScroll(self._text, id="score-body")
        self._keys = KeyBar(id="keybar")

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._scroll
        yield self._keys

    def on_mount(self) -> None:
        store = self.tutor.store
        self.score = exam.exam_score(
            self.lesson, store.attempts(self.lesson.id), store.skipped(self.lesson.id)
        )
        self.watch(self.app, "lang", self._show, init=True)
        self._scroll.focus()  # ↑ ↓ PgUp PgDn Home End scroll it

    def _show(self, _lang: str | None = None) -> None:
        lang = self.lang
        score = self.score
        assert score is not None
        head = Text()
        head.append(self.lesson.render(self.lesson.title, lang), style="bold")
        head.append("  ·  ")
        head.append(t("ui.exam.title", lang), style="bold reverse")
        self._head.update(head)
        self._text.update(self.renderable(lang))
        self._keys.show_keys(SCORE_KEYS if score.missed else ALL_RIGHT_KEYS, lang)

    def renderable(self, lang: str) -> RenderableType:
        """The score, then each missed question (number, what happened, answers, explanation)."""
        score = self.score
        assert score is not None
        parts: list[RenderableType] = [
            Text(t("ui.exam.score", lang, right=score.right, n=score.total, p=score.percent),
                 style="bold"),
        ]
        if not score.missed:
            parts.append(Text(t("ui.exam.all_right", lang)))
            return Group(*parts)
        parts.append(Text(t("ui.exam.missed", lang, n=len(score.missed))))
        left = self.record.open_questions()
        if left:  # the lesson is done only when every question is answered or skipped
            parts.append(Text(t("ui.lesson.open_questions", lang, n=len(left)), style="italic"))
        numbers = {q.id: i for i, q in enumerate(self.lesson.questions(), start=1)}
        for missed in score.missed:
            parts.append(Text())
            parts.extend(self._missed(missed, numbers[missed.question.id], lang))
        return Group(*parts)

    def _missed(self, missed: exam.Missed, number: int, lang: str) -> list[RenderableType]:
        question = missed.question
        spec = question_spec(
            self.lesson, question, lang, text=plain_markdown,
            order=self.record.choice_order(question),
        )
        head = Text.assemble(("✗ ", "bold"), (f"{number}. ", "bold"), spec.question)
        lines: list[RenderableType] = [head]
        given = missed.first_answer
        if missed.outcome == "wrong" and given is not None:
            shown = given
            if isinstance(question, QuizUnit) and question.kind == "choice" and given.isdigit():
                k = int(given)
                if 1 <= k <= len(spec.choices):
                    shown = f"{k}. {spec.choices[k - 1]}"
            what = t("ui.exam.your_answer", lang, answer=shown)
        else:
            what = t(f"ui.exam.outcome.{missed.outcome}", lang)
        body = [Text(what, style="dim"), Text(t("ui.quiz.answer_is", lang, answer=spec.solution),
                                                 style="bold")]
        body.extend(Text(part) for part in exam.choice_by_choice(spec.explain, lang))
        lines.append(Padding(Group(*body), (0, 0, 0, 3)))
        return lines

    def action_back(self) -> None:
        if self.app.screen is self:  # a second q queued in the same burst: the lesson's own
            self.app.pop_screen()

    def action_retry(self) -> None:
        from tutor.ui.screens.review import ReviewScreen

        score = self.score
        if self.app.screen is not self or score is None or not score.missed:
            return
        questions = [(self.lesson, m.question) for m in score.missed]
        self.app.push_screen(ReviewScreen(questions=questions))
