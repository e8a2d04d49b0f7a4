"""The playground's core (no screen): presets, settings validated by the lesson loader itself,
the lesson a setting is saved as, and `perceptron-tutor play` without the app."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest
import yaml

from tutor import paths
from tutor.cli import main
from tutor.engine.run import Run
from tutor.lessons import LessonError, check_lesson, find_lesson, load_lesson
from tutor.lessons.advice import lesson_warnings
from tutor.lessons.schema import lesson_schema
from tutor.playground.presets import NOISY_FLIPS, PRESETS, grid_around, preset_data, preset_setup
from tutor.playground.save import SaveError, lesson_text, save_lesson
from tutor.playground.setup import MODEL_DEFAULTS, Setup, SetupError, parse_value


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_runs_as_it_starts(name):
    setup = preset_setup(name)
    assert setup.problems() == []
    run = Run(setup.config())
    run.run_to_end()
    assert run.total_steps == len(run.history) > 0
    grid = setup.data.grid
    for x1, x2 in setup.data.inputs:  # every sample sits on the editor's grid
        assert grid.value(grid.index(x1)) == pytest.approx(x1)
        assert grid.value(grid.index(x2)) == pytest.approx(x2)
    assert len(set(setup.data.inputs)) == len(setup.data.inputs)


def test_the_gates_are_their_truth_tables():
    assert preset_data("and").targets == (0, 0, 0, 1)
    assert preset_data("or").targets == (0, 1, 1, 1)
    assert preset_data("nand").targets == (1, 1, 1, 0)
    assert preset_data("xor").targets == (0, 1, 1, 0)
    assert preset_data("xor").inputs == ((0, 0), (1, 0), (0, 1), (1, 1))


def test_the_and_preset_is_the_notes_run():
    """The notes' AND: w = (0.3, 0.4, 0.1) with x₀ = −1, η = 0.05, the and-gate lesson's run."""
    lesson = find_lesson("and-gate").trainings[0].config
    mine = preset_setup("and").config()
    for field in ("inputs", "targets", "weights", "bias_input", "learning_rate"):
        assert getattr(mine, field) == getattr(lesson, field), field
    run = Run(mine)
    run.run_to_end()
    assert run.final().weights_after == pytest.approx((0.4, 0.3, 0.1))  # θ = 0.4: AND learnt


@pytest.mark.parametrize("seed", range(5))
def test_separable_is_separable_and_noisy_is_not_the_same(seed):
    sep = preset_data("separable", seed)
    assert sep == preset_data("separable", seed)  # the seed decides everything
    assert 0 < sum(sep.targets) < len(sep.targets)
    setup = dataclasses.replace(preset_setup("separable", seed), learning_rate=0.1, epochs=1000)
    run = Run(setup.config())
    run.run_to_end()
    assert run.converged_epoch() is not None  # the perceptron convergence theorem at work
    noisy = preset_data("noisy", seed)
    assert noisy.inputs == sep.inputs
    assert sum(a != b for a, b in zip(noisy.targets, sep.targets, strict=True)) == NOISY_FLIPS


def test_circle_is_not_linearly_separable_but_a_network_learns_it():
    setup = preset_setup("circle")
    ones = [p for p, t in zip(setup.data.inputs, setup.data.targets, strict=True) if t]
    assert ones and all(x * x + y * y <= 0.25 for x, y in ones)
    run = Run(setup.config())
    run.run_to_end()
    assert run.epoch(setup.epochs).accuracy == 1.0


def test_xor_with_two_hidden_units_learns_with_the_network_defaults():
    setup = preset_setup("xor").with_model("mlp")
    assert (setup.learning_rate, setup.epochs) == MODEL_DEFAULTS["mlp"]
    assert setup.hidden == (2,) and setup.weights is None
    run = Run(setup.config())
    run.run_to_end()
    assert run.epoch(setup.epochs).loss < 0.05


def test_a_changed_eta_survives_a_change_of_model():
    setup = preset_setup("and").with_value("learning_rate", 0.2).with_model("linear")
    assert setup.learning_rate == 0.2 and setup.weights is None  # 3 weights do not fit a linear unit


def test_bias_mode_keeps_the_same_unit():
    """θ = w₀ on x₀ = −1 is b = −w₀: switching keeps every net input."""
    a = preset_setup("and")
    b = a.with_value("bias_mode", "separate")
    assert b.weights == (0.4, 0.1) and b.bias == -0.3
    ra, rb = Run(a.config()), Run(b.config())
    for i in range(4):
        assert ra.record(i).net == pytest.approx(rb.record(i).net)
    assert b.with_value("bias_mode", "input").weights == (0.3, 0.4, 0.1)


# ------------------------------------------------------------------ validation: the loader's words


BAD_VALUES = [
    ("learning_rate", "abc"),
    ("learning_rate", "-0.5"),
    ("learning_rate", "0"),
    ("epochs", "0"),
    ("epochs", "2.5"),
    ("weights", "[0.3, 0.4]"),
    ("weights", "[0.3, x, 0.1]"),
    ("seed", "-1"),
    ("step_at_zero", "7"),
    ("epochs", "10000000"),
]


@pytest.mark.parametrize(("name", "typed"), BAD_VALUES)
def test_a_bad_setting_gets_the_message_check_gives_for_it_in_a_file(name, typed, tmp_path):
    setup = preset_setup("and")
    if name == "seed":
        setup = setup.with_value("weights", "random")  # the seed only counts without weights
    setup = setup.with_value(name, parse_value(name, typed))
    problems = setup.problems()
    assert problems, (name, typed)
    # The same value written into a lesson file: `check` says the same thing of it.
    path = tmp_path / "same.yaml"
    path.write_text(lesson_text(setup, "same"), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    in_file = {(p.field.rsplit("training.", 1)[-1], p.message) for p in caught.value.problems}
    assert {(p.field, p.message) for p in problems} <= in_file
    assert all(p.field.split("[")[0] == name for p in problems)
    with pytest.raises(SetupError):
        setup.config()


def test_typed_values_are_read_as_one_line_of_yaml():
    assert parse_value("learning_rate", "０.７") == 0.7  # an IME's full-width digits
    assert parse_value("weights", "[0.3, 0.4, 0.1]") == [0.3, 0.4, 0.1]
    assert parse_value("weights", "random") == "random"
    for bad in ("[1, 2", "", "x" * 201, "a: b: c"):
        with pytest.raises(SetupError):
            parse_value("weights", bad)


def test_typed_text_cannot_add_a_key_to_the_lesson():
    setup = preset_setup("and").with_value("learning_rate", "0.1\nevil: 1")
    text = lesson_text(setup, "x")
    assert "\nevil" not in text.replace('\\nevil', '')
    assert setup.problems()  # a string is not a learning rate


# ------------------------------------------------------------------ saving


@pytest.mark.parametrize("name", PRESETS)
def test_a_saved_setting_is_a_clean_lesson(name):
    setup = preset_setup(name)
    path = save_lesson(setup, f"my-{name}", paths.user_lessons_dir())
    lesson = load_lesson(path)
    assert check_lesson(lesson) == []
    assert lesson_warnings(lesson) == []
    assert lesson.languages == ("ko", "en")
    assert [u.kind for u in lesson.units] == ["text", "training", "predict"]
    assert lesson.trainings[0].config == setup.config()
    jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), lesson_schema())
    assert find_lesson(f"my-{name}").path == path  # found without --lessons: the menu lists it


def test_saving_never_replaces_a_file_unless_asked(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("my own work\n", encoding="utf-8")
    with pytest.raises(SaveError) as caught:
        save_lesson(preset_setup("and"), "mine", tmp_path)
    assert caught.value.exists and mine.read_text(encoding="utf-8") == "my own work\n"
    save_lesson(preset_setup("or"), "mine", tmp_path, replace=True)
    assert load_lesson(mine).trainings[0].config.targets == (0, 1, 1, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]  # no temp file left


def test_saving_refuses_a_link_even_when_asked_to_replace(tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("not ours\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to(other)
    for replace in (False, True):
        with pytest.raises(SaveError):
            save_lesson(preset_setup("and"), "link", tmp_path, replace=replace)
    assert other.read_text(encoding="utf-8") == "not ours\n"


def test_an_invalid_setting_is_not_saved(tmp_path):
    setup = preset_setup("and").with_value("learning_rate", -1)
    with pytest.raises(SaveError) as caught:
        save_lesson(setup, "bad", tmp_path)
    assert caught.value.problems and not (tmp_path / "bad.yaml").exists()


@pytest.mark.parametrize("bad", ["../evil", "Caps", "a b", "x" * 65, ""])
def test_a_lesson_id_is_a_safe_file_name(bad, tmp_path):
    with pytest.raises(SaveError):
        save_lesson(preset_setup("and"), bad, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_from_config_round_trips_a_lessons_training():
    lesson = find_lesson("and-gate")
    config = lesson.trainings[0].config
    setup = Setup.from_config(config, preset="and-gate")
    assert setup is not None and setup.problems() == []
    assert setup.config() == config
    three = dataclasses.replace(config, inputs=((0.0, 0.0, 0.0),) * 4, weights=(0, 0, 0, 0))
    assert Setup.from_config(three) is None
    regression = dataclasses.replace(config, model="linear", weights=(0.0, 0.0), bias_input=None,
                                     targets=(0.0, 0.5, 1.0, 1.0))
    assert Setup.from_config(regression) is None  # the plot's two classes would lie


def test_grid_around_data_off_the_gate_grid():
    grid = grid_around(((3.0, -2.0), (0.5, 7.25)))
    assert grid.lo <= -2.5 and grid.hi >= 7.75 and grid.size <= 41


# ------------------------------------------------------------------ the command without the app


def test_play_save_writes_the_same_lesson_as_the_writer(capsys):
    assert main(["play", "or", "--model", "linear", "--learning-rate", "0.7", "--epochs", "20",
                 "--save", "or-fast"]) == 0
    path = paths.user_lessons_dir() / "or-fast.yaml"
    assert capsys.readouterr().out.strip() == str(path)
    expected = preset_setup("or").with_model("linear").with_value("learning_rate", 0.7)
    expected = expected.with_value("epochs", 20)
    assert path.read_text(encoding="utf-8") == lesson_text(expected, "or-fast")
    assert main(["check", "or-fast"]) == 0


def test_play_bad_value_exits_1_with_the_loaders_message(capsys):
    assert main(["play", "and", "--learning-rate", "abc", "--save", "x"]) == 1
    err = capsys.readouterr().err
    assert "learning_rate: must be a positive number" in err
    assert not (paths.user_lessons_dir() / "x.yaml").exists()


def test_play_refuses_an_existing_file_and_an_id_a_lesson_has(capsys):
    assert main(["play", "and", "--save", "mine"]) == 0
    before = (paths.user_lessons_dir() / "mine.yaml").read_text(encoding="utf-8")
    assert main(["play", "or", "--save", "mine"]) == 1
    assert (paths.user_lessons_dir() / "mine.yaml").read_text(encoding="utf-8") == before
    assert main(["play", "or", "--save", "mine", "--replace"]) == 0
    assert main(["play", "and", "--save", "and-gate"]) == 1  # the built-in lesson's id
    assert "and-gate" in capsys.readouterr().err


def test_play_trace_prints_what_trace_json_prints_of_the_saved_lesson(capsys):
    args = ["play", "xor", "--model", "mlp", "--hidden", "2", "--epochs", "5"]
    assert main([*args, "--trace"]) == 0
    played = capsys.readouterr().out
    assert main([*args, "--save", "x5"]) == 0
    capsys.readouterr()
    assert main(["trace", "x5", "--json"]) == 0
    traced = capsys.readouterr().out
    assert played == traced
    lines = [json.loads(line) for line in played.splitlines()]
    assert sum(d["type"] == "epoch" for d in lines) == 5


def test_play_trace_of_a_diverging_run_says_so(capsys):
    """The notes' OR on a linear unit diverges at η = 0.7: in float32 the loss overflows."""
    assert main(["play", "or", "--model", "linear", "--learning-rate", "0.7", "--epochs",
                 "2000", "--trace"]) == 1
    captured = capsys.readouterr()
    assert "diverge" in captured.err
    losses = [json.loads(line).get("loss") for line in captured.out.splitlines()]
    assert losses[0] < losses[40]  # the loss climbs before it overflows


def test_the_command_names_every_preset():
    from tutor.playground_cli import PRESET_NAMES

    assert PRESET_NAMES == PRESETS
