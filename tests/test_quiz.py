"""Quiz grading: number parsing, verdicts and the immutable question state."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tutor.quiz import (
    MAX_WRONG_KEPT,
    Outcome,
    QuestionState,
    check_choice,
    check_numeric,
    parse_number,
)

ACCEPTED = [
    ("0.5", 0.5),
    (".5", 0.5),
    ("5.", 5.0),
    ("1/2", 0.5),
    ("-1/2", -0.5),
    ("1 / 4", 0.25),
    ("-0.05", -0.05),
    ("−0.05", -0.05),  # U+2212 minus sign
    ("0,5", 0.5),
    ("−0,05", -0.05),
    ("+1", 1.0),
    ("1e-3", 0.001),
    ("5.55E-17", 5.55e-17),
    ("  0.35  ", 0.35),
    ("\t-1\n", -1.0),
    ("0", 0.0),
    ("-0", 0.0),
]

REJECTED = [
    "",
    "   ",
    "abc",
    "0.5.1",
    "1/0",
    "nan",
    "inf",
    "-inf",
    "1_000",
    "--1",
    "+-1",
    "1/2/3",
    "1,2,3",
    "0.5,1.5",
    "e5",
    "1e",
    ".",
    "½",
    "0x10",
    "1 2",
    "1/-2",
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_parse_number_accepts(text, expected):
    value = parse_number(text)
    assert value is not None
    assert value == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize("text", REJECTED)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_check_numeric():
    assert check_numeric("0.35", 0.35000000000000003, 0.005).correct
    assert check_numeric("0.351", 0.35, 0.005).correct
    wrong = check_numeric("0.4", 0.35, 0.005)
    assert wrong.wrong and wrong.outcome is Outcome.WRONG and wrong.value == 0.4
    bad = check_numeric("zero point five", 0.5, 0.01)
    assert bad.unparseable and bad.value is None and not bad.correct
    # float noise never makes an exact answer wrong, even with tolerance 0
    assert check_numeric("0.3", 0.1 + 0.2, 0.0).correct
    # predict: the engine's value is the expected answer
    assert check_numeric("−1", -1.0, 0).correct
    assert check_numeric("1/20", 0.05, 0).correct


def test_check_choice():
    assert check_choice(2, 2).correct
    assert check_choice(1, 2).wrong
    assert check_choice(" 3 ", 3).correct
    assert check_choice("b", 2).unparseable
    assert check_choice("2.5", 2).unparseable
    assert check_choice(True, 1).unparseable


def test_question_state_wrong_answers_unlock_hints_then_reveal():
    state = QuestionState(hints_total=2)
    assert (state.hints_shown, state.attempts, state.solved, state.revealed) == (0, 0, False, False)
    assert not state.can_reveal
    s1 = state.answer(False)
    assert s1.hints_shown == 1 and s1.attempts == 1 and not s1.can_reveal
    assert state.hints_shown == 0  # immutable: the old state is unchanged
    s2 = s1.answer(False)
    assert s2.hints_shown == 2 and s2.can_reveal
    s3 = s2.answer(False)
    assert s3.hints_shown == 2 and s3.attempts == 3  # no more hints than there are
    revealed = s3.reveal()
    assert revealed.revealed and not revealed.solved and revealed.finished
    with pytest.raises(ValueError):
        revealed.answer(True)
    with pytest.raises(ValueError):
        revealed.reveal()


def test_question_state_keeps_the_wrong_answers_so_a_tried_choice_is_known():
    state = QuestionState(hints_total=1).answer(False, "3").answer(False, "1")
    assert state.wrong == ("3", "1") and state.tried("3") and not state.tried("2")
    assert state.answer(True, "2").wrong == ("3", "1")  # a right answer is not kept there


def test_question_state_solved():
    state = QuestionState(hints_total=3).answer(False).answer(True)
    assert state.solved and not state.revealed and state.attempts == 2 and state.hints_shown == 1
    with pytest.raises(ValueError):
        state.answer(False)
    with pytest.raises(ValueError):
        state.reveal()


def test_question_state_hint_on_request():
    state = QuestionState(hints_total=1).show_hint()
    assert state.hints_shown == 1 and state.attempts == 0 and state.hints_left == 0
    assert not state.can_reveal  # every hint shown, but no attempt yet
    with pytest.raises(ValueError):
        state.show_hint()
    assert state.answer(False).reveal().revealed


def test_question_state_reveal_needs_all_hints_and_an_attempt():
    with pytest.raises(ValueError):
        QuestionState(hints_total=1).reveal()
    with pytest.raises(ValueError):
        QuestionState(hints_total=0).reveal()  # no attempt yet
    assert QuestionState(hints_total=0).answer(False).reveal().revealed
    with pytest.raises(ValueError):
        QuestionState(hints_total=-1)


def test_quiz_imports_only_the_standard_library():
    path = Path(__file__).resolve().parents[1] / "tutor" / "quiz.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or name.startswith(("__future__", "tutor.engine"))


def test_question_state_keeps_each_wrong_answer_once_and_a_bounded_number_of_them():
    """An imported progress file may hold 100,000 wrong attempts at one question (inside its
    limits): the tuple grew by one copy each, so replaying them took minutes."""
    state = QuestionState(hints_total=1)
    for _ in range(1000):
        state = state.answer(False, "3")
    assert state.wrong == ("3",) and state.attempts == 1000
    for i in range(1000):
        state = state.answer(False, f"{i}.5")
    assert len(state.wrong) == MAX_WRONG_KEPT and state.tried("3") and state.attempts == 2000
