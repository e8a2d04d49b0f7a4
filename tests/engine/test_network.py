"""Networks with explicit layers against hand computations written out in plain Python floats,
against finite differences for every loss and activation, and the batching rules."""

from __future__ import annotations

import gc
import math
import struct
import tracemalloc

import numpy as np
import pytest

from tutor.engine import MLPStep, Run, TrainingConfig
from tutor.engine.config import ConfigError, LayerConfig

# ------------------------------------------------------------------ the classic 2-2-2 example
# Two inputs, two hidden and two output sigmoid units, E = ½Σ(t − o)², fixed biases, η = 0.5:
# the step-by-step backpropagation example that learners study. Weights are named as there:
# w1 i1→h1, w2 i2→h1, w3 i1→h2, w4 i2→h2, w5 h1→o1, w6 h2→o1, w7 h1→o2, w8 h2→o2.

I1, I2 = 0.05, 0.10
T1, T2 = 0.01, 0.99
B1, B2 = 0.35, 0.60
ETA = 0.5
W_START = (0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55)


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def classic_forward(w: tuple[float, ...]) -> tuple[float, float, float, float, float]:
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1 = sig(w1 * I1 + w2 * I2 + B1)
    h2 = sig(w3 * I1 + w4 * I2 + B1)
    o1 = sig(w5 * h1 + w6 * h2 + B2)
    o2 = sig(w7 * h1 + w8 * h2 + B2)
    total = 0.5 * (T1 - o1) ** 2 + 0.5 * (T2 - o2) ** 2
    return h1, h2, o1, o2, total


def classic_update(w: tuple[float, ...]) -> tuple[float, ...]:
    """One update written out weight by weight, as the worked example does it."""
    w1, w2, w3, w4, w5, w6, w7, w8 = w
    h1, h2, o1, o2, _ = classic_forward(w)
    # output layer: δo = ∂E/∂o · σ'(net) = (o − t) · o(1 − o)
    d_o1 = (o1 - T1) * o1 * (1 - o1)
    d_o2 = (o2 - T2) * o2 * (1 - o2)
    # hidden layer, through the weights before the update
    d_h1 = (d_o1 * w5 + d_o2 * w7) * h1 * (1 - h1)
    d_h2 = (d_o1 * w6 + d_o2 * w8) * h2 * (1 - h2)
    return (
        w1 - ETA * d_h1 * I1,
        w2 - ETA * d_h1 * I2,
        w3 - ETA * d_h2 * I1,
        w4 - ETA * d_h2 * I2,
        w5 - ETA * d_o1 * h1,
        w6 - ETA * d_o1 * h2,
        w7 - ETA * d_o2 * h1,
        w8 - ETA * d_o2 * h2,
    )


def classic_config(epochs: int) -> TrainingConfig:
    return TrainingConfig(
        model="mlp",
        inputs=((I1, I2),),
        targets=((T1, T2),),
        layers=(
            LayerConfig(weights=((0.15, 0.25), (0.20, 0.30)), biases=(B1, B1), activation="sigmoid"),
            LayerConfig(weights=((0.40, 0.50), (0.45, 0.55)), biases=(B2, B2), activation="sigmoid"),
        ),
        loss="sse_half",
        train_biases=False,
        batch_size=1,
        learning_rate=ETA,
        epochs=epochs,
    )


def as_named(rec: MLPStep) -> tuple[float, ...]:
    """w1..w8 of a record's weights after the update (rows = inputs, columns = units)."""
    (W1, W2) = rec.weights_after
    return (W1[0][0], W1[1][0], W1[0][1], W1[1][1], W2[0][0], W2[1][0], W2[0][1], W2[1][1])


def test_classic_example_first_update_equals_the_hand_computation():
    rec = Run(classic_config(1)).record(0)
    want = classic_update(W_START)
    got = as_named(rec)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert abs(g - w) <= 1e-12, f"w{i + 1}: {g!r} vs {w!r}"
    # The figures the worked example prints (8-9 digits), as an independent check of the above.
    printed = (0.149780716, 0.19956143, 0.24975114, 0.29950229,
               0.35891648, 0.408666186, 0.511301270, 0.561370121)
    for g, p in zip(got, printed, strict=True):
        assert abs(g - p) < 1e-8
    h1, h2, o1, o2, total = classic_forward(W_START)
    assert abs(rec.loss - total) <= 1e-15 and abs(total - 0.298371109) < 1e-9
    assert rec.a[0][0] == pytest.approx((h1, h2), abs=1e-15)
    assert rec.a[1][0] == pytest.approx((o1, o2), abs=1e-15)
    assert rec.z[0][0][0] == pytest.approx(0.15 * I1 + 0.20 * I2 + B1, abs=1e-15)  # 0.3775
    # δ of the output layer and ∂E/∂w5 = δo1 · h1, written out
    d_o1 = (o1 - T1) * o1 * (1 - o1)
    assert abs(rec.deltas[1][0][0] - d_o1) <= 1e-15
    assert abs(rec.grad_weights[1][0][0] - d_o1 * h1) <= 1e-15
    # fixed biases: unchanged, their gradient still recorded
    assert rec.biases_after == rec.biases_before == ((B1, B1), (B2, B2))
    assert abs(rec.grad_biases[1][0] - d_o1) <= 1e-15
    assert rec.sample == 0 and rec.samples == (0,) and rec.loss_name == "sse_half"


