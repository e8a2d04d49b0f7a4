"""The plain line mode driven as a learner would drive it: scripted sessions, golden transcripts,
the store afterwards, hostile input, and random command sequences."""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import pytest
from hostile.corpus import ESC, LESSONS, LOADABLE, as_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.i18n import t
from tutor.lessons import Lesson, find_lesson
from tutor.plain import describe
from tutor.plain.console import Console
from tutor.plain.session import LessonSession, run_plain
from tutor.plain.text import clean, plain_markdown
from tutor.progress import MemoryStore

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "plain"
# steps, one wrong and one right answer, a hint, a predicted value wrong then right, quit
SCRIPT = ["n", "n", "2", "h", "1", "n", "n", "0", "1", "n", "q"]


def session(lines: list[str], lang: str = "en", lesson: str | None = "and-gate",
            store: MemoryStore | None = None, dirs: tuple[Path, ...] = ()) -> tuple[int, str]:
    out = io.StringIO()
    store = store if store is not None else MemoryStore()
    code = run_plain(lang, dirs, store, lesson, io.StringIO("".join(f"{x}\n" for x in lines)), out)
    return code, out.getvalue()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_scripted_session_through_and_gate_matches_its_golden_transcript(lang):
    code, transcript = session(SCRIPT, lang)
    assert code == 0
    assert "\x1b" not in transcript
    golden = GOLDEN / f"and-gate.{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(transcript, encoding="utf-8")
    assert transcript == golden.read_text(encoding="utf-8")


def test_the_scripted_session_grades_and_records_what_the_app_records():
    store = MemoryStore()
    _, text = session(SCRIPT, "en", store=store)
    attempts = [(a.question_id, a.answer, a.correct, a.hints_used, a.revealed)
                for a in store.attempts("and-gate")]
    assert attempts == [
        ("q-rule-direction", "2", False, 1, False),  # a wrong answer shows the first hint
        ("q-rule-direction", "1", True, 2, False),  # after h: two hints seen
        ("first-output", "0", False, 1, False),
        ("first-output", "1", True, 1, False),
    ]
    position = store.position("and-gate")
    assert position is not None and (position.unit_id, position.step) == ("and-rule", 1)
    # the numbers shown come from the engine's record of step 1 (hand-computed: k = −0.3)
    assert "k = (−1)(0.30) + (0)(0.40) + (0)(0.10) = −0.30" in text
    assert "Not quite: choice 2 is not it." in text and "Correct!" in text
    assert "Hint 2/3:" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_wrong_choice_given_again_is_refused_not_counted(lang):
    store = MemoryStore()
    _, text = session(["n", "n", "2", "2", "1", "q"], lang, store=store)
    attempts = [(a.question_id, a.answer, a.correct, a.hints_used)
                for a in store.attempts("and-gate")]
    assert attempts == [("q-rule-direction", "2", False, 1), ("q-rule-direction", "1", True, 1)]
    assert t("ui.quiz.tried_choice", lang, answer="2") in text
    assert text.count(t("ui.quiz.hint", lang, i=2, n=3)) == 0  # no second hint spent on it


def test_a_weight_update_reads_as_lines_and_the_line_is_described_in_words():
    store = MemoryStore()
    # the three asks before step 2 answered, then step 2: the first update (w₀ up, w₁ down)
    _, text = session(["]", "]", "]", "n", "1", "n", "-1", "n", "0.35", "n", "0.35", "n"],
                      store=store)
    assert "  w₀: 0.30 → 0.35 (up 0.05)" in text
    assert "  w₁: 0.40 → 0.35 (down 0.05)" in text
    assert "  w₂: 0.10 (unchanged)" in text
    # 0.35·x₁ + 0.10·x₂ = 0.35 crosses x₁ at 0.35/0.35 and x₂ at 0.35/0.10
    assert "The line crosses x₁ at 1.00 and x₂ at 3.50." in text
    assert store.position("and-gate").step == 2


def test_end_of_input_ends_cleanly_and_keeps_the_position():
    store = MemoryStore()
    code, text = session(["]", "]", "]", "n"], store=store)  # no q: the input just ends
    assert code == 0 and text.rstrip().endswith("Progress saved. Goodbye.")
    assert (store.position("and-gate").unit_id, store.position("and-gate").step) == ("and-rule", 1)
    code, again = session([], store=store)
    assert "Unit 4 of 13" in again and "1 of 12 steps done." in again


def test_full_width_digits_and_comma_decimals_answer():
    store = MemoryStore()
    _, text = session(["]", "]", "１"], store=store)  # full-width 1, as an IME types it
    assert "Correct!" in text
    store = MemoryStore()
    _, text = session(["]", "]", "]", "n", "１", "n", "-1", "n", "0,35"], store=store)
    assert text.count("Correct!") == 3


