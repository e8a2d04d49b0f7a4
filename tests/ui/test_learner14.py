"""What a learner trying perceptron-tutor at 80×24 (ko) and 120×40 (en) ran into."""

from __future__ import annotations

import re

from textual import events
from textual.widgets import Static

from tutor.ui.app import create_app
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.units import TrainingView

SIZE = (80, 24)


def training(app) -> TrainingView:
    view = app.screen.view
    assert isinstance(view, TrainingView)
    return view


async def test_play_on_an_answered_ask_shows_the_next_ask_of_the_step(store):
    """and-gate asks four questions before step 2. With the first answered (its explanation and
    "→ or n: next" on screen), space only raised a toast: nothing moved and the next question
    stayed hidden. Play now moves past the answered ask as `n` does, and stops at the next one."""
    app = create_app("ko", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        while not isinstance(screen.view, TrainingView):
            await pilot.press("right_square_bracket")
        await pilot.press("n")
        view = training(app)
        first = view.question()
        assert first is not None and first.spec.qid == "first-output"
        await pilot.press("1", "enter")
        assert first.state.solved
        await pilot.press("space")
        assert view.playing
        view._tick()  # the timer's first tick
        await pilot.pause()
        panel = view.question()
        assert panel is not None and panel.spec.qid == "first-error" and not panel.finished
        assert not view.playing and view.position == 1
        feedback = str(panel.query_one("#q-feedback", Static).content)
        assert feedback.startswith("먼저 질문에 답하세요")


async def test_plus_speeds_up_even_with_an_answer_box_open(make_app):
    """Play stopped at an ask, and the + presses meant to speed it up filled the box with
    "+++++++" (README: every key but 0–9 . , / - keeps its meaning while you type). A + adds
    nothing a number needs here (+0.5 is 0.5, 1e+3 is 1e3), so it is always "faster"."""
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "2", "n", "n")
        view = training(app)
        panel = view.question()
        assert panel is not None and panel.spec.qid == "mini-net" and not panel.finished
        speed = view.speed
        await pilot.press("plus", "plus")
        assert panel.draft == "" and view.speed == speed + 2
        await pilot.press("0", ".", "1", "plus")
        assert panel.draft == "0.1" and view.speed == speed + 3
        app.screen.post_message(events.Paste("+0.1"))
        await pilot.pause()
        assert panel.draft == "0.10.1"


def test_the_loss_value_follows_the_loss_not_the_residuals_name():
    """'손실 L = 이 배치의 r² 평균 (N = 4), r = ŷ − t는 잔차 = 1.4513' (learning-rate, step 1 at 80
    columns) read as "the residual = 1.4513". r's definition now sits inside the parenthesis."""
    from tests.ui.test_layout import rendered
    from tutor.lessons import find_lesson
    from tutor.render.views import LinearStepView

    record = find_lesson("learning-rate", ()).run("or-slow").record(0)
    for lang, name in (("ko", "잔차"), ("en", "residual")):
        for width in (76, 69, 116):
            lines = [line.strip() for line in rendered(LinearStepView(record, lang), width)]
            where = [i for i, line in enumerate(lines) if "1.4513" in line]
            assert where, (lang, width)
            i = where[0]
            text = " ".join(lines[max(0, i - 2):i + 1])
            assert not re.search(rf"{name}\s*= 1\.4513", text), (lang, width, text)
            assert re.search(r"\)\s*= 1\.4513", text), (lang, width, text)  # L = mean (…) = value


async def test_a_wrapped_choice_hangs_under_its_text_not_under_the_mark(store):
    """'  3. The larger an input's weight, the more that input influences the⏎output.' at 80
    columns: the second line of a choice began under the › mark, where the numbers stand."""
    from tests.ui.test_layout import rendered

    app = create_app("en", [], store, start_lesson="exam-review")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = app.screen.view.question()
        assert panel is not None and panel.spec.kind == "choice"
        for number in range(1, len(panel.spec.choices) + 1):
            lines = rendered(panel._choice_prompt(number), 40)
            head = f"  {number}. "
            assert lines[0].startswith(("› " + head[2:], head)), lines
            assert len(lines) > 1  # every choice here is longer than 40 cells
            for line in lines[1:]:
                assert line.startswith(" " * len(head)) and line.strip(), lines


async def test_switching_language_keeps_the_answer_being_given(make_app):
    """L rebuilt the unit: '0.11' typed into the box was gone, and the › moved back to choice 1
    (where Enter would answer a choice the learner had moved away from)."""
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "down", "down")
        panel = app.screen.view.question()
        assert panel is not None and panel._choices.highlighted == 2
        await pilot.press("L")
        await pilot.pause()
        panel = app.screen.view.question()
        assert panel is not None and panel.lang == "ko" and panel._choices.highlighted == 2
        await pilot.press("enter")
        assert panel.state.attempts == 1 and panel.state.wrong == ("3",)
        await pilot.press("2", "n", "n")
        panel = training(app).question()
        assert panel is not None and panel.spec.qid == "mini-net"
        await pilot.press("0", ".", "1", "1", "L")
        await pilot.pause()
        panel = training(app).question()
        assert panel is not None and panel.lang == "en" and panel.draft == "0.11"
        assert "0.11" in str(panel.query_one("#q-input", Static).content)
        await pilot.press("backspace", "enter")
        assert panel.state.solved  # k = −0.3 + 0.4 = 0.1