def test_classic_example_after_ten_thousand_updates_equals_the_loop_in_plain_python():
    w = W_START
    for _ in range(10_000):
        w = classic_update(w)
    want = classic_forward(w)[4]
    run = Run(classic_config(10_001))
    rec = run.record(10_000)  # its loss is E before update 10,001: after 10,000 updates
    assert abs(rec.loss - want) <= 1e-12, (rec.loss, want)
    # The worked example prints 0.0000351085 "after 10,000 updates": that is E after 9,999
    # (its loop prints the error before the last update); after 10,000 it is 0.0000351019.
    assert abs(run.record(9_999).loss - 0.0000351085) < 1e-10
    assert abs(want - 0.0000351019) < 1e-10
    for g, h in zip(as_named(run.record(9_999)), w, strict=True):
        assert abs(g - h) <= 1e-12


# ------------------------------------------------------------------ Keras-style, float32

def f32(v: float) -> float:
    """v rounded to float32, as Python float."""
    return struct.unpack("f", struct.pack("f", v))[0]


XOR_X = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
XOR_T = (0.0, 1.0, 1.0, 0.0)
K_W1 = ((0.5, -0.4), (0.3, 0.8))
K_B1 = (0.1, -0.2)
K_W2 = ((0.7,), (-0.6,))
K_B2 = (0.05,)
K_LR = 0.5


def keras_hand(steps: int) -> tuple[list[list[float]], list[float], list[list[float]], list[float]]:
    """Dense(2, sigmoid) → Dense(1, sigmoid), loss mse, SGD(η), batch 4, float32: every
    operation rounded to float32, the gradient as TensorFlow takes it (σ' = o(1 − o))."""
    W1 = [[f32(v) for v in row] for row in K_W1]
    b1 = [f32(v) for v in K_B1]
    W2 = [[f32(v) for v in row] for row in K_W2]
    b2 = [f32(v) for v in K_B2]
    lr = f32(K_LR)

    def s(z: float) -> float:
        return f32(1.0 / f32(1.0 + f32(math.exp(-z))))

    for _ in range(steps):
        gW1 = [[0.0, 0.0], [0.0, 0.0]]
        gb1 = [0.0, 0.0]
        gW2 = [[0.0], [0.0]]
        gb2 = [0.0]
        for (x1, x2), t in zip(XOR_X, XOR_T, strict=True):
            h = [s(f32(f32(f32(x1 * W1[0][j]) + f32(x2 * W1[1][j])) + b1[j])) for j in range(2)]
            o = s(f32(f32(f32(h[0] * W2[0][0]) + f32(h[1] * W2[1][0])) + b2[0]))
            d_o = f32(f32(f32(2.0 / 4) * f32(o - t)) * f32(o * f32(1 - o)))
            for j in range(2):
                gW2[j][0] = f32(gW2[j][0] + f32(h[j] * d_o))
            gb2[0] = f32(gb2[0] + d_o)
            for j in range(2):
                d_h = f32(f32(d_o * W2[j][0]) * f32(h[j] * f32(1 - h[j])))
                gW1[0][j] = f32(gW1[0][j] + f32(x1 * d_h))
                gW1[1][j] = f32(gW1[1][j] + f32(x2 * d_h))
                gb1[j] = f32(gb1[j] + d_h)
        W1 = [[f32(W1[i][j] - f32(lr * gW1[i][j])) for j in range(2)] for i in range(2)]
        b1 = [f32(b1[j] - f32(lr * gb1[j])) for j in range(2)]
        W2 = [[f32(W2[j][0] - f32(lr * gW2[j][0]))] for j in range(2)]
        b2 = [f32(b2[0] - f32(lr * gb2[0]))]
    return W1, b1, W2, b2


