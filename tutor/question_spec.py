"""A question rendered for one language: what the app's question panel and the plain mode show.

No UI: the app's `QuestionPanel` (tutor/ui/widgets/question.py) takes a `QuestionSpec` with Markdown
text; the plain mode (tutor/plain/questions.py) builds the same spec with the Markdown marks removed
(`text=plain_markdown`). The expected value comes from the lesson, i.e. from the live engine for a
prediction (`Lesson.expected`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tutor.i18n import t
from tutor.lessons import Ask, Lesson, QuizUnit
from tutor.render import numbers as n


@dataclass(frozen=True)
class QuestionSpec:
    """Everything a question shows, already rendered for one language."""

    qid: str
    kind: str  # "choice" | "numeric"
    question: str  # Markdown (plain text in the plain mode)
    choices: tuple[str, ...]
    expected: float
    tolerance: float
    hints: tuple[str, ...]
    explain: str  # Markdown (plain text in the plain mode)
    solution: str  # the right answer as the learner should read it


def solution_text(value: float) -> str:
    """The engine's answer as the learner reads it (see `numbers.answer`)."""
    return n.answer(value)


def what_is_asked(lesson: Lesson, ask: Ask, lang: str) -> str:
    """'the net input k', 'w₁ after the update', 'the output for sample 2'..."""
    if ask.index is None:
        return t(f"ui.predict.{ask.predict}", lang)
    if ask.predict in ("weights_after", "delta", "grad_weights"):
        cfg = lesson.run(ask.training).config
        first = 0 if cfg.model == "perceptron" and cfg.bias_input is not None else 1
        name = f"w{n.sub(ask.index + first)}"  # as the weight table names them
    else:
        name = str(ask.index + 1)  # samples are numbered from 1 on screen
    return t(f"ui.predict.{ask.predict}", lang, i=name)


def _same(text: str) -> str:
    return text


def question_spec(
    lesson: Lesson, question: Ask | QuizUnit, lang: str, *, text: Callable[[str], str] = _same
) -> QuestionSpec:
    """Render `question` for `lang`; `text` is applied to every text the lesson wrote (the plain
    mode passes `plain_markdown`). Raises what `Lesson.expected` raises for a broken question."""
    expected = float(lesson.expected(question))
    hints = tuple(text(lesson.render(h, lang)) for h in question.hints)
    explain = text(lesson.render(question.explain, lang))
    if isinstance(question, Ask):
        asked = t("ui.ask.question", lang, step=question.step,
                  what=what_is_asked(lesson, question, lang))
        if question.tolerance > 1e-6:
            asked += " " + t("ui.ask.tolerance", lang, tol=solution_text(question.tolerance))
    else:
        asked = text(lesson.render(question.question, lang))
        if question.kind == "choice":
            choices = tuple(text(lesson.render(c, lang)) for c in question.choices)
            k = int(expected)
            solution = f"{k}. {choices[k - 1]}" if 1 <= k <= len(choices) else str(k)
            return QuestionSpec(
                question.id, "choice", asked, choices, expected, 0.0, hints, explain, solution
            )
    return QuestionSpec(
        question.id, "numeric", asked, (), expected, question.tolerance, hints, explain,
        solution_text(expected),
    )
