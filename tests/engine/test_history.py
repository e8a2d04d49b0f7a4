"""The run's history as NumPy columns: records built on demand are the records the update made,
streaming keeps nothing, and a long run costs bytes per step, not kilobytes."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import EpochRecord, Run, TrainingConfig
from tutor.engine.activations import ACTIVATIONS
from tutor.engine.columns import Columns
from tutor.engine.config import ACTIVATION_NAMES
from tutor.lessons import load_lesson

LESSONS = sorted((Path(__file__).resolve().parents[2] / "lessons").glob("*.yaml"))
UNITS = [(path, unit.id) for path in LESSONS for unit in load_lesson(path).trainings]

XOR = ((0, 0), (1, 0), (0, 1), (1, 1))


def xor_perceptron(epochs: int) -> TrainingConfig:
    """XOR keeps the perceptron rule updating to the last step: the most a run can change."""
    return TrainingConfig(model="perceptron", inputs=XOR, targets=(0, 1, 1, 0), learning_rate=0.05,
                          epochs=epochs, weights=(0.3, 0.4, 0.1), bias_input=-1)


@pytest.mark.parametrize(("path", "unit"), UNITS, ids=[f"{p.stem}:{u}" for p, u in UNITS])
def test_records_read_back_in_any_order_equal_the_records_made_while_computing(path, unit):
    """`Run.stream` builds each record right after its update, from the live arrays; a Run built
    to the end and read backwards (linear and network records are computed again from the
    weights before the step) must give equal records, field for field, for every built-in unit."""
    config = load_lesson(path).unit(unit).config
    live = list(Run.stream(config))
    steps = [r for r in live if not isinstance(r, EpochRecord)]
    epochs = [r for r in live if isinstance(r, EpochRecord)]
    run = Run(config)
    run.run_to_end()
    assert len(steps) == run.total_steps and len(epochs) == config.epochs
    for i in reversed(range(run.total_steps)):
        assert run.record(i) == steps[i], f"step {i + 1}"
    assert list(run.epochs_done()) == epochs
    assert run.epochs_done().values() == [
        float(e.errors) if e.errors is not None else e.loss for e in epochs
    ]


def test_going_back_gives_the_same_object_and_weights_chain():
    run = Run(xor_perceptron(100))
    last = run.record(399)
    assert run.record(399) is last and run.history[399] is last
    for i in range(1, 400):
        assert run.record(i).weights_before == run.record(i - 1).weights_after
    assert run.history[10:20][0] is run.record(10) and len(run.history[10:20]) == 10
    assert run.epochs_done()[-1] == run.epoch(100) and len(run.epochs_done()[5:]) == 95


def test_a_million_update_history_costs_bytes_per_step():
    """Before the columns every step was a frozen record of tuples, about 1.1 KB: 10^6 steps took
    over a gigabyte. Now the weights, net and output take about 40 bytes a step; allow 64."""
    steps = 100_000
    run = Run(xor_perceptron(steps // 4))
    gc.collect()
    tracemalloc.start()
    try:
        run.run_to_end()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * steps, f"{peak / steps:.0f} bytes a step"
    assert run.final().index == steps - 1


def test_streaming_keeps_nothing_of_the_run():
    """`Run.stream` holds two steps' numbers whatever the length: 16,000 steps in under 256 KB
    (kept as records, they took 17 MB)."""
    gc.collect()
    tracemalloc.start()
    try:
        count = sum(1 for _ in Run.stream(xor_perceptron(4_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 16_000 + 4_000
    assert peak < 256 * 1024, f"peak {peak} bytes"


def test_columns_keep_rows_and_a_window():
    grown = Columns(2)
    for i in range(1000):
        grown.append((i, -i))
    assert len(grown) == 1000 and grown.row(999) == (999.0, -999.0)
    assert grown.array(10, 13)[:, 0].tolist() == [10.0, 11.0, 12.0]
    assert grown.array(10, 13).shape == (3, 2)
    with pytest.raises(IndexError):
        grown.row(1000)
    f32 = Columns(1, "f")
    f32.append(float(np.float32(0.1)))
    assert f32.item(0) == float(np.float32(0.1)) and f32.array(0, 1).dtype == np.float32
    ring = Columns(1, "b", window=2)
    for i in range(5000):
        ring.append(i % 100)
        ring.trim()
    assert len(ring) == 5000 and ring.item(4999) == 99 and ring.item(4998) == 98
    assert ring.nbytes < 2 * 1024 + 100  # the window and its slack, not 5000 rows
    with pytest.raises(IndexError):
        ring.item(0)


def test_activation_names_for_the_lesson_reader_match_the_engine():
    assert tuple(ACTIVATIONS) == ACTIVATION_NAMES


def test_exact_run_keeps_fractions():
    from fractions import Fraction

    cfg = TrainingConfig(model="perceptron", inputs=XOR, targets=(0, 0, 0, 1), learning_rate=0.05,
                         epochs=3, weights=(0.3, 0.4, 0.1), bias_input=-1)
    run = Run(cfg, exact=True)
    rec = run.record(11)
    assert isinstance(rec.net, Fraction) and rec.weights_after == (
        Fraction(7, 20), Fraction(7, 20), Fraction(1, 10))
    assert run.epoch(2).updates == 0 and run.converged_epoch() == 2
    assert run.epochs_done().values() == [1.0, 0.0, 0.0]
