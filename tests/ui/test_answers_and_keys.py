"""Answers belong to the learner (restored everywhere, never asked twice), skips are on purpose,
and the keys do what the key bar says, in the order they came (bursts, full-width digits, `e`)."""

from __future__ import annotations

from textual import events

from tutor.progress.review import due_questions
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.widgets.quiz_views import QuizView
from tutor.ui.widgets.units import TrainingView

SIZE = (80, 24)
LESSON = "tiny-perceptron"  # intro, q-choice, and-mini (ask before step 2), q-numeric, q-predict, sig


def screen(app) -> LessonScreen:
    found = [s for s in app.screen_stack if isinstance(s, LessonScreen)]
    assert found
    return found[-1]


def burst(app, *keys: str) -> None:
    """Queue keys at once, as a terminal delivers a fast burst or a paste."""
    for key in keys:
        char = {"full_stop": ".", "minus": "-", "slash": "/"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_quit_and_restart_restores_every_units_step_and_every_answer(make_app, store):
    """Questions in two kinds of unit (a quiz, and a training's ask), steps in a unit that is not
    the current one: all come back after a restart, and nothing is asked again."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "2")  # q-choice right
        await pilot.press("n", "n")  # training: step 1, the ask before step 2
        await pilot.press(*".1", "enter", "n", "n", "n")  # answered; on to step 4
        assert screen(app).view.position == 4
        await pilot.press("right_square_bracket", *"0.3", "enter")  # q-numeric right
        await pilot.press("right_square_bracket")  # on q-predict, unanswered
        assert screen(app).unit_index == 4
        await pilot.press("q", "q")
    recorded = list(store.recorded)
    again = make_app(LESSON)
    async with again.run_test(size=SIZE) as pilot:
        s = screen(again)
        assert s.unit_index == 4
        await pilot.press("left_square_bracket")
        assert isinstance(s.view, QuizView) and s.view.question().state.solved  # q-numeric
        await pilot.press("left_square_bracket")
        view = s.view
        assert isinstance(view, TrainingView) and view.position == 4  # not only the last unit
        await pilot.press("g", "G")  # G never stops at the answered ask
        assert view.position == view.total
        await pilot.press("g", "n")
        assert view.position == 1 and view.question().state.solved  # shown answered, not asked
        await pilot.press("left_square_bracket")
        assert s.view.question().state.solved  # q-choice
        await pilot.press("3")  # a finished question takes no more answers
    assert store.recorded == recorded  # nothing asked again, nothing recorded twice


async def test_n_on_an_open_question_warns_once_then_skips_on_purpose(make_app, store):
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        s = screen(app)
        assert s.unit_index == 1  # the first n only warned
        panel = s.view.question()
        assert "n again" in str(panel.query_one("#q-feedback").content)
        assert store.skipped(LESSON) == set()
        await pilot.press("n")
        assert s.unit_index == 2 and store.skipped(LESSON) == {"q-choice"}
        assert (LESSON, "q-choice") in due_questions(store, store.now())  # offered in review
        await pilot.press("q")
        menu = app.screen
        assert isinstance(menu, MenuScreen)
        lesson = next(x for x in app.lessons if x.id == LESSON)
        assert "1 skipped" in str(menu.status_text(lesson))


async def test_a_lesson_is_done_only_with_every_question_answered_or_skipped(make_app, store):
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(6):
            await pilot.press("right_square_bracket")
        s = screen(app)
        assert s.unit_index == 5  # the last unit, every question still open
        await pilot.press("n")
        assert store.done == [] and store.summary(LESSON).status != "done"
        # skip each open question on purpose (n twice), going back to each
        for index in (1, 3, 4):
            s.show_unit(index)
            await pilot.press("n", "n")
        s.show_unit(2)
        await pilot.press("n", "n", "n")  # step 1, then warn, then skip the ask
        assert store.skipped(LESSON) == {"q-choice", "mini-net", "q-numeric", "q-predict"}
        assert store.done == []
        s.show_unit(5)
        await pilot.pause()
        assert store.done == [LESSON]  # reached the last unit with nothing open: done at once


async def test_a_burst_keeps_its_order_in_the_answer_box(make_app):
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        screen(app).show_unit(3)  # q-numeric
        await pilot.pause()
        panel = screen(app).view.question()
        burst(app, "9", "backspace", "8")
        await pilot.pause()
        assert panel.value == "8"
        burst(app, "backspace", "0", "full_stop", "3", "enter")
        await pilot.pause()
        assert panel.state.solved and panel.state.attempts == 1


async def test_full_width_digits_are_read_as_ascii(make_app, store):
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        screen(app).show_unit(3)  # q-numeric: 0.3
        await pilot.pause()
        panel = screen(app).view.question()
        for typed, shown in (("０.５", "0.5"), ("０．５", "0.5"), ("－０．５", "-0.5"), ("１／２", "1/2")):
            burst(app, *typed)
            await pilot.pause()
            assert panel.value == shown, typed
            burst(app, *["backspace"] * len(typed))
            await pilot.pause()
        burst(app, *"０．３", "enter")
        await pilot.pause()
        assert panel.state.solved
        assert store.recorded[-1][2:4] == ("0.3", True)


async def test_a_full_width_digit_picks_a_choice(make_app, store):
    """An IME in full-width mode types `２` for 2: a terminal delivers it as the key
    `fullwidth_digit_two`, which must pick choice 2 as `2` does (numbers and "go to step" read
    full-width digits already; a choice question ignored them, and a second `n` then skipped it)."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # q-choice, answer 2
        panel = screen(app).view.question()
        assert panel.spec.kind == "choice" and not panel.state.solved
        event = events.Key("fullwidth_digit_two", "２")  # as Textual's parser names the key
        event.set_sender(app)
        app._driver.send_message(event)
        await pilot.pause()
        assert panel.state.solved
        assert store.recorded[-1][1:4] == ("q-choice", "2", True)


async def test_e_types_only_after_a_digit_else_it_is_end_of_epoch(make_app):
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket")
        view = screen(app).view
        assert isinstance(view, TrainingView)
        view.passed.add("mini-net")  # as if answered: nothing stops the epoch
        await pilot.press("e")  # an empty box: e is "to the end of the epoch"
        assert view.position == 4
        await pilot.press("g", "n")
        view.passed.discard("mini-net")
        await pilot.press("g", "n")
        panel = view.question()
        assert panel is not None and not panel.finished
        await pilot.press("1", "e", "minus", "3")
        assert panel.value == "1e-3"  # after a digit, e is part of the number
        await pilot.press("L")  # a letter that is a command acts as one, even while typing
        assert app.lang == "ko"
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"


async def test_the_menu_opens_on_the_lesson_in_progress(make_app, store, only_fixture_lessons):
    store.save_position("tiny-mlp", "net", 1)
    app = make_app()
    async with app.run_test(size=SIZE):
        options = app.screen.query_one("#lessons")
        ids = [lesson.id for lesson in app.lessons]
        assert ids.index("tiny-mlp") != 0
        assert options.highlighted == ids.index("tiny-mlp")
