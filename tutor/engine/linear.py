"""A linear unit trained by gradient descent on mean squared error, as Keras does it.

Equivalent to `Dense(1, activation='linear')` + `SGD(learning_rate=lr)` + `loss='mse'` +
`fit(batch_size=B, shuffle=False)`: for each batch of N samples, in the data's order,

    e = Xw + b - y,  loss = mean(e^2),  w <- w - lr * (2/N) X^T e,  b <- b - lr * (2/N) sum(e)

all in the configured dtype (float32 by default, as Keras). The loss of an epoch is the mean of its
batches' losses weighted by batch size, each computed before its batch's update (as Keras logs it);
so is its accuracy, Keras' `acc` for `metrics=['acc']` with this loss: binary accuracy, the
fraction of samples whose prediction > 0.5 equals the target (0 or 1).

The run keeps the weights and bias after every batch and each batch's loss as columns
(engine/columns.py); a batch's record is computed again from the weights before it, with the same
arithmetic, so it is the record the update made, to the bit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import Divergence, EpochRecord, LinearStep


class LinearUnit:
    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        self.config = config
        dt = np.dtype(config.resolved_dtype)
        self._dt = dt
        self._x = np.asarray(config.inputs, dtype=dt)
        self._y = np.asarray(config.targets, dtype=dt)
        if config.weights is not None:
            self._w = np.asarray(config.weights, dtype=dt).copy()
        else:
            # Keras's default kernel initializer: Glorot uniform, limit sqrt(6 / (fan_in + fan_out))
            rng = np.random.default_rng(config.seed)
            limit = math.sqrt(6.0 / (config.n_inputs + 1))
            self._w = rng.uniform(-limit, limit, size=config.n_inputs).astype(dt)
        self._b = dt.type(config.bias)
        with np.errstate(over="ignore"):  # η past float32's range is ∞: the run diverges at once
            self._lr = dt.type(config.learning_rate)
        n = self._x.shape[0]
        size = config.resolved_batch_size
        self._batches = [tuple(range(s, min(s + size, n))) for s in range(0, n, size)]
        # The inputs and targets of a batch never change: build their tuples once.
        self._batch_x = [tuple(map(tuple, self._x[r[0] : r[-1] + 1].tolist())) for r in self._batches]
        self._batch_y = [tuple(self._y[r[0] : r[-1] + 1].tolist()) for r in self._batches]
        self._t = 0
        # Row t of the weights (and bias) is the state before step t; row t + 1 the state after.
        # float32 rows are kept as float32 ('f'): a value read back is the value computed.
        code = "f" if dt == np.float32 else "d"
        w_window = None if window is None else window + 1
        self._W = Columns(len(self._w), code, window=w_window)
        self._B = Columns(1, code, window=w_window)
        self._W.append(self._w.tolist())
        self._B.append(float(self._b))
        self._epoch_loss = Columns(window=window)
        self._epoch_acc = Columns(window=window)
        self._loss_sum = 0.0
        self._correct = 0
        self._last: tuple[int, Any] | None = None
        self.diverged: Divergence | None = None  # the step whose numbers first held ∞ or NaN

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return config.steps_per_epoch

    @property
    def computed(self) -> int:
        return self._t

    def _compute(self, t: int, w: Any, b: Any) -> tuple[Any, ...]:
        """One batch from weights `w` and bias `b`: (pred, err, loss, grad_w, grad_b, w', b')."""
        rows = self._batches[t % len(self._batches)]
        xb = self._x[rows[0] : rows[-1] + 1]
        yb = self._y[rows[0] : rows[-1] + 1]
        dt = self._dt
        pred = xb @ w + b
        err = pred - yb
        loss = (err * err).mean(dtype=dt)  # np.mean's own method: the same reduction
        scaled = dt.type(2.0 / len(rows)) * err
        grad_w = xb.T @ scaled
        grad_b = scaled.sum(dtype=dt)
        w_after = w - self._lr * grad_w
        b_after = dt.type(b - self._lr * grad_b)
        return pred, err, loss, grad_w, grad_b, w_after, b_after

    def advance(self, count: int = 1) -> None:
        """Train on the next `count` batches and keep each one's weights and loss.

        Stops after the first batch whose loss, weights or bias after it are ∞ or NaN
        (`diverged` says which step and what); nothing is computed after it."""
        per_epoch = len(self._batches)
        with np.errstate(over="ignore", invalid="ignore"):  # ∞ and NaN: caught below
            for _ in range(count):
                if self.diverged is not None:
                    break
                t = self._t
                out = self._compute(t, self._w, self._b)
                loss, w_after, b_after = out[2], out[5], out[6]
                self._last = (t, out)
                # Keras's epoch loss: the batches' losses weighted by batch size, summed in order.
                self._loss_sum += float(loss) * len(self._batches[t % per_epoch])
                # Keras' binary accuracy: outputs > 0.5 that equal the target, before the update.
                self._correct += int(((out[0] > 0.5) == self._y_batch(t)).sum())
                self._w, self._b = w_after, b_after
                w_list, b_float, loss_float = w_after.tolist(), float(b_after), float(loss)
                self._W.data.extend(w_list)
                self._B.data.append(b_float)
                self._t = t + 1
                # A sum of Python floats is finite when every term is (or, rarely, overflows
                # from huge finite terms: then each is looked at).
                total = loss_float + b_float + sum(w_list)
                if total - total != 0.0:
                    what = _non_finite(
                        ("loss", loss_float), ("weights", w_list), ("bias", b_float)
                    )
                    if what is not None:
                        self.diverged = Divergence(t, what)
                if (t + 1) % per_epoch == 0:
                    self._epoch_loss.append(self._loss_sum / self.config.n_samples)
                    self._epoch_acc.append(self._correct / self.config.n_samples)
                    self._loss_sum = 0.0
                    self._correct = 0
        for column in (self._W, self._B, self._epoch_loss, self._epoch_acc):
            column.trim()

    def _y_batch(self, t: int) -> Any:
        rows = self._batches[t % len(self._batches)]
        return self._y[rows[0] : rows[-1] + 1]

    def step_record(self, t: int) -> LinearStep:
        per_epoch = len(self._batches)
        batch = t % per_epoch
        if self._last is not None and self._last[0] == t:
            out = self._last[1]
        else:
            w = np.asarray(self._W.row(t), dtype=self._dt)
            with np.errstate(over="ignore", invalid="ignore"):
                out = self._compute(t, w, self._dt.type(self._B.item(t)))
        pred, err, loss, grad_w, grad_b, w_after, b_after = out
        return LinearStep(
            index=t,
            epoch=t // per_epoch + 1,
            batch=batch,
            samples=self._batches[batch],
            x=self._batch_x[batch],
            targets=self._batch_y[batch],
            outputs=tuple(pred.tolist()),
            residuals=tuple(err.tolist()),
            loss=float(loss),
            grad_weights=tuple(grad_w.tolist()),
            grad_bias=float(grad_b),
            learning_rate=float(self._lr),
            weights_before=self._W.row(t),
            weights_after=tuple(w_after.tolist()),
            bias_before=self._B.item(t),
            bias_after=float(b_after),
        )

    def epoch_record(self, epoch: int) -> EpochRecord:
        per_epoch = len(self._batches)
        last = epoch * per_epoch - 1
        return EpochRecord(
            epoch=epoch,
            first_step=last - per_epoch + 1,
            last_step=last,
            loss=self._epoch_loss.item(epoch - 1),
            errors=None,
            updates=per_epoch,
            weights=self._W.row(last + 1),
            bias=self._B.item(last + 1),
            accuracy=self._epoch_acc.item(epoch - 1),
        )

    def epoch_values(self, stop: int) -> np.ndarray:
        """The loss of epochs 1..stop (the history chart's bars)."""
        return self._epoch_loss.array(0, stop)


def _non_finite(*named: tuple[str, Any]) -> str | None:
    """The name of the first value (a number or an array) that holds ∞ or NaN, or None."""
    for name, value in named:
        if not all(map(math.isfinite, value if isinstance(value, list) else [value])):
            return name
    return None


def loss_over_weight(
    inputs: Any, targets: Any, weights: Any, bias: float, index: int, values: Any
) -> tuple[np.ndarray, np.ndarray]:
    """The loss curve of a linear unit along one weight: L(v) and dL/dv for each v in `values`.

    L is the mean squared error over all samples, mean((x·w + b − t)²), with weight `index` set to
    v and the other weights and the bias held where they are; dL/dv = mean(2·(ŷ − t)·x_index),
    the gradient a full-batch step follows (the update rule at the top of this module). Shapes:
    inputs (N, n), targets (N,), weights (n,), values (M,) → two arrays of shape (M,), float64.
    Raises IndexError when `index` is not a weight.
    """
    x = np.asarray(inputs, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    v = np.asarray(values, dtype=np.float64)
    xi = x[:, index]
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged run's weights: ∞, not a warning
        # the residual without weight `index`, then with v·x_index added for every v
        rest = x @ w + float(bias) - t - xi * w[index]
        residual = rest[None, :] + v[:, None] * xi[None, :]
        loss = np.mean(residual * residual, axis=1)
        slope = np.mean(2.0 * residual * xi[None, :], axis=1)
    return loss, slope


def best_weight(inputs: Any, targets: Any, weights: Any, bias: float, index: int) -> float | None:
    """The v that minimizes `loss_over_weight` (the bottom of the parabola): v* = −Σ r·x / Σ x²,
    r being the residual without weight `index`; None when that input is 0 for every sample
    (the loss does not depend on the weight)."""
    x = np.asarray(inputs, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    xi = x[:, index]
    denom = float(xi @ xi)
    if denom == 0.0:
        return None
    with np.errstate(over="ignore", invalid="ignore"):
        rest = x @ w + float(bias) - np.asarray(targets, dtype=np.float64) - xi * w[index]
        best = -float(rest @ xi) / denom
    return best if math.isfinite(best) else None
