"""The plain mode's end of an exam and its retry, and the `glossary` and `contents` commands:
lines of text.

The score and the missed questions are `tutor.exam.exam_score`'s, shown in the sitting's order
of the choices, as the app's score screen shows them. `retry` asks the missed questions again one
at a time, through the review boxes as the app's review does (`tutor.progress.review.record_review`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor import exam, glossary, quiz
from tutor.i18n import t
from tutor.lesson_state import LessonState
from tutor.lessons import Question, QuizUnit
from tutor.plain import questions
from tutor.progress import Store
from tutor.progress.review import record_review


def _spec(record: LessonState, question: Question, lang: str) -> questions.Spec:
    return questions.spec(record.lesson, question, lang, order=record.choice_order(question))


def score_lines(record: LessonState, store: Store, lang: str) -> tuple[exam.ExamScore, list[str]]:
    """The sitting's score, then each missed question: what happened, the answer, why."""
    lesson = record.lesson
    score = exam.exam_score(lesson, store.attempts(lesson.id), store.skipped(lesson.id))
    lines = [t("ui.exam.score", lang, right=score.right, n=score.total, p=score.percent)]
    if not score.missed:
        return score, [*lines, t("ui.exam.all_right", lang)]
    lines.append(t("plain.exam.missed", lang, n=len(score.missed)))
    numbers = {q.id: i for i, q in enumerate(lesson.questions(), start=1)}
    for missed in score.missed:
        question = missed.question
        spec = _spec(record, question, lang)
        lines += ["", f"{numbers[question.id]}. {spec.question}"]
        given = missed.first_answer
        if missed.outcome == "wrong" and given is not None:
            shown = given
            if isinstance(question, QuizUnit) and question.kind == "choice" and given.isdigit():
                k = int(given)
                if 1 <= k <= len(spec.choices):
                    shown = f"{k}. {spec.choices[k - 1]}"
            lines.append("   " + t("ui.exam.your_answer", lang, answer=shown))
        else:
            lines.append("   " + t(f"ui.exam.outcome.{missed.outcome}", lang))
        lines.append("   " + t("ui.quiz.answer_is", lang, answer=spec.solution))
        lines += ["   " + part for part in exam.choice_by_choice(spec.explain, lang)]
    return score, lines


@dataclass
class Retry:
    """The missed questions asked again, one at a time (`retry`), graded as a review."""

    record: LessonState
    store: Store
    queue: list[Question]
    current: int = 0
    right: int = 0
    state: quiz.QuestionState | None = field(default=None)

    @property
    def question(self) -> Question | None:
        return self.queue[self.current] if self.current < len(self.queue) else None

    def show(self, lang: str) -> list[str]:
        question = self.question
        if question is None:
            return [t("plain.retry.done", lang, right=self.right, n=len(self.queue))]
        self.state = self.state or quiz.QuestionState(len(question.hints))
        head = t("plain.retry.head", lang, i=self.current + 1, n=len(self.queue))
        return [head, *questions.show(_spec(self.record, question, lang), self.state, lang)]

    def handle(self, command: str, lang: str) -> list[str]:
        """One command while retrying: an answer, h, r, or n (on, once the question is finished).
        Returns the lines to print."""
        question = self.question
        if question is None:
            return []
        spec = _spec(self.record, question, lang)
        state = self.state or quiz.QuestionState(len(question.hints))
        if command == "n":
            if not state.finished:
                return [t("ui.review.answer_first", lang)]
            self.current += 1
            self.state = None
            return self.show(lang)
        if command == "h":
            reply = questions.hint(spec, state, lang)
        elif command == "r":
            reply = questions.reveal(spec, state, lang)
        else:
            reply = questions.answer(spec, state, command, lang)
        self.state = reply.state
        if reply.attempt is not None:
            _, correct, revealed = reply.attempt
            record_review(self.store, self.record.lesson.id, question.id, correct and not revealed)
            if correct and not revealed:
                self.right += 1
        lines = list(reply.lines)
        if self.state.finished:
            lines.append(t("plain.retry.next", lang))
        return lines


def contents_lines(record: LessonState, lang: str) -> list[str]:
    """`contents`: every unit with its number, title, kind and marks (tutor.contents), as the
    app's contents dialog lists them; `contents N` goes to unit N (the session does that)."""
    from tutor.contents import contents

    lines = [t("plain.contents.head", lang)]
    for entry in contents(record, lang):
        detail = t(f"ui.unit.{entry.kind}", lang)
        if entry.status == "steps":
            detail += ", " + t("ui.contents.steps", lang, p=entry.step, n=entry.total)
        elif entry.status:
            detail += ", " + t(f"ui.contents.{entry.status}", lang)
        if entry.questions_open:
            detail += ", " + t("ui.contents.asks_open", lang, n=entry.questions_open)
        here = " " + t("plain.contents.here", lang) if entry.current else ""
        lines.append(f"{entry.index + 1}. {entry.title} ({detail}){here}")
    return lines


def glossary_lines(query: str, lang: str) -> list[str]:
    """`glossary [words]`: the terms holding the words (every term without them)."""
    found = glossary.search(query)
    if not found:
        return [t("ui.glossary.nothing", lang, query=query.strip())]
    head = (t("ui.glossary.found", lang, n=len(found), query=query.strip()) if query.strip()
            else t("ui.glossary.count", lang, n=len(found)))
    lines = [head]
    for term in found:
        lines.append(f"{term.name(lang)}: {term.meaning[lang]}")
    return lines
