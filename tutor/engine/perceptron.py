"""The perceptron learning rule, one sample at a time, in the data's order (float64).

    k = sum_i w_i x_i (+ b),  y = step(k),  error = t - y,  w_i <- w_i + lr * x_i * error

The run is kept as columns (engine/columns.py): the weights after every step, the net input and
the output; a step's record is built from them when asked, with the very arithmetic of the update.
"""

from __future__ import annotations

import numpy as np

from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import EpochRecord, PerceptronStep


class Perceptron:
    """Holds the current weights; `advance()` applies the rule to the next sample and keeps its
    numbers; `step_record(t)` and `epoch_record(e)` read them back as records."""

    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        self.config = config
        inputs = np.asarray(config.inputs, dtype=np.float64)
        if config.bias_input is not None:
            x0 = np.full((inputs.shape[0], 1), float(config.bias_input))
            inputs_full = np.hstack((x0, inputs))
        else:
            inputs_full = inputs
        self._x = inputs_full
        self._inputs_t = [tuple(row) for row in inputs.tolist()]
        self._x_t = [tuple(row) for row in inputs_full.tolist()]
        self._targets = [float(v) for v in np.asarray(config.targets, dtype=np.float64).tolist()]
        if config.weights is not None:
            self._w = np.asarray(config.weights, dtype=np.float64).copy()
        else:
            rng = np.random.default_rng(config.seed)
            self._w = rng.uniform(-0.5, 0.5, size=config.n_weights)
        self._b: float | None = None if config.bias_input is not None else float(config.bias)
        self._lr = float(config.learning_rate)
        self._t = 0
        n = config.n_samples
        total = n * config.epochs
        # Row t of the weights (and bias) is the state before step t; row t + 1 the state after.
        w_window = None if window is None else max(window, 2)
        self._W = Columns((len(self._w),), limit=total + 1, window=w_window)
        self._W.append(self._w)
        self._B: Columns | None = None
        if self._b is not None:
            self._B = Columns((), limit=total + 1, window=w_window)
            self._B.append(self._b)
        self._net = Columns((), limit=total, window=window)
        self._out = Columns((), np.int8, limit=total, window=window)
        e_window = None if window is None else 2
        self._wrong = Columns((), np.int64, limit=config.epochs, window=e_window)
        self._wrong_now = 0

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return config.n_samples

    @property
    def computed(self) -> int:
        return self._t

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(self._w.tolist())

    def advance(self) -> None:
        """Apply the rule to the next sample and keep the step's numbers."""
        t = self._t
        n = len(self._x_t)
        i = t % n
        x = self._x[i]
        w_before = self._w
        net = float(np.dot(x, w_before))
        if self._b is not None:
            net = net + self._b
        at_zero = self.config.step_at_zero
        output = 1 if net > 0 else (at_zero if net == 0 else 0)
        error = self._targets[i] - output
        if error != 0:
            self._w = w_before + (self._lr * x * error + 0.0)  # + 0.0 turns -0.0 into 0.0
            self._wrong_now += 1
        if self._b is not None:
            self._b = self._b + (self._lr * error if error != 0 else 0.0)
        self._W.append(self._w)
        if self._B is not None:
            self._B.append(self._b)
        self._net.append(net)
        self._out.append(output)
        self._t = t + 1
        if i == n - 1:
            self._wrong.append(self._wrong_now)
            self._wrong_now = 0

    def step_record(self, t: int) -> PerceptronStep:
        """The record of step `t` (0-based, already computed), from the kept numbers."""
        n = len(self._x_t)
        i = t % n
        output = int(self._out[t])
        target = self._targets[i]
        error = target - output
        if error != 0:
            delta = tuple((self._lr * self._x[i] * error + 0.0).tolist())
        else:
            delta = (0.0,) * self._x.shape[1]
        b_before = b_after = bias_delta = None
        if self._B is not None:
            b_before, b_after = float(self._B[t]), float(self._B[t + 1])
            bias_delta = self._lr * error if error != 0 else 0.0
        return PerceptronStep(
            index=t,
            epoch=t // n + 1,
            sample=i,
            inputs=self._inputs_t[i],
            x=self._x_t[i],
            target=target,
            net=float(self._net[t]),
            output=output,
            error=error,
            learning_rate=self._lr,
            weights_before=tuple(self._W[t].tolist()),
            weights_after=tuple(self._W[t + 1].tolist()),
            delta=delta,
            bias_before=b_before,
            bias_after=b_after,
            bias_delta=bias_delta,
            step_at_zero=self.config.step_at_zero,
        )

    def epoch_record(self, epoch: int) -> EpochRecord:
        """The summary of finished epoch `epoch` (1-based)."""
        n = len(self._x_t)
        last = epoch * n - 1
        wrong = int(self._wrong[epoch - 1])
        return EpochRecord(
            epoch=epoch,
            first_step=last - n + 1,
            last_step=last,
            loss=None,
            errors=wrong,
            updates=wrong,
            weights=tuple(self._W[last + 1].tolist()),
            bias=None if self._B is None else float(self._B[last + 1]),
        )

    def epoch_values(self, stop: int) -> np.ndarray:
        """Misclassified samples of epochs 1..stop (the history chart's bars)."""
        return self._wrong.values(0, stop)
