"""One question in the plain mode: its text, its choices, and the dialogue of answers, hints and
the solution, graded by `tutor.quiz` exactly as the app's question panel grades them.

`spec` is the app's `question_spec` (tutor/question_spec.py, shared, no UI) with the Markdown marks
removed: the expected value comes from the lesson, i.e. from the live engine for a prediction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tutor import quiz
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, QuizUnit
from tutor.plain.text import plain_markdown
from tutor.question_spec import QuestionSpec, question_spec

Attempt = tuple[str, bool, bool]  # (answer, correct, revealed), as the app records it


Spec = QuestionSpec  # the shared spec (tutor.question_spec), its text without Markdown marks


def spec(lesson: Lesson, question: Ask | QuizUnit, lang: str,
         order: tuple[int, ...] | None = None) -> Spec:
    """The question in `lang`, as the app renders it but as plain text; the right answer from
    `lesson.expected` (the engine's value); `order`: an exam sitting's order of the choices."""
    return question_spec(lesson, question, lang, text=plain_markdown, order=order)


def show(s: Spec, state: quiz.QuestionState, lang: str) -> list[str]:
    """The question as it stands: text, choices, hints shown so far, the solution if finished."""
    lines = [s.question] if s.question else []
    lines += [t("plain.question.choice", lang, i=i, text=c) for i, c in enumerate(s.choices, 1)]
    lines += _hints(s, 0, state.hints_shown, lang)
    if state.finished:
        lines += _solution(s, lang)
    else:
        key = "plain.answer_prompt_choice" if s.kind == "choice" else "plain.answer_prompt_numeric"
        lines.append(t(key, lang))
    return lines


def _hints(s: Spec, start: int, end: int, lang: str) -> list[str]:
    return [
        f"{t('ui.quiz.hint', lang, i=i + 1, n=len(s.hints))} {s.hints[i]}"
        for i in range(start, end)
    ]


def _solution(s: Spec, lang: str) -> list[str]:
    lines = [t("ui.quiz.answer_is", lang, answer=s.solution)]
    return lines + ([s.explain] if s.explain else [])


@dataclass(frozen=True)
class Reply:
    """What one command did to a question: the lines to print, the new state, what to record."""

    lines: list[str]
    state: quiz.QuestionState
    attempt: Attempt | None = None


def answer(s: Spec, state: quiz.QuestionState, text: str, lang: str) -> Reply:
    """Grade `text` (a choice's number, or a number) as the app does; unreadable is no attempt."""
    if state.finished:
        return Reply([t("plain.answered_already", lang)], state)
    text = text.strip()
    if s.kind == "choice":
        verdict = quiz.check_choice(text, int(s.expected))
        if verdict.unparseable or not 1 <= int(verdict.value or 0) <= len(s.choices):
            return Reply([t("plain.choice_range", lang, text=text, n=len(s.choices))], state)
        given = str(int(verdict.value or 0))
        if not verdict.correct and state.tried(given):  # graded first, as the app does
            return Reply([t("ui.quiz.tried_choice", lang, answer=given)], state)
    else:
        verdict = quiz.check_numeric(text, s.expected, s.tolerance)
        if verdict.unparseable:
            return Reply([t("ui.quiz.unreadable", lang, text=text)], state)
        given = text
    new = state.answer(verdict.correct, given)
    if verdict.correct:
        lines = [t("ui.quiz.correct", lang), *_solution(s, lang)]
    else:
        key = "ui.quiz.wrong_choice" if s.kind == "choice" else "ui.quiz.wrong"
        lines = [t(key, lang, answer=given), *_hints(s, state.hints_shown, new.hints_shown, lang)]
        if new.hints_left == 0:
            lines.append(t("ui.quiz.no_more_hints", lang))
    return Reply(lines, new, (given, verdict.correct, False))


def hint(s: Spec, state: quiz.QuestionState, lang: str) -> Reply:
    if state.finished:
        return Reply([t("plain.answered_already", lang)], state)
    if state.hints_left == 0:
        key = "ui.quiz.no_more_hints" if state.attempts else "ui.quiz.no_hints_left"
        return Reply([t(key, lang)], state)
    new = replace(state, hints_shown=state.hints_shown + 1)
    return Reply(_hints(s, state.hints_shown, new.hints_shown, lang), new)


def reveal(s: Spec, state: quiz.QuestionState, lang: str) -> Reply:
    if state.finished:
        return Reply([t("plain.answered_already", lang)], state)
    if not state.can_reveal:
        key = "ui.quiz.reveal_after_hints" if state.hints_left else "ui.quiz.reveal_try"
        return Reply([t(key, lang)], state)
    new = state.reveal()
    return Reply([t("ui.quiz.revealed", lang), *_solution(s, lang)], new, ("", False, True))
