"""Spaced repetition of missed questions with Leitner boxes (pure rules; the store keeps the boxes).

Why Leitner boxes: they are the simplest schedule a learner can follow on screen ("box 2 of 4, back
in 2 days"), and they need only two numbers per question, so they fit the progress db.

The rules:

* A right answer in a lesson does not move a question between boxes; only review answers do.
* A question enters box 1 when the learner answers it wrong or reveals its solution (in a lesson or
  in review). The progress store applies this in the same transaction as the attempt, so a miss is
  never recorded without also entering review.
* A question in box n is due `INTERVAL_DAYS[n]` days after it entered that box. Box 1 is due at
  once: a fresh miss shows up in the very next review.
* Answering a due question right moves it up one box; answering it wrong sends it back to box 1.
* Answering right in the last box (`LAST_BOX`) retires it (box 0). So every missed question must
  be answered right at least once, in fact once in each box, spread over 1 + 2 + 4 = 7 days or
  more, before it leaves review. Days, not sessions, because a session count would let a learner
  clear everything in one sitting by starting the tutor four times.

Retired questions keep their row (box 0) instead of being deleted, so that merging an export from
another machine (newest row wins) cannot bring a retired question back.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol

DAY = 86_400.0
RETIRED = 0
FIRST_BOX = 1
INTERVAL_DAYS = {1: 0, 2: 1, 3: 2, 4: 4}
LAST_BOX = max(INTERVAL_DAYS)


@dataclass(frozen=True)
class ReviewEntry:
    """One question's place in review. `due_at` and `updated_at` are Unix seconds."""

    lesson_id: str
    question_id: str
    box: int  # 1..LAST_BOX, or RETIRED (0)
    due_at: float
    updated_at: float

    @property
    def active(self) -> bool:
        return self.box != RETIRED


class ReviewBoxes(Protocol):
    """What these rules need of a store: its review rows and its clock (`tutor.progress.Store`
    has them). Named here, so that the rules never import the store, which imports the rules."""

    def review_entries(self) -> list[ReviewEntry]: ...
    def review_entry(self, lesson_id: str, question_id: str) -> ReviewEntry | None: ...
    def put_review(self, entry: ReviewEntry) -> None: ...
    def now(self) -> float: ...


def in_box(lesson_id: str, question_id: str, box: int, now: float) -> ReviewEntry:
    """The entry for a question that has just been put into `box`."""
    due = now + INTERVAL_DAYS[box] * DAY if box != RETIRED else now
    return ReviewEntry(lesson_id, question_id, box, due, now)


def after_miss(lesson_id: str, question_id: str, now: float) -> ReviewEntry:
    """Wrong or revealed, wherever it happened: back to box 1, due at once."""
    return in_box(lesson_id, question_id, FIRST_BOX, now)


def after_answer(entry: ReviewEntry, correct: bool, now: float) -> ReviewEntry:
    """The entry after a review answer: up one box (or retired from the last), or back to box 1."""
    if not correct:
        return after_miss(entry.lesson_id, entry.question_id, now)
    if entry.box in (RETIRED, LAST_BOX):
        return replace(entry, box=RETIRED, due_at=now, updated_at=now)
    return in_box(entry.lesson_id, entry.question_id, entry.box + 1, now)


def due_entries(store: ReviewBoxes, now: float) -> list[ReviewEntry]:
    """Active entries due at `now`: lowest box first (the shakiest), then the longest overdue."""
    entries = [e for e in store.review_entries() if e.active and e.due_at <= now]
    return sorted(entries, key=lambda e: (e.box, e.due_at, e.lesson_id, e.question_id))


def due_questions(store: ReviewBoxes, now: float) -> list[tuple[str, str]]:
    """(lesson_id, question_id) of every question due for review at `now`."""
    return [(e.lesson_id, e.question_id) for e in due_entries(store, now)]


def next_due(store: ReviewBoxes, now: float) -> float | None:
    """When the next not-yet-due question becomes due (to tell the learner), or None."""
    later = [e.due_at for e in store.review_entries() if e.active and e.due_at > now]
    return min(later, default=None)


def record_review(
    store: ReviewBoxes, lesson_id: str, question_id: str, correct: bool, now: float | None = None
) -> ReviewEntry:
    """Apply one review answer and save it; returns the new entry (box RETIRED = left review).

    A question that was not in review (e.g. reviewed from a stale list after a reset) is treated as
    if it were in box 1.
    """
    when = store.now() if now is None else now
    entry = store.review_entry(lesson_id, question_id)
    if entry is None:
        entry = after_miss(lesson_id, question_id, when)
    new = after_answer(entry, correct, when)
    store.put_review(new)
    return new
