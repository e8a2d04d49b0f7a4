"""The playground screen under Pilot: presets open, the data editor changes the run, settings are
validated with the loader's messages, divergence stops with a sentence, A/B shows two runs,
saving writes a lesson that `check` passes and the menu lists; `t` opens it from a lesson."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest
from ui_waiting import until

from tutor import paths
from tutor.lessons import check_lesson, load_lesson
from tutor.playground.presets import PRESETS, preset_setup
from tutor.playground.save import lesson_text
from tutor.ui.app import create_app
from tutor.ui.dialogs.confirm import ConfirmScreen
from tutor.ui.dialogs.text_prompt import TextPrompt
from tutor.ui.screens.playground import PlaygroundScreen


def playground(setup, lang: str = "en"):
    return create_app(lang, [], None, start_playground=setup)


async def type_text(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch not in " -." else {"-": "minus", ".": "full_stop",
                                                      " ": "space"}[ch])


def screen_text(app) -> str:
    """What the terminal shows, as text: the screenshot's text spans, line by line."""
    svg = app.export_screenshot()
    lines: dict[str, list[str]] = {}
    for match in re.finditer(r'<text [^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)"[^>]*>(.*?)</text>',
                             svg):
        lines.setdefault(match.group(1), []).append(html.unescape(match.group(2)).replace("\xa0", " "))
    return "\n".join("".join(parts) for _, parts in sorted(lines.items(), key=lambda kv: int(kv[0])))


@pytest.mark.parametrize("name", PRESETS)
async def test_every_preset_opens_and_steps(name):
    app = playground(preset_setup(name))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert screen.position == 0
        await pilot.press("right", "right")
        assert screen.position == 2
        await pilot.press("left")
        assert screen.position == 1
        await pilot.press("G")
        assert screen.position == screen.run.total_steps


