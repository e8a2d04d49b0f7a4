"""The loss curve of a one-input linear unit: the engine's L(w) and slope against hand computations,
the chart's marks where the numbers put them, the words under it, and plain mode's version."""

from __future__ import annotations

import math
import warnings

import pytest
from rich.console import Console
from rich.text import Text

from tutor.engine import Run, TrainingConfig
from tutor.engine.linear import best_weight, loss_over_weight
from tutor.lessons import TrainingUnit, find_lesson
from tutor.paths import builtin_lessons_dir
from tutor.plain import describe
from tutor.render.canvas import View
from tutor.render.losscurve import NOW, LossCurvePlot, curve_range, loss_curve_of

MIRROR_X, MIRROR_T = [[-1.0], [1.0]], [-2.0, 2.0]  # the gradient-descent lesson: L(w) = (w − 2)²


def run_1d(eta: float, epochs: int = 6) -> Run:
    return Run(TrainingConfig(model="linear", inputs=MIRROR_X, targets=MIRROR_T, weights=[0.0],
                              bias=0.0, learning_rate=eta, epochs=epochs, dtype="float64"))


def text_of(renderable, width: int = 60) -> list[str]:
    console = Console(width=width, record=True, color_system=None, legacy_windows=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get().splitlines()


# --- engine -----------------------------------------------------------------------------------


def test_loss_and_slope_of_the_mirror_data_are_the_parabola():
    # Both samples miss by w − 2: L = (w − 2)², dL/dw = 2(w − 2).
    values = [0.0, 0.5, 2.0, 4.4, -1.0]
    loss, slope = loss_over_weight(MIRROR_X, MIRROR_T, [0.0], 0.0, 0, values)
    assert loss.tolist() == pytest.approx([4.0, 2.25, 0.0, 5.76, 9.0])
    assert slope.tolist() == pytest.approx([-4.0, -3.0, 0.0, 4.8, -6.0])
    assert best_weight(MIRROR_X, MIRROR_T, [0.0], 0.0, 0) == pytest.approx(2.0)


def test_loss_over_one_of_two_weights_by_hand():
    # Two inputs, bias 0.25; weight 1 varies, weight 0 stays 0.5. Written out sample by sample.
    x, t, w, b = [[1.0, 2.0], [3.0, 4.0]], [1.0, 0.0], [0.5, -1.0], 0.25
    for v in (0.0, 1.0, -0.3):
        r = [0.5 * xs[0] + v * xs[1] + b - ts for xs, ts in zip(x, t, strict=True)]
        hand_loss = (r[0] ** 2 + r[1] ** 2) / 2
        hand_slope = (2 * r[0] * x[0][1] + 2 * r[1] * x[1][1]) / 2
        loss, slope = loss_over_weight(x, t, w, b, 1, [v])
        assert float(loss[0]) == pytest.approx(hand_loss)
        assert float(slope[0]) == pytest.approx(hand_slope)
    # the bottom: where the slope is 0, and lower than a fine grid around it
    best = best_weight(x, t, w, b, 1)
    assert best is not None
    _, slope = loss_over_weight(x, t, w, b, 1, [best])
    assert abs(float(slope[0])) < 1e-12
    grid = [best + k / 100 for k in range(-50, 51) if k]
    loss_grid, _ = loss_over_weight(x, t, w, b, 1, grid)
    assert float(loss_over_weight(x, t, w, b, 1, [best])[0][0]) < float(min(loss_grid))


def test_no_bottom_when_the_input_is_always_zero():
    assert best_weight([[0.0, 1.0], [0.0, 2.0]], [1.0, 2.0], [0.3, 0.1], 0.0, 0) is None


def test_the_slope_is_the_gradient_the_full_batch_update_follows():
    run = run_1d(0.4)
    for i in range(run.total_steps):
        rec = run.record(i)
        _, slope = loss_over_weight(MIRROR_X, MIRROR_T, rec.weights_before, rec.bias_before, 0,
                                    [rec.weights_before[0]])
        assert rec.grad_weights[0] == pytest.approx(float(slope[0]), abs=1e-12)
        assert rec.weights_after[0] == pytest.approx(rec.weights_before[0] - 0.4 * float(slope[0]))
        assert rec.bias_after == 0.0  # mirror-image samples: the bias's gradient is exactly 0


def test_a_diverged_weight_gives_infinity_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, _ = loss_over_weight(MIRROR_X, MIRROR_T, [1e200], 0.0, 0, [1e200, math.inf])
    assert math.isinf(float(loss[0])) and not math.isfinite(float(loss[1]))


# --- render -----------------------------------------------------------------------------------


def plot_of(path: list[float], lang: str = "en", **kw) -> LossCurvePlot:
    def loss_at(values):
        loss, slope = loss_over_weight(MIRROR_X, MIRROR_T, [path[-1]], 0.0, 0, values)
        return loss.tolist(), slope.tolist()

    return LossCurvePlot(path, loss_at, 2.0, 0.0, lang=lang, width=40, height=12, **kw)


def test_the_current_weight_is_marked_where_its_loss_is():
    path = [0.0, 0.4, 0.72]
    lines = text_of(plot_of(path))
    chart = [line for line in lines if "┤" in line or "│" in line]
    assert len(chart) == 12
    assert sum(line.count(NOW) for line in lines) == 2  # on the chart and in the legend
    assert sum(line.count("○") for line in chart) == 2  # the two earlier weights
    x_min, x_max = curve_range(path, 2.0)
    assert (x_min, x_max) == pytest.approx((2.0 - 2.3, 2.0 + 2.3))  # centred on the bottom
    view = View(x_min, x_max, 0.0, max((x_min - 2) ** 2, (x_max - 2) ** 2) * 1.05, 40, 12)
    row = next(i for i, line in enumerate(chart) if NOW in line)
    assert abs(row - view.row((0.72 - 2) ** 2)) <= 1
    col = chart[row].index(NOW) - chart[row].index("│") - 1
    assert abs(col - view.col(0.72)) <= 1


def test_the_words_under_the_chart():
    en = "\n".join(text_of(plot_of([0.0, 0.4, 0.72])))
    assert "w = 0.72 now, loss 1.6384" in en
    assert "dL/dw = −2.56" in en
    assert "gradient descent moves w up" in en
    assert "lowest loss at w = 2.00" in en
    ko = "\n".join(text_of(plot_of([0.0, 3.0], lang="ko"), 100))
    assert "현재 w = 3.00" in ko and "dL/dw = 2.00" in ko and "w를 줄입니다" in ko
    bottom = "\n".join(text_of(plot_of([2.0])))
    assert "The slope is 0" in bottom
    batch = "\n".join(text_of(plot_of([0.0], full_batch=False)))
    assert "its own batch" in batch


def test_the_next_step_is_left_for_the_learner():
    # A predict question asks for the weight after the next step: the legend gives the slope,
    # not −η·slope, nor the weight it leads to.
    en = "\n".join(text_of(plot_of([0.0, 0.4])))
    assert "0.72" not in en and "0.32" not in en


def test_a_diverged_run_is_said_in_words():
    lines = text_of(plot_of([0.0, 4.4, math.inf]))
    assert len(lines) <= 3 and "diverged" in " ".join(lines)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = text_of(plot_of([0.0, 1e200]))
    assert any(NOW in line for line in huge)


def test_only_one_input_linear_runs_have_a_loss_curve():
    two = Run(TrainingConfig(model="linear", inputs=[[0, 0], [1, 1]], targets=[0, 1],
                             weights=[0.0, 0.0], learning_rate=0.1, epochs=1))
    assert loss_curve_of(two, two.record(0), "en") is None
    run = run_1d(0.4)
    plot = loss_curve_of(run, run.record(2), "en")
    assert plot is not None
    assert plot.path == pytest.approx([0.0, 1.6, 1.92, 1.984])
    before = loss_curve_of(run, run.record(0), "en", before=True)
    assert before is not None and before.path == [0.0]


def test_every_builtin_loss_curve_fits_its_panel():
    from rich.cells import cell_len

    found = 0
    for path in sorted(builtin_lessons_dir().glob("*.yaml")):
        lesson = find_lesson(path.stem, ())
        for unit in lesson.units:
            if not isinstance(unit, TrainingUnit):
                continue
            run = lesson.run(unit.id)
            if run.config.model != "linear" or run.config.n_inputs != 1:
                continue
            for index in sorted({0, 1, run.total_steps - 1}):
                for lang in ("ko", "en"):
                    plot = loss_curve_of(run, run.record(index), lang, width=44)
                    for width in (46, 77):
                        lines = text_of(plot, width)
                        assert all(cell_len(line) <= width for line in lines), (unit.id, width)
                        assert any(NOW in line for line in lines)
                found += 1
    assert found >= 3  # gradient-descent's three runs


# --- plain ------------------------------------------------------------------------------------


def test_plain_mode_says_the_slope_in_words():
    run = run_1d(0.1)
    lines = describe.step(run, 1, "en")
    assert any("dL/dw = −3.20" in line for line in lines)
    assert any("moves w up" in line for line in lines)
    assert not any("○" in line for line in lines)  # no chart, so no chart legend
    start = describe.start(run, "ko")
    assert any("dL/dw = −4.00" in line for line in start)
    assert all(isinstance(line, str) and not isinstance(line, Text) for line in lines)
