"""The perceptron learning rule, one sample at a time, in the data's order (float64).

    k = sum_i w_i x_i (+ b),  y = step(k),  error = t - y,  w_i <- w_i + lr * x_i * error

The net input is NumPy's dot product, as it always was (it may use fused multiply-adds, so its
last bit can differ from a left-to-right sum on paper; the exact run in engine/exact.py shows the
paper's arithmetic). The run is kept as columns (engine/columns.py): the weights after every step,
the net input and the output; a step's record is built from them when asked, with the very
arithmetic of the update.
"""

from __future__ import annotations

import math

import numpy as np

from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import Divergence, EpochRecord, PerceptronStep


class Perceptron:
    """Holds the current weights; `advance(k)` applies the rule to the next k samples and keeps
    their numbers; `step_record(t)` and `epoch_record(e)` read them back as records."""

    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        self.config = config
        inputs = np.asarray(config.inputs, dtype=np.float64)
        if config.bias_input is not None:
            x0 = np.full((inputs.shape[0], 1), float(config.bias_input))
            inputs_full = np.hstack((x0, inputs))
        else:
            inputs_full = inputs
        self._n = inputs.shape[0]
        self._x_rows = [np.ascontiguousarray(row) for row in inputs_full]
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
        # The perceptron's error is t - y with t and y in {0, 1}: -1, 0 or 1. The two nonzero
        # updates of each sample, computed once exactly as the rule computes them.
        self._up = [self._lr * x * 1.0 + 0.0 for x in self._x_rows]  # + 0.0: -0.0 becomes 0.0
        self._down = [self._lr * x * -1.0 + 0.0 for x in self._x_rows]
        self._up_t = [tuple(d.tolist()) for d in self._up]
        self._down_t = [tuple(d.tolist()) for d in self._down]
        self._zeros = (0.0,) * inputs_full.shape[1]
        # The output at a net of exactly 0, per sample: step_at_zero, or with "mistake" the wrong
        # output for this sample's target (scikit-learn updates when y·(w·x + b) <= 0).
        self._mistake = config.step_at_zero == "mistake"
        self._at_zero = [
            int(1 - t) if self._mistake else int(config.step_at_zero) for t in self._targets
        ]
        self._t = 0
        self._wrong_now = 0
        self.diverged: Divergence | None = None  # the step whose numbers first held ∞ or NaN
        # Row t of the weights (and bias) is the state before step t; row t + 1 the state after.
        w_window = None if window is None else window + 1
        self._W = Columns(len(self._w), window=w_window)
        self._W.append(self._w.tolist())
        self._B: Columns | None = None
        if self._b is not None:
            self._B = Columns(window=w_window)
            self._B.append(self._b)
        self._net = Columns(window=window)
        self._out = Columns(1, "b", window=window)
        self._wrong = Columns(1, "q", window=window)

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return config.n_samples

    @property
    def computed(self) -> int:
        return self._t

    @property
    def weights(self) -> tuple[float, ...]:
        return tuple(self._w.tolist())

    def advance(self, count: int = 1) -> None:
        """Apply the rule to the next `count` samples and keep each step's numbers.

        Stops after the first step whose net input, weights or bias after it are ∞ or NaN
        (`diverged` says which step and what); nothing is computed after it."""
        if self.diverged is not None:
            return
        # x.dot(w) is np.dot(x, w) without the dispatch: the same BLAS call, the same bits.
        dots = [x.dot for x in self._x_rows]
        n, xs, up, down, targets = self._n, self._x_rows, self._up, self._down, self._targets
        at_zero, lr = self._at_zero, self._lr
        w, b, t, wrong = self._w, self._b, self._t, self._wrong_now
        w_list = self._W.data[-len(w):].tolist()
        keep_w, keep_net = self._W.data.extend, self._net.data.append
        keep_out, keep_wrong = self._out.data.append, self._wrong.data.append
        keep_b = self._B.data.append if self._B is not None else None
        isfinite = math.isfinite
        what = None
        with np.errstate(over="ignore", invalid="ignore"):  # ∞ and NaN: caught below
            for _ in range(count):
                i = t % n
                net = float(dots[i](w))
                if b is not None:
                    net = net + b
                output = 1 if net > 0 else (at_zero[i] if net == 0 else 0)
                error = targets[i] - output
                if error != 0:
                    w = w + (up[i] if error == 1.0 else down[i] if error == -1.0
                             else lr * xs[i] * error + 0.0)
                    w_list = w.tolist()
                    wrong += 1
                    # A sum of finite weights overflows only when they are already huge: then
                    # look at each one (the common case costs one sum per update).
                    total = sum(w_list)
                    if total - total != 0.0 and not all(map(isfinite, w_list)):
                        what = "weights"
                if net - net != 0.0:  # ∞ - ∞ and NaN - NaN are NaN: only a finite net gives 0
                    what = "net"
                if keep_b is not None and b is not None:
                    b = b + (lr * error if error != 0 else 0.0)
                    keep_b(b)
                    if what is None and b - b != 0.0:
                        what = "bias"
                keep_w(w_list)
                keep_net(net)
                keep_out(output)
                t += 1
                if i == n - 1:
                    keep_wrong(wrong)
                    wrong = 0
                if what is not None:
                    self.diverged = Divergence(t - 1, what)
                    break
        self._w, self._b, self._t, self._wrong_now = w, b, t, wrong
        for column in (self._W, self._B, self._net, self._out, self._wrong):
            if column is not None:
                column.trim()

    def step_record(self, t: int) -> PerceptronStep:
        """The record of step `t` (0-based, already computed), from the kept numbers.

        IndexError when step t is not computed (or, in a window, no longer kept)."""
        if not 0 <= t < self._t:
            raise IndexError(f"step {t} is not computed ({self._t} steps)")
        i = t % self._n
        output = int(self._out.item(t))
        target = self._targets[i]
        error = target - output
        if error == 1.0:
            delta = self._up_t[i]
        elif error == -1.0:
            delta = self._down_t[i]
        elif error != 0:
            delta = tuple((self._lr * self._x_rows[i] * error + 0.0).tolist())
        else:
            delta = self._zeros
        b_before = b_after = bias_delta = None
        if self._B is not None:
            b_before, b_after = self._B.item(t), self._B.item(t + 1)
            bias_delta = self._lr * error if error != 0 else 0.0
        W = self._W
        k = W.width
        at = W.offset(t)
        return PerceptronStep(
            index=t,
            epoch=t // self._n + 1,
            sample=i,
            inputs=self._inputs_t[i],
            x=self._x_t[i],
            target=target,
            net=self._net.item(t),
            output=output,
            error=error,
            learning_rate=self._lr,
            weights_before=tuple(W.data[at : at + k]),
            weights_after=tuple(W.data[at + k : at + 2 * k]),
            delta=delta,
            bias_before=b_before,
            bias_after=b_after,
            bias_delta=bias_delta,
            step_at_zero=self._at_zero[i],
            zero_is_mistake=self._mistake,
        )

    def epoch_record(self, epoch: int) -> EpochRecord:
        """The summary of finished epoch `epoch` (1-based)."""
        last = epoch * self._n - 1
        wrong = int(self._wrong.item(epoch - 1))
        return EpochRecord(
            epoch=epoch,
            first_step=last - self._n + 1,
            last_step=last,
            loss=None,
            errors=wrong,
            updates=wrong,
            weights=self._W.row(last + 1),
            bias=None if self._B is None else self._B.item(last + 1),
            misclassified=self._misclassified(last + 1),
        )

    def _misclassified(self, row: int) -> int:
        """Samples that the weights of row `row` (and bias) misclassify, by the run's own rule."""
        w = np.asarray(self._W.row(row))
        b = None if self._B is None else self._B.item(row)
        wrong = 0
        for i, x in enumerate(self._x_rows):
            with np.errstate(over="ignore", invalid="ignore"):  # a diverged run: ∞ is shown
                net = float(x.dot(w))
            if b is not None:
                net = net + b
            output = 1 if net > 0 else (self._at_zero[i] if net == 0 else 0)
            wrong += output != self._targets[i]
        return wrong

    def epoch_values(self, stop: int) -> np.ndarray:
        """Misclassified samples of epochs 1..stop (the history chart's bars)."""
        return self._wrong.array(0, stop)
