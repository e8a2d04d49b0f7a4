"""A lesson's table of contents (tutor/contents.py) and the jump through LessonState.move_to."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import quiz
from tutor.contents import TITLE_CHARS, contents, unit_title
from tutor.lesson_state import LessonState
from tutor.lessons import find_lesson
from tutor.paths import builtin_lessons_dir

LESSONS = sorted(path.stem for path in builtin_lessons_dir().glob("*.yaml"))
AND_GATE = find_lesson("and-gate", ())


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=-10**6, max_value=10**6))
def test_a_jump_lands_on_a_unit_of_the_lesson_and_only_one_is_current(index):
    record = LessonState(AND_GATE)
    landed = record.move_to(index)
    assert landed == record.unit_index == max(0, min(index, len(AND_GATE.units) - 1))
    entries = contents(record, "en")
    assert [e.index for e in entries] == list(range(len(AND_GATE.units)))
    assert [e.index for e in entries if e.current] == [landed]


@pytest.mark.parametrize("lesson_id", LESSONS)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_unit_has_a_one_line_title(lesson_id, lang):
    lesson = find_lesson(lesson_id, ())
    for unit in lesson.units:
        title = unit_title(lesson, unit, lang)
        assert title and "\n" not in title and len(title) <= TITLE_CHARS
        assert "**" not in title and "`" not in title  # Markdown marks removed


def test_the_marks_follow_the_records():
    record = LessonState(AND_GATE)
    quizzes = [u for u in AND_GATE.units if u.kind in ("choice", "numeric", "predict")]
    first, second, third = quizzes[:3]
    record.answered(first.id, quiz.QuestionState(hints_total=1).answer(True))
    record.skip(second.id)
    record.answered(third.id, quiz.QuestionState(hints_total=1).answer(False))
    record.positions["and-rule"] = 5
    by_index = {e.index: e for e in contents(record, "en")}
    status = {AND_GATE.units[i].id: e.status for i, e in by_index.items()}
    assert status[first.id] == "right"
    assert status[second.id] == "skipped"
    assert status[third.id] == "tried"
    training = by_index[AND_GATE.unit_index("and-rule")]
    assert (training.status, training.step, training.total) == ("steps", 5, 12)
    assert training.questions_open == len(AND_GATE.unit("and-rule").asks) == 6  # none answered
    record.positions["and-rule"] = 12
    record.passed.update(a.id for a in AND_GATE.unit("and-rule").asks)
    training = contents(record, "en")[AND_GATE.unit_index("and-rule")]
    assert training.status == "done" and training.questions_open == 0
