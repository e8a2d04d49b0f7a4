"""Layout rules for every step of every built-in training, at 80 and 120 columns, ko and en:
no number or expression cut to "…", every line within the width (the walkthrough's panel is the
terminal less the body's padding and scrollbar: 77 and 117 cells)."""

from __future__ import annotations

import pytest
from rich.console import Console

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep
from tutor.lessons import TrainingUnit, find_lesson
from tutor.paths import builtin_lessons_dir
from tutor.render import LinearStepView, MLPStepView, NetEquation, WeightTable

LESSONS = sorted(path.stem for path in builtin_lessons_dir().glob("*.yaml"))


def views(record, lang):
    if isinstance(record, PerceptronStep):
        return [NetEquation(record, lang), WeightTable(record, lang)]
    if isinstance(record, LinearStep):
        return [LinearStepView(record, lang), WeightTable(record, lang)]
    assert isinstance(record, MLPStep)
    return [MLPStepView(record, lang)]


def rendered(renderable, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().splitlines()


@pytest.mark.parametrize("lesson_id", LESSONS)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_number_is_cut_and_every_line_fits(lesson_id, lang):
    from rich.cells import cell_len

    lesson = find_lesson(lesson_id, ())
    for unit in lesson.units:
        if not isinstance(unit, TrainingUnit):
            continue
        run = lesson.run(unit.id)
        picks = sorted({0, 1, run.total_steps // 2, run.total_steps - 1})
        for index in picks:
            for view in views(run.record(index), lang):
                for width in (77, 117):
                    lines = rendered(view, width)
                    where = f"{lesson_id} {unit.id} step {index + 1} {type(view).__name__} {width}"
                    assert not any("…" in line for line in lines), where + "\n" + "\n".join(lines)
                    assert all(cell_len(line) <= width for line in lines), where
                    for line in lines:  # no expression broken across lines
                        end = line.rstrip()
                        assert not end.endswith(("=", "×", ">", "<", "+", "−", ",", "(")), (
                            where + "\n" + "\n".join(lines)
                        )


def test_the_five_layer_network_shows_every_forward_value_and_delta_at_80_columns():
    """activations' deep-sigmoid: 15 hidden units, each sample's value and δ as a number."""
    lesson = find_lesson("activations", ())
    record = lesson.run("deep-sigmoid").record(0)
    text = "\n".join(rendered(MLPStepView(record, "en"), 77))
    for layer, acts in enumerate(record.hidden):
        for unit in range(len(acts[0])):
            assert f"h{'¹²³⁴⁵'[layer]}{'₁₂₃'[unit]}" in text
    assert "r = ŷ − t" in text  # on one line, not one character per line
    assert text.count("δh") == 15 and "δŷ" in text
    assert text.count("∂E/∂w") == len(record.weights_before)  # a gradient column per layer
    assert "learning rate η = 0.50" in text  # never broken inside


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_help_wraps_and_never_cuts_with_an_ellipsis(lang):
    from tutor.ui.dialogs.help import help_renderable

    for width in (52, 66, 70, 96):
        text = "\n".join(rendered(help_renderable(lang), width))
        assert "…" not in text, (lang, width)