def test_keras_style_network_matches_a_float32_hand_computation():
    cfg = TrainingConfig(
        model="mlp", inputs=XOR_X, targets=XOR_T, learning_rate=K_LR, epochs=5, dtype="float32",
        layers=(LayerConfig(weights=K_W1, biases=K_B1, activation="sigmoid"),
                LayerConfig(weights=K_W2, biases=K_B2, activation="sigmoid")),
        loss="mse", batch_size=4,
    )
    run = Run(cfg)
    assert run.steps_per_epoch == 1
    for steps in (1, 5):
        W1, b1, W2, b2 = keras_hand(steps)
        rec = run.record(steps - 1)
        got = [v for m in rec.weights_after for row in m for v in row]
        got += [v for b in rec.biases_after for v in b]
        want = [v for row in W1 for v in row] + [v for row in W2 for v in row] + b1 + b2
        for g, w in zip(got, want, strict=True):
            assert abs(g - w) <= 1e-6, (steps, got, want)
        assert all(f32(v) == v for v in got)  # kept as float32 values
    assert run.epoch(1).accuracy in (0.0, 0.25, 0.5, 0.75, 1.0)


# ------------------------------------------------------------------ finite differences

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUTS = [("mse", a) for a in HIDDEN] + [("sse_half", a) for a in HIDDEN] + [
    ("binary_crossentropy", "sigmoid"), ("categorical_crossentropy", "softmax")]
FD_X = ((0.3, -1.2), (1.5, 0.4), (-0.7, 0.9))


def fd_targets(loss: str) -> tuple[tuple[float, ...], ...]:
    if loss == "categorical_crossentropy":
        return ((1.0, 0.0), (0.0, 1.0), (0.0, 1.0))
    return ((0.2, 0.9), (1.0, 0.0), (0.6, 0.3))


def independent_loss(loss: str, hidden: str, out: str, Ws, bs, Y) -> float:
    """The loss of the batch, computed here in plain NumPy, independently of the engine."""
    funcs = {
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
        "linear": lambda z: z,
        "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
    }
    a = np.array(FD_X)
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        a = funcs[out if i == len(Ws) - 1 else hidden](a @ W + b)
    t = np.array(Y)
    if loss == "mse":
        return float(np.mean((a - t) ** 2))
    if loss == "sse_half":
        return float(0.5 * np.sum((t - a) ** 2))
    if loss == "binary_crossentropy":
        return float(-np.mean(t * np.log(a) + (1 - t) * np.log(1 - a)))
    return float(-np.mean(np.sum(t * np.log(a), axis=1)))


@pytest.mark.parametrize(("loss", "out"), OUTPUTS, ids=[f"{x}-{y}" for x, y in OUTPUTS])
@pytest.mark.parametrize("hidden", HIDDEN)
def test_every_loss_and_activation_gradient_matches_finite_differences(loss, out, hidden):
    Y = fd_targets(loss)
    cfg = TrainingConfig(
        model="mlp", inputs=FD_X, targets=Y, learning_rate=0.1, epochs=1, seed=7,
        layers=(LayerConfig(units=3, activation=hidden), LayerConfig(units=2, activation=out)),
        loss=loss, init="glorot_uniform",
    )
    rec = Run(cfg).record(0)
    Ws = [np.array(m) for m in rec.weights_before]
    bs = [np.array(v) for v in rec.biases_before]
    # relu's kink: the check is meaningless where a net input sits within eps of 0
    assert all(abs(v) > 1e-4 for m in rec.z for row in m for v in row)
    assert rec.loss == pytest.approx(independent_loss(loss, hidden, out, Ws, bs, Y), rel=1e-12)
    eps = 1e-6

    def numeric(params, layer, index):
        plus = [p.copy() for p in params]
        minus = [p.copy() for p in params]
        plus[layer][index] += eps
        minus[layer][index] -= eps
        if params is Ws:
            lp = independent_loss(loss, hidden, out, plus, bs, Y)
            lm = independent_loss(loss, hidden, out, minus, bs, Y)
        else:
            lp = independent_loss(loss, hidden, out, Ws, plus, Y)
            lm = independent_loss(loss, hidden, out, Ws, minus, Y)
        return (lp - lm) / (2 * eps)

    for layer, grad in enumerate(rec.grad_weights):
        for i in range(Ws[layer].shape[0]):
            for j in range(Ws[layer].shape[1]):
                assert grad[i][j] == pytest.approx(numeric(Ws, layer, (i, j)), rel=1e-5, abs=1e-8)
    for layer, grad in enumerate(rec.grad_biases):
        for j in range(len(grad)):
            assert grad[j] == pytest.approx(numeric(bs, layer, (j,)), rel=1e-5, abs=1e-8)
    # the update is the gradient step
    for before, g, after in zip(rec.weights_before, rec.grad_weights, rec.weights_after,
                                strict=True):
        assert np.array_equal(np.array(before) - 0.1 * np.array(g), np.array(after))


