"""Switching between the plain line mode and the app: the same store, the same unit and step.

A learner goes some way in one mode, quits, and opens the other: it opens where they left off,
and an ask answered in one mode is not asked again in the other.
"""

from __future__ import annotations

import io

from tutor.plain.session import run_plain
from tutor.progress import SQLiteStore, open_store
from tutor.ui.app import create_app
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.widgets.units import TrainingView

SIZE = (100, 40)
# and-gate: text, text, quiz, then the training 'and-rule' (unit 4) with four asks before step 2
TO_STEP_3 = ["]", "]", "]", "n", "1", "n", "-1", "n", "0.35", "n", "0.35", "n", "n"]


def plain(lines: list[str]) -> str:
    store = open_store()
    assert isinstance(store, SQLiteStore)
    out = io.StringIO()
    try:
        code = run_plain("en", (), store, "and-gate",
                         io.StringIO("".join(f"{x}\n" for x in lines)), out)
    finally:
        store.close()
    assert code == 0
    return out.getvalue()


async def test_plain_mode_then_the_app_opens_at_the_same_step():
    text = plain([*TO_STEP_3, "q"])
    assert "3 of 12 steps done." in text
    store = open_store()
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 3
        view = screen.view
        assert isinstance(view, TrainingView) and view.position == 3
        assert view.pending_ask() is None  # answered in plain mode: not asked again
    store.close()


async def test_the_app_then_plain_mode_opens_at_the_same_step():
    store = open_store()
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "]", "n")  # the training, step 1: the asks before step 2
        await pilot.press("1", "enter", "n", "minus", "1", "enter", "n")
        await pilot.press(*"0.35", "enter", "n", *"0.35", "enter", "n", "n")
        view = app.screen.view
        assert isinstance(view, TrainingView) and view.position == 3
        await pilot.press("q")
    store.close()
    text = plain([])
    assert "Unit 4 of 13: training walkthrough" in text
    assert "3 of 12 steps done." in text
    assert "epoch 1/3 · sample 3/4 · step 3/12" in text
    assert "Question before" not in text


async def test_an_ask_answered_in_the_app_is_not_asked_again_in_plain_mode():
    store = open_store()
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "]", "n", "1", "enter")  # 'the output y' answered, then q
        await pilot.press("q")
    store.close()
    text = plain([])
    assert "1 of 12 steps done." in text
    assert "predict the output y" not in text
    assert "Before step 2 is revealed, predict the error t − y." in text


# --- skips and per-unit steps mean the same in both modes (tutor.lesson_state) -------------------

WARNING = "Not answered yet: press n again to skip this question"


async def test_a_question_skipped_in_plain_mode_is_skipped_in_the_app():
    text = plain(["]", "]", "n", "n", "q"])  # unit 3: the quiz q-rule-direction, skipped
    assert text.count(WARNING) == 1  # the first n only warned
    assert "Unit 4 of 13: training walkthrough" in text  # the second n skipped and moved on
    store = open_store()
    assert store.skipped("and-gate") == {"q-rule-direction"}
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 3
        assert screen.skipped == {"q-rule-direction"}
        assert "q-rule-direction" not in screen.open_questions()
        assert screen.record.open_questions()[0] == "first-output"
        await pilot.press("q")
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        lesson = next(x for x in app.lessons if x.id == "and-gate")
        assert "1 skipped" in str(menu.status_text(lesson))
    store.close()


async def test_a_question_skipped_in_the_app_is_not_asked_in_plain_mode():
    store = open_store()
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "]", "n")  # the training, step 1: the asks before step 2
        await pilot.press("n", "n")  # warn, then skip 'first-output'
        await pilot.press("q")
    assert store.skipped("and-gate") == {"first-output"}
    store.close()
    text = plain(["n"])  # resumes at step 1: the next ask is the error, not the output
    assert "predict the output y" not in text
    assert "Before step 2 is revealed, predict the error t − y." in text
    assert text.count(WARNING) == 1  # n on the error ask: open, so warned, not skipped
    store = open_store()
    assert store.skipped("and-gate") == {"first-output"}
    store.close()


