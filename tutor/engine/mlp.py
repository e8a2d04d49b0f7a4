"""A small multi-layer network trained by backpropagation on mean squared error (float64).

Layers: inputs -> hidden layers (`activation`) -> one output unit (`output_activation`).
One step is one epoch on the full batch of N samples:

    forward:   a0 = X,  z_l = a_{l-1} W_l + b_l,  a_l = f_l(z_l)
    loss:      mean((a_L - y)^2)
    backward:  delta_L = (2/N)(a_L - y) * f_L'(z_L),  delta_l = (delta_{l+1} W_{l+1}^T) * f_l'(z_l)
    update:    W_l <- W_l - lr * a_{l-1}^T delta_l,  b_l <- b_l - lr * sum(delta_l)

Initial weights are drawn uniformly from [-1, 1] with `numpy.random.default_rng(seed)`; biases 0.
"""

from __future__ import annotations

import itertools

import numpy as np

from tutor.engine.activations import ACTIVATIONS, Array
from tutor.engine.config import TrainingConfig
from tutor.engine.records import EpochRecord, MLPStep


def _matrix(a: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in a.tolist())


class MLP:
    def __init__(self, config: TrainingConfig) -> None:
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

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int:
        return 1

    def predict(self, x: np.ndarray) -> np.ndarray:
        a: Array = np.asarray(x, dtype=np.float64)
        for W, b, (f, _) in zip(self._W, self._b, self._f, strict=True):
            a = f(a @ W + b)
        return a

    def step(self) -> MLPStep:
        n = self._x.shape[0]
        acts: list[Array] = [self._x]
        zs = []
        for W, b, (f, _) in zip(self._W, self._b, self._f, strict=True):
            z = acts[-1] @ W + b
            zs.append(z)
            acts.append(f(z))
        out = acts[-1]
        err = out - self._y
        loss = float(np.mean(err * err))
        # Backpropagation runs from the output layer down; deltas[l] belongs to layer l.
        delta = (2.0 / n) * err * self._f[-1][1](zs[-1])
        deltas = [delta]
        for layer in range(len(self._W) - 2, -1, -1):
            delta = (delta @ self._W[layer + 1].T) * self._f[layer][1](zs[layer])
            deltas.insert(0, delta)
        grad_W = [acts[layer].T @ deltas[layer] for layer in range(len(self._W))]
        grad_b = [d.sum(axis=0) for d in deltas]
        W_after = [W - self._lr * g for W, g in zip(self._W, grad_W, strict=True)]
        b_after = [b - self._lr * g for b, g in zip(self._b, grad_b, strict=True)]
        record = MLPStep(
            index=self._t,
            epoch=self._t + 1,
            x=self._x_rows,
            targets=self._targets,
            hidden=tuple(_matrix(a) for a in acts[1:-1]),
            outputs=tuple(out[:, 0].tolist()),
            errors=tuple(err[:, 0].tolist()),
            loss=loss,
            deltas=tuple(_matrix(d) for d in deltas),
            grad_weights=tuple(_matrix(g) for g in grad_W),
            grad_biases=tuple(tuple(g.tolist()) for g in grad_b),
            learning_rate=self._lr,
            weights_before=tuple(_matrix(W) for W in self._W),
            weights_after=tuple(_matrix(W) for W in W_after),
            biases_before=tuple(tuple(b.tolist()) for b in self._b),
            biases_after=tuple(tuple(b.tolist()) for b in b_after),
            activation=self.config.activation,
            output_activation=self.config.output_activation,
        )
        self._W, self._b = W_after, b_after
        self._t += 1
        return record

    @staticmethod
    def summarize(epoch: int, records: list[MLPStep]) -> EpochRecord:
        r = records[-1]
        return EpochRecord(
            epoch=epoch,
            first_step=r.index,
            last_step=r.index,
            loss=r.loss,
            errors=None,
            updates=1,
            weights=r.weights_after,
            bias=r.biases_after,
        )
