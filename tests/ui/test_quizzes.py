"""Pilot tests of quiz units (choice, numeric, predict) and of the lesson menu."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static

from tutor.render import StepHeader
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.widgets.question import QuestionPanel
from tutor.ui.widgets.quiz_views import QuizView
from tutor.ui.widgets.steps import StepPanels

SIZE = (80, 24)
CHOICE, NUMERIC, PREDICT = 1, 3, 4  # unit indexes in tiny-perceptron


def panel_of(app) -> QuestionPanel:
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.view
    assert isinstance(view, QuizView)
    return view.query_one(QuestionPanel)


async def go_to_unit(pilot, index: int) -> None:
    pilot.app.screen.show_unit(index)
    await pilot.pause()


async def test_choice_right_with_a_number_key(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = panel_of(app)
        assert app.focused is None  # the screen takes 1-9, ↑ ↓ Enter in key order
        await pilot.press("2")
        assert panel.state.solved and panel.state.attempts == 1
        assert store.recorded == [("tiny-perceptron", "q-choice", "2", True, 0, False)]
        assert "✓" in str(panel.query_one("#q-feedback", Static).content)


async def test_choice_wrong_gives_a_hint_then_reveal(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = panel_of(app)
        await pilot.press("3")
        assert not panel.state.solved and panel.state.hints_shown == 1
        assert "✗" in str(panel.query_one("#q-feedback", Static).content)
        assert panel.query_one("#q-hints").display
        await pilot.press("r")
        assert panel.state.revealed and not panel.state.solved
        assert store.recorded == [
            ("tiny-perceptron", "q-choice", "3", False, 1, False),
            ("tiny-perceptron", "q-choice", "", False, 1, True),
        ]
        assert panel.query_one("#q-explain").display
        await pilot.press("2")  # finished: nothing more is recorded
        assert len(store.recorded) == 2


async def test_choice_with_arrows_and_enter(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        panel = panel_of(app)
        await pilot.press("down", "enter")  # the highlight starts on choice 1
        assert panel.state.solved
        assert store.recorded[-1][2:4] == ("2", True)


async def test_a_digit_moves_the_highlight_so_enter_repeats_it_and_records_nothing(make_app, store):
    # Enter after a digit used to answer the highlight (choice 1, never moved): here choice 2,
    # the right one, would have been recorded without the learner giving it
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "down", "3")
        panel = panel_of(app)
        assert panel.query_one(OptionList).highlighted == 2  # the › is on choice 3 now
        await pilot.press("enter", "3")
        assert store.recorded == [("tiny-perceptron", "q-choice", "3", False, 1, False)]
        assert panel.state.attempts == 1 and panel.state.hints_shown == 1
        feedback = str(panel.query_one("#q-feedback", Static).content)
        assert feedback.startswith("✗") and "3" in feedback and "already" in feedback
        await pilot.press("up", "enter")  # another choice is an attempt as before
        assert store.recorded[-1] == ("tiny-perceptron", "q-choice", "2", True, 1, False)


async def test_a_choice_tried_before_a_restart_is_still_refused(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "3")
    assert len(store.recorded) == 1
    app = make_app("tiny-perceptron")  # the same store: progress resumed
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = panel_of(app)
        assert panel.state.wrong == ("3",)
        await pilot.press("3")
        assert len(store.recorded) == 1 and panel.state.attempts == 1


async def test_going_back_past_a_quiz_keeps_its_state(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "1")
        assert panel_of(app).state.attempts == 1
        await pilot.press("right_square_bracket", "p")  # on to the training, then back
        assert app.screen.unit_index == CHOICE
        panel = panel_of(app)
        assert panel.state.attempts == 1 and panel.state.hints_shown == 1
        await pilot.press("2")
        assert panel.state.solved
        await pilot.press("n", "p", "p")  # past the training (at step 0) to the quiz, then text
        assert app.screen.unit_index == 0
        await pilot.press("n")
        assert panel_of(app).state.solved


@pytest.mark.parametrize("typed", ["0.3", ".3", "3/10", "0,3"])
async def test_numeric_accepts_the_usual_ways_of_writing_a_number(make_app, store, typed):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, NUMERIC)
        panel = panel_of(app)
        assert panel.spec.expected == pytest.approx(0.3)  # from the engine: final w₁
        await pilot.press(*typed, "enter")
        assert panel.state.solved, typed
        assert store.recorded[-1][1:4] == ("q-numeric", typed, True)


async def test_numeric_wrong_then_right(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, NUMERIC)
        panel = panel_of(app)
        await pilot.press("-", "0", ".", "0", "5", "enter")
        assert panel.state.attempts == 1 and panel.state.hints_shown == 1
        assert panel.query_one("#q-input").value == ""
        await pilot.press("h")  # no hint left: a message, nothing changes
        assert panel.state.hints_shown == 1
        await pilot.press(*"0.3", "enter")
        assert panel.state.solved
        # the box keeps the answer that solved it (it showed "your answer, e.g. 0.5, …" again)
        assert str(panel.query_one("#q-input", Static).content) == "0.3"
        await go_to_unit(pilot, 0)
        await go_to_unit(pilot, NUMERIC)  # the panel made again, from the state
        assert str(panel_of(app).query_one("#q-input", Static).content) == "0.3"
    app = make_app("tiny-perceptron")  # and after a restart, from the store
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, NUMERIC)
        assert str(panel_of(app).query_one("#q-input", Static).content) == "0.3"


async def test_predict_shows_the_state_before_that_step(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, PREDICT)
        view = app.screen.view
        run = view.lesson.run("and-mini")
        panels = view.query_one(StepPanels)
        assert panels.position == 3  # step 4 is predicted: steps 1–3 are shown
        head = panels.shown("head")
        assert isinstance(head, StepHeader) and head.record is run.record(2)
        panel = panel_of(app)
        assert panel.spec.expected == run.record(3).output
        await pilot.press(*str(1 - run.record(3).output), "enter")
        assert panel.state.hints_shown == 1 and not panel.state.solved
        await pilot.press("r")
        assert panel.state.revealed
        assert store.recorded[-1] == ("tiny-perceptron", "q-predict", "", False, 1, True)


async def test_plot_unit(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, 5)
        plot = app.screen.query_one("#function-plot")
        assert plot.region.height > 5
        await pilot.press("n")  # the last unit: the lesson is done
        assert app.screen.unit_index == 5


async def test_menu_lists_lessons_with_progress(make_app, store, only_fixture_lessons):
    store.save_position("tiny-perceptron", "and-mini", 3)
    store.mark_done("tiny-mlp")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        options = menu.query_one("#lessons", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "tiny-perceptron",
            "tiny-linear",
            "tiny-mlp",
        ]
        lessons = {x.id: x for x in app.lessons}
        assert "unit 3 of 6, step 3" in str(menu.status_text(lessons["tiny-perceptron"]))
        assert "not started" in str(menu.status_text(lessons["tiny-linear"]))
        assert "done" in str(menu.status_text(lessons["tiny-mlp"]))
        await pilot.press("enter")  # opens where the learner left it
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.unit_index == 2 and app.screen.view.position == 3
        await pilot.press("n", "q")
        assert isinstance(app.screen, MenuScreen)
        assert "step 4" in str(menu.status_text(lessons["tiny-perceptron"]))
        await pilot.press("L")
        assert "단원" in str(menu.status_text(lessons["tiny-perceptron"]))


async def test_menu_mentions_lesson_problems(tmp_path, store, only_fixture_lessons):
    from tutor.ui.app import create_app

    (tmp_path / "broken.yaml").write_text("format: 1\nid: Bad Id\n", encoding="utf-8")
    app = create_app("en", [tmp_path], store)
    async with app.run_test(size=SIZE):
        assert app.problems
        problems = app.screen.query_one("#menu-problems", Static)
        assert problems.display and "check" in str(problems.content)


async def test_the_right_choice_is_taken_even_when_the_progress_says_it_was_tried_wrong(
        make_app, store):
    """The choices were reordered after the learner answered: the choice right now (2) was once
    recorded wrong, and was refused as 'already tried' for ever."""
    store.record_attempt("tiny-perceptron", "q-choice", "2", False, 1, False)
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await go_to_unit(pilot, CHOICE)
        panel = panel_of(app)
        await pilot.press("2")
        assert panel.state.solved
        assert store.recorded[-1] == ("tiny-perceptron", "q-choice", "2", True, 1, False)
