"""The records progress hands out, the error an import raises, and `Store`, what the UI and CLI use.

Plain data, no SQL: `tutor.resume`, `tutor.lesson_state` and the screens type against these without
loading the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from tutor.progress.review import ReviewEntry


@dataclass(frozen=True)
class Position:
    """Where a learner is in one lesson."""

    unit_id: str  # the unit's id (stable across lesson edits)
    step: int  # in a training unit: how many steps are revealed (0 = none yet); else 0
    # Where the unit stood when the position was saved (schema v2; None/() when saved without them,
    # e.g. by version 1): its 0-based index, the ids of the units before it, and for a training
    # unit a fingerprint of its configuration. Not part of equality: they describe, not locate.
    index: int | None = field(default=None, compare=False)
    before: tuple[str, ...] = field(default=(), compare=False)
    fingerprint: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LessonSummary:
    lesson_id: str
    status: str  # "done" | "in_progress" | "not_started"
    position: Position | None
    right: int  # questions answered right (latest attempt per question counts)
    answered: int  # distinct questions attempted, less those skipped since (`Store.skipped`)
    seconds: float  # time spent (sum of sittings)


@dataclass(frozen=True)
class Attempt:
    """One answer to one quiz question, as recorded."""

    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    hints_used: int
    revealed: bool
    answered_at: float


class ProgressDataError(ValueError):
    """Import data that is not valid progress; the message is one localized sentence."""


class Store(Protocol):
    """What the UI and the CLI use; `MemoryStore` and `SQLiteStore` both satisfy it."""

    warning: str | None  # one sentence for the learner when something went wrong; else None
    saving: bool  # False when progress is not being saved

    def position(self, lesson_id: str) -> Position | None: ...
    def save_position(
        self,
        lesson_id: str,
        unit_id: str,
        step: int,
        *,
        index: int | None = None,
        before: Sequence[str] = (),
        fingerprint: str | None = None,
    ) -> None: ...
    def mark_done(self, lesson_id: str) -> None: ...
    def record_attempt(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints_used: int,
        revealed: bool,
    ) -> None: ...
    def summary(self, lesson_id: str) -> LessonSummary: ...
    def summaries(self) -> list[LessonSummary]: ...
    def reset(self, lesson_id: str | None) -> None: ...
    def export(self) -> dict: ...
    def import_(self, data: dict) -> None: ...
    def close(self) -> None: ...
    # Additions: time tracking, raw attempts, and the review boxes (rules in tutor.progress.review).
    def start_sitting(self, lesson_id: str) -> None: ...
    def end_sitting(self, lesson_id: str | None = None) -> None: ...
    def attempts(self, lesson_id: str | None = None) -> list[Attempt]: ...
    def review_entries(self) -> list[ReviewEntry]: ...
    def review_entry(self, lesson_id: str, question_id: str) -> ReviewEntry | None: ...
    def put_review(self, entry: ReviewEntry) -> None: ...
    def now(self) -> float: ...
    # Schema v3: every training unit's step, and skipped questions.
    def save_unit_step(self, lesson_id: str, unit_id: str, step: int) -> None: ...
    def unit_steps(self, lesson_id: str) -> dict[str, int]: ...
    def record_skip(self, lesson_id: str, question_id: str) -> None: ...
    def skipped(self, lesson_id: str) -> set[str]: ...
    def last_lesson(self) -> str | None: ...
    # Schema v4: the seed of an exam's sitting (tutor/exam.py).
    def exam_seed(self, lesson_id: str) -> int | None: ...
    def save_exam_seed(self, lesson_id: str, seed: int) -> None: ...
