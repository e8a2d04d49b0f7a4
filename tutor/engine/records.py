"""Immutable records of one update each. Plain tuples of Python numbers, never arrays.

A record holds everything a screen, a quiz or a trace needs about one step, so nothing above the
engine ever recomputes a number. Steps are numbered from 0 (`index`); epochs from 1; samples from 0.

One meaning per name, in every model (docs/lesson-format.md says the same to lesson authors):

- `net` / `z`: the net input Σ w·x + b;  `output(s)`: y or ŷ, what the unit or network gives;
- `error(s)`: t − y, target minus output, the textbooks' error (the perceptron rule's e);
- `residual(s)`: ŷ − t, output minus target: what a squared loss differentiates
  (∂½(ŷ − t)²/∂ŷ), and what mean squared error averages the square of;
- `delta` (perceptron): the weight change η·e·x;  `deltas` (network): δ = ∂E/∂z per layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Vector = tuple[float, ...]
Matrix = tuple[Vector, ...]

# The perceptron rule's records hold floats in a float run and `Fraction`s in the exact run
# (engine/exact.py); both compare, add and format alike, so one record type serves both runs.
Number = float | Fraction
NumberVector = tuple[Number, ...]


def _abs(x: Number) -> Number:
    """abs(x), typed as what it is: mypy joins abs() of a float | Fraction to `object`."""
    return x.__abs__()


@dataclass(frozen=True, slots=True)
class PerceptronStep:
    """One sample through the perceptron learning rule: net, step output, error, update."""

    index: int
    epoch: int
    sample: int
    inputs: NumberVector  # the sample's inputs as given (without the constant bias input)
    x: NumberVector  # the vector multiplied with the weights (x0 first when a bias input is used)
    target: Number
    net: Number  # k = sum of w_i * x_i (+ b): the exact float, never rounded
    output: int
    error: Number  # target - output
    learning_rate: Number
    weights_before: NumberVector
    weights_after: NumberVector
    delta: NumberVector  # learning_rate * x_i * error, one per weight
    bias_before: Number | None  # separate bias b, or None when a bias input is used
    bias_after: Number | None
    bias_delta: Number | None
    step_at_zero: int  # the output this step gives a net of exactly 0
    zero_is_mistake: bool = False  # step_at_zero: mistake (then step_at_zero = 1 - target)
    model: str = field(default="perceptron", init=False)

    @property
    def updated(self) -> bool:
        return self.error != 0

    @property
    def products(self) -> NumberVector:
        """The terms w_i * x_i of the sum, in order (without the separate bias)."""
        return tuple(w * xi for w, xi in zip(self.weights_before, self.x, strict=True))

    @property
    def net_is_roundoff(self) -> bool:
        """True when the net is not 0 but is 0 up to floating-point round-off.

        That is, |net| is tiny compared with the terms that were added up, as with
        -0.35 + 0.35000000000000003 = 5.55e-17 in the textbook run.
        """
        if self.net == 0:
            return False
        scale = sum(_abs(p) for p in self.products) + _abs(self.bias_before or 0.0)
        return _abs(self.net) <= 1e-12 * max(scale, 1e-300)

    @property
    def roundoff_decides(self) -> bool:
        """True when treating the round-off net as exactly 0 would change the output."""
        return self.net_is_roundoff and self.output != self.step_at_zero


@dataclass(frozen=True, slots=True)
class LinearStep:
    """One (mini-)batch through a linear unit trained by gradient descent on mean squared error."""

    index: int
    epoch: int
    batch: int  # 0-based batch number within the epoch
    samples: tuple[int, ...]  # indices of the samples in this batch
    x: Matrix
    targets: Vector
    outputs: Vector  # ŷ = x·w + b before the update (the unit is linear: net = output)
    residuals: Vector  # ŷ − t
    loss: float  # mean of squared residuals of this batch, before the update
    grad_weights: Vector  # (2/N) X^T (Xw + b - y)
    grad_bias: float
    learning_rate: float
    weights_before: Vector
    weights_after: Vector
    bias_before: float
    bias_after: float
    model: str = field(default="linear", init=False)

    @property
    def sample(self) -> int | None:
        """The sample index when the batch holds exactly one sample, else None."""
        return self.samples[0] if len(self.samples) == 1 else None

    @property
    def errors(self) -> Vector:
        """t − ŷ per sample (the error, as the perceptron rule's e = t − y)."""
        return tuple(t - o for t, o in zip(self.targets, self.outputs, strict=True))

    @property
    def predictions(self) -> Vector:
        """The same as `outputs` (the name the first lessons used for ŷ)."""
        return self.outputs


@dataclass(frozen=True, slots=True)
class MLPStep:
    """One update of a multi-layer network on a batch of samples (one sample when online):
    forward pass, loss, backpropagation, update (engine/mlp.py has the formulas).

    Layer tuples run from the first hidden layer (index 0) to the output layer. Per layer, `z`
    (net input), `a` (activation) and `deltas` (δ = ∂E/∂z) are matrices with one row per sample
    of the batch and one column per unit; ``weights_before[l]`` has one row per input of layer l
    and one column per unit, ``grad_weights[l]`` = ∂E/∂W_l the same shape; ``grad_biases[l]`` =
    ∂E/∂b_l one per unit (recorded even when biases are not trained).
    """

    index: int
    epoch: int
    batch: int  # 0-based batch number within the epoch
    samples: tuple[int, ...]  # indices of the batch's samples, in the order used
    x: Matrix  # the batch's inputs, one row per sample
    targets: Matrix  # one row per sample, one column per output unit
    z: tuple[Matrix, ...]  # net input z = a_prev W + b, per layer
    a: tuple[Matrix, ...]  # activation a = f(z), per layer; the last is the network's output
    loss: float  # E of this batch, before the update (`loss_name`)
    deltas: tuple[Matrix, ...]  # δ = ∂E/∂z per layer
    grad_weights: tuple[Matrix, ...]  # ∂E/∂W per layer
    grad_biases: tuple[Vector, ...]  # ∂E/∂b per layer
    learning_rate: float
    weights_before: tuple[Matrix, ...]
    weights_after: tuple[Matrix, ...]
    biases_before: tuple[Vector, ...]
    biases_after: tuple[Vector, ...]
    activations: tuple[str, ...]  # per layer
    loss_name: str = "mse"
    train_biases: bool = True
    # the two factors of each δ = upstream · slope, per layer (shaped as `deltas`): upstream is
    # ∂E/∂o for the output layer (mse (2/(B·K))(o − t), sse_half o − t) and Σ_k w_jk δ_k for a
    # hidden layer (the weights before the update); slope is f'(z). Under a cross-entropy the
    # output's f' cancels: upstream = δ and slope = 1.
    upstream: tuple[Matrix, ...] = ()
    slopes: tuple[Matrix, ...] = ()
    model: str = field(default="mlp", init=False)

    @property
    def sample(self) -> int | None:
        """The sample index when the batch holds exactly one sample, else None."""
        return self.samples[0] if len(self.samples) == 1 else None

    @property
    def hidden(self) -> tuple[Matrix, ...]:
        """The activations of the hidden layers (every layer but the output)."""
        return self.a[:-1]

    @property
    def outputs(self) -> Matrix:
        """The network's output o before the update, one row per sample."""
        return self.a[-1]

    @property
    def errors(self) -> Matrix:
        """t − ŷ per sample and output (the error)."""
        return tuple(
            tuple(t - o for o, t in zip(orow, trow, strict=True))
            for orow, trow in zip(self.outputs, self.targets, strict=True)
        )

    @property
    def residuals(self) -> Matrix:
        """ŷ − t per sample and output (what mse and sse_half differentiate)."""
        return tuple(
            tuple(o - t for o, t in zip(orow, trow, strict=True))
            for orow, trow in zip(self.outputs, self.targets, strict=True)
        )

    @property
    def activation(self) -> str:
        """The hidden layers' activation (the first layer's)."""
        return self.activations[0]

    @property
    def output_activation(self) -> str:
        return self.activations[-1]


StepRecord = PerceptronStep | LinearStep | MLPStep


@dataclass(frozen=True, slots=True)
class EpochRecord:
    """The summary of one finished epoch."""

    epoch: int
    first_step: int  # index of the epoch's first step
    last_step: int  # index of the epoch's last step
    loss: float | None  # linear and mlp: loss as Keras logs it; None for the perceptron rule
    errors: int | None  # perceptron rule: samples misclassified during the epoch (= updates)
    updates: int  # steps that changed the weights (the classic "errors per epoch" plot)
    weights: Any  # weights at the end of the epoch (Vector, or tuple of matrices for mlp)
    bias: Any  # bias at the end (float, tuple of vectors for mlp, None with a bias input)
    # perceptron rule: samples the weights at the end of the epoch misclassify (fewer than
    # `updates` while the weights still move: an update can fix samples seen earlier)
    misclassified: int | None = None
    # linear and mlp: Keras' `acc`, the fraction of outputs right at threshold 0.5 (argmax for
    # softmax), each batch's outputs taken before its update, as Keras logs it
    accuracy: float | None = None


@dataclass(frozen=True, slots=True)
class Divergence:
    """Why a run stopped early: step `step` (0-based) produced a value that is not finite.

    `what` names the first such value: "net" (the net input), "loss", "weights" (a weight after
    the update) or "bias" (a bias after the update). The step's record is still there (it shows
    the ∞ or NaN); no step after it is computed: every later number would be ∞ or NaN too.
    """

    step: int
    what: str
