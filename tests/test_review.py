"""Leitner-box review: who enters, how boxes move, when questions are due, and that it persists."""

from __future__ import annotations

from pathlib import Path

from progress_helpers import Clock

from tutor.progress import MemoryStore, SQLiteStore, open_store, review
from tutor.progress.review import DAY, LAST_BOX, RETIRED, due_questions, next_due, record_review


def box_of(store: MemoryStore | SQLiteStore, lesson: str, question: str) -> int | None:
    entry = store.review_entry(lesson, question)
    return None if entry is None else entry.box


def test_wrong_or_revealed_answers_enter_box_1_and_are_due_at_once() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("l", "right", "1", True, 0, False)
    store.record_attempt("l", "wrong", "2", False, 0, False)
    store.record_attempt("l", "shown", "", False, 2, True)
    store.record_attempt("l", "peeked", "3", True, 1, True)  # right after revealing still counts
    assert box_of(store, "l", "right") is None
    assert {q for _, q in due_questions(store, clock.now)} == {"wrong", "shown", "peeked"}
    assert all(box_of(store, "l", q) == 1 for q in ("wrong", "shown", "peeked"))


def test_a_question_climbs_the_boxes_then_leaves_review() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("l", "q", "x", False, 0, False)
    for box in range(2, LAST_BOX + 1):
        entry = record_review(store, "l", "q", True, now=clock.now)
        assert entry.box == box
        wait = review.INTERVAL_DAYS[box] * DAY
        assert entry.due_at == clock.now + wait
        assert due_questions(store, clock.now + wait - 1) == []  # not yet
        clock.now += wait
        assert due_questions(store, clock.now) == [("l", "q")]  # now
    last = record_review(store, "l", "q", True, now=clock.now)
    assert last.box == RETIRED and not last.active
    assert due_questions(store, clock.now + 1000 * DAY) == []
    assert next_due(store, clock.now) is None


def test_intervals_double_and_each_miss_needs_a_right_answer_in_every_box() -> None:
    assert [review.INTERVAL_DAYS[b] for b in range(1, LAST_BOX + 1)] == [0, 1, 2, 4]


def test_a_wrong_review_answer_sends_it_back_to_box_1() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("l", "q", "x", False, 0, False)
    record_review(store, "l", "q", True, now=clock.now)
    clock.now += DAY
    record_review(store, "l", "q", True, now=clock.now)
    assert box_of(store, "l", "q") == 3
    clock.now += 2 * DAY
    entry = record_review(store, "l", "q", False, now=clock.now)
    assert entry.box == 1 and entry.due_at == clock.now
    assert due_questions(store, clock.now) == [("l", "q")]


def test_missing_it_again_in_a_lesson_restarts_it_even_after_it_retired() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("l", "q", "x", False, 0, False)
    for _ in range(LAST_BOX):
        clock.now += 10 * DAY
        record_review(store, "l", "q", True, now=clock.now)
    assert box_of(store, "l", "q") == RETIRED
    store.record_attempt("l", "q", "y", True, 0, False)  # right in a lesson: stays retired
    assert box_of(store, "l", "q") == RETIRED
    store.record_attempt("l", "q", "z", False, 0, False)
    assert box_of(store, "l", "q") == 1


def test_due_questions_come_shakiest_first_then_longest_overdue() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("a", "q1", "x", False, 0, False)
    clock.now += 1
    store.record_attempt("b", "q2", "x", False, 0, False)
    clock.now += 1
    store.record_attempt("a", "q3", "x", False, 0, False)
    record_review(store, "a", "q1", True, now=clock.now)  # q1 -> box 2, due in a day
    clock.now += 5 * DAY
    assert due_questions(store, clock.now) == [("b", "q2"), ("a", "q3"), ("a", "q1")]


def test_reviewing_a_question_not_in_review_counts_it_as_box_1() -> None:
    store = MemoryStore()
    assert record_review(store, "l", "unknown", True).box == 2
    assert record_review(store, "l", "other", False).box == 1


def test_next_due_tells_when_to_come_back() -> None:
    clock = Clock()
    store = MemoryStore(clock=clock)
    store.record_attempt("l", "q", "x", False, 0, False)
    record_review(store, "l", "q", True, now=clock.now)
    assert due_questions(store, clock.now) == []
    assert next_due(store, clock.now) == clock.now + DAY


def test_boxes_persist_in_the_db_and_travel_with_exports(tmp_path: Path) -> None:
    clock = Clock()
    store = SQLiteStore(tmp_path / "a.db", clock=clock)
    store.record_attempt("l", "q", "x", False, 0, False)
    record_review(store, "l", "q", True, now=clock.now)
    store.close()
    store = open_store(tmp_path / "a.db")
    assert box_of(store, "l", "q") == 2  # type: ignore[arg-type]
    other = MemoryStore()
    other.import_(store.export())
    assert other.review_entries() == store.review_entries()
    store.close()


def test_a_newer_review_state_wins_on_import_so_retired_questions_stay_retired() -> None:
    clock = Clock()
    laptop = MemoryStore(clock=clock)
    desktop = MemoryStore(clock=clock)
    for store in (laptop, desktop):
        store.record_attempt("l", "q", "x", False, 0, False)
    for _ in range(LAST_BOX):
        clock.now += 10 * DAY
        record_review(laptop, "l", "q", True, now=clock.now)
    laptop.import_(desktop.export())  # desktop's box-1 entry is older
    assert box_of(laptop, "l", "q") == RETIRED
    desktop.import_(laptop.export())  # laptop's retirement is newer
    assert box_of(desktop, "l", "q") == RETIRED


def test_reset_clears_review_for_that_lesson_only() -> None:
    store = MemoryStore()
    store.record_attempt("a", "q", "x", False, 0, False)
    store.record_attempt("b", "q", "x", False, 0, False)
    store.reset("a")
    assert due_questions(store, store.now()) == [("b", "q")]
