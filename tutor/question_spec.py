"""A question rendered for one language: what the app's question panel and the plain mode show.

No UI: the app's `QuestionPanel` (tutor/ui/widgets/question.py) takes a `QuestionSpec` with Markdown
text; the plain mode (tutor/plain/questions.py) builds the same spec with the Markdown marks removed
(`text=plain_markdown`). The expected value comes from the lesson, i.e. from the live engine for a
prediction (`Lesson.expected`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tutor import exam
from tutor.i18n import t
from tutor.lessons import Ask, Lesson, QuizUnit, Text
from tutor.render import numbers as n
from tutor.render.network_names import unit_name, weight_name


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
    if ask.layer is not None and ask.index is not None:
        cfg = lesson.run(ask.training).config
        layers, outputs = len(cfg.layer_sizes) - 1, cfg.layer_sizes[-1]
        layer = ask.layer - 1
        if ask.input is None:
            return t(f"backprop.predict.{ask.predict}", lang,
                     u=unit_name(layer, ask.index, layers, outputs))
        w = weight_name(layer, ask.input, ask.index, layers, outputs)
        return t(f"backprop.predict.{ask.predict}", lang, w=w)
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
    lesson: Lesson,
    question: Ask | QuizUnit,
    lang: str,
    *,
    text: Callable[[str], str] = _same,
    order: Sequence[int] | None = None,
) -> QuestionSpec:
    """Render `question` for `lang`; `text` is applied to every text the lesson wrote (the plain
    mode passes `plain_markdown`). Raises what `Lesson.expected` raises for a broken question.

    `order` (an exam sitting's, `tutor.exam.choice_order`) shows a choice question's choices in
    that order: `order[i]` is the lesson's 0-based index of the choice shown at position i. The
    answer key and the choice numbers in the hints and the explanation follow it."""
    expected = float(lesson.expected(question))
    shuffled = (
        order is not None and isinstance(question, QuizUnit) and question.kind == "choice"
        and sorted(order) == list(range(len(question.choices)))
    )

    def written(source: Text) -> str:
        rendered = lesson.render(source, lang)
        if shuffled and order is not None:
            rendered = exam.relabel(rendered, order, lang)
        return text(rendered)

    hints = tuple(written(h) for h in question.hints)
    explain = written(question.explain)
    if isinstance(question, Ask):
        asked = t("ui.ask.question", lang, step=question.step,
                  what=what_is_asked(lesson, question, lang))
        if question.tolerance > 1e-6:
            asked += " " + t("ui.ask.tolerance", lang, tol=n.tolerance(question.tolerance))
    else:
        asked = text(lesson.render(question.question, lang))
        if question.kind == "choice":
            choices = tuple(text(lesson.render(c, lang)) for c in question.choices)
            if shuffled and order is not None:
                choices = tuple(choices[i] for i in order)
                if 1 <= int(expected) <= len(order):
                    expected = float(exam.shown_answer(order, int(expected)))
            k = int(expected)
            solution = f"{k}. {choices[k - 1]}" if 1 <= k <= len(choices) else str(k)
            return QuestionSpec(
                question.id, "choice", asked, choices, expected, 0.0, hints, explain, solution
            )
    return QuestionSpec(
        question.id, "numeric", asked, (), expected, question.tolerance, hints, explain,
        solution_text(expected),
    )
