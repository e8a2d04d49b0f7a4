"""The perceptron rule in exact rational arithmetic: the real-arithmetic twin of a float run.

Every number of the configuration is read as the decimal an author wrote (0.05 is 1/20, not the
nearest float), and every sum and update is a `fractions.Fraction`, so nothing is ever rounded.
Beside the float run it shows what the textbook's arithmetic on paper gives: in the textbook AND
run, exact arithmetic stops at [0.35, 0.35, 0.1] after epoch 1, where float64 makes one more update.
Records have the same shape as the float run's, with Fraction values. Fractions do not fit NumPy
columns, so an exact run keeps its records in a list (exact runs are a lesson's few dozen steps).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from tutor.engine.config import ConfigError, TrainingConfig
from tutor.engine.perceptron import Perceptron
from tutor.engine.records import Divergence, EpochRecord, PerceptronStep


def exact(value: float) -> Fraction:
    """The decimal as written: Fraction(repr(0.1)) == 1/10."""
    return Fraction(repr(float(value)))


class ExactPerceptron:
    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        if config.model != "perceptron":
            raise ConfigError("model", "exact arithmetic is available for the perceptron rule only")
        if config.weights is None:
            raise ConfigError("weights", "exact arithmetic needs the initial weights written out")
        self.config = config
        self.diverged: Divergence | None = None  # rational arithmetic never overflows
        x0 = [] if config.bias_input is None else [exact(config.bias_input)]
        self._inputs = [tuple(exact(v) for v in row) for row in config.inputs]
        self._x = [tuple(x0) + row for row in self._inputs]
        self._targets = [exact(t) for t in config.targets]
        self._w = [exact(w) for w in config.weights]
        self._b = None if config.bias_input is not None else exact(config.bias)
        self._lr = exact(config.learning_rate)
        self._t = 0
        self._records: list[PerceptronStep] = []
        self._epochs: list[EpochRecord] = []

    # Epochs are counted and summed up exactly as in the float run.
    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return Perceptron.steps_per_epoch_of(config)

    @property
    def computed(self) -> int:
        return self._t

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            self._advance_one()

    def _advance_one(self) -> None:
        self._records.append(self._step())
        n = len(self._x)
        if self._t % n == 0:
            epoch = self._records[-n:]
            wrong = sum(1 for r in epoch if r.error != 0)
            last = epoch[-1]
            misclassified = 0
            for i, x in enumerate(self._x):
                net = sum((wi * xi for wi, xi in zip(self._w, x, strict=True)), Fraction(0))
                if self._b is not None:
                    net += self._b
                misclassified += self._output(i, net) != self._targets[i]
            self._epochs.append(EpochRecord(
                epoch=last.epoch,
                first_step=epoch[0].index,
                last_step=last.index,
                loss=None,
                errors=wrong,
                updates=wrong,
                weights=last.weights_after,
                bias=last.bias_after,
                misclassified=misclassified,
            ))

    def _output(self, i: int, net: Fraction) -> int:
        """The step of `net` for sample i; at exactly 0 step_at_zero, or with "mistake" the
        output that is wrong for the sample's target."""
        if net > 0:
            return 1
        if net < 0:
            return 0
        if self.config.step_at_zero == "mistake":
            return int(1 - self._targets[i])
        return int(self.config.step_at_zero)

    def step_record(self, t: int) -> PerceptronStep:
        return self._records[t]

    def epoch_record(self, epoch: int) -> EpochRecord:
        return self._epochs[epoch - 1]

    def epoch_values(self, stop: int) -> np.ndarray:
        return np.array([float(e.errors or 0) for e in self._epochs[:stop]])

    def _step(self) -> PerceptronStep:
        n = len(self._x)
        i = self._t % n
        x = self._x[i]
        w = tuple(self._w)
        net = sum((wi * xi for wi, xi in zip(w, x, strict=True)), Fraction(0))
        if self._b is not None:
            net += self._b
        output = self._output(i, net)
        at_zero = self._output(i, Fraction(0))
        error = self._targets[i] - output
        delta = tuple(self._lr * xi * error for xi in x)
        w_after = tuple(wi + d for wi, d in zip(w, delta, strict=True))
        bias_delta: Fraction | None = None
        b_after: Fraction | None = None
        if self._b is not None:
            bias_delta = self._lr * error
            b_after = self._b + bias_delta
        record = PerceptronStep(
            index=self._t,
            epoch=self._t // n + 1,
            sample=i,
            inputs=self._inputs[i],
            x=x,
            target=self._targets[i],
            net=net,
            output=output,
            error=error,
            learning_rate=self._lr,
            weights_before=w,
            weights_after=w_after,
            delta=delta,
            bias_before=self._b,
            bias_after=b_after,
            bias_delta=bias_delta,
            step_at_zero=at_zero,
            zero_is_mistake=self.config.step_at_zero == "mistake",
        )
        self._w = list(w_after)
        self._b = b_after
        self._t += 1
        return record
