"""What a learner trying perceptron-tutor at 80×24 (ko) and 120×40 (en) ran into (learner15)."""

from __future__ import annotations

from rich.console import Console

from tutor.ui.app import create_app
from tutor.ui.screens.lesson import LessonScreen

SIZE = (80, 24)


async def test_the_right_choice_mark_is_not_cut_between_the_tick_and_its_word(store):
    """and-gate's rounding quiz at 80 columns: choice 2 filled its line, and the mark after it
    broke as "✓" at the end of the line and "정답" alone on the next."""
    app = create_app("ko", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        await pilot.press(*["right_square_bracket"] * 4)
        panel = screen.view.question()
        assert panel is not None and panel.spec.qid == "q-why-update"
        await pilot.press("2")
        assert panel.finished
        width = panel._choices.scrollable_content_region.width
        console = Console(width=width, record=True, legacy_windows=False)
        console.print(panel._choice_prompt(2))
        lines = [line.rstrip() for line in console.export_text().splitlines()]
        assert not any(line.endswith("✓") for line in lines), lines
        assert any("✓" in line and "정답" in line for line in lines), lines


def test_a_tolerance_in_parentheses_is_never_cut():
    """keras-linear's ask at 80 columns read "… predict the bias b after the update. (within" and
    "±0.001)" on the next row; backprop's "(±0.0005" and "이내)" (learner15)."""
    from tutor.i18n import t
    from tutor.ui.widgets.markdown import bind_expressions

    for lang in ("en", "ko"):
        tolerance = t("ui.ask.tolerance", lang, tol="0.001")
        bound = bind_expressions("predict b after the update. " + tolerance)
        assert bound.endswith(tolerance.replace(" ", "\u2800")), bound
        assert bound.startswith("predict b after")  # the other spaces stay places to break
