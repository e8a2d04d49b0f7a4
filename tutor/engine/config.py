"""The training configuration every model is built from, and its consistency checks."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MODELS = ("perceptron", "linear", "mlp")
DTYPES = ("float32", "float64")
# The activations engine/activations.py defines, in its order (a test keeps the two the same);
# named here so that reading a lesson needs no NumPy.
ACTIVATION_NAMES = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax")


class ConfigError(ValueError):
    """A training configuration that cannot run. `field` names the offending key."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class TrainingConfig:
    """What to train and how. Lists are tuples so that a config is hashable and immutable.

    - perceptron: `weights` are the initial weights, w0 first when `bias_input` is set
      (x0 = bias_input is put in front of every sample); otherwise a separate bias `bias`.
    - linear: weights (one per input) and `bias`, gradient descent on mean squared error,
      `batch_size` samples per update in the data's order, in `dtype` (float32 as Keras).
    - mlp: `hidden` layer sizes, `activation` for hidden units, `output_activation`,
      weights drawn from `seed`; one step is one full-batch epoch.
    """

    model: str
    inputs: tuple[tuple[float, ...], ...]
    targets: tuple[float, ...]
    learning_rate: float
    epochs: int
    weights: tuple[float, ...] | None = None
    bias: float = 0.0
    bias_input: float | None = None
    seed: int | None = None
    step_at_zero: int = 0
    batch_size: int = 32
    dtype: str | None = None
    hidden: tuple[int, ...] = (2,)
    activation: str = "sigmoid"
    output_activation: str = "sigmoid"
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
    def steps_per_epoch(self) -> int:
        """Updates in one epoch: one per sample (perceptron rule), one per batch of
        `batch_size` (linear unit, as Keras), one full-batch step (network)."""
        if self.model == "perceptron":
            return self.n_samples
        if self.model == "linear":
            return math.ceil(self.n_samples / min(self.batch_size, self.n_samples))
        return 1

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
        for i, t in enumerate(self.targets):
            if not math.isfinite(t):
                raise ConfigError(f"targets[{i}]", "must be a finite number")
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ConfigError("learning_rate", "must be a positive number")
        if self.epochs < 1:
            raise ConfigError("epochs", "must be a whole number of at least 1")
        if self.step_at_zero not in (0, 1):
            raise ConfigError("step_at_zero", "must be 0 or 1")
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
        if self.model == "linear":
            if self.bias_input is not None:
                raise ConfigError("bias_input", "a linear unit uses `bias`, not a bias input")
            if self.batch_size < 1:
                raise ConfigError("batch_size", "must be a whole number of at least 1")
        if self.model == "perceptron":
            for i, t in enumerate(self.targets):
                if t not in (0, 1):
                    raise ConfigError(
                        f"targets[{i}]", "must be 0 or 1 for the perceptron learning rule"
                    )
        if self.model == "mlp":
            if self.seed is None:
                raise ConfigError("seed", "a multi-layer network needs a seed for its weights")
            if not self.hidden or any(h < 1 for h in self.hidden):
                raise ConfigError("hidden", "must list at least one layer size of 1 or more")
            for name in ("activation", "output_activation"):
                value = getattr(self, name)
                # softmax belongs on the output with categorical cross-entropy (explicit layers)
                if value not in ACTIVATION_NAMES or value in ("step", "softmax"):
                    usable = ", ".join(a for a in ACTIVATION_NAMES if a not in ("step", "softmax"))
                    raise ConfigError(name, f"must be one of {usable}")
