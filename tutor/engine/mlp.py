"""A multi-layer network trained by backpropagation, one (mini-)batch per update.

Layers l = 1..L (first hidden to output), each with weights W_l (one row per input of the layer,
one column per unit), biases b_l and activation f_l. For the batch of B samples of an update
(rows of X, targets T with K columns):

    forward:   a_0 = X,  z_l = a_{l-1} W_l + b_l,  a_l = f_l(z_l),  o = a_L
    loss E:    mse                       mean over samples and outputs of (o - t)^2   (Keras)
               sse_half                  ½ Σ over samples and outputs (t - o)^2       (worked examples)
               binary_crossentropy       -mean(t ln o + (1 - t) ln(1 - o)), o = σ(z_L)
               categorical_crossentropy  -mean over samples of Σ_k t_k ln o_k, o = softmax(z_L)
    backward:  δ_L = ∂E/∂z_L:  mse (2/(B·K))(o - t)·f'(z_L);  sse_half (o - t)·f'(z_L);
               the cross-entropies (o - t)/(B·K) and (o - t)/B (their f' cancels)
               δ_l = (δ_{l+1} W_{l+1}^T) · f_l'(z_l)
               (each record keeps both factors of every δ: `upstream` = ∂E/∂o, or
               δ_{l+1} W_{l+1}^T, and `slopes` = f'(z); for a cross-entropy output
               upstream = δ_L and slope = 1)
    gradient:  ∂E/∂W_l = a_{l-1}^T δ_l,  ∂E/∂b_l = Σ over the batch of δ_l
    update:    W_l <- W_l - η ∂E/∂W_l,  b_l <- b_l - η ∂E/∂b_l  (biases kept when train_biases
               is false; their gradient is still recorded)

The cross-entropies are computed from z_L (ln σ(z) = -softplus(-z), ln softmax = z - logsumexp z):
exact where Keras clips o to [1e-7, 1 - 1e-7]. Batches are `batch_size` consecutive samples of the
epoch's order: the data's order, or with `shuffle` a permutation drawn per epoch from
numpy.random.default_rng((seed, epoch)). Weights that no layer gives are drawn with
default_rng(seed), layer by layer: U(-1, 1) (`init: uniform`), or Glorot uniform
U(-l, l), l = √(6 / (fan_in + fan_out)) as Keras' Dense (`init: glorot_uniform`); biases not
given start at 0. Arithmetic is in the config's dtype (float64, or float32 as Keras).

The run keeps every weight and bias after each update in one row of a column (engine/columns.py),
and each epoch's loss and accuracy; an update's record is computed again from the parameters
before it, with the same arithmetic, so it is the record the update made, to the bit.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from tutor.engine.activations import ACTIVATIONS, Array
from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import Divergence, EpochRecord, MLPStep


def _matrix(a: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in a.tolist())


class Update(NamedTuple):
    """Everything one update computes (arrays), from which its record is built."""

    x: Array
    y: Array
    zs: list[Any]
    acts: list[Any]  # a_1..a_L
    loss: float
    correct: int  # outputs right at threshold 0.5 (argmax for softmax), Keras' accuracy
    deltas: list[Any]
    upstream: list[Any]  # ∂E/∂a per layer: δ = upstream · slope
    slopes: list[Any]  # f'(z) per layer (1 for the output under a cross-entropy)
    grad_W: list[Any]
    grad_b: list[Any]
    W_after: list[Any]
    b_after: list[Any]


def _softplus(z: Array) -> Array:
    """ln(1 + e^z) without overflow: max(z, 0) + ln(1 + e^-|z|)."""
    with np.errstate(under="ignore"):
        return np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))


class MLP:
    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        self.config = config
        dt = np.dtype(config.resolved_dtype)
        self._dt = dt
        self._x = np.asarray(config.inputs, dtype=dt)
        self._y = np.asarray(config.target_rows, dtype=dt)
        sizes = config.layer_sizes
        self._activations = config.layer_activations
        rng = np.random.default_rng(config.seed)
        self._W: list[Array] = []
        self._b: list[Array] = []
        for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
            spec = config.layers[layer] if config.layers is not None else None
            if spec is not None and spec.weights is not None:
                W = np.array(spec.weights, dtype=dt)
            else:
                limit = 1.0 if config.init == "uniform" else math.sqrt(6.0 / (fan_in + fan_out))
                W = rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(dt)
            if spec is not None and spec.biases is not None:
                b = np.array(spec.biases, dtype=dt)
            else:
                b = np.zeros(fan_out, dtype=dt)
            self._W.append(W)
            self._b.append(b)
        self._f = [ACTIVATIONS[name] for name in self._activations]
        self._lr = float(config.learning_rate)
        self._loss_name = config.loss
        self._train_biases = config.train_biases
        self._batch = config.resolved_batch_size
        self._per_epoch = config.steps_per_epoch
        self._t = 0
        self._targets_rows = _matrix(self._y)
        self._x_rows = _matrix(self._x)
        # One row holds every parameter: W_1, b_1, W_2, b_2, ... flattened in that order.
        self._shapes = [s for W, b in zip(self._W, self._b, strict=True) for s in (W.shape, b.shape)]
        size = sum(int(np.prod(s)) for s in self._shapes)
        code = "f" if dt == np.float32 else "d"
        self._params = Columns(size, code, window=None if window is None else window + 1)
        self._params.append(self._flat(self._W, self._b).tolist())
        self._loss = Columns(window=window)
        self._acc = Columns(window=window)
        self._loss_sum = 0.0
        self._correct = 0
        self._last: tuple[int, Any] | None = None
        self._last_record: MLPStep | None = None
        self._order_epoch = -1
        self._order: np.ndarray | None = None
        self.diverged: Divergence | None = None  # the step whose numbers first held ∞ or NaN

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return config.steps_per_epoch

    @property
    def computed(self) -> int:
        return self._t

    @staticmethod
    def _flat(Ws: Sequence[Array], bs: Sequence[Array]) -> Array:
        return np.concatenate([a.ravel() for W, b in zip(Ws, bs, strict=True) for a in (W, b)])

    def _unflat(self, row: Array) -> tuple[list[Array], list[Array]]:
        arrays, start = [], 0
        for shape in self._shapes:
            size = int(np.prod(shape))
            arrays.append(row[start : start + size].reshape(shape).copy())
            start += size
        return arrays[0::2], arrays[1::2]

    def samples_of(self, t: int) -> tuple[int, ...]:
        """The sample indices (0-based) of update t's batch, in the order they are used."""
        epoch, batch = divmod(t, self._per_epoch)
        lo = batch * self._batch
        hi = min(lo + self._batch, self.config.n_samples)
        if not self.config.shuffle:
            return tuple(range(lo, hi))
        if self._order_epoch != epoch or self._order is None:
            seed = self.config.seed if self.config.seed is not None else 0
            rng = np.random.default_rng((seed, epoch))
            self._order = rng.permutation(self.config.n_samples)
            self._order_epoch = epoch
        return tuple(self._order[lo:hi].tolist())

    def _batch_arrays(self, t: int) -> tuple[Array, Array]:
        if not self.config.shuffle:
            batch = t % self._per_epoch
            lo = batch * self._batch
            return self._x[lo : lo + self._batch], self._y[lo : lo + self._batch]
        rows = list(self.samples_of(t))
        return self._x[rows], self._y[rows]

    def predict(self, x: np.ndarray) -> np.ndarray:
        a: Array = np.asarray(x, dtype=self._dt)
        for W, b, (f, _) in zip(self._W, self._b, self._f, strict=True):
            a = f(a @ W + b)
        return a

    def _compute(self, t: int, Ws: Sequence[Array], bs: Sequence[Array]) -> Update:
        """Update t from parameters (Ws, bs): forward, loss, backward, gradients, update."""
        x, y = self._batch_arrays(t)
        acts: list[Array] = [x]
        zs = []
        for W, b, (f, _) in zip(Ws, bs, self._f, strict=True):
            z = acts[-1] @ W + b
            zs.append(z)
            acts.append(f(z))
        out, zL = acts[-1], zs[-1]
        err = out - y
        n = err.size  # B·K
        name = self._loss_name
        # δ_L = upstream · slope, the same operations in the same order as written out above
        if name == "mse":
            loss = float(np.mean(err * err))
            up, slope = (2.0 / n) * err, self._f[-1][1](zL)
            delta = up * slope
        elif name == "sse_half":
            loss = float(0.5 * np.sum(err * err))
            up, slope = err, self._f[-1][1](zL)
            delta = up * slope
        elif name == "binary_crossentropy":
            # -[t ln σ(z) + (1 - t) ln(1 - σ(z))] = softplus(z) - t z
            loss = float(np.mean(_softplus(zL) - y * zL))
            delta = err / n
            up, slope = delta, np.ones_like(delta)  # σ' cancels: δ is taken whole
        else:  # categorical_crossentropy
            top = np.max(zL, axis=1, keepdims=True)
            with np.errstate(under="ignore"):
                lse = top + np.log(np.sum(np.exp(zL - top), axis=1, keepdims=True))
            loss = float(np.mean(np.sum(y * (lse - zL), axis=1)))
            delta = err / len(y)
            up, slope = delta, np.ones_like(delta)
        if self._activations[-1] == "softmax":
            correct = int(np.sum(np.argmax(out, axis=1) == np.argmax(y, axis=1)))
        else:
            correct = int(np.sum((out > 0.5).astype(y.dtype) == y))
        # Backpropagation runs from the output layer down; deltas[l] belongs to layer l.
        deltas, upstream, slopes = [delta], [up], [slope]
        for layer in range(len(Ws) - 2, -1, -1):
            up, slope = delta @ Ws[layer + 1].T, self._f[layer][1](zs[layer])
            delta = up * slope
            deltas.insert(0, delta)
            upstream.insert(0, up)
            slopes.insert(0, slope)
        grad_W = [acts[layer].T @ deltas[layer] for layer in range(len(Ws))]
        grad_b = [d.sum(axis=0) for d in deltas]
        W_after = [W - self._lr * g for W, g in zip(Ws, grad_W, strict=True)]
        if self._train_biases:
            b_after = [b - self._lr * g for b, g in zip(bs, grad_b, strict=True)]
        else:
            b_after = list(bs)
        return Update(x, y, zs, acts[1:], loss, correct, deltas, upstream, slopes, grad_W, grad_b,
                      W_after, b_after)

    def advance(self, count: int = 1) -> None:
        """Make the next `count` updates and keep each one's parameters (and each epoch's loss).

        Stops after the first update whose net inputs, loss, weights or biases after it are ∞
        or NaN (`diverged` says which step and what); nothing is computed after it."""
        per_epoch = self._per_epoch
        sums_losses = self._loss_name == "sse_half"
        for _ in range(count):
            if self.diverged is not None:
                break
            t = self._t
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                up = self._compute(t, self._W, self._b)
            self._last = (t, (self._W, self._b, up))
            self._W, self._b = up.W_after, up.b_after
            self._params.append(self._flat(self._W, self._b).tolist())
            self._correct += up.correct
            if per_epoch == 1:
                epoch_loss: float | None = up.loss
            else:
                # Keras' epoch loss: the batches' losses weighted by batch size (a mean loss);
                # E = ½ΣΣ(t - o)² of every sample of the epoch (sse_half).
                self._loss_sum += up.loss if sums_losses else up.loss * len(up.y)
                epoch_loss = None
            self._t = t + 1
            if (t + 1) % per_epoch == 0:
                if epoch_loss is None:
                    n = self.config.n_samples
                    epoch_loss = self._loss_sum if sums_losses else self._loss_sum / n
                self._loss.append(epoch_loss)
                self._acc.append(self._correct / self._y.size)
                self._loss_sum = 0.0
                self._correct = 0
            what = _non_finite(up)
            if what is not None:
                self.diverged = Divergence(t, what)
        self._params.trim()
        self._loss.trim()
        self._acc.trim()

    def step_record(self, t: int) -> MLPStep:
        if self._last is not None and self._last[0] == t:
            Ws, bs, up = self._last[1]
        else:
            Ws, bs = self._unflat(np.array(self._params.row(t), dtype=self._dt))
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                up = self._compute(t, Ws, bs)
        epoch, batch = divmod(t, self._per_epoch)
        samples = self.samples_of(t)
        record = MLPStep(
            index=t,
            epoch=epoch + 1,
            batch=batch,
            samples=samples,
            x=tuple(self._x_rows[i] for i in samples),
            targets=tuple(self._targets_rows[i] for i in samples),
            z=tuple(_matrix(z) for z in up.zs),
            a=tuple(_matrix(a) for a in up.acts),
            loss=up.loss,
            deltas=tuple(_matrix(d) for d in up.deltas),
            grad_weights=tuple(_matrix(g) for g in up.grad_W),
            grad_biases=tuple(tuple(g.tolist()) for g in up.grad_b),
            learning_rate=self._lr,
            weights_before=tuple(_matrix(W) for W in Ws),
            weights_after=tuple(_matrix(W) for W in up.W_after),
            biases_before=tuple(tuple(b.tolist()) for b in bs),
            biases_after=tuple(tuple(b.tolist()) for b in up.b_after),
            activations=self._activations,
            loss_name=self._loss_name,
            train_biases=self._train_biases,
            upstream=tuple(_matrix(u) for u in up.upstream),
            slopes=tuple(_matrix(f) for f in up.slopes),
        )
        self._last_record = record
        return record

    def epoch_record(self, epoch: int) -> EpochRecord:
        last_step = epoch * self._per_epoch - 1
        last = self._last_record
        if last is not None and last.index == last_step:  # a trace: its step was just built
            weights, bias = last.weights_after, last.biases_after
        else:
            Ws, bs = self._unflat(np.array(self._params.row(last_step + 1), dtype=self._dt))
            weights = tuple(_matrix(W) for W in Ws)
            bias = tuple(tuple(b.tolist()) for b in bs)
        return EpochRecord(
            epoch=epoch,
            first_step=last_step - self._per_epoch + 1,
            last_step=last_step,
            loss=self._loss.item(epoch - 1),
            errors=None,
            updates=self._per_epoch,
            weights=weights,
            bias=bias,
            accuracy=self._acc.item(epoch - 1),
        )

    def epoch_values(self, stop: int) -> np.ndarray:
        """The loss of epochs 1..stop (the history chart's bars)."""
        return self._loss.array(0, stop)


def _non_finite(up: Update) -> str | None:
    """What of an update first holds ∞ or NaN ("net", "loss", "weights", "biases"), or None."""
    if not all(np.isfinite(z).all() for z in up.zs):
        return "net"
    if not math.isfinite(up.loss):
        return "loss"
    if not all(np.isfinite(W).all() for W in up.W_after):
        return "weights"
    if not all(np.isfinite(b).all() for b in up.b_after):
        return "bias"
    return None