# ------------------------------------------------------------------ batching, init, checks

def xor_net(**kw) -> TrainingConfig:
    base = dict(model="mlp", inputs=XOR_X, targets=XOR_T, learning_rate=0.5, epochs=3, seed=3,
                layers=(LayerConfig(units=2, activation="tanh"), LayerConfig(units=1)))
    base.update(kw)
    return TrainingConfig(**base)


def test_batch_size_one_is_online_n_is_full_batch_between_is_mini_batch():
    online = Run(xor_net(batch_size=1))
    assert online.steps_per_epoch == 4 and len(online) == 12
    assert [online.record(t).samples for t in range(5)] == [(0,), (1,), (2,), (3,), (0,)]
    for t in range(1, 12):  # one update feeds the next
        assert online.record(t).weights_before == online.record(t - 1).weights_after
    full = Run(xor_net())
    assert full.steps_per_epoch == 1 and full.record(0).samples == (0, 1, 2, 3)
    assert full.record(0).sample is None
    mini = Run(xor_net(batch_size=3))
    assert mini.steps_per_epoch == 2
    assert [mini.record(t).samples for t in range(4)] == [(0, 1, 2), (3,), (0, 1, 2), (3,)]
    # The epoch loss is Keras': batch losses weighted by batch size, each before its update.
    e1 = (mini.record(0).loss * 3 + mini.record(1).loss * 1) / 4
    assert mini.epoch(1).loss == pytest.approx(e1, rel=1e-15)


def test_shuffle_is_seeded_and_off_by_default():
    a = Run(xor_net(batch_size=1, shuffle=True, epochs=6))
    b = Run(xor_net(batch_size=1, shuffle=True, epochs=6))
    orders = [tuple(a.record(e * 4 + i).sample for i in range(4)) for e in range(6)]
    assert orders == [tuple(b.record(e * 4 + i).sample for i in range(4)) for e in range(6)]
    assert all(sorted(o) == [0, 1, 2, 3] for o in orders)
    assert any(o != (0, 1, 2, 3) for o in orders) and len(set(orders)) > 1
    other = Run(xor_net(batch_size=1, shuffle=True, epochs=6, seed=4))
    assert orders != [tuple(other.record(e * 4 + i).sample for i in range(4)) for e in range(6)]
    rec = a.record(5)
    assert rec.x == (XOR_X[rec.sample],) and rec.targets == ((XOR_T[rec.sample],),)


def test_init_draws_uniform_or_glorot_and_layers_override():
    rng = np.random.default_rng(3)
    want = rng.uniform(-1.0, 1.0, size=(2, 2))
    assert np.array_equal(np.array(Run(xor_net()).record(0).weights_before[0]), want)
    g = Run(xor_net(init="glorot_uniform", layers=(LayerConfig(units=40), LayerConfig(units=1)),
                    epochs=1)).record(0)
    limit = math.sqrt(6 / (2 + 40))
    first = np.array(g.weights_before[0])
    assert np.abs(first).max() <= limit and np.abs(first).max() > 0.8 * limit
    assert g.biases_before[0] == (0.0,) * 40
    mixed = Run(xor_net(layers=(LayerConfig(units=2), LayerConfig(weights=((1.0,), (2.0,)),
                                                                  biases=(0.5,))))).record(0)
    assert mixed.weights_before[1] == ((1.0,), (2.0,)) and mixed.biases_before[1] == (0.5,)


