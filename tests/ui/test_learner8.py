"""What a Korean learner at 80×24 met in the playground's settings (learner pass 8): a refused
value's message below the fold, and the bias mode shown as the format's raw word."""

from __future__ import annotations

from tests.ui.test_playground_ui import playground, screen_text, type_text
from tutor.playground.presets import preset_setup


async def test_a_refused_value_is_in_view_at_80x24():
    """At 80×24 the settings panel follows a 12-row plot: the ✗ line under the rows fell below
    the fold, so Enter on a bad η looked like nothing happened."""
    app = playground(preset_setup("and"), lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab", "tab")
        screen.selected = screen._visible_settings().index("bias_mode")
        await pilot.press("right")  # a separate bias b: one row more, as the learner had it
        await pilot.pause()
        screen.selected = screen._visible_settings().index("learning_rate")
        await pilot.press("enter")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "-2")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert screen.problems
        shown = screen_text(app)
        assert "✗" in shown, shown
        assert "학습률 η" in shown  # the row it is about is still on screen


async def test_the_bias_mode_is_said_in_the_learners_language():
    app = playground(preset_setup("and"), lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab", "tab")
        rows = dict(screen._setting_rows())
        assert rows["편향 방식"] == "x₀ = −1의 w₀ (input)"
        screen.selected = screen._visible_settings().index("bias_mode")
        await pilot.press("right")
        await pilot.pause()
        assert dict(screen._setting_rows())["편향 방식"] == "따로 두는 b (separate)"
        await pilot.press("L")
        await pilot.pause()
        assert dict(screen._setting_rows())["bias"] == "a separate b (separate)"


def test_help_never_breaks_a_line_inside_an_expression():
    """The help said "−0.35 +⏎0.35000000000000003" and "Δw = η × x⏎× 오차" at 80×24: the keys and
    numbers cells wrapped at the spaces around an operator, as lesson prose no longer does."""
    import re

    from tests.ui.test_layout import rendered
    from tutor.i18n import t
    from tutor.ui.dialogs.help import help_renderable

    expression = re.compile(r"[^\s,(]+(?: [=<>≠×+−] [^\s,)]*[^\s,.)])+")
    for lang in ("ko", "en"):
        source = t("ui.help.keys", lang) + "\n" + t("ui.help.numbers", lang)
        expressions = expression.findall(source)
        assert any(e.startswith("k = x₀w₀ + x₁w₁ + x₂w₂") for e in expressions)  # the rule finds what it is about
        for width in (52, 66, 70, 96):
            lines = rendered(help_renderable(lang), width)
            missing = [e for e in expressions if not any(e in line for line in lines)]
            assert not missing, (lang, width, missing)
            text = "\n".join(lines)
            assert "\u2800" not in text and "\u00a0" not in text  # real spaces on screen


async def test_q_from_play_goes_to_the_menu_where_the_saved_lesson_is(tmp_path, monkeypatch):
    """`perceptron-tutor play xor`, `s` my-xor: "it is in the menu", said the toast, and `q` then
    quit the app. As for a lesson opened directly, `q` goes to the menu (a second `q` quits)."""
    from tutor.ui.screens.menu import MenuScreen

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    app = playground(preset_setup("xor"), lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await type_text(pilot, "my-xor")
        await pilot.press("enter")
        await pilot.pause()
        assert (tmp_path / "perceptron-tutor" / "lessons" / "my-xor.yaml").is_file()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("end")
        await pilot.pause()
        assert "플레이그라운드: xor" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_the_activation_is_said_in_the_learners_language():
    app = playground(preset_setup("xor").with_model("mlp"), lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab", "tab")
        assert dict(screen._setting_rows())["활성화 함수"] == "시그모이드 함수 (sigmoid)"
        screen.selected = screen._visible_settings().index("activation")
        await pilot.press("right")
        await pilot.pause()
        assert dict(screen._setting_rows())["활성화 함수"] == "하이퍼볼릭 탄젠트 (tanh)"
        await pilot.press("L")
        await pilot.pause()
        rows = dict(screen._setting_rows())
        assert rows["activation"] == "tanh"  # the learner's word is the format's: said once
        assert rows["model"] == "network (mlp)"


async def test_a_sentence_already_on_screen_is_not_stacked_again(store):
    """On XOR's last unit, with questions left, `]` four times stacked four copies of "8
    questions are still open" down the right half of the 80×24 screen, over the quiz's choices."""
    from tutor.ui.app import create_app

    app = create_app("ko", [], store, start_lesson="xor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*["right_square_bracket"] * 12)  # to the last unit
        await pilot.pause()
        await pilot.press(*["right_square_bracket"] * 4)
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        open_left = [m for m in shown if "문제가 남아 있습니다" in m]
        assert len(open_left) == 1, shown
        app.clear_notifications()
        await pilot.press("right_square_bracket")  # once gone, it is said again
        await pilot.pause()
        assert [n.message for n in app._notifications] == open_left


def test_the_decision_line_caption_never_breaks_inside_its_equation():
    """At 120×40 the plot column is 48 cells: "Decision line after this step: 0.40·x₁ +⏎
    0.10·x₂ = 0.30" and "(w₁x₁ +⏎w₂x₂ > θ)" broke inside their expressions."""
    from tests.test_render import render, textbook
    from tutor.render import DecisionPlot

    run = textbook()
    cfg = run.config
    for lang in ("en", "ko"):
        for width in range(40, 61):
            lines = render(DecisionPlot(run.record(1), cfg.inputs, cfg.targets, lang=lang,
                                        width=width), width=width).splitlines()
            assert any("0.35·x₁ + 0.10·x₂ = 0.35" in line for line in lines), (lang, width)
            assert any("w₁x₁ + w₂x₂ > θ" in line for line in lines), (lang, width)