async def test_putting_a_point_changes_the_run():
    app = playground(preset_setup("and"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        first = screen.run.record(0)
        await pilot.press("tab")  # data mode
        assert screen.mode == "data"
        x1, x2 = screen._cursor_point()
        assert screen.setup.data.at(x1, x2) is None
        await pilot.press("1")
        assert screen.setup.data.at(x1, x2) == 4
        assert len(screen.run.config.inputs) == 5
        assert screen.run.config.inputs[4] == (x1, x2) and screen.run.config.targets[4] == 1
        # the run is new; its first record is the same sample, but the epoch is 5 steps long
        assert screen.run is not None and screen.run.steps_per_epoch == 5
        await pilot.press("f")
        assert screen.setup.data.targets[4] == 0
        await pilot.press("x")
        assert len(screen.setup.data.inputs) == 4
        # move onto the sample at (1, 1), flip it: AND becomes "never 1", the first record differs
        size = screen.setup.data.grid
        screen.cursor = (size.index(1.0), size.index(1.0))
        await pilot.press("f")
        assert screen.setup.data.targets[3] == 0
        assert screen.run.record(3) != first and screen.run.record(3).target == 0


async def test_removing_every_point_of_a_class_is_refused_with_the_loaders_words():
    app = playground(preset_setup("and"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab")
        grid = screen.setup.data.grid
        for x1, x2 in [(0, 0), (1, 0), (0, 1), (1, 1)]:
            screen.cursor = (grid.index(x1), grid.index(x2))
            await pilot.press("x")
        assert len(screen.setup.data.inputs) == 1  # the last one cannot go: a lesson needs a sample
        assert screen.problems


async def test_a_bad_typed_value_is_refused_with_the_message_check_gives():
    app = playground(preset_setup("and"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab", "tab")
        assert screen.mode == "settings"
        names = screen._visible_settings()
        screen.selected = names.index("learning_rate")
        await pilot.press("enter")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "abc")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.setup.learning_rate == 0.05  # not changed
        assert screen.problems == ["learning_rate: must be a positive number"]
        assert "learning_rate: must be a positive number" in screen_text(app)
        # a right value is taken, the run is rebuilt from it
        await pilot.press("enter")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "0.2")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.setup.learning_rate == 0.2 and screen.problems == []
        assert screen.run.config.learning_rate == 0.2


async def test_choices_cycle_and_a_network_learns_xor():
    app = playground(preset_setup("xor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("tab", "tab")
        assert screen._visible_settings()[screen.selected] == "model"
        await pilot.press("right", "right")  # perceptron → linear → mlp
        assert screen.setup.model == "mlp" and screen.setup.hidden == (2,)
        await pilot.press("escape")
        assert screen.mode == "run"
        await pilot.press("G")
        last = screen.run.epochs_done()[-1]
        assert last.loss < 0.05
        assert f"loss {last.loss:.4g}" in screen_text(app)


async def test_divergence_stops_the_run_with_a_sentence():
    """The notes' OR on a linear unit with η = 0.7 diverges (float32 overflows)."""
    setup = dataclasses.replace(preset_setup("or").with_model("linear"), learning_rate=0.7,
                                epochs=2000)
    app = playground(setup)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("G")
        assert screen.position == 212 < screen.run.planned_steps  # the engine stops at step 212
        assert screen.run.divergence is not None and screen.run.divergence.step == 211
        assert "step 212 of 2000" in screen_text(app)
        assert screen.message is not None and "diverged" in screen.message
        assert "smaller learning rate" in screen.message
        stopped = screen.position
        await pilot.press("right")  # it stays stopped where the numbers ran out
        assert screen.position == stopped
        await pilot.press("g", "space")
        await until(pilot, lambda: screen.position > 0, what="playing again from the start")


async def test_a_b_shows_two_runs():
    app = playground(preset_setup("or").with_model("linear"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("b")
        assert screen.run_b is not None
        assert screen.setup_b.learning_rate == pytest.approx(10 * screen.setup.learning_rate)
        await pilot.press("e", "e", "e")
        text = screen_text(app)
        assert "A · η = 0.1" in text and "B · η = 1.0" in text
        await pilot.press("b")
        assert screen.run_b is None


async def test_saving_writes_a_lesson_check_passes_and_the_menu_lists():
    setup = preset_setup("nand")
    app = playground(setup)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        assert isinstance(app.screen, TextPrompt)
        await type_text(pilot, "my-nand")
        await pilot.press("enter")
        await pilot.pause()
        path = paths.user_lessons_dir() / "my-nand.yaml"
        assert path.read_text(encoding="utf-8") == lesson_text(setup, "my-nand")
        assert check_lesson(load_lesson(path)) == []
        assert "my-nand" in [lesson.id for lesson in app.lessons]
        # saving again asks before replacing; "no" leaves the file
        path.write_text(path.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
        await pilot.press("s")
        await type_text(pilot, "my-nand")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert path.read_text(encoding="utf-8").endswith("# mine\n")
        await pilot.press("s")
        await type_text(pilot, "my-nand")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert path.read_text(encoding="utf-8") == lesson_text(setup, "my-nand")


async def test_the_app_and_the_command_write_the_same_file(tmp_path):
    from tutor.cli import main

    setup = preset_setup("or").with_model("linear")
    app = playground(setup)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await type_text(pilot, "from-app")
        await pilot.press("enter")
        await pilot.pause()
    assert main(["play", "or", "--model", "linear", "--save", "from-cli"]) == 0
    folder = paths.user_lessons_dir()
    app_text = (folder / "from-app.yaml").read_text(encoding="utf-8")
    cli_text = (folder / "from-cli.yaml").read_text(encoding="utf-8")
    assert app_text.replace("from-app", "ID") == cli_text.replace("from-cli", "ID")


async def test_t_on_a_lessons_training_opens_it_and_q_comes_back(store):
    store.save_position("and-gate", "and-rule", 2)
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        lesson_screen = app.screen
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlaygroundScreen)
        assert screen.setup.preset == "and-gate"
        assert screen.run.config == lesson_screen.lesson.trainings[0].config
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is lesson_screen


async def test_korean_and_a_language_switch():
    app = playground(preset_setup("and"), lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "플레이그라운드" in screen_text(app)
        await pilot.press("L")
        await pilot.pause()
        assert "Playground" in screen_text(app)


async def test_run_bs_learning_rate_is_a_setting_of_its_own():
    app = playground(preset_setup("or").with_model("linear"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("b", "tab", "tab")
        names = screen._visible_settings()
        assert names[-1] == "b_learning_rate"
        screen.selected = len(names) - 1
        await pilot.press("enter")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "-2")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.problems == ["B · learning_rate: must be a positive number"]
        assert screen.setup_b.learning_rate == 1.0
        await pilot.press("enter")
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "0.7")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.problems == [] and screen.run_b.config.learning_rate == 0.7
        assert screen.setup.learning_rate == 0.1  # A is A
        assert "B · η = 0.7" in screen_text(app)


async def test_play_goes_faster_and_slower():
    from tutor.ui.widgets.units import SPEEDS

    # noisy data never settles and 1,000 epochs are 14,000 steps: at 50 steps a second the run
    # plays on for minutes, however slow the machine (separable's 140 steps ended mid-test in CI)
    setup = dataclasses.replace(preset_setup("noisy"), epochs=1000)
    app = playground(setup)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.run.planned_steps == 14_000
        start = screen.speed
        await pilot.press("space", "plus", "plus")
        assert screen.playing and screen.speed == start + 2
        await pilot.pause()
        status = str(screen._status.render())
        assert f"{1 / SPEEDS[start + 2]:g} steps a second" in status, status
        await pilot.press("minus", "minus", "minus")
        assert screen.speed == start - 1 and screen.playing
        for _ in range(10):
            await pilot.press("minus")
        assert screen.speed == 0  # never slower than the slowest
        await pilot.press("space")
        assert not screen.playing
