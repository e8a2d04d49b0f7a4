"""One question in the plain mode: its text, its choices, and the dialogue of answers, hints and
the solution, graded by `tutor.quiz` exactly as the app's question panel grades them.

`spec` builds what the app's `question_spec` (tutor/ui/widgets/units.py) builds, without Textual:
the expected value comes from the lesson, i.e. from the live engine for a prediction.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tutor import quiz
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, QuizUnit
from tutor.plain.text import plain_markdown
from tutor.render import numbers as n

Attempt = tuple[str, bool, bool]  # (answer, correct, revealed), as the app records it


@dataclass(frozen=True)
class Spec:
    """A question rendered for one language (text is plain, Markdown marks removed)."""

    qid: str
    kind: str  # "choice" | "numeric"
    question: str
    choices: tuple[str, ...]
    expected: float
    tolerance: float
    hints: tuple[str, ...]
    explain: str
    solution: str


def _what(lesson: Lesson, ask: Ask, lang: str) -> str:
    """'the net input k', 'w₁ after the update', 'the output for sample 2'…"""
    if ask.index is None:
        return t(f"ui.predict.{ask.predict}", lang)
    if ask.predict in ("weights_after", "delta", "grad_weights"):
        cfg = lesson.run(ask.training).config
        first = 0 if cfg.model == "perceptron" and cfg.bias_input is not None else 1
        name = f"w{n.sub(ask.index + first)}"
    else:
        name = str(ask.index + 1)
    return t(f"ui.predict.{ask.predict}", lang, i=name)


def spec(lesson: Lesson, question: Ask | QuizUnit, lang: str) -> Spec:
    """The question in `lang`; the right answer from `lesson.expected` (the engine's value)."""
    expected = float(lesson.expected(question))
    hints = tuple(plain_markdown(lesson.render(h, lang)) for h in question.hints)
    explain = plain_markdown(lesson.render(question.explain, lang))
    if isinstance(question, Ask):
        text = t("ui.ask.question", lang, step=question.step, what=_what(lesson, question, lang))
        if question.tolerance > 1e-6:
            text += " " + t("ui.ask.tolerance", lang, tol=n.answer(question.tolerance))
    else:
        text = plain_markdown(lesson.render(question.question, lang))
        if question.kind == "choice":
            choices = tuple(plain_markdown(lesson.render(c, lang)) for c in question.choices)
            k = int(expected)
            solution = f"{k}. {choices[k - 1]}" if 1 <= k <= len(choices) else str(k)
            return Spec(question.id, "choice", text, choices, expected, 0.0, hints, explain,
                        solution)
    return Spec(question.id, "numeric", text, (), expected, question.tolerance, hints, explain,
                n.answer(expected))


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
    else:
        verdict = quiz.check_numeric(text, s.expected, s.tolerance)
        if verdict.unparseable:
            return Reply([t("ui.quiz.unreadable", lang, text=text)], state)
        given = text
    new = state.answer(verdict.correct)
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
