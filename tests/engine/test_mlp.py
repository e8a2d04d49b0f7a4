"""The multi-layer network: gradients against finite differences; it learns XOR."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.engine import MLPStep, Run, TrainingConfig
from tutor.engine.activations import ACTIVATIONS

XOR_X = ((0, 0), (1, 0), (0, 1), (1, 1))
XOR_Y = (0, 1, 1, 0)


def xor_run(**kw) -> Run:
    base = dict(model="mlp", inputs=XOR_X, targets=XOR_Y, learning_rate=2.0, epochs=3000, seed=1,
                hidden=(2,))
    base.update(kw)
    return Run(TrainingConfig(**base))


def loss_of(weights, biases, hidden_act, out_act):
    """The MSE of a network given as nested tuples, computed independently of the engine."""
    a = np.array(XOR_X, dtype=float)
    acts = [ACTIVATIONS[hidden_act][0]] * (len(weights) - 1) + [ACTIVATIONS[out_act][0]]
    for W, b, f in zip(weights, biases, acts, strict=True):
        a = f(a @ np.array(W) + np.array(b))
    return float(np.mean((a[:, 0] - np.array(XOR_Y)) ** 2))


def test_learns_xor_from_a_fixed_seed():
    run = xor_run()
    final = run.final()
    assert isinstance(final, MLPStep)
    assert final.loss < 0.01
    assert [round(o) for (o,) in final.outputs] == [0, 1, 1, 0]
    assert run.epoch(1).loss > 10 * final.loss


def test_same_seed_same_run():
    assert xor_run(epochs=5).final().weights_after == xor_run(epochs=5).final().weights_after
    assert xor_run(epochs=5).initial_weights() != xor_run(epochs=5, seed=2).initial_weights()


@pytest.mark.parametrize("act", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("hidden", [(2,), (3, 2)])
def test_backprop_gradients_match_finite_differences(act, hidden):
    # a few epochs in, so that no pre-activation sits on relu's kink at exactly 0
    rec = xor_run(epochs=4, activation=act, hidden=hidden, seed=4, learning_rate=0.5).record(3)
    W = [np.array(m) for m in rec.weights_before]
    B = [np.array(v) for v in rec.biases_before]
    assert rec.loss == pytest.approx(loss_of(W, B, act, "sigmoid"), rel=1e-12)
    eps = 1e-6
    for layer, grad in enumerate(rec.grad_weights):
        for i in range(W[layer].shape[0]):
            for j in range(W[layer].shape[1]):
                Wp = [w.copy() for w in W]
                Wm = [w.copy() for w in W]
                Wp[layer][i, j] += eps
                Wm[layer][i, j] -= eps
                numeric = (loss_of(Wp, B, act, "sigmoid") - loss_of(Wm, B, act, "sigmoid")) / (2 * eps)
                assert grad[i][j] == pytest.approx(numeric, abs=1e-6)
    for layer, grad in enumerate(rec.grad_biases):
        for j in range(len(grad)):
            Bp = [b.copy() for b in B]
            Bm = [b.copy() for b in B]
            Bp[layer][j] += eps
            Bm[layer][j] -= eps
            numeric = (loss_of(W, Bp, act, "sigmoid") - loss_of(W, Bm, act, "sigmoid")) / (2 * eps)
            assert grad[j] == pytest.approx(numeric, abs=1e-6)


def test_update_is_weights_minus_learning_rate_times_gradient():
    rec = xor_run(epochs=1).record(0)
    for before, grad, after in zip(rec.weights_before, rec.grad_weights, rec.weights_after,
                                   strict=True):
        assert np.allclose(np.array(before) - 2.0 * np.array(grad), np.array(after), atol=0)


def test_record_shapes():
    rec = xor_run(epochs=1, hidden=(3,)).record(0)
    assert len(rec.hidden) == 1 and len(rec.hidden[0]) == 4 and len(rec.hidden[0][0]) == 3
    assert len(rec.weights_before) == 2
    assert np.array(rec.weights_before[0]).shape == (2, 3)
    assert np.array(rec.weights_before[1]).shape == (3, 1)
    assert len(rec.deltas) == 2 and rec.sample is None
