"""Quiz grading: reading a typed number, checking answers, and the state of one question.

Standard library only. A "predict" question (what will the next output / weight be?) is graded with
`check_numeric`, the engine's value from the record being the expected answer.

Accepted numbers (`parse_number`), surrounding spaces allowed:

- decimals and integers: ``0.5``, ``.5``, ``5.``, ``+1``, ``-0.05``
- the true minus sign ``−0.05`` (U+2212) as well as ``-``
- a comma as decimal mark: ``0,5`` (one comma, no dot; so ``1,000`` means 1.0, not 1000)
- scientific notation: ``1e-3``, ``5.55E-17``
- fractions of two such numbers: ``1/2``, ``-1/2``, ``1 / 4`` (the sign only in front)
- full-width forms as an IME types them (``０．５``, ``－０，５``, ``１／２``): every character is
  read through `number_char`, the one function that decides what a number character is (the
  answer box uses it too, so the box and the parser always agree)

Anything else (words, ``nan``, ``inf``, ``1/0``, ``1_000``, ``--1``, empty text) gives None.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from enum import Enum

MINUS_SIGNS = "\u2212\u2013\ufe63\uff0d"  # minus sign, en dash, small and full-width hyphen-minus
_NUMBER = r"\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"
_NUMBER_RE = re.compile(rf"[+-]?(?:{_NUMBER})")
_FRACTION_RE = re.compile(rf"([+-]?)({_NUMBER})\s*/\s*({_NUMBER})")
DEFAULT_TOLERANCE = 1e-9
NUMBER_CHARACTERS = frozenset("0123456789.,/+-eE ")


def number_char(char: str) -> str | None:
    """The ASCII form of one typed character if a number may hold it, else None.

    Full-width forms (U+FF10–FF19 digits, ．，－／＋, ｅ) are read through Unicode NFKC, the minus
    signs in `MINUS_SIGNS` as ``-``; an ideographic space as a space.
    """
    if len(char) != 1:
        return None
    if char in MINUS_SIGNS:
        return "-"
    ascii_form = unicodedata.normalize("NFKC", char)
    return ascii_form if ascii_form in NUMBER_CHARACTERS else None


def ascii_number_text(text: str) -> str:
    """`text` with every number character in its ASCII form (others left as they are)."""
    return "".join(number_char(c) or c for c in text)


def _normalize(text: str) -> str:
    text = ascii_number_text(text).strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    return text


def parse_number(text: str) -> float | None:
    """The number written in `text`, or None when it is not one (see the module docstring)."""
    if not isinstance(text, str):
        return None
    s = _normalize(text)
    if _NUMBER_RE.fullmatch(s):
        value = float(s)
        return value if math.isfinite(value) else None
    m = _FRACTION_RE.fullmatch(s)
    if m:
        sign, num, den = m.groups()
        denominator = float(den)
        if denominator == 0:
            return None
        value = float(num) / denominator
        if not math.isfinite(value):
            return None
        return -value if sign == "-" else value
    return None


class Outcome(Enum):
    CORRECT = "correct"
    WRONG = "wrong"
    UNPARSEABLE = "unparseable"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The grade of one answer. `value` is what was read (None when unparseable)."""

    outcome: Outcome
    value: float | None = None
    expected: float | None = None

    @property
    def correct(self) -> bool:
        return self.outcome is Outcome.CORRECT

    @property
    def wrong(self) -> bool:
        return self.outcome is Outcome.WRONG

    @property
    def unparseable(self) -> bool:
        """The answer could not be read: ask again, do not count it as an attempt."""
        return self.outcome is Outcome.UNPARSEABLE


def check_numeric(text: str, expected: float, tolerance: float = DEFAULT_TOLERANCE) -> Verdict:
    """Correct when the number in `text` is within `tolerance` of `expected` (absolute).

    A tiny extra margin absorbs float noise, so 0.1 + 0.2 against 0.3 with tolerance 0 is correct.
    """
    value = parse_number(text)
    if value is None:
        return Verdict(Outcome.UNPARSEABLE, None, expected)
    margin = abs(tolerance) + 1e-12 * max(1.0, abs(expected))
    outcome = Outcome.CORRECT if abs(value - expected) <= margin else Outcome.WRONG
    return Verdict(outcome, value, expected)


