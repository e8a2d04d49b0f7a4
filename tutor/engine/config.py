"""The training configuration every model is built from, and its consistency checks."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

MODELS = ("perceptron", "linear", "mlp")
DTYPES = ("float32", "float64")
# The activations engine/activations.py defines, in its order (a test keeps the two the same);
# named here so that reading a lesson needs no NumPy.
ACTIVATION_NAMES = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax")
# Hidden layers may use these; softmax only on the output layer, with categorical cross-entropy.
HIDDEN_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
# A network's loss E of one update's batch of B samples with K outputs (engine/mlp.py has the
# formulas): mse as Keras, the mean over samples and outputs; sse_half = ½ Σ (t − o)² summed over
# the batch; the cross-entropies as Keras, the mean over samples.
LOSSES = ("mse", "sse_half", "binary_crossentropy", "categorical_crossentropy")
# How a network draws the weights no layer gives: U(−1, 1), or Keras' Glorot uniform
# U(−l, l) with l = √(6 / (fan_in + fan_out)). Biases not given start at 0.
INITS = ("uniform", "glorot_uniform")
STEP_AT_ZERO = (0, 1, "mistake")


class ConfigError(ValueError):
    """A training configuration that cannot run. `field` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class LayerConfig:
    """One layer of a network: its `activation`, and either its number of `units` (weights drawn
    from the config's seed) or its initial `weights` (one row per input of the layer, one column
    per unit); `biases` one per unit (0 when not given)."""

    activation: str = "sigmoid"
    units: int | None = None
    weights: tuple[tuple[float, ...], ...] | None = None
    biases: tuple[float, ...] | None = None

    @property
    def size(self) -> int:
        if self.weights is not None:
            return len(self.weights[0]) if self.weights else 0
        if self.units is not None:
            return self.units
        return len(self.biases) if self.biases is not None else 0


