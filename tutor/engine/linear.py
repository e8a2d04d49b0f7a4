"""A linear unit trained by gradient descent on mean squared error, as Keras does it.

Equivalent to `Dense(1, activation='linear')` + `SGD(learning_rate=lr)` + `loss='mse'` +
`fit(batch_size=B, shuffle=False)`: for each batch of N samples, in the data's order,

    e = Xw + b - y,  loss = mean(e^2),  w <- w - lr * (2/N) X^T e,  b <- b - lr * (2/N) sum(e)

all in the configured dtype (float32 by default, as Keras). The loss of an epoch is the mean of its
batches' losses weighted by batch size, each computed before its batch's update (as Keras logs it).
"""

from __future__ import annotations

import math

import numpy as np

from tutor.engine.config import TrainingConfig
from tutor.engine.records import EpochRecord, LinearStep


class LinearUnit:
    def __init__(self, config: TrainingConfig) -> None:
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
        self._lr = dt.type(config.learning_rate)
        n = self._x.shape[0]
        size = min(config.batch_size, n)
        self._batches = [tuple(range(s, min(s + size, n))) for s in range(0, n, size)]
        # The inputs and targets of a batch never change: build their tuples once.
        self._batch_x = [tuple(map(tuple, self._x[r[0] : r[-1] + 1].tolist())) for r in self._batches]
        self._batch_y = [tuple(self._y[r[0] : r[-1] + 1].tolist()) for r in self._batches]
        self._t = 0

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return math.ceil(config.n_samples / min(config.batch_size, config.n_samples))

    def step(self) -> LinearStep:
        per_epoch = len(self._batches)
        batch = self._t % per_epoch
        epoch = self._t // per_epoch + 1
        rows = self._batches[batch]
        xb = self._x[rows[0] : rows[-1] + 1]
        yb = self._y[rows[0] : rows[-1] + 1]
        dt = self._dt
        w, b = self._w, self._b
        pred = xb @ w + b
        err = pred - yb
        loss = np.mean(err * err, dtype=dt)
        scaled = dt.type(2.0 / len(rows)) * err
        grad_w = xb.T @ scaled
        grad_b = np.sum(scaled, dtype=dt)
        w_after = w - self._lr * grad_w
        b_after = dt.type(b - self._lr * grad_b)
        record = LinearStep(
            index=self._t,
            epoch=epoch,
            batch=batch,
            samples=rows,
            x=self._batch_x[batch],
            targets=self._batch_y[batch],
            predictions=tuple(pred.tolist()),
            errors=tuple(err.tolist()),
            loss=float(loss),
            grad_weights=tuple(grad_w.tolist()),
            grad_bias=float(grad_b),
            learning_rate=float(self._lr),
            weights_before=tuple(w.tolist()),
            weights_after=tuple(w_after.tolist()),
            bias_before=float(b),
            bias_after=float(b_after),
        )
        self._w, self._b = w_after, b_after
        self._t += 1
        return record

    @staticmethod
    def summarize(epoch: int, records: list[LinearStep]) -> EpochRecord:
        total = sum(len(r.samples) for r in records)
        loss = sum(r.loss * len(r.samples) for r in records) / total
        last = records[-1]
        return EpochRecord(
            epoch=epoch,
            first_step=records[0].index,
            last_step=last.index,
            loss=loss,
            errors=None,
            updates=len(records),
            weights=last.weights_after,
            bias=last.bias_after,
        )
