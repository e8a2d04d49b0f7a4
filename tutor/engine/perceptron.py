"""The perceptron learning rule, one sample at a time, in the data's order (float64).

    k = sum_i w_i x_i (+ b),  y = step(k),  error = t - y,  w_i <- w_i + lr * x_i * error

The net input is NumPy's dot product, as it always was (it may use fused multiply-adds, so its
last bit can differ from a left-to-right sum on paper; the exact run in engine/exact.py shows the
paper's arithmetic). The run is kept as columns (engine/columns.py): the weights after every step,
the net input and the output; a step's record is built from them when asked, with the very
arithmetic of the update.

When every input is -1, 0 or 1 (a gate's truth table with a bias input of -1), each product
x_i·w_i is exact, so a fused multiply-add rounds it no differently, and NumPy's dot (OpenBLAS's
ddot) sums short vectors left to right: the loop then runs on Python floats, the same bits without
two NumPy calls per step (`sums_left_to_right` checks the order once per width). With three
weights, the usual gate, the loop is written out on three locals: 10^6 XOR updates that never
repeat take about 0.9 s against 2.2 s with NumPy (1.7 s on lists), on the same loaded machine.

A step depends only on the weights, the bias and the sample, so a run that ends an epoch in the
state it ended an earlier one in repeats itself from there: a converged run (period one epoch),
or the XOR run that comes back to the same weights every epoch. Such a run is computed up to the
repeat and copied from its own columns after it (10^6 XOR updates: 0.03 s). Both shortcuts are
held to the plain NumPy loop, record for record, by tests/engine/test_perceptron_fast_paths.py.
"""

from __future__ import annotations

import math
import random
from array import array
from operator import add

import numpy as np

from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import Divergence, EpochRecord, PerceptronStep

# OpenBLAS's x86-64 ddot sums in order below 16 elements (its kernel takes blocks of 16); a longer
# weight vector stays on NumPy.
SEQUENTIAL_MAX = 15
_in_order: dict[int, bool] = {}


def _bits(w: list[float], b: float | None) -> bytes:
    """The bytes of the weights and bias (float64)."""
    return array("d", w if b is None else [*w, b]).tobytes()


def dot_start(width: int) -> float:
    """What NumPy's dot of `width` elements adds the products to: 0.0, but a one-element dot is
    the product itself (-0.0 for -1 × 0.0), which -0.0 + p gives for every p."""
    return -0.0 if width == 1 else 0.0


