"""Resuming a lesson that may have changed since the last visit (tutor.resume)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tutor.lessons import TrainingUnit, load_lesson
from tutor.progress import Position
from tutor.resume import Resume, fingerprint, place, resume_point

LESSON = Path(__file__).parent / "ui" / "fixtures" / "lessons" / "tiny-perceptron.yaml"


def lesson():
    return load_lesson(LESSON)


def test_place_names_the_units_before_and_fingerprints_trainings():
    tiny = lesson()
    assert place(tiny, 0).before == () and place(tiny, 0).fingerprint is None
    where = place(tiny, 2)
    assert where.index == 2 and where.before == ("intro", "q-choice")
    assert where.fingerprint == fingerprint(tiny.units[2].config)
    assert fingerprint(lesson().units[2].config) == where.fingerprint  # stable across loads
    assert len(where.fingerprint) == 16


def test_an_unchanged_lesson_resumes_exactly():
    tiny = lesson()
    where = place(tiny, 2)
    position = Position("and-mini", 5, where.index, where.before, where.fingerprint)
    assert resume_point(tiny, position) == Resume(2, 5)
    assert resume_point(tiny, None) == Resume(0, 0)
    assert resume_point(tiny, Position("and-mini", 5)) == Resume(2, 5)  # v1: trusted as it is
    assert resume_point(tiny, Position("q-predict", 3)) == Resume(4, 0)  # a step only in training


def test_a_removed_unit_resumes_at_the_nearest_earlier_one_that_exists():
    tiny = lesson()
    gone = Position("old-unit", 2, 3, ("intro", "q-choice", "removed-too"))
    assert resume_point(tiny, gone) == Resume(1, 0, moved=True)
    nothing_known = Position("old-unit", 2, 7, ("x", "y"))
    assert resume_point(tiny, nothing_known) == Resume(0, 0, moved=True)
    assert resume_point(tiny, Position("old-unit", 2)) == Resume(0, 0, moved=True)


def test_a_changed_training_restarts_at_step_0():
    tiny = lesson()
    where = place(tiny, 2)
    unit = tiny.units[2]
    assert isinstance(unit, TrainingUnit)
    other = dataclasses.replace(unit.config, learning_rate=0.1)
    assert fingerprint(other) != where.fingerprint
    stale = Position("and-mini", 5, 2, where.before, fingerprint(other))
    assert resume_point(tiny, stale) == Resume(2, 0, restarted=True)
    at_start = Position("and-mini", 0, 2, where.before, fingerprint(other))
    assert resume_point(tiny, at_start) == Resume(2, 0)  # nothing lost: nothing to say
