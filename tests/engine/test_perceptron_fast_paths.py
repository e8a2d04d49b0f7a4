"""The perceptron's two shortcuts give the bits of the plain NumPy loop, step for step.

1. Inputs in {-1, 0, 1}: the loop runs on Python floats (engine/perceptron.py). Each product is
   then exact, so the left-to-right sum must equal NumPy's dot bit for bit, whatever the weights.
2. A run whose state at an epoch's end repeats an earlier one copies the rest from its columns.

The reference is the NumPy loop with neither shortcut: `sums_left_to_right` patched to say no,
and a window larger than the run (a windowed model never looks for a repeat, and this one keeps
every row). Records are compared by `repr`, which tells 0.0 from -0.0 (== does not).
"""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.engine import Run, TrainingConfig
from tutor.engine import perceptron as perceptron_module
from tutor.engine.columns import Columns
from tutor.engine.perceptron import SEQUENTIAL_MAX, Perceptron, dot_start, sums_left_to_right

WHOLE_RUN = 10**9  # a window no test run fills: every row kept, no looking for repeats

weights = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)


def bits(v: float) -> bytes:
    return b"nan" if math.isnan(v) else struct.pack("<d", v)


@settings(max_examples=3000, deadline=None)
@given(data=st.data(), width=st.integers(1, SEQUENTIAL_MAX))
def test_left_to_right_sum_of_exact_products_is_numpys_dot(data, width):
    """The proof behind the Python-float loop, on this machine's BLAS: inputs in {-1, 0, 1},
    any float64 weights (tiny, huge, subnormal, ±0, ∞, NaN), the same bits as np.dot."""
    x = data.draw(st.lists(st.sampled_from((-1.0, 0.0, 1.0)), min_size=width, max_size=width))
    w = data.draw(st.lists(weights, min_size=width, max_size=width))
    net = dot_start(width)
    for a, b in zip(x, w, strict=True):
        net = net + a * b
    with np.errstate(all="ignore"):
        want = float(np.asarray(x).dot(np.asarray(w)))
    assert bits(net) == bits(want), (x, w, net, want)


def test_the_order_check_holds_for_short_vectors_and_refuses_long_ones():
    assert all(sums_left_to_right(k) for k in range(1, SEQUENTIAL_MAX + 1))
    assert not sums_left_to_right(SEQUENTIAL_MAX + 1)  # OpenBLAS sums blocks of 16 otherwise


def numpy_loop(config: TrainingConfig) -> Perceptron:
    with pytest.MonkeyPatch.context() as m:
        m.setattr(perceptron_module, "sums_left_to_right", lambda width: False)
        model = Perceptron(config, window=WHOLE_RUN)
    assert not model._floats
    return model


