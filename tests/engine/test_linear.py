"""The Keras-equivalent linear unit: derived from the formula, not from TensorFlow."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.engine import Run, TrainingConfig

X = ((0, 0), (1, 0), (0, 1), (1, 1))
AND = (0, 0, 0, 1)
OR = (0, 1, 1, 1)


def keras_reference(targets, w, b, epochs, lr=0.01):
    """Full-batch SGD on MSE, one float32 scalar operation at a time (no matrix products)."""
    f = np.float32
    x = [[f(v) for v in row] for row in X]
    y = [f(v) for v in targets]
    w = [f(v) for v in w]
    b = f(b)
    lr = f(lr)
    losses = []
    n = len(x)
    for _ in range(epochs):
        err = [x[i][0] * w[0] + x[i][1] * w[1] + b - y[i] for i in range(n)]
        losses.append(sum(float(e) * float(e) for e in err) / n)
        g = [f(2.0 / n) * e for e in err]
        gw = [sum((x[i][j] * g[i] for i in range(n)), f(0)) for j in range(2)]
        gb = sum(g, f(0))
        w = [w[j] - lr * gw[j] for j in range(2)]
        b = b - lr * gb
    return w, b, losses


def linear(targets, weights, epochs, **kw):
    return Run(TrainingConfig(model="linear", inputs=X, targets=targets, learning_rate=0.01,
                              epochs=epochs, weights=weights, **kw))


@pytest.mark.parametrize("targets", [AND, OR], ids=["AND", "OR"])
def test_matches_the_formula_for_500_epochs(targets):
    start = (0.36941334, -0.81861128)
    run = linear(targets, start, 500)
    w, b, losses = keras_reference(targets, start, 0.0, 500)
    final = run.final()
    assert final.weights_after == pytest.approx([float(v) for v in w], abs=2e-6)
    assert final.bias_after == pytest.approx(float(b), abs=2e-6)
    logged = [run.epoch(e).loss for e in range(1, 501)]
    assert logged == pytest.approx(losses, rel=1e-5)


def test_one_update_per_epoch_with_default_batch_size():
    run = linear(OR, (0.1, 0.2), 3)
    assert run.steps_per_epoch == 1 and run.total_steps == 3
    rec = run.record(0)
    assert rec.samples == (0, 1, 2, 3) and rec.sample is None


def test_first_step_by_hand():
    # w = (0.1, 0.2), b = 0: predictions 0, 0.1, 0.2, 0.3; errors vs OR: 0, -0.9, -0.8, -0.7
    rec = linear(OR, (0.1, 0.2), 1).record(0)
    assert rec.outputs == pytest.approx((0.0, 0.1, 0.2, 0.3), abs=1e-7)
    assert rec.residuals == pytest.approx((0.0, -0.9, -0.8, -0.7), abs=1e-7)
    assert rec.errors == pytest.approx((0.0, 0.9, 0.8, 0.7), abs=1e-7)  # t − ŷ, as the rule's e
    assert rec.predictions == rec.outputs
    assert rec.loss == pytest.approx((0.81 + 0.64 + 0.49) / 4, rel=1e-6)
    # grad w1 = (2/4)(-0.9 - 0.7) = -0.8; grad w2 = (2/4)(-0.8 - 0.7) = -0.75; grad b = (2/4)(-2.4)
    assert rec.grad_weights == pytest.approx((-0.8, -0.75), abs=1e-6)
    assert rec.grad_bias == pytest.approx(-1.2, abs=1e-6)
    assert rec.weights_after == pytest.approx((0.1 + 0.008, 0.2 + 0.0075), abs=1e-7)
    assert rec.bias_after == pytest.approx(0.012, abs=1e-7)


def test_reproduces_the_notes_or_result():
    # The notes print weights [0.47819105, 0.38128167] and bias 0.33334246 for OR.
    final = linear(OR, (0.36941334, -0.81861128), 500).final()
    assert final.weights_after == pytest.approx((0.47819105, 0.38128167), abs=3e-7)
    assert final.bias_after == pytest.approx(0.33334246, abs=3e-7)


def test_values_are_float32():
    rec = linear(OR, (0.1, 0.2), 1).record(0)
    for v in rec.weights_after:
        assert np.float32(v) == v


def test_epoch_loss_is_logged_before_the_update():
    run = linear(AND, (0.5, 0.5), 2)
    first = run.record(0)
    assert run.epoch(1).loss == first.loss
    # the loss after the first update is the loss logged for epoch 2
    assert run.epoch(2).loss == run.record(1).loss != first.loss


def test_mini_batches_step_in_order_and_average_the_loss():
    run = linear(OR, (0.1, 0.2), 2, batch_size=3)
    assert run.steps_per_epoch == 2
    a, b = run.record(0), run.record(1)
    assert a.samples == (0, 1, 2) and b.samples == (3,)
    assert b.weights_before == a.weights_after
    assert run.epoch(1).loss == pytest.approx((3 * a.loss + 1 * b.loss) / 4)


@pytest.mark.parametrize(("targets", "bias"), [(OR, 0.25), (AND, -0.25)], ids=["OR", "AND"])
def test_long_runs_approach_the_least_squares_optimum(targets, bias):
    run = linear(targets, (0.1, -0.3), 20000, dtype="float64")
    final = run.final()
    assert final.weights_after == pytest.approx((0.5, 0.5), abs=1e-3)
    assert final.bias_after == pytest.approx(bias, abs=1e-3)
    assert final.loss == pytest.approx(0.0625, abs=1e-5)


def test_rounded_and_predictions_keep_the_sign_of_minus_zero():
    final = linear(AND, (0.36941334, -0.81861128), 500).final()
    w, b = np.array(final.weights_after), final.bias_after
    pred = np.array(X, dtype=float) @ w + b
    rounded = np.round(pred)
    assert list(rounded) == [0, 0, 0, 1]
    assert b < 0 and np.signbit(rounded[0])


def test_epoch_accuracy_is_keras_binary_accuracy_before_each_update():
    """Keras' `acc` with mse is binary accuracy: the share of samples with prediction > 0.5
    equal to the target, each batch's predictions taken before its update. Written out: the
    AND run from these weights, batch 2, two epochs."""
    start = (0.36941334, -0.81861128)
    run = linear(AND, start, 2, batch_size=2)
    for e in (1, 2):
        ep = run.epoch(e)
        right = 0
        for rec in run.history[ep.first_step : ep.last_step + 1]:
            for p, t in zip(rec.outputs, rec.targets, strict=True):
                right += (1.0 if p > 0.5 else 0.0) == t
        assert ep.accuracy == right / 4
    # by hand: w·x + b for (0,0),(1,0) with w = start, b = 0 is 0, 0.369 -> both 0: right,
    # right; then the updated weights on (0,1),(1,1): -0.8.., -0.4.. -> 0, 0: right, wrong
    assert run.epoch(1).accuracy == 0.75
