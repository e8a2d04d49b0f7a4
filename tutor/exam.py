"""An exam sitting (no UI): choices shuffled per sitting, seeded, and the score at the end.

A lesson with `exam: true` (lessons/exam-review.yaml) is sat like an exam:

* **Shuffled choices.** Each sitting has a seed, kept in the progress store (`Store.exam_seed`),
  so that the app, the plain mode and the review all show a question's choices in the same order
  until the lesson is reset. The order of one question depends only on the seed and the
  question's id (`choice_order`), so adding or moving questions never reshuffles the others.
  The answer key goes through the same permutation (`shown_answer`), and so do the choice numbers
  in the explanation: "(3) Right" becomes "(1) Right" when the third choice is shown first
  (`relabel`; Korean ①–⑨ too, with the particle after the number fitted to it, see
  `fit_particle`).
* **The score** (`exam_score`): a question counts as right when its first answer was right (a
  hint seen first still counts, as the hint was asked for); answered wrong first, revealed, or
  skipped, it is missed. Missed questions are listed with their explanations and can be asked
  again (the app's review screen, the plain mode's `retry`).
"""

from __future__ import annotations

import itertools
import random
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.limits import MAX_SEED  # re-exported: an exam sitting's seed

if TYPE_CHECKING:
    from tutor.lessons import Lesson, Question
    from tutor.progress import Attempt, Store

CIRCLED = "①②③④⑤⑥⑦⑧⑨"
# An English choice number in an explanation: "(3)" at the start or after a space or a comma list.
_EN_MARK = re.compile(r"(?<![^\s,])\(([1-9])\)(?=[\s,.:;]|$)")
# A Korean one, with the particle that may follow it (는/은, 가/이, 를/을, 와/과, 로/으로).
_PARTICLE = "(으로|로|은|는|이|가|을|를|과|와)(?![가-힣])"  # a particle ends the word: not ①이며
_KO_MARK = re.compile(f"([{CIRCLED}])(?:{_PARTICLE})?")

