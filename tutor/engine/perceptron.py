"""The perceptron learning rule, one sample at a time, in the data's order (float64).

    k = sum_i w_i x_i (+ b),  y = step(k),  error = t - y,  w_i <- w_i + lr * x_i * error
"""

from __future__ import annotations

import numpy as np

from tutor.engine.config import TrainingConfig
from tutor.engine.records import EpochRecord, PerceptronStep


class Perceptron:
    """Holds the current weights; `step()` applies the rule to the next sample."""

    def __init__(self, config: TrainingConfig) -> None:
        self.config = config
        inputs = np.asarray(config.inputs, dtype=np.float64)
        if config.bias_input is not None:
            x0 = np.full((inputs.shape[0], 1), float(config.bias_input))
            inputs_full = np.hstack((x0, inputs))
        else:
            inputs_full = inputs
        self._inputs = inputs
        self._x = inputs_full
        self._targets = np.asarray(config.targets, dtype=np.float64)
        if config.weights is not None:
            self._w = np.asarray(config.weights, dtype=np.float64).copy()
        else:
            rng = np.random.default_rng(config.seed)
            self._w = rng.uniform(-0.5, 0.5, size=config.n_weights)
        self._b: float | None = None if config.bias_input is not None else float(config.bias)
        self._lr = float(config.learning_rate)
        self._t = 0

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return config.n_samples

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(self._w.tolist())

    def step(self) -> PerceptronStep:
        n = self._x.shape[0]
        i = self._t % n
        epoch = self._t // n + 1
        x = self._x[i]
        w_before = self._w
        net = float(np.dot(x, w_before))
        if self._b is not None:
            net = net + self._b
        at_zero = self.config.step_at_zero
        output = 1 if net > 0 else (at_zero if net == 0 else 0)
        target = float(self._targets[i])
        error = target - output
        if error != 0:
            delta = self._lr * x * error + 0.0  # + 0.0 turns -0.0 (x = 0) into 0.0
            w_after = w_before + delta
        else:
            delta = np.zeros_like(x)
            w_after = w_before
        b_before = self._b
        bias_delta: float | None = None
        b_after: float | None = None
        if b_before is not None:
            bias_delta = self._lr * error if error != 0 else 0.0
            b_after = b_before + bias_delta
        record = PerceptronStep(
            index=self._t,
            epoch=epoch,
            sample=i,
            inputs=tuple(self._inputs[i].tolist()),
            x=tuple(x.tolist()),
            target=target,
            net=net,
            output=output,
            error=error,
            learning_rate=self._lr,
            weights_before=tuple(w_before.tolist()),
            weights_after=tuple(w_after.tolist()),
            delta=tuple(delta.tolist()),
            bias_before=b_before,
            bias_after=b_after,
            bias_delta=bias_delta,
            step_at_zero=at_zero,
        )
        self._w = w_after
        self._b = b_after
        self._t += 1
        return record

    @staticmethod
    def summarize(epoch: int, records: list[PerceptronStep]) -> EpochRecord:
        last = records[-1]
        wrong = sum(1 for r in records if r.error != 0)
        return EpochRecord(
            epoch=epoch,
            first_step=records[0].index,
            last_step=last.index,
            loss=None,
            errors=wrong,
            updates=wrong,
            weights=last.weights_after,
            bias=last.bias_after,
        )
