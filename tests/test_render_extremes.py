"""Rendering never fails on a finite float, and shows ∞ and NaN as such (issue 9, kind 5).

Every renderable of a step is drawn for runs whose numbers reach 1e308, overflow to ∞ and turn
into NaN, and function plots over ranges as wide as floats allow.
"""

from __future__ import annotations

import io
import math
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from tutor.engine import Run, TrainingConfig
from tutor.engine.records import LinearStep, MLPStep, PerceptronStep
from tutor.render import (
    DecisionPlot,
    EpochHistory,
    FunctionPlot,
    HiddenLinesPlot,
    LinearStepView,
    MLPStepView,
    NetEquation,
    StepHeader,
    TraceTable,
    WeightTable,
)
from tutor.render import numbers as n


def draw(renderable) -> str:
    out = io.StringIO()
    Console(file=out, width=80, color_system=None, legacy_windows=False).print(renderable)
    return out.getvalue()


def draw_run(run: Run) -> str:
    cfg = run.config
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        records = run.run_to_end()
    text = []
    for rec in records:
        text.append(draw(StepHeader(rec, run.total_steps, run.steps_per_epoch, cfg.epochs, "en")))
        if isinstance(rec, PerceptronStep):
            text.append(draw(NetEquation(rec, "ko")))
        if isinstance(rec, PerceptronStep | LinearStep):
            text.append(draw(WeightTable(rec, "en")))
            if cfg.n_inputs == 2:
                for before in (True, False):
                    text.append(draw(DecisionPlot(rec, cfg.inputs, cfg.targets, "en", 40, 12,
                                                  before=before)))
        if isinstance(rec, LinearStep):
            text.append(draw(LinearStepView(rec, "en")))
        if isinstance(rec, MLPStep):
            text.append(draw(MLPStepView(rec, "ko")))
            text.append(draw(HiddenLinesPlot(rec, "en", 40, 12)))
    text.append(draw(EpochHistory(run.epochs_done(), cfg.epochs, "en")))
    text.append(draw(TraceTable(list(records), "en")))
    return "".join(text)


BIG = 1.0e308
# NumPy notes the overflow of a 1e308 run (float32 cast, ∞ − ∞); the runs are meant to reach it.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.mark.parametrize(
    "config",
    [
        dict(model="linear", inputs=((1.0, 2.0), (3.0, -1.0)), targets=(1.0, 0.0),
             weights=(BIG, -BIG), bias=BIG, learning_rate=0.5, epochs=3, batch_size=1),
        dict(model="perceptron", inputs=((BIG, 0.0), (0.0, -BIG)), targets=(1.0, 0.0),
             weights=(BIG, BIG, -BIG), bias_input=1.0, learning_rate=1.0, epochs=3),
        dict(model="perceptron", inputs=((1e300, 1e-300), (5e-324, -1e300)), targets=(0.0, 1.0),
             weights=(0.1, 0.2, 0.3), bias_input=-1.0, learning_rate=1e300, epochs=2),
        dict(model="mlp", inputs=((0.0, 0.0), (1.0, 1.0)), targets=(0.0, 1.0), hidden=(2,),
             learning_rate=1e308, epochs=3, seed=1),
    ],
    ids=["linear-1e308", "perceptron-1e308", "perceptron-tiny-and-huge", "mlp-huge-rate"],
)
def test_every_view_draws_runs_that_reach_the_float_limits(config):
    text = draw_run(Run(TrainingConfig(**config)))
    assert text


def test_infinite_and_nan_are_shown_as_such():
    assert n.num(math.inf) == "∞" and n.num(-math.inf) == "−∞" and n.num(math.nan) == "NaN"
    assert n.signed(math.inf) == "+∞" and n.signed(-math.inf) == "−∞"
    assert n.signed(math.nan) == "NaN"
    assert n.num(1e308) == "1.00e+308" and n.value(-1e308) == "−1.00e+308"
    assert n.signed(0.0) == "0.00" and n.signed(0.05) == "+0.05"


@pytest.mark.parametrize(("lo", "hi"), [(-BIG, BIG), (-1.7976931348623157e308, 1e-300),
                                         (0.0, 5e-324), (1e300, 1e308), (-6.0, 6.0)])
@pytest.mark.parametrize("derivative", [False, True])
def test_function_plots_draw_any_finite_range(lo, hi, derivative):
    text = draw(FunctionPlot(["sigmoid", "relu", "linear", "step"], lo, hi, derivative, "en"))
    assert "sigmoid" in text


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    w=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=3, max_size=3),
    x=st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=2, max_size=2),
    rate=st.floats(min_value=1e-300, max_value=1e308),
)
def test_any_finite_perceptron_draws(w, x, rate):
    cfg = TrainingConfig(model="perceptron", inputs=(tuple(x), (0.0, 1.0)), targets=(1.0, 0.0),
                         weights=tuple(w), bias_input=-1.0, learning_rate=rate, epochs=1)
    assert draw_run(Run(cfg))
