"""The lesson rules both front ends share (tutor.lesson_state), checked without any UI."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from tutor import quiz
from tutor.lesson_state import LessonState, pending_ask, restored_states, stop_before_ask
from tutor.lessons import TrainingUnit, find_lesson
from tutor.progress import MemoryStore

FIXTURES = Path(__file__).resolve().parent / "ui" / "fixtures" / "lessons"


def tiny():
    return find_lesson("tiny-perceptron", (FIXTURES,))


def training(lesson) -> TrainingUnit:
    unit = lesson.unit("and-mini")
    assert isinstance(unit, TrainingUnit)
    return unit


def test_g_stops_before_an_open_ask_and_passes_a_passed_one():
    lesson = tiny()
    unit = training(lesson)
    total = lesson.run(unit.id).total_steps
    assert total == 8  # four samples, two epochs
    # 'mini-net' comes before step 2: from step 0, G stops at 1 (step 1 revealed)
    assert stop_before_ask(unit, 0, total, set()) == 1
    assert pending_ask(unit, 1, set()) is not None and pending_ask(unit, 0, set()) is None
    assert stop_before_ask(unit, 0, total, {"mini-net"}) == total
    assert stop_before_ask(unit, 3, 5, set()) == 5  # past the ask: nothing stops



def _stop_step_by_step(unit, position: int, target: int, passed: set[str]) -> int:
    """The rule as written: look at every step from `position` until an open ask or `target`."""
    p = position
    while p < target and pending_ask(unit, p, passed) is None:
        p += 1
    return p


@given(
    steps=st.lists(st.integers(1, 40), max_size=6),
    passed_mask=st.lists(st.booleans(), min_size=6, max_size=6),
    position=st.integers(0, 45),
    target=st.integers(0, 45),
)
def test_g_stops_where_a_step_by_step_walk_stops(steps, passed_mask, position, target):
    """stop_before_ask looks at the asks once (G through 10^6 steps), and stops exactly where
    walking step by step would: asks on any steps, several on one step, passed or not, a target
    behind the position."""
    asks = [SimpleNamespace(id=f"a{i}", step=s) for i, s in enumerate(steps)]
    unit = SimpleNamespace(asks=asks)
    passed = {a.id for a, keep in zip(asks, passed_mask, strict=False) if keep}
    assert stop_before_ask(unit, position, target, passed) == _stop_step_by_step(
        unit, position, target, passed
    )

def test_done_needs_the_last_unit_and_every_question_answered_or_skipped():
    lesson = tiny()
    record = LessonState(lesson)
    assert record.open_questions() == ["q-choice", "mini-net", "q-numeric", "q-predict"]
    record.unit_index = len(lesson.units) - 1
    assert not record.done()
    for qid in ("q-choice", "mini-net", "q-numeric"):
        record.skip(qid)
    assert not record.done()
    record.unit_index = 0
    record.skip("q-predict")
    assert not record.done()  # nothing open, but the last unit not reached
    record.unit_index = len(lesson.units) - 1
    assert record.done() and record.skipped == {"q-choice", "mini-net", "q-numeric", "q-predict"}


def test_restore_reads_every_unit_step_the_skips_and_the_answers():
    lesson = tiny()
    store = MemoryStore()
    store.save_unit_step(lesson.id, "and-mini", 5)
    store.save_unit_step(lesson.id, "gone", 3)  # a unit the lesson no longer has: ignored
    store.save_unit_step(lesson.id, "and-mini", 99)  # past the end: bounded to the run
    store.record_skip(lesson.id, "q-numeric")
    store.record_attempt(lesson.id, "q-choice", "1", False, 1, False)
    store.record_attempt(lesson.id, "q-choice", "2", True, 1, False)
    store.save_position(lesson.id, "q-predict", 0)
    record = LessonState(lesson)
    point = record.restore(store)
    assert point.index == record.unit_index == 4
    assert record.positions == {"and-mini": 8}
    assert record.states["q-choice"].solved and record.states["q-choice"].attempts == 2
    assert record.skipped == {"q-numeric"}
    # behind the saved step 8, the ask before step 2 counts as passed (not asked again)
    assert record.open_questions() == ["q-predict"]


def test_a_restart_shows_the_hints_seen_before_it_not_one_more_per_wrong_answer():
    # the app and plain mode record an attempt with the hints shown after it (one per wrong
    # answer); the replay counted that answer's hint again: two wrong answers at the 3-hint
    # perceptron quiz came back as 3 hints shown and "r reveal" offered
    lesson = tiny()
    live = quiz.QuestionState(hints_total=2)
    store = MemoryStore()
    live = live.answer(False, "0.5")
    store.record_attempt(lesson.id, "mini-net", "0.5", False, live.hints_shown, False)
    assert restored_states(lesson, store.attempts(lesson.id))["mini-net"] == live
    live = live.answer(False, "0.2")
    store.record_attempt(lesson.id, "mini-net", "0.2", False, live.hints_shown, False)
    restored = restored_states(lesson, store.attempts(lesson.id))["mini-net"]
    assert restored == live and restored.hints_shown == 2 and restored.attempts == 2
    # a hint asked for with h before an answer is in the count recorded with that answer
    live = quiz.QuestionState(hints_total=2).show_hint().answer(False, "1")
    assert live.hints_shown == 2
    store = MemoryStore()
    store.record_attempt(lesson.id, "mini-net", "1", False, live.hints_shown, False)
    assert restored_states(lesson, store.attempts(lesson.id))["mini-net"] == live