def test_the_lesson_list_opens_a_lesson_by_number_or_id_and_q_leaves():
    code, text = session(["99", "and-gate", "q", "2", "q", "q"], lesson=None)
    assert code == 0
    assert "1. What is a perceptron? (perceptron): not started" in text
    assert "There is no lesson '99'." in text
    assert text.count("Lesson: Training an AND gate.") == 2
    assert text.count("Lessons:") == 3


def test_unknown_commands_and_answers_outside_a_question_are_told():
    _, text = session(["xyz", "0.5", "e", "help"])
    assert "Unknown command 'xyz'." in text
    assert "There is no question to answer here." in text
    assert "That command works in a training walkthrough only." in text
    assert "next step (outside a training: next unit)" in text


def test_a_missing_lesson_exits_1_and_says_why(capsys):
    code, _ = session([], lesson="no-such-lesson")
    assert code == 1
    assert "no-such-lesson" in capsys.readouterr().err


HOSTILE = """\
format: 1
id: hostile
title: "Bad \\e[2J title"
units:
  - text:
      id: t1
      en: "Red \\e[31mtext\\e[0m, a bell \\a, a carriage return \\r and \\u202e reversed\\x9b2J."
  - quiz:
      id: q1
      kind: choice
      question: "Which \\e]0;pwned\\a one?"
      choices: ["one \\e[1m", "two"]
      answer: 1
      hints: ["Look \\e[7m at one."]
      explain: "Because \\e[5m."
"""


def test_control_characters_in_a_lesson_never_reach_the_output(tmp_path):
    (tmp_path / "hostile.yaml").write_text(HOSTILE, encoding="utf-8")
    path = tmp_path / "hostile.yaml"
    code, text = session(["n", "2", "1", "q"], lesson=str(path))
    assert code == 0
    assert not any(c in text for c in "\x1b\x07\r\u202e\x9b")
    assert "Red [31mtext[0m" in text  # shown as text, never interpreted
    assert "Correct!" in text


def test_clean_keeps_text_newlines_and_tabs_and_drops_every_control():
    assert clean("a\tb\nc") == "a\tb\nc"
    assert clean("x\x1b[31my\x00\x7f\x85\x9bz\u2066") == "x[31myz"
    assert clean("가중치 w₁ → −0.05") == "가중치 w₁ → −0.05"


LESSON_IDS = ["and-gate", "or-gate", "keras-linear", "activations", "xor", "perceptron"]
COMMANDS = st.sampled_from(["n", "p", "e", "g", "G", "h", "r", "]", "[", "l", "1", "2", "0",
                            "-1", "0.35", "1/2", "x", "", "help", "５"])


@functools.cache
def builtin(lesson_id: str) -> Lesson:
    return find_lesson(lesson_id)  # runs are kept in the lesson: computed once per test run


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(commands=st.lists(COMMANDS, max_size=40))
def test_any_command_sequence_keeps_the_session_consistent(lesson_id, commands):
    lesson = builtin(lesson_id)
    store = MemoryStore()
    out = io.StringIO()
    s = LessonSession(lesson, store, "en", Console(io.StringIO(), out))
    s.open()
    for command in commands:
        assert s.handle(command)
        position = store.position(lesson_id)
        assert position is not None and position.unit_id == s.unit.id
        if s.unit.kind == "training":
            run = lesson.run(s.unit.id)
            assert 0 <= s.position <= run.total_steps and position.step == s.position
            # never past an ask that was not answered
            assert all(a.id in s.passed for a in s.unit.asks if a.step <= s.position)
    assert "\x1b" not in out.getvalue()


def test_lesson_markdown_is_read_without_its_marks():
    text = "A **bold** and *stochastic* `code`, 2 * 3 * 4.\n```python\nmodel.fit(x)\n```\n- item"
    assert plain_markdown(text) == "A bold and stochastic code, 2 * 3 * 4.\n    model.fit(x)\n- item"


WALK = ["n", "1", "h", "r", "n", "G", "e", "0.5", "h", "h", "h", "r", "n", "]", "G", "n", "l",
        "p", "g", "[", "]", "]", "]", "]", "n", "2", "r"]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's overflow notes: the point here
@pytest.mark.parametrize("case", sorted(LESSONS))
def test_every_hostile_lesson_runs_in_plain_mode_without_an_escape_or_a_traceback(
    case, tmp_path, capsys
):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(as_bytes(LESSONS[case]))
    code, text = session(WALK, lesson=str(path))
    err = capsys.readouterr().err
    assert code == (0 if case in LOADABLE else 1), (case, err[-500:])
    for bad in (ESC, "\x9b", "\x07", "\r", "\u202e"):
        assert bad not in text + err, case


