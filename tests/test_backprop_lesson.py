"""The built-in backpropagation lesson against the worked example computed by hand, in plain
Python floats, weight by weight as the example writes it out."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from tutor.engine import Run
from tutor.lessons import Ask, load_lesson

LESSON = Path(__file__).resolve().parent.parent / "lessons" / "backprop.yaml"

I1, I2, T1, T2, B1, B2, ETA = 0.05, 0.10, 0.01, 0.99, 0.35, 0.60, 0.5
W_START = (0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55)  # w1 i1→h1, w2 i2→h1, … w8 h2→o2


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def forward(w):
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sig(w1 * I1 + w2 * I2 + B1)
    h2 = sig(w3 * I1 + w4 * I2 + B1)
    o1 = sig(w5 * h1 + w6 * h2 + B2)
    o2 = sig(w7 * h1 + w8 * h2 + B2)
    return h1, h2, o1, o2, 0.5 * (T1 - o1) ** 2 + 0.5 * (T2 - o2) ** 2


def backward(w):
    """δo1, δo2, δh1, δh2 and the new w1..w8 of one update, as the worked example writes them."""
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1, h2, o1, o2, _ = forward(w)
    d_o1 = (o1 - T1) * o1 * (1 - o1)
    d_o2 = (o2 - T2) * o2 * (1 - o2)
    d_h1 = (d_o1 * w5 + d_o2 * w7) * h1 * (1 - h1)
    d_h2 = (d_o1 * w6 + d_o2 * w8) * h2 * (1 - h2)
    new = (w1 - ETA * d_h1 * I1, w2 - ETA * d_h1 * I2, w3 - ETA * d_h2 * I1,
           w4 - ETA * d_h2 * I2, w5 - ETA * d_o1 * h1, w6 - ETA * d_o1 * h2,
           w7 - ETA * d_o2 * h1, w8 - ETA * d_o2 * h2)
    return (d_o1, d_o2, d_h1, d_h2), new


def named(weights_after):
    """w1..w8 from a record's weights (rows = inputs of the layer, columns = its units)."""
    (W1, W2) = weights_after
    return (W1[0][0], W1[1][0], W1[0][1], W1[1][1], W2[0][0], W2[1][0], W2[0][1], W2[1][1])


def test_the_first_update_is_the_hand_computation():
    lesson = load_lesson(LESSON)
    rec = lesson.run("classic").record(0)
    (d_o1, d_o2, d_h1, _), want = backward(W_START)
    for i, (got, w) in enumerate(zip(named(rec.weights_after), want, strict=True)):
        assert abs(got - w) <= 1e-12, f"w{i + 1}"
    assert rec.biases_after == ((B1, B1), (B2, B2))  # train_biases: false
    # the worked example's printed figures, as an independent check of the hand computation
    for got, printed in zip(named(rec.weights_after), (0.149780716, 0.19956143, 0.24975114,
                            0.29950229, 0.35891648, 0.408666186, 0.511301270, 0.561370121),
                            strict=True):
        assert abs(got - printed) < 1e-8
    h1, _, _, _, total = forward(W_START)
    assert abs(rec.loss - total) <= 1e-12 and abs(total - 0.298371109) < 1e-9
    # every question of the lesson is answered by the engine with the hand computation's number
    asks = {a.id: a for a in lesson.unit("classic").asks}
    assert abs(lesson.expected(asks["classic-delta-out"]) - d_o1) <= 1e-12
    assert abs(lesson.expected(asks["classic-grad-w5"]) - d_o1 * h1) <= 1e-12
    assert abs(lesson.expected(asks["classic-new-w5"]) - want[4]) <= 1e-12
    assert abs(lesson.expected(asks["classic-delta-h1"]) - d_h1) <= 1e-12
    assert abs(d_o2 - rec.deltas[1][0][1]) <= 1e-12
    assert all(isinstance(a, Ask) and a.step == 1 for a in asks.values())


def test_ten_thousand_updates_are_the_hand_loop():
    lesson = load_lesson(LESSON)
    run = lesson.run("classic")
    assert run.total_steps == 10_000
    w = W_START
    for _ in range(9_999):
        w = backward(w)[1]
    # the last record's E is the error before update 10,000 (the worked example's 0.0000351085)
    assert abs(run.record(9_999).loss - forward(w)[4]) <= 1e-12
    assert abs(forward(w)[4] - 0.0000351085) < 1e-10
    w = backward(w)[1]
    for got, want in zip(named(run.record(9_999).weights_after), w, strict=True):
        assert abs(got - want) <= 1e-12
    # the total error after 10,000 updates: one more record of the same run holds it
    longer = Run(dataclasses.replace(run.config, epochs=10_001))
    assert abs(longer.record(10_000).loss - forward(w)[4]) <= 1e-12


def test_the_lesson_follows_xor_in_the_menu():
    from tutor.lessons import discover

    lessons, _ = discover()
    ids = [x.id for x in lessons]  # the menu's order: by order, then id
    assert ids.index("backprop") == ids.index("xor") + 1
