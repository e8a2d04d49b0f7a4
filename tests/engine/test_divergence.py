"""A run whose numbers leave the finite floats stops at that step and says why.

References: the full-batch formula of the linear unit, one float32 scalar at a time
(tests/engine/test_linear.py's `keras_reference`, extended to stop at the first ∞ or NaN), and the
perceptron rule by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.engine import Run, TrainingConfig
from tutor.engine.records import Divergence
from tutor.engine.run import Cancelled

X = ((0, 0), (1, 0), (0, 1), (1, 1))
OR = (0, 1, 1, 1)
NOTES_START = (0.36941334, -0.81861128)


def first_non_finite_by_formula(lr: float, w: tuple[float, ...], epochs: int) -> int | None:
    """Full-batch SGD on MSE for the notes' OR gate in float32, scalar by scalar: the 0-based
    step whose loss, weights or bias first stop being finite, or None."""
    f = np.float32
    x = [[f(v) for v in row] for row in X]
    y = [f(v) for v in OR]
    ws = [f(v) for v in w]
    b, rate, n = f(0), f(lr), len(x)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(epochs):
            err = [x[i][0] * ws[0] + x[i][1] * ws[1] + b - y[i] for i in range(n)]
            loss = float(sum((e * e for e in err), f(0)) / f(n))  # float32, as Keras' loss
            g = [f(2.0 / n) * e for e in err]
            gw = [sum((x[i][j] * g[i] for i in range(n)), f(0)) for j in range(2)]
            ws = [ws[j] - rate * gw[j] for j in range(2)]
            b = b - rate * sum(g, f(0))
            if not all(math.isfinite(v) for v in (loss, float(b), *map(float, ws))):
                return step
    return None


def or_linear(lr: float, epochs: int = 2000) -> Run:
    return Run(TrainingConfig(model="linear", inputs=X, targets=OR, learning_rate=lr,
                              epochs=epochs, weights=NOTES_START))


def test_the_notes_or_gate_at_eta_0_7_diverges_and_stops_where_the_formula_does():
    expected = first_non_finite_by_formula(0.7, NOTES_START, 2000)
    assert expected is not None and expected < 2000  # the reference diverges too
    run = or_linear(0.7)
    run.run_to_end()
    assert run.divergence is not None and run.divergence.step == expected
    assert run.total_steps == expected + 1  # the diverging step is the last one
    assert run.planned_steps == 2000
    last = run.final()
    assert last.index == expected
    values = (last.loss, last.bias_after, *last.weights_after)
    assert not all(math.isfinite(v) for v in values)
    before = run.record(expected - 1)  # the step before it is all finite
    assert all(math.isfinite(v) for v in (before.loss, before.bias_after, *before.weights_after))
    with pytest.raises(IndexError):
        run.record(expected + 1)


def test_the_notes_or_gate_at_eta_0_01_never_diverges():
    run = or_linear(0.01, 500)
    run.run_to_end()
    assert run.divergence is None and run.total_steps == 500


def test_a_huge_learning_rate_on_the_perceptron_stops_at_the_net_that_overflows():
    # By hand: w = (0, 0), b = 0, step(0) = 0. Step 1, x = (1, 1), t = 1: net 0, y 0, e 1,
    # w = (1e308, 1e308), b = 1e308 (all finite). Step 2: net = 1e308 + 1e308 + 1e308 = ∞.
    run = Run(TrainingConfig(model="perceptron", inputs=((1, 1),), targets=(1,),
                             learning_rate=1e308, epochs=50, weights=(0.0, 0.0), bias=0.0,
                             step_at_zero=0))
    run.run_to_end()
    assert run.divergence == Divergence(1, "net")
    assert run.total_steps == 2
    first, second = run.history
    assert first.weights_after == (1e308, 1e308) and first.bias_after == 1e308
    assert second.net == math.inf
    assert run.epochs_done()[-1].epoch == 2  # one sample per epoch: both epochs finished
    with pytest.raises(IndexError):
        run.epoch(3)
    assert run.converged_epoch() is None


def test_weights_that_overflow_are_named():
    # w = 1.5e308 and an update of +1e308 on the first weight: ∞ after step 1 (net 0 there).
    run = Run(TrainingConfig(model="perceptron", inputs=((1, 0), (0, 1)), targets=(1, 1),
                             learning_rate=1e308, epochs=3, weights=(1.5e308, -1.0),
                             bias=-1.5e308, step_at_zero=0))
    run.run_to_end()
    assert run.divergence == Divergence(0, "weights")
    assert run.final().weights_after[0] == math.inf


def test_a_stream_ends_with_the_step_that_diverged():
    config = or_linear(0.7).config
    expected = first_non_finite_by_formula(0.7, NOTES_START, 2000)
    steps = [r for r in Run.stream(config) if hasattr(r, "index")]
    assert steps[-1].index == expected


def test_compute_reports_progress_in_chunks_and_can_be_cancelled():
    run = Run(TrainingConfig(model="perceptron", inputs=X, targets=OR, learning_rate=0.1,
                             epochs=5000, weights=(0.1, 0.2), bias=0.0))
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3 * 1000

    with pytest.raises(Cancelled):
        run.compute(progress=progress, chunk=1000)
    assert seen == [(1000, 20000), (2000, 20000), (3000, 20000)]
    assert run.computed == 3000  # what was computed is kept; asking again goes on from there
    assert run.compute(progress=lambda d, t: seen.append((d, t))) == 20000
    assert seen[-1] == (20000, 20000)
    assert run.reach(25000) == 20000


def test_reach_clamps_to_a_run_that_diverged():
    run = or_linear(0.7)
    end = run.reach(2000)
    assert end == run.total_steps < 2000
    assert run.reach(5) == 5


def test_a_network_with_linear_units_and_a_huge_rate_stops_where_its_numbers_overflow():
    config = TrainingConfig(model="mlp", inputs=X, targets=OR, learning_rate=1e300, epochs=50,
                            hidden=(2,), seed=1, activation="linear",
                            output_activation="linear", dtype="float64")
    run = Run(config)
    run.run_to_end()
    stop = run.divergence
    assert stop is not None and stop.what in ("net", "loss", "weights", "bias")
    assert run.total_steps == stop.step + 1 < run.planned_steps
    last = run.final()
    numbers = [last.loss, *(v for m in last.weights_after for row in m for v in row),
               *(v for layer in last.z for row in layer for v in row)]
    assert not all(math.isfinite(v) for v in numbers)
    if stop.step > 0:  # the update before it was all finite
        before = run.record(stop.step - 1)
        assert math.isfinite(before.loss)
        assert all(math.isfinite(v) for m in before.weights_after for row in m for v in row)


def _first_non_finite_by_records(config: TrainingConfig) -> int | None:
    """The independent scan: the same run streamed record by record, every number looked at."""
    for rec in Run.stream(config):
        if not hasattr(rec, "index"):
            continue
        numbers: list[float] = [getattr(rec, "net", 0.0), getattr(rec, "loss", 0.0)]
        numbers += list(rec.weights_after)
        bias = rec.bias_after
        numbers += [bias] if bias is not None else []
        if not all(math.isfinite(float(v)) for v in numbers):
            return rec.index
    return None


@settings(max_examples=40, deadline=None)
@given(
    model=st.sampled_from(["perceptron", "linear"]),
    exponent=st.floats(-3, 308),
    start=st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)),
    dtype=st.sampled_from(["float32", "float64"]),
)
def test_the_stop_is_the_first_step_a_full_scan_finds(model, exponent, start, dtype) -> None:
    extra = {"dtype": dtype, "batch_size": 2} if model == "linear" else {}
    config = TrainingConfig(model=model, inputs=X, targets=OR, learning_rate=10.0 ** exponent,
                            epochs=30, weights=start, bias=0.0, **extra)
    run = Run(config)
    run.run_to_end()
    expected = _first_non_finite_by_records(config)
    got = None if run.divergence is None else run.divergence.step
    assert got == expected
    assert run.total_steps == (run.planned_steps if expected is None else expected + 1)