def check_choice(index_1_based: int | str, answer: int) -> Verdict:
    """Correct when the chosen option (1-based, as shown to the learner) is `answer` (1-based).

    `index_1_based` may be the typed text ("2"); text that is not a whole number is unparseable.
    """
    if isinstance(index_1_based, str):
        text = index_1_based.strip()
        if not re.fullmatch(r"\+?\d+", text):
            return Verdict(Outcome.UNPARSEABLE, None, answer)
        index = int(text)
    elif isinstance(index_1_based, bool) or not isinstance(index_1_based, int):
        return Verdict(Outcome.UNPARSEABLE, None, answer)
    else:
        index = index_1_based
    outcome = Outcome.CORRECT if index == answer else Outcome.WRONG
    return Verdict(outcome, float(index), answer)


MAX_WRONG_KEPT = 32
"""Different wrong answers a `QuestionState` keeps (the first ones): a choice question has at most
9 choices; the bound keeps an imported file's 100,000 wrong attempts from being copied 100,000
times over as they are replayed."""


@dataclass(frozen=True, slots=True)
class QuestionState:
    """Where a learner is with one question. Immutable: each method returns a new state.

    - `answer(correct, given)` counts an attempt. Correct: the question is solved. Wrong: the next
      hint becomes available (`hints_shown` goes up by one, up to `hints_total`), and `given` is
      kept in `wrong` (once, and only the first `MAX_WRONG_KEPT` different ones), so a choice
      already tried can be refused instead of counted again (a right `given` is kept in
      `right`, to show it in the answer box).
    - `show_hint()` shows the next hint on request, without an attempt.
    - `reveal()` shows the answer. It is allowed only once every hint has been shown and at least
      one attempt was made (`can_reveal`); the question then counts as revealed, not solved.
    - Once `finished` (solved or revealed), `answer` and `reveal` raise ValueError.

    Unparseable input should not be passed to `answer`: it is not an attempt.
    """

    hints_total: int
    hints_shown: int = 0
    attempts: int = 0
    solved: bool = False
    revealed: bool = False
    wrong: tuple[str, ...] = ()  # the wrong answers given, oldest first (a choice's number: "3")
    right: str = ""  # the answer that solved it, as given ("" until solved, or if not known)

    def __post_init__(self) -> None:
        if self.hints_total < 0:
            raise ValueError("hints_total must be 0 or more")
        if not 0 <= self.hints_shown <= self.hints_total:
            raise ValueError("hints_shown must be between 0 and hints_total")

    @property
    def finished(self) -> bool:
        return self.solved or self.revealed

    @property
    def hints_left(self) -> int:
        return self.hints_total - self.hints_shown

    @property
    def can_reveal(self) -> bool:
        return not self.finished and self.hints_left == 0 and self.attempts > 0

    def answer(self, correct: bool, given: str = "") -> QuestionState:
        if self.finished:
            raise ValueError("the question is already finished")
        if correct:
            return replace(self, attempts=self.attempts + 1, solved=True, right=given)
        shown = min(self.hints_shown + 1, self.hints_total)
        wrong = self.wrong
        if given not in wrong and len(wrong) < MAX_WRONG_KEPT:
            wrong = (*wrong, given)
        return replace(self, attempts=self.attempts + 1, hints_shown=shown, wrong=wrong)

    def tried(self, given: str) -> bool:
        """True when `given` was already answered, and was wrong."""
        return given in self.wrong

    def show_hint(self) -> QuestionState:
        if self.finished or self.hints_left == 0:
            raise ValueError("there is no hint left to show")
        return replace(self, hints_shown=self.hints_shown + 1)

    def reveal(self) -> QuestionState:
        if not self.can_reveal:
            raise ValueError("the answer can be revealed only after every hint and an attempt")
        return replace(self, revealed=True)
