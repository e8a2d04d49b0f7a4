"""Pilot tests of the staged backpropagation walkthrough (tutor/ui/screens/backprop.py): opened with
`b` on a network's training, stepping stages and updates, stopping before an unanswered question,
going back to the update reached, languages, and the renderable it shows."""

from __future__ import annotations

from textual.widgets import Static

from tutor.render.backprop import BackpropStage, stages_of
from tutor.ui.app import create_app
from tutor.ui.screens.backprop import BackpropScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.units import TrainingView

SIZE = (80, 24)


def shown(app) -> BackpropStage:
    assert isinstance(app.screen, BackpropScreen)
    content = app.screen.query_one("#backprop-stage", Static).content
    assert isinstance(content, BackpropStage)
    return content


def training(app) -> TrainingView:
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.view
    assert isinstance(view, TrainingView)
    return view


def classic_app(store, step: int, lang: str = "en"):
    store.save_position("backprop", "classic", step)
    return create_app(lang, [], store, start_lesson="backprop")


async def test_b_opens_the_stages_of_the_update_last_shown_and_steps_through_them(store):
    app = classic_app(store, 1)
    async with app.run_test(size=SIZE) as pilot:
        assert training(app).position == 1
        await pilot.press("b")
        stage = shown(app)
        assert stage.record.index == 0 and stage.index == 0 and stage.lang == "en"
        count = len(stages_of(stage.record))
        assert count == 9  # forward ×2, E, δ ×2, gradients ×2, updates ×2
        head = str(app.screen.query_one("#backprop-head", Static).content)
        assert "Update 1 of 10000" in head and "sample 1" in head
        await pilot.press(*["n"] * (count - 1))
        assert shown(app).index == count - 1 and shown(app).record.index == 0
        await pilot.press("right")  # past the last stage: the next update, from its first
        assert (shown(app).record.index, shown(app).index) == (1, 0)
        await pilot.press("left")  # back past the first: the update before, at its last
        assert (shown(app).record.index, shown(app).index) == (0, count - 1)
        await pilot.press("p", "p")
        assert shown(app).index == count - 3
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert (shown(app).record.index, shown(app).index) == (2, 0)
        await pilot.press("left_square_bracket")
        assert shown(app).record.index == 1
        await pilot.press("L")
        assert shown(app).lang == "ko"
        assert "갱신 10000번 중 2번째" in str(app.screen.query_one("#backprop-head", Static).content)
        await pilot.press("q")
        # back in the lesson, which now stands at the update reached (update 2 = position 2)
        assert training(app).position == 2
        assert store.position("backprop").unit_id == "classic"


async def test_b_before_any_step_and_on_a_perceptron_only_says_why(store):
    app = classic_app(store, 0)
    async with app.run_test(size=SIZE) as pilot:
        assert training(app).position == 0
        await pilot.press("b")
        assert isinstance(app.screen, LessonScreen)
    store.save_position("and-gate", "and-rule", 2)
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        assert training(app).position == 2
        await pilot.press("b")
        assert isinstance(app.screen, LessonScreen) and training(app).position == 2


ASKED = """\
format: 1
id: asked
title: "Asked"
units:
  - training:
      id: net
      model: mlp
      inputs: [[0.05, 0.10]]
      targets: [[0.01, 0.99]]
      layers:
        - {weights: [[0.15, 0.25], [0.20, 0.30]], biases: [0.35, 0.35]}
        - {weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60]}
      loss: sse_half
      batch_size: 1
      learning_rate: 0.5
      epochs: 5
      ask:
        - {step: 3, predict: loss, tolerance: 0.1, hints: ["a", "b"], explain: "c"}
"""


async def test_the_stages_never_show_an_update_behind_an_unanswered_question(store, tmp_path):
    (tmp_path / "asked.yaml").write_text(ASKED, encoding="utf-8")
    store.save_position("asked", "net", 1)
    app = create_app("en", [tmp_path], store, start_lesson="asked")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        assert isinstance(app.screen, BackpropScreen) and app.screen.limit == 2
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        assert shown(app).record.index == 1  # update 3 waits for the question before it
        await pilot.press(*["n"] * 12)
        assert shown(app).record.index == 1 and shown(app).index == 8
        await pilot.press("escape")
        view = training(app)
        assert view.position == 2 and view.pending_ask() is not None


async def test_a_korean_stage_at_80_columns_keeps_every_line_and_scrolls(store):
    app = classic_app(store, 1, "ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b", "n", "n", "n", "n")  # stage 5: δ of the hidden layer
        stage = shown(app)
        assert stage.stages[stage.index].kind == "delta" and stage.lang == "ko"
        body = app.screen.query_one("StageBody")
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y == body.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert body.scroll_y == 0