def same_run(fast: Perceptron, slow: Perceptron, config: TrainingConfig) -> None:
    assert fast.computed == slow.computed
    assert repr(fast.diverged) == repr(slow.diverged)
    for t in range(fast.computed):
        assert repr(fast.step_record(t)) == repr(slow.step_record(t)), t
    for e in range(1, fast.computed // config.n_samples + 1):
        assert repr(fast.epoch_record(e)) == repr(slow.epoch_record(e)), e
    assert repr(fast.weights) == repr(slow.weights)


sample_values = st.sampled_from((-1, 0, 1))
other_values = st.sampled_from((-1, 0, 1, 0.5, 2, -0.25, 3))
start_weights = st.one_of(
    st.sampled_from((0.0, -0.0, 0.3, -0.2, 0.1, 1e-300, -1e308)),
    st.floats(-2, 2, allow_subnormal=False),
)


@st.composite
def configs(draw, values=sample_values):
    n_in = draw(st.integers(1, 4))
    n = draw(st.integers(1, 6))
    inputs = tuple(tuple(draw(values) for _ in range(n_in)) for _ in range(n))
    targets = tuple(draw(st.integers(0, 1)) for _ in range(n))
    bias_input = draw(st.sampled_from((None, -1, 1)))
    n_w = n_in + (bias_input is not None)
    kw = dict(model="perceptron", inputs=inputs, targets=targets,
              learning_rate=draw(st.sampled_from((0.05, 0.1, 0.25, 1.0, 1e308))),
              epochs=draw(st.integers(1, 80)),
              weights=tuple(draw(start_weights) for _ in range(n_w)),
              step_at_zero=draw(st.sampled_from((0, 1, "mistake"))))
    if bias_input is None:
        kw["bias"] = draw(st.sampled_from((0.0, -0.0, 0.2, -0.5)))
    else:
        kw["bias_input"] = bias_input
    return TrainingConfig(**kw)


@settings(max_examples=300, deadline=None)
@given(config=configs(), chunks=st.lists(st.integers(1, 50), min_size=1, max_size=8))
def test_floats_and_repeats_give_the_numpy_loops_records(config, chunks):
    """Random gates (inputs -1, 0, 1; bias input or separate bias; ±0.0 weights; a learning rate
    that overflows), advanced in random chunks: every step and epoch record is the reference's."""
    fast = Perceptron(config)
    assert fast._floats
    total = config.n_samples * config.epochs
    for k in [*chunks, total]:
        fast.advance(min(k, total - fast.computed))
    slow = numpy_loop(config)
    slow.advance(total)
    same_run(fast, slow, config)


@settings(max_examples=150, deadline=None)
@given(config=configs(other_values), chunks=st.lists(st.integers(1, 50), min_size=1, max_size=8))
def test_repeats_on_the_numpy_loop_give_its_records(config, chunks):
    """Inputs such as 0.5 and 2 stay on NumPy's dot; the repeat shortcut still holds."""
    fast = Perceptron(config)
    total = config.n_samples * config.epochs
    for k in [*chunks, total]:
        fast.advance(min(k, total - fast.computed))
    slow = numpy_loop(config)
    slow.advance(total)
    same_run(fast, slow, config)


XOR = dict(model="perceptron", inputs=((0, 0), (1, 0), (0, 1), (1, 1)), targets=(0, 1, 1, 0),
           bias_input=-1, weights=(0.3, 0.4, 0.1), learning_rate=0.05)


def test_a_cycling_xor_run_is_copied_after_its_period_with_the_same_bytes():
    """The benchmark's XOR run comes back to epoch 19's weights at epoch 20 (period 1) and never
    converges: 10^5 updates, copied from there on, hold the reference's bytes in every column."""
    config = TrainingConfig(**XOR, epochs=25_000)
    run = Run(config)
    run.compute()
    fast = run._model
    assert isinstance(fast, Perceptron) and fast._period == 1
    slow = numpy_loop(config)
    slow.advance(100_000)
    for name in ("_W", "_net", "_out", "_wrong"):
        assert getattr(fast, name).data.tobytes() == getattr(slow, name).data.tobytes(), name
    assert run.record(99_999).weights_after == slow.step_record(99_999).weights_after
    assert run.epoch(25_000).errors == 4  # XOR: never learnt


def test_a_converged_run_repeats_with_period_one():
    run = Run(TrainingConfig(**{**XOR, "targets": (0, 0, 0, 1)}, epochs=1000))
    run.compute()
    assert run._model._period == 1
    assert run.converged_epoch() is not None
    assert run.epoch(1000).updates == 0


def test_columns_repeat_copies_the_rows_one_period_back():
    c = Columns(2)
    for row in ([1, 2], [3, 4], [5, 6]):
        c.append(row)
    c.repeat(2, 5)  # rows [3,4],[5,6] again and again
    assert [c.row(t) for t in range(len(c))] == [
        (1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (3.0, 4.0), (5.0, 6.0), (3.0, 4.0), (5.0, 6.0),
        (3.0, 4.0),
    ]
    with pytest.raises(IndexError):
        c.repeat(9, 1)