def sums_left_to_right(width: int) -> bool:
    """Does NumPy's dot of two float64 vectors of `width` elements, with exact products, give the
    bits of the left-to-right sum dot_start(width) + p_0 + p_1 + ...? Checked once per width on cases whose
    sum depends on the order (a BLAS that sums in another order fails at least one of them)."""
    if width > SEQUENTIAL_MAX:
        return False
    known = _in_order.get(width)
    if known is None:
        # the standard library's generator, not NumPy's: importing numpy.random took 12 ms of
        # the first frame of every lesson that trains a perceptron (issue 10)
        rng = random.Random(width)
        known = True
        for _ in range(64):
            x = np.array([rng.choice((-1.0, 1.0)) for _ in range(width)])
            w = np.array([rng.choice((1.0, 1e-16, 3e16, 0.1, 1e300, 2.5e-308))
                          for _ in range(width)]) * x
            w[rng.randrange(width)] *= -1.0
            net = dot_start(width)
            for a, b in zip(x.tolist(), w.tolist(), strict=True):
                net = net + a * b
            if net != float(x.dot(w)):
                known = False
                break
        _in_order[width] = known
    return known


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
        # A learning rate near the float64 limit makes an update ∞ (no warning on the terminal:
        # the first step that applies it diverges, and says so).
        with np.errstate(over="ignore"):
            self._up = [self._lr * x * 1.0 + 0.0 for x in self._x_rows]  # + 0.0: -0.0 → 0.0
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
        # A run that comes back to an earlier epoch's end state repeats (see _seen); found, the
        # rest of the run is copied from the columns (G through a converged or cycling run of
        # 10^6 steps: milliseconds). Not in a window (a trace keeps no period to copy).
        self._period: int | None = None
        self._mark: tuple[list[float], float | None] = (self._W.data.tolist(), self._b)
        self._mark_epoch, self._mark_power = 0, 1
        # Python floats give NumPy's bits when every product is exact (see the module's doc).
        self._floats = all(v in (-1.0, 0.0, 1.0) for row in self._x_t for v in row) and (
            sums_left_to_right(len(self._zeros))
        )

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
        n = self._n
        while count > 0 and self.diverged is None:
            if self._period is not None and self._t % n == 0 and count >= n:
                epochs = count // n
                self._repeat_epochs(epochs)
                count -= epochs * n
                continue
            before = self._t
            if self._floats and len(self._zeros) == 3:
                self._advance_floats3(count)
            elif self._floats:
                self._advance_floats(count)
            else:
                self._advance_numpy(count)
            count -= self._t - before

    def _seen(self, epoch: int, w: list[float], b: float | None) -> bool:
        """At the end of epoch `epoch` (weights `w`, bias `b`): True when this state was the
        state at the end of an earlier epoch (then `_period` is set: the run repeats itself from
        there, every step bit for bit, since a step depends only on the weights, the bias and
        the sample). Brent's cycle detection: one state kept, compared once per epoch."""
        if self._period is not None:
            return True
        mark_w, mark_b = self._mark
        # == holds for 0.0 and -0.0, which print differently: equal bits are asked for
        if w == mark_w and b == mark_b and _bits(w, b) == _bits(mark_w, mark_b):
            self._period = epoch - self._mark_epoch
            return True
        if epoch - self._mark_epoch >= self._mark_power:
            self._mark, self._mark_epoch = (list(w), b), epoch
            self._mark_power *= 2
        return False

    def _repeat_epochs(self, epochs: int) -> None:
        """Append `epochs` epochs copied from the columns one period back (`_period` is known
        and the run stands at an epoch's end)."""
        n, period = self._n, self._period
        assert period is not None and self._t % n == 0
        steps = epochs * n
        for column in (self._W, self._B, self._net, self._out):
            if column is not None:
                column.repeat(period * n, steps)
        self._wrong.repeat(period, epochs)
        self._t += steps
        self._w = np.array(self._W.row(self._t), dtype=np.float64)
        if self._B is not None:
            self._b = self._B.item(self._t)

    def _advance_numpy(self, count: int) -> None:
        """`advance` with NumPy's dot; stops early at an epoch's end whose state repeats."""
        watch = self._W.window is None
        seen = self._seen
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
                if watch and i == n - 1 and seen(t // n, w_list, b):
                    break
        self._w, self._b, self._t, self._wrong_now = w, b, t, wrong
        self._trim()

    def _advance_floats(self, count: int) -> None:
        """`advance` on Python floats, for inputs in {-1, 0, 1}: the same arithmetic step for step
        (an exact product, then the sums left to right; the update adds the same deltas one
        weight at a time, as NumPy's elementwise add does), so the same bits, and no NumPy call
        per step. Stops early at an epoch's end whose state repeats."""
        watch = self._W.window is None
        seen = self._seen
        n, targets, at_zero, lr = self._n, self._targets, self._at_zero, self._lr
        xs = self._x_t
        up, down = self._up_t, self._down_t
        b, t, wrong = self._b, self._t, self._wrong_now
        w = self._W.data[-len(self._zeros):].tolist()
        zero = dot_start(len(w))
        keep_w, keep_net = self._W.data.extend, self._net.data.append
        keep_out, keep_wrong = self._out.data.append, self._wrong.data.append
        keep_b = self._B.data.append if self._B is not None else None
        isfinite = math.isfinite
        what = None
        for _ in range(count):
            i = t % n
            net = zero  # left to right; not sum(), which Python 3.12 made compensated
            for xj, wj in zip(xs[i], w, strict=True):
                net = net + xj * wj
            if b is not None:
                net = net + b
            output = 1 if net > 0 else (at_zero[i] if net == 0 else 0)
            error = targets[i] - output
            if error != 0:
                if error == 1.0:
                    d = up[i]
                elif error == -1.0:
                    d = down[i]
                else:
                    d = tuple(lr * xj * error + 0.0 for xj in xs[i])
                w = list(map(add, w, d))
                wrong += 1
                total = sum(w)  # see advance(): a finite sum means finite weights
                if total - total != 0.0 and not all(map(isfinite, w)):
                    what = "weights"
            if net - net != 0.0:
                what = "net"
            if keep_b is not None and b is not None:
                b = b + (lr * error if error != 0 else 0.0)
                keep_b(b)
                if what is None and b - b != 0.0:
                    what = "bias"
            keep_w(w)
            keep_net(net)
            keep_out(output)
            t += 1
            if i == n - 1:
                keep_wrong(wrong)
                wrong = 0
            if what is not None:
                self.diverged = Divergence(t - 1, what)
                break
            if watch and i == n - 1 and seen(t // n, w, b):
                break
        self._w = np.array(w, dtype=np.float64)
        self._b, self._t, self._wrong_now = b, t, wrong
        self._trim()

    def _advance_floats3(self, count: int) -> None:
        """`_advance_floats` for three weights (two inputs and a bias input, the usual gate),
        written out: the weights in three locals, the same operations in the same order (0.0 +
        x0·w0 + x1·w1 + x2·w2; each weight plus its delta), half the time of the loop over
        lists (see the module's doc)."""
        watch = self._W.window is None
        seen = self._seen
        n, targets, at_zero, lr = self._n, self._targets, self._at_zero, self._lr
        xs = self._x_t
        up, down = self._up_t, self._down_t
        b, t, wrong = self._b, self._t, self._wrong_now
        w0, w1, w2 = self._W.data[-3:].tolist()
        keep_w, keep_net = self._W.data.extend, self._net.data.append
        keep_out, keep_wrong = self._out.data.append, self._wrong.data.append
        keep_b = self._B.data.append if self._B is not None else None
        isfinite = math.isfinite
        what = None
        for _ in range(count):
            i = t % n
            x0, x1, x2 = xs[i]
            net = 0.0 + x0 * w0 + x1 * w1 + x2 * w2  # left to right, as dot_start(3) + ...
            if b is not None:
                net = net + b
            output = 1 if net > 0 else (at_zero[i] if net == 0 else 0)
            error = targets[i] - output
            if error != 0:
                if error == 1.0:
                    d0, d1, d2 = up[i]
                elif error == -1.0:
                    d0, d1, d2 = down[i]
                else:
                    d0, d1, d2 = (lr * x0 * error + 0.0, lr * x1 * error + 0.0,
                                  lr * x2 * error + 0.0)
                w0 = w0 + d0
                w1 = w1 + d1
                w2 = w2 + d2
                wrong += 1
                total = w0 + w1 + w2  # see advance(): a finite sum means finite weights
                if total - total != 0.0 and not (isfinite(w0) and isfinite(w1) and isfinite(w2)):
                    what = "weights"
            if net - net != 0.0:
                what = "net"
            if keep_b is not None and b is not None:
                b = b + (lr * error if error != 0 else 0.0)
                keep_b(b)
                if what is None and b - b != 0.0:
                    what = "bias"
            keep_w((w0, w1, w2))
            keep_net(net)
            keep_out(output)
            t += 1
            if i == n - 1:
                keep_wrong(wrong)
                wrong = 0
            if what is not None:
                self.diverged = Divergence(t - 1, what)
                break
            if watch and i == n - 1 and seen(t // n, [w0, w1, w2], b):
                break
        self._w = np.array((w0, w1, w2), dtype=np.float64)
        self._b, self._t, self._wrong_now = b, t, wrong
        self._trim()

    def _trim(self) -> None:
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