def test_the_round_off_step_is_explained_in_whole_lines():
    """Step 6 of the textbook run: −0.35 + 0.35000000000000003 = 5.55e−17 > 0, so y = 1."""
    lesson = builtin("and-gate")
    lines = describe.step(lesson.run("and-rule"), 6, "en")
    assert "k = (−1)(0.35) + (1)(0.35) + (0)(0.10) = 5.55e-17" in lines
    assert any(line.startswith("At exactly 0 the output would be step(0) = 0;")
               and line.endswith("so round-off decided the output.") for line in lines)
    assert "  w₀: 0.35 → 0.40 (up 0.05)" in lines and "  w₁: 0.35 → 0.30 (down 0.05)" in lines
    assert "The line crosses x₁ at 1.3333 and x₂ at 4.00." in lines  # 0.40/0.30, 0.40/0.10


# --- skips and the done rule: the app's (tutor.lesson_state) ------------------------------------

FIXTURES = Path(__file__).resolve().parent.parent / "ui" / "fixtures" / "lessons"
SKIP_WARNING = "Not answered yet: press n again to skip this question"


def test_n_on_an_open_question_warns_once_then_skips_and_records_it():
    store = MemoryStore()
    _, text = session(["n", "n", "q"], lesson="tiny-perceptron", store=store,
                      dirs=(FIXTURES,))
    assert store.skipped("tiny-perceptron") == set()  # the first n only warned
    assert text.count(SKIP_WARNING) == 1
    _, text = session(["n", "n", "n", "q"], lesson="tiny-perceptron", store=store,
                      dirs=(FIXTURES,))
    # resumes at q-choice: warned, then skipped (kept, offered in review), then the training
    assert store.skipped("tiny-perceptron") == {"q-choice"}
    assert store.review_entry("tiny-perceptron", "q-choice") is not None
    assert "Unit 3 of 6: training walkthrough" in text


def test_an_answer_between_the_two_ns_means_the_next_n_warns_again():
    store = MemoryStore()
    # intro, then q-choice: n (warn), a wrong answer, n warns again instead of skipping
    _, text = session(["n", "n", "3", "n", "q"], lesson="tiny-perceptron", store=store,
                      dirs=(FIXTURES,))
    assert text.count(SKIP_WARNING) == 2
    assert store.skipped("tiny-perceptron") == set()


def test_the_lesson_is_done_only_when_every_question_is_answered_or_skipped():
    store = MemoryStore()
    # to the last unit with every question open: n there names the open questions, not done
    _, text = session(["]"] * 5 + ["n", "q"], lesson="tiny-perceptron", store=store,
                      dirs=(FIXTURES,))
    assert "4 question(s) still open" in text
    assert store.summary("tiny-perceptron").status != "done"
    assert "Lesson complete" not in text
    # skip each on purpose: q-choice; the ask before step 2 (n to step 1, n n); q-numeric;
    # q-predict; the plot is the last unit: reaching it with nothing open is done at once
    lines = ["[", "[", "[", "[", "n", "n", "n", "n", "n", "G", "]", "n", "n", "n", "n", "q"]
    _, text = session(lines, lesson="tiny-perceptron", store=store, dirs=(FIXTURES,))
    assert store.skipped("tiny-perceptron") == {"q-choice", "mini-net", "q-numeric", "q-predict"}
    assert store.summary("tiny-perceptron").status == "done"
    assert text.count("Lesson complete") == 1


def test_plain_and_app_specs_are_one_spec_with_the_markdown_marks_removed():
    """tutor.question_spec is the one place a question is rendered (the app's panel and plain mode)."""
    from tutor.plain import questions
    from tutor.question_spec import question_spec

    lesson = find_lesson("and-gate", ())
    for lang in ("en", "ko"):
        for question in lesson.questions():
            app, plain_spec = question_spec(lesson, question, lang), questions.spec(lesson, question, lang)
            assert plain_spec.question == plain_markdown(app.question)
            assert plain_spec.hints == tuple(plain_markdown(h) for h in app.hints)
            assert (plain_spec.expected, plain_spec.solution, plain_spec.kind) == (
                app.expected, plain_markdown(app.solution), app.kind)


def test_the_right_choice_is_taken_even_when_the_progress_says_it_was_tried_wrong():
    """The lesson's choices were reordered after the learner answered (or the progress file was
    edited): the choice that is right now was once recorded wrong. It was refused for ever."""
    store = MemoryStore()
    store.record_attempt("and-gate", "q-rule-direction", "1", False, 1, False)
    _, text = session(["n", "n", "1", "q"], "en", store=store)
    attempts = [(a.answer, a.correct) for a in store.attempts("and-gate")]
    assert attempts == [("1", False), ("1", True)] and "Correct!" in text
