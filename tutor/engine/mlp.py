"""A small multi-layer network trained by backpropagation on mean squared error (float64).

Layers: inputs -> hidden layers (`activation`) -> one output unit (`output_activation`).
One step is one epoch on the full batch of N samples:

    forward:   a0 = X,  z_l = a_{l-1} W_l + b_l,  a_l = f_l(z_l)
    loss:      mean((a_L - y)^2)
    backward:  delta_L = (2/N)(a_L - y) * f_L'(z_L),  delta_l = (delta_{l+1} W_{l+1}^T) * f_l'(z_l)
    update:    W_l <- W_l - lr * a_{l-1}^T delta_l,  b_l <- b_l - lr * sum(delta_l)

Initial weights are drawn uniformly from [-1, 1] with `numpy.random.default_rng(seed)`; biases 0.

The run keeps every weight and bias after each epoch in one row of a column (engine/columns.py)
and each epoch's loss; an epoch's record is computed again from the parameters before it, with
the same arithmetic, so it is the record the update made, to the bit.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from tutor.engine.activations import ACTIVATIONS, Array
from tutor.engine.columns import Columns
from tutor.engine.config import TrainingConfig
from tutor.engine.records import EpochRecord, MLPStep


def _matrix(a: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in a.tolist())


class MLP:
    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None:
        self.config = config
        self._x = np.asarray(config.inputs, dtype=np.float64)
        self._y = np.asarray(config.targets, dtype=np.float64).reshape(-1, 1)
        sizes = [config.n_inputs, *config.hidden, 1]
        rng = np.random.default_rng(config.seed)
        self._W = [rng.uniform(-1.0, 1.0, size=(a, b)) for a, b in itertools.pairwise(sizes)]
        self._b = [np.zeros(b) for b in sizes[1:]]
        n_layers = len(self._W)
        self._f = [ACTIVATIONS[config.activation]] * (n_layers - 1)
        self._f.append(ACTIVATIONS[config.output_activation])
        self._lr = float(config.learning_rate)
        self._t = 0
        self._x_rows = _matrix(self._x)
        self._targets = tuple(self._y[:, 0].tolist())
        # One row holds every parameter: W_1, b_1, W_2, b_2, ... flattened in that order.
        self._shapes = [s for W, b in zip(self._W, self._b, strict=True) for s in (W.shape, b.shape)]
        size = sum(int(np.prod(s)) for s in self._shapes)
        self._params = Columns(size, window=None if window is None else window + 1)
        self._params.append(self._flat(self._W, self._b).tolist())
        self._loss = Columns(window=window)
        self._last: tuple[int, Any] | None = None
        self._last_record: MLPStep | None = None

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return 1

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

    def predict(self, x: np.ndarray) -> np.ndarray:
        a: Array = np.asarray(x, dtype=np.float64)
        for W, b, (f, _) in zip(self._W, self._b, self._f, strict=True):
            a = f(a @ W + b)
        return a

    def _compute(self, Ws: Sequence[Array], bs: Sequence[Array]) -> tuple[Any, ...]:
        """One full-batch epoch from parameters (Ws, bs): forward, backward, update."""
        n = self._x.shape[0]
        acts: list[Array] = [self._x]
        zs = []
        for W, b, (f, _) in zip(Ws, bs, self._f, strict=True):
            z = acts[-1] @ W + b
            zs.append(z)
            acts.append(f(z))
        out = acts[-1]
        err = out - self._y
        loss = float(np.mean(err * err))
        # Backpropagation runs from the output layer down; deltas[l] belongs to layer l.
        delta = (2.0 / n) * err * self._f[-1][1](zs[-1])
        deltas = [delta]
        for layer in range(len(Ws) - 2, -1, -1):
            delta = (delta @ Ws[layer + 1].T) * self._f[layer][1](zs[layer])
            deltas.insert(0, delta)
        grad_W = [acts[layer].T @ deltas[layer] for layer in range(len(Ws))]
        grad_b = [d.sum(axis=0) for d in deltas]
        W_after = [W - self._lr * g for W, g in zip(Ws, grad_W, strict=True)]
        b_after = [b - self._lr * g for b, g in zip(bs, grad_b, strict=True)]
        return acts, out, err, loss, deltas, grad_W, grad_b, W_after, b_after

    def advance(self, count: int = 1) -> None:
        """Train the next `count` epochs and keep each one's parameters and loss."""
        for _ in range(count):
            out = self._compute(self._W, self._b)
            self._last = (self._t, (self._W, self._b, out))
            self._W, self._b = out[7], out[8]
            self._params.append(self._flat(self._W, self._b).tolist())
            self._loss.append(out[3])
            self._t += 1
        self._params.trim()
        self._loss.trim()

    def step_record(self, t: int) -> MLPStep:
        if self._last is not None and self._last[0] == t:
            Ws, bs, out = self._last[1]
        else:
            Ws, bs = self._unflat(np.array(self._params.row(t)))
            out = self._compute(Ws, bs)
        acts, outputs, err, loss, deltas, grad_W, grad_b, W_after, b_after = out
        record = MLPStep(
            index=t,
            epoch=t + 1,
            x=self._x_rows,
            targets=self._targets,
            hidden=tuple(_matrix(a) for a in acts[1:-1]),
            outputs=tuple(outputs[:, 0].tolist()),
            errors=tuple(err[:, 0].tolist()),
            loss=loss,
            deltas=tuple(_matrix(d) for d in deltas),
            grad_weights=tuple(_matrix(g) for g in grad_W),
            grad_biases=tuple(tuple(g.tolist()) for g in grad_b),
            learning_rate=self._lr,
            weights_before=tuple(_matrix(W) for W in Ws),
            weights_after=tuple(_matrix(W) for W in W_after),
            biases_before=tuple(tuple(b.tolist()) for b in bs),
            biases_after=tuple(tuple(b.tolist()) for b in b_after),
            activation=self.config.activation,
            output_activation=self.config.output_activation,
        )
        self._last_record = record
        return record

    def epoch_record(self, epoch: int) -> EpochRecord:
        last = self._last_record
        if last is not None and last.index == epoch - 1:  # a trace: its step was just built
            weights, bias = last.weights_after, last.biases_after
        else:
            Ws, bs = self._unflat(np.array(self._params.row(epoch)))
            weights = tuple(_matrix(W) for W in Ws)
            bias = tuple(tuple(b.tolist()) for b in bs)
        return EpochRecord(
            epoch=epoch,
            first_step=epoch - 1,
            last_step=epoch - 1,
            loss=self._loss.item(epoch - 1),
            errors=None,
            updates=1,
            weights=weights,
            bias=bias,
        )

    def epoch_values(self, stop: int) -> np.ndarray:
        """The loss of epochs 1..stop (the history chart's bars)."""
        return self._loss.array(0, stop)
