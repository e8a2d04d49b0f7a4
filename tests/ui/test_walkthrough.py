"""Pilot tests of the lesson screen: units, the training walkthrough and its keys, asks, language."""

from __future__ import annotations

from textual.widgets import Static
from ui_waiting import until

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep
from tutor.render import LinearStepView, MLPStepView, NetEquation, StepHeader, WeightTable
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.widgets.steps import StepPanels
from tutor.ui.widgets.units import SPEEDS, TextView, TrainingView

SIZE = (80, 24)


def screen(app) -> LessonScreen:
    assert isinstance(app.screen, LessonScreen)
    return app.screen


def training(app) -> TrainingView:
    view = screen(app).view
    assert isinstance(view, TrainingView)
    return view


def shown_record(app):
    """The record the step panels show (None at step 0), read from the renderable itself."""
    head = app.screen.query_one(StepPanels).shown("head")
    return head.record if isinstance(head, StepHeader) else None


async def open_training(pilot) -> TrainingView:
    """tiny-perceptron: intro → choice quiz → training (unit 3); `]` leaves the quiz open."""
    await pilot.press("n", "right_square_bracket")
    return training(pilot.app)


async def answer_ask(pilot, text: str) -> None:
    await pilot.press(*text, "enter")


async def test_text_unit_then_next_and_previous_units(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        s = screen(app)
        assert s.unit_index == 0 and isinstance(s.view, TextView)
        assert "1 of 6" in str(s.query_one("#lesson-head", Static).content)
        await pilot.press("right")
        assert s.unit_index == 1
        await pilot.press("left")
        assert s.unit_index == 0
        await pilot.press("n", "p")
        assert s.unit_index == 0
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert s.unit_index == 2
        assert store.position("tiny-perceptron").unit_id == "and-mini"


async def test_step_zero_shows_initial_weights_then_steps_forward_and_back(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        run = view.run
        assert view.position == 0
        assert shown_record(app) is None  # step 0: the start, nothing revealed
        assert app.screen.query_one(StepPanels).section("sum") is None
        await pilot.press("right")
        assert view.position == 1
        assert shown_record(app) is run.record(0)
        assert isinstance(app.screen.query_one(StepPanels).shown("sum"), NetEquation)
        assert isinstance(app.screen.query_one(StepPanels).shown("weights"), WeightTable)
        assert store.position("tiny-perceptron").step == 1
        await pilot.press("left")
        assert view.position == 0
        await pilot.press("p")  # at step 0, ← goes to the previous unit
        assert screen(app).unit_index == 1


async def test_ask_blocks_until_answered_wrong_gives_hint_right_moves_on(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("n")
        assert view.position == 1
        panel = view.question()
        assert panel is not None and panel.spec.qid == "mini-net"
        assert app.focused is None  # the screen types into the box, in key order
        await pilot.press("n")  # not yet: the first n says that n again skips the question
        assert view.position == 1
        await answer_ask(pilot, "0.5")
        assert panel.state.attempts == 1 and panel.state.hints_shown == 1
        assert not panel.state.finished
        await answer_ask(pilot, ".1")  # k = −0.3 + 0.4 = 0.1 (within 0.001)
        assert panel.state.solved
        assert store.recorded == [
            ("tiny-perceptron", "mini-net", "0.5", False, 1, False),
            ("tiny-perceptron", "mini-net", ".1", True, 1, False),
        ]
        await pilot.press("n")
        assert view.position == 2
        assert shown_record(app) is view.run.record(1)
        # going back to step 1 shows the ask as it was left (solved), and → passes it again
        await pilot.press("p")
        assert view.position == 1 and view.question().state.solved
        await pilot.press("n")
        assert view.position == 2


async def test_ask_hints_then_reveal(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("n")
        panel = view.question()
        await pilot.press("r")  # too early: no attempt, hints left
        assert not panel.state.revealed
        await pilot.press("h")  # h shows the next hint
        assert panel.state.hints_shown == 1
        await answer_ask(pilot, "1/2")
        assert panel.state.hints_shown == 2 and panel.state.can_reveal
        await pilot.press("r")
        assert panel.state.revealed and not panel.state.solved
        assert store.recorded[-1] == ("tiny-perceptron", "mini-net", "", False, 2, True)
        await pilot.press("n")
        assert view.position == 2


async def test_unreadable_answer_is_not_an_attempt(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("n")
        panel = view.question()
        await answer_ask(pilot, "1/0")
        assert panel.state.attempts == 0
        assert store.recorded == []


async def test_epoch_end_run_end_and_start(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        view.passed.add("mini-net")  # as if answered before
        await pilot.press("e")
        assert view.position == 4  # one epoch = 4 samples
        await pilot.press("e")
        assert view.position == 8
        await pilot.press("g")
        assert view.position == 0 and shown_record(app) is None
        await pilot.press("G")
        assert view.position == 8
        await pilot.press("home")  # Home/End only scroll: a run restarts with g alone
        assert view.position == 8
        await pilot.press("end")
        assert view.position == 8
        assert shown_record(app) is view.run.record(7)
        await pilot.press("n")  # the run is over: → goes to the next unit
        assert screen(app).unit_index == 3


async def test_jumps_stop_before_an_unanswered_ask(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("G")
        assert view.position == 1  # stopped before step 2: its ask comes first
        await pilot.press("e")
        assert view.position == 1


async def test_home_shows_the_same_initial_weights(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        view.passed.add("mini-net")
        await pilot.press("n")
        first = shown_record(app)
        await pilot.press("G", "g", "n")
        assert shown_record(app) is first
        assert first.weights_before == (0.3, 0.4, 0.1)


async def test_play_pause_and_speed(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        view.passed.add("mini-net")
        await pilot.press(*["plus"] * 7)
        assert view.speed == len(SPEEDS) - 1 and SPEEDS[view.speed] == 0.02  # 50 steps a second
        await pilot.press("minus")
        assert SPEEDS[view.speed] == 0.05
        await pilot.press("minus", "minus")
        assert SPEEDS[view.speed] == 0.25
        await pilot.press("space")
        assert view.playing
        assert "0.25" in str(app.screen.query_one("#training-title", Static).content)
        await until(pilot, lambda: view.position >= 1, what="a step played")
        await pilot.press("space")
        assert not view.playing
        stopped = view.position
        assert stopped >= 1
        await pilot.pause(0.3)
        assert view.position == stopped


def title(app) -> str:
    return str(app.screen.query_one("#training-title", Static).content)


async def test_go_to_step_n(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        view.passed.add("mini-net")
        await pilot.press("colon")
        assert "go to step (0–8, enter):" in title(app)
        await pilot.press("5", "enter")
        assert view.position == 5 and shown_record(app) is view.run.record(4)
        assert view.goto_text is None and "go to step" not in title(app)
        assert store.position("tiny-perceptron").step == 5
        await pilot.press("colon", "２", "enter")  # full-width digits, as an IME types them
        assert view.position == 2
        await pilot.press("colon", "7", "backspace", "0", "enter")
        assert view.position == 0 and shown_record(app) is None
        # input is bounded (0–8: one digit); the step is clamped to the run
        await pilot.press("colon", "9", "9", "9")
        assert view.goto_text == "9"
        await pilot.press("enter")
        assert view.position == 8
        # Esc closes the prompt and stays in the lesson; an empty Enter does nothing
        await pilot.press("colon", "3", "escape")
        assert view.goto_text is None and view.position == 8 and screen(app).view is view
        await pilot.press("colon", "enter")
        assert view.position == 8 and view.goto_text is None


async def test_the_go_to_step_prompt_keeps_the_title_one_row_at_80_columns(make_app):
    # a learner found a blank row under the title for the rest of the unit: in Korean the
    # prompt after this 60-cell title took a second row, and the title panel only grows
    app = make_app("why-nonlinear", "ko")
    async with app.run_test(size=SIZE) as pilot:
        lesson = screen(app).lesson
        index = next(i for i, u in enumerate(lesson.units)
                     if getattr(u, "title", None) is not None
                     and "sigmoid hidden units" in lesson.render(u.title, "en"))
        screen(app).show_unit(index)
        await pilot.pause()
        panel = app.screen.query_one("#training-title", Static)
        rows = panel.region.height
        await pilot.press("colon", "1", "2")
        await pilot.pause()
        shown = [panel.render_line(y).text for y in range(panel.region.height)]
        assert any("enter): 12▏" in row and "…" in row for row in shown), shown  # title cut
        assert panel.region.height == rows
        await pilot.press("escape")
        await pilot.pause()
        assert panel.region.height == rows and training(app).goto_text is None


async def test_go_to_step_stops_before_an_ask_and_keeps_the_answer_box(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("colon", "8", "enter")
        assert view.position == 1  # stopped before step 2: its ask comes first
        panel = view.question()
        assert panel is not None and not panel.finished
        # while the prompt is open the digits are the step's, not the answer's
        await pilot.press("colon", "3")
        assert view.goto_text == "3" and panel.draft == ""
        await pilot.press("escape")
        assert view.goto_text is None and screen(app).view is view
        await pilot.press("3")
        assert panel.draft == "3"
        # another key closes the prompt and keeps its meaning (p: a step back)
        await pilot.press("colon", "p")
        assert view.goto_text is None and view.position == 0
        # the prompt closes with the unit
        await pilot.press("colon", "right_square_bracket")
        assert screen(app).goto is None


async def test_play_stops_at_an_ask(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = await open_training(pilot)
        await pilot.press("plus", "plus", "plus", "space")
        await until(pilot, lambda: not view.playing, what="play stopping at the ask")
        assert view.position == 1


async def test_resume_where_the_learner_left(make_app, store):
    store.save_position("tiny-perceptron", "and-mini", 5)
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        view = training(app)
        assert view.position == 5
        assert shown_record(app) is view.run.record(4)
        await pilot.press("g")  # the ask of step 2 lies behind the saved position: not asked again
        await pilot.press("e")
        assert view.position == 4


async def test_linear_walkthrough(make_app):
    app = make_app("tiny-linear")
    async with app.run_test(size=SIZE) as pilot:
        view = training(app)
        assert view.run.steps_per_epoch == 4  # batch_size 1: one sample per step
        await pilot.press("n")
        assert view.position == 0  # the ask before step 1
        await answer_ask(pilot, "0")
        assert view.question().state.solved
        await pilot.press("n", "n")
        assert view.position == 2
        rec = shown_record(app)
        assert isinstance(rec, LinearStep) and rec.index == 1
        model = app.screen.query_one(StepPanels).shown("model")
        assert isinstance(model, LinearStepView)
        assert model.record is rec
        assert app.screen.query_one(StepPanels).section("plot") is not None  # 2 inputs: decision line
        await pilot.press("e")
        assert view.position == 4


async def test_mlp_walkthrough(make_app):
    app = make_app("tiny-mlp")
    async with app.run_test(size=SIZE) as pilot:
        view = training(app)
        assert view.run.steps_per_epoch == 1  # one step = one epoch
        await pilot.press("n")
        rec = shown_record(app)
        assert isinstance(rec, MLPStep) and rec.epoch == 1
        model = app.screen.query_one(StepPanels).shown("model")
        assert isinstance(model, MLPStepView)
        assert app.screen.query_one(StepPanels).section("weights") is None
        await pilot.press("e")
        assert view.position == 2
        await pilot.press("G")
        assert view.position == 3 and shown_record(app).epoch == 3


async def test_and_gate_roundoff_step(store):
    from tutor.ui.app import create_app

    store.save_position("and-gate", "and-rule", 6)
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        view = training(app)
        rec = shown_record(app)
        assert isinstance(rec, PerceptronStep) and rec.index == 5
        assert rec.net_is_roundoff and rec.roundoff_decides
        assert isinstance(app.screen.query_one(StepPanels).shown("sum"), NetEquation)
        await pilot.press("p")
        assert view.position == 5


async def test_language_switch_is_live(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")
        view = training(app)
        assert view.lang == "en"
        await pilot.press("L")
        assert app.lang == "ko"
        view = training(app)
        assert view.lang == "ko" and view.position == 1  # same place, new language
        assert "단원 3/6" in str(app.screen.query_one("#lesson-head", Static).content)
        assert view.question().lang == "ko"
        await pilot.press("L")
        assert app.lang == "en"


async def test_help_opens_and_closes(make_app):
    from tutor.ui.dialogs.help import HelpScreen

    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("n", "right_square_bracket", "n")  # also with an answer box open
        assert training(app).question() is not None and app.focused is None
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")
        assert isinstance(app.screen, LessonScreen)


async def test_q_goes_back_to_the_menu_and_quits_from_there(make_app, store):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, LessonScreen)
        await pilot.press("n")
        await pilot.press("q")
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("escape")
    assert app.return_code == 0


async def test_q_goes_to_the_menu_when_started_in_a_lesson(make_app):
    """The help says "q: back to the menu", also for a lesson opened from the command line."""
    app = make_app("tiny-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen) and app.is_running
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_finishing_the_last_unit_marks_the_lesson_done(make_app, store):
    app = make_app("tiny-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G", "n")
        assert store.done == ["tiny-mlp"]
        assert store.summary("tiny-mlp").status == "done"


async def test_panels_stack_when_narrow_and_sit_side_by_side_when_wide(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=(80, 24)) as pilot:
        view = await open_training(pilot)
        view.passed.add("mini-net")
        await pilot.press("n", "n")
        left = app.screen.query_one("#step-left")
        right = app.screen.query_one("#step-right")
        assert right.region.y > left.region.y  # stacked
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert app.screen.has_class("-wide")
        panels = app.screen.query_one(StepPanels)
        assert right.region.x > left.region.x and right.region.y == left.region.y
        assert panels.region.width > 100


def record_notifications(app) -> list[str]:
    seen: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify
    return seen


async def test_store_warning_is_shown_once(make_app, store):
    store.warning = "Progress file was damaged and moved aside to progress.db.broken"
    app = make_app()
    seen = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "q", "enter", "q")
    assert seen.count(store.warning) == 1


async def test_arrow_keys_scroll_a_long_step(make_app):
    from tutor.ui.screens.lesson import Body

    app = make_app("tiny-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        body = app.screen.query_one(Body)
        assert body.max_scroll_y > 0  # the mlp step is taller than 80×24
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("up", "pageup", "pageup")
        await pilot.pause()
        assert body.scroll_y == 0