def test_hidden_configs_keep_their_meaning():
    """`hidden`/`activation`/`seed` are a network with U(−1, 1) weights, zero biases, mse,
    one output and one full-batch update per epoch, as before explicit layers."""
    cfg = TrainingConfig(model="mlp", inputs=XOR_X, targets=XOR_T, learning_rate=2.0, epochs=2,
                         seed=1, hidden=(3,))
    assert cfg.layer_sizes == (2, 3, 1) and cfg.steps_per_epoch == 1 and cfg.loss == "mse"
    rec = Run(cfg).record(0)
    assert rec.activations == ("sigmoid", "sigmoid") and rec.train_biases


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        (dict(loss="hinge"), "loss"),
        (dict(layers=(LayerConfig(units=2), LayerConfig(units=1, activation="softmax"))), "loss"),
        (dict(loss="categorical_crossentropy"), "loss"),
        (dict(loss="binary_crossentropy",
              layers=(LayerConfig(units=2), LayerConfig(units=1, activation="tanh"))), "loss"),
        (dict(layers=(LayerConfig(units=2, activation="softmax"), LayerConfig(units=1))),
         "layers[0].activation"),
        (dict(layers=(LayerConfig(weights=((1.0, 2.0),)), LayerConfig(units=1))),
         "layers[0].weights"),
        (dict(layers=(LayerConfig(units=2, biases=(1.0,)), LayerConfig(units=1))),
         "layers[0].biases"),
        (dict(layers=(LayerConfig(units=2), LayerConfig(units=2))), "targets"),
        (dict(layers=(LayerConfig(units=2), LayerConfig(units=1)), seed=None), "seed"),
        (dict(init="he"), "init"),
        (dict(batch_size=0), "batch_size"),
        (dict(targets=((0.0, 1.0), (1.0,), (1.0,), (0.0,))), "targets[1]"),
    ],
)
def test_network_config_errors_name_the_field(kw, field):
    with pytest.raises(ConfigError) as err:
        xor_net(**kw)
    assert err.value.field == field


def test_ten_thousand_epochs_of_online_xor_cost_bytes_per_update():
    """A 10^5-epoch XOR 2-2-1 online run is 4·10^5 updates; its columns (9 parameters a row)
    must stay well under 200 MB. Measured here on 2,000 epochs and scaled: allow 400 bytes an
    update (160 MB for 4·10^5)."""
    epochs = 2_000
    run = Run(xor_net(batch_size=1, epochs=epochs, layers=None, hidden=(2,),
                      activation="sigmoid"))
    gc.collect()
    tracemalloc.start()
    try:
        run.run_to_end()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    per_update = peak / (4 * epochs)
    assert per_update * 400_000 < 200 * 2**20 and per_update < 400, f"{per_update:.0f} B"
    assert run.final().index == 4 * epochs - 1


@pytest.mark.parametrize("batch_size", [1, 3, 4])
@pytest.mark.parametrize("shuffle", [False, True])
def test_records_read_back_in_any_order_equal_the_records_made_while_computing(batch_size,
                                                                                shuffle):
    """A record is computed again from the parameters before its update (and the epoch's
    order from the seed): read backwards, it equals the one `Run.stream` built live."""
    from tutor.engine import EpochRecord

    cfg = xor_net(batch_size=batch_size, shuffle=shuffle, epochs=5, loss="binary_crossentropy",
                  layers=(LayerConfig(units=3, activation="relu"), LayerConfig(units=1)))
    live = [r for r in Run.stream(cfg) if not isinstance(r, EpochRecord)]
    run = Run(cfg)
    run.run_to_end()
    assert len(live) == run.total_steps
    for i in reversed(range(run.total_steps)):
        assert run.record(i) == live[i], i


@pytest.mark.parametrize("loss", ["mse", "sse_half", "binary_crossentropy",
                                  "categorical_crossentropy"])
def test_each_delta_is_its_recorded_upstream_times_its_slope_to_the_bit(loss):
    """The screens show δ = upstream · slope with both factors from the record: the product of
    the recorded factors is the recorded δ exactly, and upstream is ∂E/∂o (output) or Σ δ·w."""
    out = "softmax" if loss == "categorical_crossentropy" else "sigmoid"
    config = TrainingConfig(
        model="mlp", inputs=((0.05, 0.10), (0.3, -0.2)), targets=((0.0, 1.0), (1.0, 0.0)),
        layers=(LayerConfig(units=3, activation="tanh"), LayerConfig(units=2, activation=out)),
        loss=loss, seed=4, batch_size=2, learning_rate=0.5, epochs=1,
    )
    rec = Run(config).record(0)
    for layer, deltas in enumerate(rec.deltas):
        for s, row in enumerate(deltas):
            for j, d in enumerate(row):
                assert rec.upstream[layer][s][j] * rec.slopes[layer][s][j] == d
    # a hidden unit's upstream is Σ_k δ_k · w_jk over the next layer, with the weights before
    W2 = rec.weights_before[1]
    for s in range(2):
        for j in range(3):
            want = sum(rec.deltas[1][s][k] * W2[j][k] for k in range(2))
            assert rec.upstream[0][s][j] == pytest.approx(want, abs=1e-15)
            assert rec.slopes[0][s][j] == pytest.approx(1 - math.tanh(rec.z[0][s][j]) ** 2,
                                                        abs=1e-15)
    if loss == "sse_half":
        assert rec.upstream[1] == rec.residuals  # ∂E/∂o = o − t