def test_plain_mode_skips_an_ask_and_g_passes_it_the_next_time():
    plain(["]", "]", "]", "n", "n", "n", "q"])  # step 1, warn, skip 'first-output'
    store = open_store()
    assert store.skipped("and-gate") == {"first-output"}
    store.close()
    text = plain(["G", "q"])  # stops before the next ask not passed: still before step 2
    assert "predict the error t − y" in text
    assert "predict the output y" not in text


async def test_unit_steps_are_kept_per_unit_across_modes(tmp_path):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "two-runs.yaml").write_text(TWO_RUNS, encoding="utf-8")
    # plain: 3 steps in the first run, 2 in the second
    store = open_store()
    out = io.StringIO()
    run_plain("en", (lessons,), store, "two-runs",
              io.StringIO("n\nn\nn\n]\nn\nn\nq\n"), out)
    assert store.unit_steps("two-runs") == {"run-a": 3, "run-b": 2}
    store.close()
    store = open_store()
    app = create_app("en", (lessons,), store, start_lesson="two-runs")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 1
        assert screen.positions == {"run-a": 3, "run-b": 2}
        await pilot.press("n")  # run-b: step 3
        await pilot.press("left_square_bracket")  # back to run-a: where plain mode left it
        view = screen.view
        assert isinstance(view, TrainingView) and view.position == 3
        await pilot.press("n")  # run-a: step 4
        await pilot.press("q")
    assert store.unit_steps("two-runs") == {"run-a": 4, "run-b": 3}
    store.close()
    store = open_store()
    out = io.StringIO()
    run_plain("en", (lessons,), store, "two-runs", io.StringIO("]\nq\n"), out)
    store.close()
    text = out.getvalue()
    assert "4 of 8 steps done." in text  # run-a, where the app left it
    assert "3 of 8 steps done." in text  # run-b, restored from its own saved step


TWO_RUNS = """\
format: 1
id: two-runs
title: {en: Two runs, ko: 두 번의 학습}
units:
  - training:
      id: run-a
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 2
  - training:
      id: run-b
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.2, 0.1, 0.1]
      learning_rate: 0.05
      epochs: 2
"""


ASKS_BEFORE_STEP_2 = ["first-output", "first-error", "first-update-w0", "first-update-w1"]


async def test_skipping_the_asks_of_one_step_goes_to_the_next_ask_then_the_step_in_both_modes():
    """Four asks before step 2: each `n n` skips one and shows the next; the last goes to step 2
    (the app stayed on the skipped ask, and `n` said 'answer first', before this was fixed)."""
    store = open_store()
    app = create_app("en", (), store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "]", "n")
        view = app.screen.view
        assert isinstance(view, TrainingView)
        for i, qid in enumerate(ASKS_BEFORE_STEP_2):
            assert view.position == 1 and view.question().spec.qid == qid
            await pilot.press("n", "n")
            assert store.skipped("and-gate") == set(ASKS_BEFORE_STEP_2[: i + 1])
        assert view.position == 2 and view.question() is None
        await pilot.press("q")
    store.close()
    text = plain(["n", "q"])  # resumes at step 2 with nothing asked: n is step 3
    assert "3 of 12 steps done." in text and WARNING not in text

    # plain mode alone, in a fresh store
    store = open_store()
    store.reset(None)
    store.close()
    text = plain(["]", "]", "]", "n", *["n", "n"] * 4, "q"])
    assert text.count(WARNING) == 4
    assert "First answer the question" not in text and "Answer the question first" not in text
    assert "2 of 12 steps done." in text
    store = open_store()
    assert store.skipped("and-gate") == set(ASKS_BEFORE_STEP_2)
    store.close()