@dataclass(frozen=True)
class TrainingConfig:
    """What to train and how. Lists are tuples so that a config is hashable and immutable.

    - perceptron: `weights` are the initial weights, w0 first when `bias_input` is set
      (x0 = bias_input is put in front of every sample); otherwise a separate bias `bias`.
    - linear: weights (one per input) and `bias`, gradient descent on mean squared error,
      `batch_size` samples per update in the data's order, in `dtype` (float32 as Keras).
    - mlp: either `hidden` layer sizes, `activation` for hidden units, `output_activation` and
      one output unit, weights drawn from `seed` (as before); or explicit `layers` (LayerConfig,
      first hidden to output), any number of outputs (`targets` one row per sample). `loss`
      (LOSSES, default mse), `batch_size` samples per update (default all: full batch; 1 is
      online learning), `shuffle` (the order of each epoch drawn from `seed`, default 0),
      `train_biases`, `init` (INITS) for the weights no layer gives, `dtype`.
    - perceptron: `step_at_zero` 0 or 1 is the output at a net of exactly 0; "mistake" counts
      a net of 0 as wrong for either target (scikit-learn's Perceptron: update when
      y·(w·x + b) <= 0, y in {−1, +1}).
    """

    model: str
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[Any, ...]  # one number per sample, or (networks) one row per sample
    learning_rate: float
    epochs: int
    weights: tuple[float, ...] | None = None
    bias: float = 0.0
    bias_input: float | None = None
    seed: int | None = None
    step_at_zero: int | str = 0
    batch_size: int | None = None  # linear: 32 (Keras); network: every sample
    dtype: str | None = None
    hidden: tuple[int, ...] = (2,)
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
    layers: tuple[LayerConfig, ...] | None = None
    loss: str = "mse"
    train_biases: bool = True
    shuffle: bool = False
    init: str = "uniform"
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        self.validate()

    @property
    def n_inputs(self) -> int:
        return len(self.inputs[0])

    @property
    def n_samples(self) -> int:
        return len(self.inputs)

    @property
    def resolved_dtype(self) -> str:
        if self.dtype is not None:
            return self.dtype
        return "float32" if self.model == "linear" else "float64"

    @property
    def resolved_batch_size(self) -> int:
        """Samples per update: `batch_size` (at most every sample); by default 32 for a linear
        unit (Keras' default) and every sample (full batch) for a network; 1 for the rule."""
        if self.model == "perceptron":
            return 1
        default = 32 if self.model == "linear" else self.n_samples
        return min(self.batch_size if self.batch_size is not None else default, self.n_samples)

    @property
    def steps_per_epoch(self) -> int:
        """Updates in one epoch: one per sample (perceptron rule), one per batch of
        `batch_size` (linear unit and network)."""
        return math.ceil(self.n_samples / self.resolved_batch_size)

    @property
    def target_rows(self) -> tuple[tuple[float, ...], ...]:
        """The targets as one row per sample (a single number becomes a row of one)."""
        return tuple(tuple(t) if isinstance(t, tuple | list) else (t,) for t in self.targets)

    @property
    def n_outputs(self) -> int:
        return len(self.target_rows[0])

    @property
    def layer_sizes(self) -> tuple[int, ...]:
        """A network's sizes: inputs, each hidden layer, outputs."""
        if self.layers is not None:
            return (self.n_inputs, *(layer.size for layer in self.layers))
        return (self.n_inputs, *self.hidden, 1)

    @property
    def layer_activations(self) -> tuple[str, ...]:
        """A network's activation per layer, first hidden layer to output."""
        if self.layers is not None:
            return tuple(layer.activation for layer in self.layers)
        return (*(self.activation,) * len(self.hidden), self.output_activation)

    @property
    def n_weights(self) -> int:
        """How many entries `weights` must have for a perceptron or linear unit."""
        extra = 1 if (self.model == "perceptron" and self.bias_input is not None) else 0
        return self.n_inputs + extra

    def validate(self) -> None:
        if self.model not in MODELS:
            raise ConfigError("model", f"must be one of {', '.join(MODELS)}")
        if not self.inputs:
            raise ConfigError("inputs", "must hold at least one sample")
        width = len(self.inputs[0])
        if width == 0:
            raise ConfigError("inputs", "each sample needs at least one input")
        for i, row in enumerate(self.inputs):
            if len(row) != width:
                raise ConfigError(
                    f"inputs[{i}]", f"has {len(row)} values but the first sample has {width}"
                )
            for j, v in enumerate(row):
                if not math.isfinite(v):
                    raise ConfigError(f"inputs[{i}][{j}]", "must be a finite number")
        if len(self.targets) != len(self.inputs):
            raise ConfigError(
                "targets",
                f"has {len(self.targets)} values for {len(self.inputs)} samples",
            )
        rows = self.target_rows
        for i, row in enumerate(rows):
            if isinstance(self.targets[i], tuple | list):
                if self.model != "mlp":
                    raise ConfigError(f"targets[{i}]", "must be a number (one output)")
                if len(row) != len(rows[0]) or not row:
                    raise ConfigError(
                        f"targets[{i}]", f"has {len(row)} values but the first has {len(rows[0])}"
                    )
            for j, t in enumerate(row):
                if not (isinstance(t, int | float) and math.isfinite(t)):
                    at = f"targets[{i}]" if len(row) == 1 else f"targets[{i}][{j}]"
                    raise ConfigError(at, "must be a finite number")
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ConfigError("learning_rate", "must be a positive number")
        if self.epochs < 1:
            raise ConfigError("epochs", "must be a whole number of at least 1")
        if self.step_at_zero not in STEP_AT_ZERO or isinstance(self.step_at_zero, bool):
            raise ConfigError("step_at_zero", "must be 0, 1 or mistake")
        if self.batch_size is not None and self.batch_size < 1:
            raise ConfigError("batch_size", "must be a whole number of at least 1")
        if self.dtype is not None and self.dtype not in DTYPES:
            raise ConfigError("dtype", f"must be one of {', '.join(DTYPES)}")
        if self.model in ("perceptron", "linear"):
            if self.weights is None and self.seed is None:
                raise ConfigError("weights", "give initial weights, or a seed to draw them")
            if self.weights is not None and len(self.weights) != self.n_weights:
                what = (
                    f"w0 for the bias input and one per input ({self.n_weights})"
                    if self.n_weights != self.n_inputs
                    else f"one per input ({self.n_weights})"
                )
                raise ConfigError(
                    "weights", f"has {len(self.weights)} values; expected {what}"
                )
        if self.model == "linear" and self.bias_input is not None:
            raise ConfigError("bias_input", "a linear unit uses `bias`, not a bias input")
        if self.model == "perceptron":
            for i, t in enumerate(self.targets):
                if t not in (0, 1):
                    raise ConfigError(
                        f"targets[{i}]", "must be 0 or 1 for the perceptron learning rule"
                    )
        if self.model == "mlp":
            self._validate_network()

    def _validate_network(self) -> None:
        if self.loss not in LOSSES:
            raise ConfigError("loss", f"must be one of {', '.join(LOSSES)}")
        if self.init not in INITS:
            raise ConfigError("init", f"must be one of {', '.join(INITS)}")
        if self.layers is None:
            if self.seed is None:
                raise ConfigError("seed", "a multi-layer network needs a seed for its weights")
            if not self.hidden or any(h < 1 for h in self.hidden):
                raise ConfigError("hidden", "must list at least one layer size of 1 or more")
            for name in ("activation", "output_activation"):
                value = getattr(self, name)
                if value not in HIDDEN_ACTIVATIONS:
                    raise ConfigError(name, f"must be one of {', '.join(HIDDEN_ACTIVATIONS)}")
        else:
            self._validate_layers(self.layers)
        sizes, acts = self.layer_sizes, self.layer_activations
        if sizes[-1] != self.n_outputs:
            raise ConfigError(
                "targets", f"has {self.n_outputs} values per sample for {sizes[-1]} output units"
            )
        out = acts[-1]
        if out == "softmax" and self.loss != "categorical_crossentropy":
            raise ConfigError("loss", "a softmax output is trained with categorical_crossentropy")
        if self.loss == "categorical_crossentropy" and out != "softmax":
            raise ConfigError("loss", "categorical_crossentropy needs a softmax output layer")
        if self.loss == "binary_crossentropy" and out != "sigmoid":
            raise ConfigError("loss", "binary_crossentropy needs a sigmoid output layer")
        if self.loss in ("binary_crossentropy", "categorical_crossentropy"):
            for i, row in enumerate(self.target_rows):
                if any(not 0 <= t <= 1 for t in row):
                    raise ConfigError(f"targets[{i}]", f"must lie in 0..1 for {self.loss}")

    def _validate_layers(self, layers: tuple[LayerConfig, ...]) -> None:
        if not layers:
            raise ConfigError("layers", "must list at least the output layer")
        if any(layer.weights is None for layer in layers) and self.seed is None:
            raise ConfigError("seed", "layers without weights are drawn from a seed: give one")
        fan_in = self.n_inputs
        last = len(layers) - 1
        for i, layer in enumerate(layers):
            at = f"layers[{i}]"
            usable = HIDDEN_ACTIVATIONS + (("softmax",) if i == last else ())
            if layer.activation not in usable:
                raise ConfigError(f"{at}.activation", f"must be one of {', '.join(usable)}")
            if layer.size < 1:
                raise ConfigError(at, "give its weights, or its number of units")
            if layer.units is not None and layer.units != layer.size:
                raise ConfigError(f"{at}.units", f"is {layer.units} but its weights have "
                                  f"{layer.size} columns")
            if layer.weights is not None:
                if len(layer.weights) != fan_in:
                    raise ConfigError(f"{at}.weights", f"has {len(layer.weights)} rows; the "
                                      f"layer has {fan_in} inputs (one row per input)")
                for r, row in enumerate(layer.weights):
                    if len(row) != layer.size:
                        raise ConfigError(f"{at}.weights[{r}]", f"has {len(row)} values; the "
                                          f"first row has {layer.size}")
                    for c, v in enumerate(row):
                        if not math.isfinite(v):
                            raise ConfigError(f"{at}.weights[{r}][{c}]", "must be a finite number")
            if layer.biases is not None:
                if len(layer.biases) != layer.size:
                    raise ConfigError(f"{at}.biases", f"has {len(layer.biases)} values for "
                                      f"{layer.size} units")
                for c, v in enumerate(layer.biases):
                    if not math.isfinite(v):
                        raise ConfigError(f"{at}.biases[{c}]", "must be a finite number")
            fan_in = layer.size
        for a, b in itertools.pairwise(self.layer_sizes):
            if a < 1 or b < 1:
                raise ConfigError("layers", "every layer needs at least one unit")
