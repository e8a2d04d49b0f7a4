"""What learner10's pass through the app (issue 10's work, at 80×24) turned up: each test pins one fix."""

from __future__ import annotations

from tutor.ui.screens.lesson import Body, LessonScreen
from tutor.ui.widgets.units import TrainingView

SIZE = (80, 24)


def training(app) -> TrainingView:
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.view
    assert isinstance(view, TrainingView)
    return view


async def test_a_move_stopped_by_a_question_brings_the_question_into_view(make_app):
    """Scrolled down to the epoch history, `G` stops before an ask not yet answered: the ask and
    its "answer the question first" must come into view. They stayed above the fold, and the
    press seemed to do nothing (the same for `e`, a jump with `:`, and play running into it)."""
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")  # step 1; the ask before step 2
        view = training(app)
        panel = view.question()
        assert view.position == 1 and panel is not None and not panel.finished
        body = app.screen.query_one(Body)
        await pilot.press("end")
        await pilot.pause()
        assert body.scroll_y > 0 and not body.region.contains_region(panel.region)
        await pilot.press("G")
        await pilot.pause()
        await pilot.pause()
        assert view.position == 1  # stopped before the ask
        warning = panel.newest_widget()
        assert "Answer the question first" in str(warning.render())
        assert panel.region.height > 0 and body.region.contains_region(panel.region)
