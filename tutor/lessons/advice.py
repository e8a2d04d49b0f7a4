"""Warnings for authors: things `check` shows without failing (exit status 0).

- a numeric answer that needs more decimal places than the question asks for, or than a learner
  would type (`MAX_TYPED_DECIMALS`), to fall within its tolerance;
- a numeric or predict quiz whose question says nothing about precision (decimal places, ±, or the
  tolerance), while its answer must be rounded to be typed;
- a quiz whose answer appears in the text unit just before it;
- a text missing a language that the rest of the lesson has;
- in an exam lesson (`exam: true`, choices shuffled per sitting): a choice question whose
  explanation does not name every choice by its number ("(k)", "①"), or whose question, choices or
  hints name one (those numbers would not follow the shuffle; see tutor/exam.py).

Each warning is a `Problem` with severity "warning". Runs the lesson's trainings (through
`Lesson.expected`); call it on a lesson `check_lesson` found no problem with.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from tutor.i18n import LANGUAGES
from tutor.lessons.lesson import Lesson
from tutor.lessons.placeholders import PlaceholderError
from tutor.lessons.problems import Problem
from tutor.lessons.units import Question, QuizUnit, Text, TextUnit, TrainingUnit

Warn = Callable[[int, str, str], None]

MAX_TYPED_DECIMALS = 4
"""More decimal places than this, unasked, is more than a learner should have to type."""

MAX_DECIMALS = 12

_ASKED_DIGITS = (
    re.compile(r"(\d+)\s*(?:decimal|dp\b)", re.IGNORECASE),
    re.compile(r"소수점\s*(?:아래\s*)?(?:(\d+)|(첫|둘|셋|넷|다섯|여섯))\s*(?:째|번째)?\s*자리"),
)
_KOREAN_ORDINALS = {"첫": 1, "둘": 2, "셋": 3, "넷": 4, "다섯": 5, "여섯": 6}
_PRECISION_WORDS = re.compile(
    r"±|\+/-|decimal|significant|round|tolerance|within|정밀|유효\s*숫자|반올림|소수점|오차|허용",
    re.IGNORECASE,
)


def decimals_needed(value: float, tolerance: float) -> int | None:
    """The fewest decimal places d for which `value` rounded to d places is within `tolerance`.

    None when even `MAX_DECIMALS` places are not enough (a tolerance of 0 on 1/3).
    """
    for d in range(MAX_DECIMALS + 1):
        if abs(round(value, d) - value) <= tolerance:
            return d
    return None


def asked_decimals(text: Text) -> int | None:
    """The decimal places a question asks for ("to 3 decimal places", "소수점 아래 셋째 자리")."""
    for lang in sorted(text.values):
        for pattern in _ASKED_DIGITS:
            m = pattern.search(text.values[lang])
            if m:
                digits = next(g for g in m.groups() if g)
                return int(digits) if digits.isdigit() else _KOREAN_ORDINALS[digits]
    return None


def _significant_digits(shown: str) -> int:
    return len(shown.lstrip("-").replace(".", "").lstrip("0"))


def _number_forms(value: float, decimals: int) -> set[str]:
    forms = {f"{value:.{d}f}" for d in range(decimals, min(decimals + 3, MAX_DECIMALS) + 1)}
    forms.add(repr(value))
    forms |= {f.replace("-", "\N{MINUS SIGN}", 1) for f in forms if f.startswith("-")}
    return {f for f in forms if _significant_digits(f) >= 2}


def _appears(form: str, text: str) -> bool:
    return re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text) is not None


def lesson_warnings(lesson: Lesson) -> list[Problem]:
    """Every warning for `lesson`, sorted (see the module docstring)."""
    out: list[Problem] = []
    file = lesson.display_path

    def warn(line: int, field: str, message: str) -> None:
        out.append(Problem(file, line, field, message, "warning"))

    for i, unit in enumerate(lesson.units):
        questions: list[Question] = []
        if isinstance(unit, QuizUnit):
            questions = [unit]
        elif isinstance(unit, TrainingUnit):
            questions = list(unit.asks)
        for q in questions:
            if isinstance(q, QuizUnit) and q.kind == "choice":
                _choice_in_text(lesson, i, q, warn)
                if lesson.exam:
                    _exam_numbers(lesson, q, warn)
                continue
            try:
                value = lesson.expected(q)
            except (PlaceholderError, KeyError, IndexError, ValueError, TypeError):
                continue  # check_lesson reports it
            if not math.isfinite(value):
                continue
            _precision(q, value, warn)
            if isinstance(q, QuizUnit):
                _number_in_text(lesson, i, q, value, warn)
    _languages(lesson, warn)
    return sorted(set(out))


def _precision(q: Question, value: float, warn: Warn) -> None:
    needed = decimals_needed(value, q.tolerance)
    asked = asked_decimals(q.question) if isinstance(q, QuizUnit) else None
    where = f"{q.field}.tolerance"
    if needed is None:
        warn(q.line, where, f"the answer {value!r} is never within the tolerance {q.tolerance:g} "
             f"with {MAX_DECIMALS} decimal places or fewer; give a larger tolerance")
    elif asked is not None and needed > asked:
        warn(q.line, where, f"the question asks for {_places(asked)}, but the answer "
             f"{value!r} needs {needed} to be within the tolerance {q.tolerance:g}; "
             f"use a tolerance of {0.5 * 10.0 ** -asked:g}")
    elif asked is None and needed > MAX_TYPED_DECIMALS:
        warn(q.line, where, f"the answer {value!r} needs {_places(needed)} to be within the "
             f"tolerance {q.tolerance:g}; give a larger tolerance or ask for fewer digits")
    rounded = needed is not None and abs(round(value, needed) - value) > 1e-9 * max(1, abs(value))
    if (isinstance(q, QuizUnit) and needed and rounded
            and not any(_PRECISION_WORDS.search(v) for v in q.question.values.values())):
        warn(q.line, f"{q.field}.question", f"does not say how precise the answer must be "
             f"(tolerance {q.tolerance:g}); say e.g. 'to {_places(needed)}'")


def _places(n: int) -> str:
    return f"{n} decimal place" if n == 1 else f"{n} decimal places"


def _previous_text(lesson: Lesson, index: int) -> TextUnit | None:
    prev = lesson.units[index - 1] if index > 0 else None
    return prev if isinstance(prev, TextUnit) else None


def _number_in_text(lesson: Lesson, index: int, q: QuizUnit, value: float, warn: Warn) -> None:
    prev = _previous_text(lesson, index)
    if prev is None:
        return
    needed = decimals_needed(value, q.tolerance) or 0
    for lang in LANGUAGES:
        text = lesson.render(prev.body, lang)
        for form in sorted(_number_forms(value, needed)):
            if _appears(form, text):
                warn(q.line, q.field, f"the answer {form} appears in the text just before the "
                     f"question ({prev.body.field or prev.id}, {lang})")
                return


def _choice_in_text(lesson: Lesson, index: int, q: QuizUnit, warn: Warn) -> None:
    prev = _previous_text(lesson, index)
    if prev is None or q.answer is None or not 1 <= int(q.answer) <= len(q.choices):
        return
    right = q.choices[int(q.answer) - 1]
    for lang in LANGUAGES:
        choice = lesson.render(right, lang).strip()
        if len(choice) >= 12 and choice.casefold() in lesson.render(prev.body, lang).casefold():
            warn(q.line, q.field, f"the right choice appears in the text just before the "
                 f"question ({prev.body.field or prev.id}, {lang})")
            return


def _exam_numbers(lesson: Lesson, q: QuizUnit, warn: Warn) -> None:
    """An exam shuffles the choices: the numbers in the explanation are renumbered with them, any
    other number naming a choice would point at the wrong one."""
    from tutor.exam import choice_numbers

    every = set(range(1, len(q.choices) + 1))
    for lang in sorted(q.explain.languages):
        if choice_numbers(lesson.render(q.explain, lang), lang) != every:
            mark = "①, ②, …" if lang == "ko" else "(1), (2), …"
            warn(q.explain.line_of(lang), f"{q.field}.explain",
                 f"in an exam the choices are shuffled: name every choice as {mark} ({lang}) "
                 "so that the explanation follows the order shown")
        for part in (q.question, *q.choices, *q.hints):
            if choice_numbers(lesson.render(part, lang), lang):
                warn(part.line_of(lang), part.field or q.field,
                     f"names a choice by its number ({lang}), which moves when an exam "
                     "shuffles the choices; only the explanation is renumbered")
                break


def _languages(lesson: Lesson, warn: Warn) -> None:
    used: set[str] = set()
    texts = list(lesson.texts())
    for text in texts:
        used |= {k for k in text.values if k != "*"}
    if len(used) < 2:
        return  # a lesson in one language is not missing the other
    for text in texts:
        missing = sorted(used - text.languages)
        if missing:
            warn(text.line, text.field or "title",
                 f"has no {' or '.join(missing)} text, which the rest of the lesson has")
