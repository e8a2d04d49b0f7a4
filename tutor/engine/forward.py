"""The output of a model's weights at many points at once: what a decision region is drawn from.

No update happens here: given the weights of one record (before or after its update), the output
at each point of a grid is a forward pass (the same formulas as the models: engine/perceptron.py,
engine/linear.py, engine/mlp.py). The playground's plot shades a region from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import SupportsFloat

import numpy as np

from tutor.engine.activations import ACTIVATIONS
from tutor.engine.records import LinearStep, MLPStep, PerceptronStep


def network_outputs(
    weights: Sequence[Sequence[Sequence[float]]],
    biases: Sequence[Sequence[float]],
    activations: Sequence[str],
    points: np.ndarray,
) -> np.ndarray:
    """A network's outputs at `points` (shape (N, inputs)): shape (N, outputs).

    `weights[l]` has one row per input of layer l and one column per unit (as MLPStep keeps
    them), `biases[l]` one value per unit, `activations[l]` the layer's activation name. Raises
    ValueError when the shapes do not chain; ∞ and NaN in the weights give NaN, never an error.
    """
    a: np.ndarray = np.asarray(points, dtype=np.float64)
    with np.errstate(all="ignore"):
        for W, b, name in zip(weights, biases, activations, strict=True):
            Wm = np.asarray(W, dtype=np.float64)
            if Wm.ndim != 2 or Wm.shape[0] != a.shape[1]:
                raise ValueError(f"a layer of shape {Wm.shape} cannot take {a.shape[1]} inputs")
            a = ACTIVATIONS[name][0](a @ Wm + np.asarray(b, dtype=np.float64))
    return a


def linear_net(
    weights: Sequence[SupportsFloat], bias: SupportsFloat, points: np.ndarray, bias_input: float | None = None
) -> np.ndarray:
    """The net input k at `points` (shape (N, inputs)), shape (N,): with a bias input x₀
    (`bias_input`, the perceptron's −1) the first weight is w₀ and k = x₀w₀ + Σ xᵢwᵢ; else
    k = Σ xᵢwᵢ + b."""
    x = np.asarray(points, dtype=np.float64)
    w = np.asarray([float(v) for v in weights], dtype=np.float64)  # exact Fractions too
    with np.errstate(all="ignore"):
        if bias_input is not None:
            return bias_input * w[0] + x @ w[1:]
        return x @ w + float(bias)


def decision_grid(
    record: object,
    xs: Sequence[float],
    ys: Sequence[float],
    *,
    before: bool,
    bias_input: float | None = None,
    step_at_zero: object = 0,
) -> list[list[bool]] | None:
    """Which points of the grid xs × ys the record's weights (before or after its update) put in
    class 1: one row per y (in the order given), one value per x. The perceptron's step (net > 0,
    or ≥ 0 with `step_at_zero` 1); a linear unit's or a network's output ≥ 0.5 (Keras' binary
    accuracy threshold). None when the weights are not finite or the record is not a model's."""
    points = np.array([(x, y) for y in ys for x in xs], dtype=np.float64)
    if isinstance(record, PerceptronStep):
        w = record.weights_before if before else record.weights_after
        b = record.bias_before if before else record.bias_after
        net = linear_net(w, b or 0.0, points, bias_input)
        out = net >= 0 if step_at_zero == 1 else net > 0
    elif isinstance(record, LinearStep):
        w = record.weights_before if before else record.weights_after
        b = record.bias_before if before else record.bias_after
        net = linear_net(w, b, points)
        out = net >= 0.5
    elif isinstance(record, MLPStep):
        ws = record.weights_before if before else record.weights_after
        bs = record.biases_before if before else record.biases_after
        net = network_outputs(ws, bs, record.activations, points)[:, 0]
        out = net >= 0.5
    else:
        return None
    if not bool(np.all(np.isfinite(net))):
        return None
    flat = out.tolist()
    return [flat[i * len(xs):(i + 1) * len(xs)] for i in range(len(ys))]