# Whether the Korean reading of a digit ends in a final consonant (받침), and whether that one is
# ㄹ (which takes 로, not 으로): 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구.
_BATCHIM = {1: "ㄹ", 3: "ㅁ", 6: "ㄱ", 7: "ㄹ", 8: "ㄹ"}
_PARTICLES = {  # particle -> (after a final consonant, after a vowel)
    "은": ("은", "는"), "는": ("은", "는"),
    "이": ("이", "가"), "가": ("이", "가"),
    "을": ("을", "를"), "를": ("을", "를"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
}


def new_seed() -> int:
    """A fresh sitting's seed, 0 ≤ seed ≤ 2³¹ − 1 (fits the store's INTEGER and JSON)."""
    return secrets.randbelow(MAX_SEED + 1)


def choice_order(seed: int, question_id: str, n: int) -> tuple[int, ...]:
    """The order a sitting shows `n` choices in: `order[i]` is the 0-based index, in the lesson,
    of the choice shown at position i. Depends only on (seed, question id, n); a permutation of
    range(n). Python's `random.Random` seeded with a string is the same on every platform and
    version since 3.2 (it hashes the string with SHA-512)."""
    order = list(range(n))
    random.Random(f"{seed}:{question_id}").shuffle(order)
    return tuple(order)


def shown_answer(order: Sequence[int], answer: int) -> int:
    """The 1-based position at which lesson choice `answer` (1-based) is shown."""
    return order.index(answer - 1) + 1


def choice_numbers(text: str, lang: str) -> set[int]:
    """The choice numbers `text` names as `relabel` reads them: "(k)" in English, ①–⑨ in Korean."""
    if lang == "ko":
        return {CIRCLED.index(c) + 1 for c in text if c in CIRCLED}
    return {int(m.group(1)) for m in _EN_MARK.finditer(text)}


def fit_particle(number: int, particle: str) -> str:
    """The particle (조사) that fits after the Korean reading of `number` (1–9): 은/는, 이/가,
    을/를, 과/와, 으로/로 (ㄹ takes 로). Unknown particles come back as they are."""
    pair = _PARTICLES.get(particle)
    if pair is None:
        return particle
    final = _BATCHIM.get(number)
    if particle in ("으로", "로"):
        return "으로" if final is not None and final != "ㄹ" else "로"
    return pair[0] if final is not None else pair[1]


def relabel(text: str, order: Sequence[int], lang: str) -> str:
    """`text` (an explanation) with every choice number written as the sitting shows it: "(k)" in
    English, "①"–"⑨" in Korean (with the particle right after it fitted to the new number).
    An explanation written choice by choice is put in the order shown; numbers listed together
    ("(1), (2), (4) Right") are put back in ascending order."""
    text = _in_shown_order(text, order, lang)
    new = {old + 1: position + 1 for position, old in enumerate(order)}

    def mapped(k: int) -> int:
        return new.get(k, k)

    if lang == "ko":

        def ko(m: re.Match[str]) -> str:
            k = mapped(CIRCLED.index(m.group(1)) + 1)
            particle = m.group(2)
            return CIRCLED[k - 1] + (fit_particle(k, particle) if particle else "")

        text = _KO_MARK.sub(ko, text)
        return _sort_lists(text, r"[①-⑨]", CIRCLED.index)
    text = _EN_MARK.sub(lambda m: f"({mapped(int(m.group(1)))})", text)
    return _sort_lists(text, r"\([1-9]\)", lambda mark: int(mark[1]))


def _in_shown_order(text: str, order: Sequence[int], lang: str) -> str:
    """An explanation written choice by choice ("(1) … (2) … (3) … (4) …", each number once, in
    order) with its parts put in the order the choices are shown; any other text as it is."""
    pattern = _KO_MARK if lang == "ko" else _EN_MARK
    marks = list(pattern.finditer(text))
    numbers = [
        CIRCLED.index(m.group(1)) + 1 if lang == "ko" else int(m.group(1)) for m in marks
    ]
    if numbers != list(range(1, len(order) + 1)):
        return text
    starts = [m.start() for m in marks]
    parts = [text[a:b].rstrip() for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    if any(part.endswith(",") for part in parts):  # "(1), (2) …": a list, not one part each
        return text
    preamble = text[: starts[0]]
    return preamble + " ".join(parts[i] for i in order)


def choice_by_choice(text: str, lang: str) -> list[str]:
    """An explanation cut before each choice number that starts a part ("… (2) Wrong …"), for a
    line per choice; the text before the first number is a part of its own."""
    pattern = _KO_MARK if lang == "ko" else _EN_MARK
    cuts = [m.start() for m in pattern.finditer(text) if m.start() > 0 and text[m.start() - 1] == " "
            and text[max(0, m.start() - 2)] != ","]
    bounds = [0, *cuts, len(text)]
    return [p for a, b in itertools.pairwise(bounds) if (p := text[a:b].strip())]


def _sort_lists(text: str, mark: str, key: Callable[[str], int]) -> str:
    """Lists of marks written together ("(3), (1), (2)") in ascending order. In Korean the
    particle belongs to the last mark: it is fitted again to the one that ends up last."""
    pattern = re.compile(f"({mark})((?:, {mark})+)(?:{_PARTICLE})?")

    def ordered(m: re.Match[str]) -> str:
        marks = re.findall(mark, m.group(0)[: len(m.group(0)) - len(m.group(3) or "")])
        marks.sort(key=key)
        particle = m.group(3)
        if particle:
            particle = fit_particle(CIRCLED.index(marks[-1]) + 1, particle)
        return ", ".join(marks) + (particle or "")

    return pattern.sub(ordered, text)


# -- the score


@dataclass(frozen=True)
class Missed:
    """A question missed in the sitting: what happened, and the answer given first (as recorded:
    a choice's number as it was shown), if any."""

    question: Question
    outcome: str  # "wrong" (answered wrong first) | "revealed" | "skipped" | "open"
    first_answer: str | None


@dataclass(frozen=True)
class ExamScore:
    """The sitting's result: `right` of `total` questions right at the first answer."""

    right: int
    total: int
    missed: tuple[Missed, ...]

    @property
    def percent(self) -> int:
        """Rounded half up, 0–100."""
        return (200 * self.right + self.total) // (2 * self.total) if self.total else 0


def exam_score(lesson: Lesson, attempts: Sequence[Attempt], skipped: set[str]) -> ExamScore:
    """Score the sitting from the recorded attempts (oldest first) and the skipped questions.

    Right: the first attempt at the question was right (not a reveal). Missed, in lesson order:
    answered wrong first, revealed without a right answer, skipped, or never answered ("open")."""
    first: dict[str, Attempt] = {}
    for each in attempts:
        first.setdefault(each.question_id, each)
    right = 0
    missed: list[Missed] = []
    questions = lesson.questions()
    for question in questions:
        attempt = first.get(question.id)
        if attempt is not None and attempt.correct and not attempt.revealed:
            right += 1
        elif attempt is not None:
            outcome = "revealed" if attempt.revealed else "wrong"
            missed.append(Missed(question, outcome, attempt.answer or None))
        else:
            missed.append(Missed(question, "skipped" if question.id in skipped else "open", None))
    return ExamScore(right, len(questions), tuple(missed))


def sitting_seed(lesson: Lesson, store: Store) -> int | None:
    """The seed of the lesson's sitting: the stored one, else a new one, stored. None for a lesson
    that is not an exam (its choices keep the lesson's order)."""
    if not lesson.exam:
        return None
    seed = store.exam_seed(lesson.id)
    if seed is None:
        seed = new_seed()
        store.save_exam_seed(lesson.id, seed)
    return seed


def stored_order(lesson: Lesson, store: Store, question: Question) -> tuple[int, ...] | None:
    """The order a choice question of an exam is shown in, from the stored seed (the review asks
    it as the sitting did); None when the lesson is no exam, or has no sitting stored."""
    from tutor.lessons import QuizUnit

    if not lesson.exam or not isinstance(question, QuizUnit) or question.kind != "choice":
        return None
    seed = store.exam_seed(lesson.id)
    return None if seed is None else choice_order(seed, question.id, len(question.choices))
