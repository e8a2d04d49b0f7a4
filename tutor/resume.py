"""Where to resume a lesson from a saved position, even when the lesson changed since the visit.

Pure rules, no UI: the lesson screen asks `resume_point` and shows the result; `place` gives what
the screen saves with every position (schema v2, see `tutor.progress`).

* The saved unit still exists: resume there (wherever it moved to).
* It was removed (or renamed): resume at the nearest earlier unit that still exists, found by
  walking the ids that were before it when it was saved, from the closest one back; if none of them
  exists either, at the first unit. Better to repeat a little than to skip what was never seen.
* A training unit whose configuration changed (another fingerprint): its step N belongs to another
  run, so it starts at step 0 and the learner is told.
* A position saved without this information (by version 1, or by a test) is trusted as it is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.engine.config import TrainingConfig
    from tutor.lessons import Lesson
    from tutor.progress import Position


def fingerprint(config: TrainingConfig) -> str:
    """A short hash of everything that decides a run (the config's compared fields)."""
    values = tuple((f.name, getattr(config, f.name)) for f in fields(config) if f.compare)
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Place:
    """What is saved with a position: the unit's index, the ids before it, its fingerprint."""

    index: int
    before: tuple[str, ...]
    fingerprint: str | None


def place(lesson: Lesson, index: int) -> Place:
    from tutor.lessons import TrainingUnit

    unit = lesson.units[index]
    config = unit.config if isinstance(unit, TrainingUnit) else None
    return Place(
        index,
        tuple(u.id for u in lesson.units[:index]),
        fingerprint(config) if config is not None else None,
    )


@dataclass(frozen=True)
class Resume:
    """Where to open the lesson and what to tell the learner about it."""

    index: int  # 0-based unit index
    step: int  # steps revealed, in a training unit; else 0
    moved: bool = False  # the saved unit is gone: this is the nearest earlier one
    restarted: bool = False  # the training changed: started again from step 0


def resume_point(lesson: Lesson, position: Position | None) -> Resume:
    """Where `position` (saved earlier, perhaps for an older version of `lesson`) resumes."""
    from tutor.lessons import TrainingUnit

    if position is None or not lesson.units:
        return Resume(0, 0)
    ids = [u.id for u in lesson.units]
    if position.unit_id not in ids:
        earlier = next((ids.index(u) for u in reversed(position.before) if u in ids), 0)
        return Resume(earlier, 0, moved=True)
    index = ids.index(position.unit_id)
    unit = lesson.units[index]
    if not isinstance(unit, TrainingUnit):
        return Resume(index, 0)
    if position.fingerprint is not None and position.fingerprint != fingerprint(unit.config):
        return Resume(index, 0, restarted=position.step > 0)
    return Resume(index, max(0, position.step))
