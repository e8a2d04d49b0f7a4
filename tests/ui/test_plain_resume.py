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
