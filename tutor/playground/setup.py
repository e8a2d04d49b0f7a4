"""One playground setting: the data, the model and how it learns, as a frozen record.

A setting becomes a training unit of the lesson format (`training_lines`), and it is validated by
loading that unit with the format's own loader (`Setup.problems`): the playground's messages are
the messages `check` gives for the same value in a lesson file, field by field.

What the learner types into a field is read as a YAML value of one line (`parse_value`), after
NFKC normalisation (an IME's full-width `０.７` is `0.7`), so `0.7`, `[0.3, 0.4, 0.1]`, `random`
and `abc` reach the loader exactly as they would in a file.
"""

from __future__ import annotations

import dataclasses
import json
import math
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import text as untrusted
from tutor.lessons.definitions import ACTIVATIONS, MODELS
from tutor.playground.presets import Dataset

if TYPE_CHECKING:
    from tutor.engine.config import TrainingConfig
    from tutor.lessons.problems import Problem

BIAS_MODES = ("input", "separate")
"""How a perceptron's bias is kept: as w₀ on the constant input x₀ = −1 (the notes' way, θ = w₀),
or as a separate b added to the net input."""

MAX_TYPED = 200
"""Characters of one typed setting (a weight list of 100 inputs fits; a paste of a book does not)."""


@dataclass(frozen=True)
class Setting:
    """One field of the settings panel: the lesson-format key it sets and the models it applies to."""

    name: str
    models: tuple[str, ...]


SETTINGS: tuple[Setting, ...] = (
    Setting("model", MODELS),
    Setting("hidden", ("mlp",)),
    Setting("activation", ("mlp",)),
    Setting("learning_rate", MODELS),
    Setting("weights", ("perceptron", "linear")),
    Setting("bias_mode", ("perceptron",)),
    Setting("bias", ("perceptron", "linear")),
    Setting("step_at_zero", ("perceptron",)),
    Setting("seed", MODELS),
    Setting("epochs", MODELS),
    Setting("batch_size", ("linear",)),
)
"""The settings panel's fields, in order."""


MODEL_DEFAULTS: dict[str, tuple[float, int]] = {
    "perceptron": (0.05, 10),
    "linear": (0.1, 100),
    "mlp": (2.0, 1000),
}
"""(η, epochs) a model starts with: the notes' AND run; a linear unit that settles in 100 epochs
on a gate; a 2-2-1 sigmoid network that learns XOR (loss below 0.02 for seeds 0–5)."""


class SetupError(ValueError):
    """A typed setting that is not even a value (unbalanced brackets …); `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Setup:
    """A playground setting. `weights` None: drawn from `seed` (a network's always are).

    - perceptron: `bias_mode` "input": `weights` are (w₀, w₁, w₂) with x₀ = −1 in front of every
      sample; "separate": (w₁, w₂) and a bias `bias`. `step_at_zero` is the output at net 0.
    - linear: (w₁, w₂) and `bias`; `batch_size` samples per update (None: Keras' 32, i.e. all).
    - mlp: `hidden` layer sizes, `activation` of the hidden units, a sigmoid output unit.
    Values are kept as typed (any type): `problems()` says what is wrong with them.
    """

    data: Dataset
    preset: str = "and"
    model: str = "perceptron"
    learning_rate: Any = 0.05
    epochs: Any = 10
    weights: Any = (0.3, 0.4, 0.1)
    bias_mode: str = "input"
    bias: Any = 0.0
    step_at_zero: Any = 0
    seed: Any = 0
    batch_size: Any = None
    hidden: Any = (2,)
    activation: str = "sigmoid"

    def applies(self, name: str) -> bool:
        """Whether setting `name` means something for this model (and bias mode)."""
        setting = next(s for s in SETTINGS if s.name == name)
        if self.model not in setting.models:
            return False
        return not (name == "bias" and self.model == "perceptron" and self.bias_mode == "input")

    def with_model(self, model: str) -> Setup:
        """This setting with another model. Weights that do not fit it are drawn from the seed;
        η and epochs still at the old model's defaults take the new model's (MODEL_DEFAULTS)."""
        if model not in MODELS:
            raise SetupError("model", f"must be one of {', '.join(MODELS)}")
        weights = self.weights
        if weights is not None and (
            model == "mlp" or not isinstance(weights, tuple)
            or len(weights) != self._weight_count(model, self.bias_mode)
        ):
            weights = None
        eta, epochs = self.learning_rate, self.epochs
        if (eta, epochs) == MODEL_DEFAULTS.get(self.model):
            eta, epochs = MODEL_DEFAULTS[model]
        return dataclasses.replace(self, model=model, weights=weights, learning_rate=eta,
                                   epochs=epochs)

    @classmethod
    def from_config(cls, config: TrainingConfig, preset: str = "lesson") -> Setup | None:
        """A lesson training's setting, to try in the playground; None when the playground cannot
        hold it (not two inputs, targets other than 0 and 1, explicit network layers)."""
        from tutor.playground.presets import grid_around

        if config.n_inputs != 2 or config.layers is not None:
            return None
        targets = []
        for v in config.targets:
            if isinstance(v, tuple | list):
                if len(v) != 1:
                    return None
                v = v[0]
            if v not in (0, 1):
                return None
            targets.append(int(v))
        inputs = tuple((float(a), float(b)) for a, b in config.inputs)
        data = Dataset(inputs, tuple(targets), grid_around(inputs))
        weights = tuple(config.weights) if config.weights is not None else None
        return cls(
            data=data, preset=preset, model=config.model, learning_rate=config.learning_rate,
            epochs=config.epochs, weights=weights,
            bias_mode="input" if config.bias_input is not None else "separate",
            bias=config.bias, step_at_zero=config.step_at_zero,
            seed=config.seed if config.seed is not None else 0,
            batch_size=config.batch_size if config.model == "linear" else None,
            hidden=tuple(config.hidden), activation=config.activation,
        )

    def shown(self, name: str) -> str:
        """A setting's value as the settings panel and the prompt show it."""
        value = getattr(self, name)
        if name == "weights" and value is None:
            return "random"
        if name == "batch_size" and value is None:
            return "32"
        if isinstance(value, tuple | list):
            return _yaml_value(list(value))
        if isinstance(value, str):
            return value
        return _yaml_value(value)

    def with_data(self, data: Dataset) -> Setup:
        return dataclasses.replace(self, data=data)

    def with_value(self, name: str, value: Any) -> Setup:
        """This setting with field `name` set to `value` (a value `parse_value` returned)."""
        if name == "model":
            return self.with_model(str(value))
        if name == "bias_mode":
            if value not in BIAS_MODES:
                raise SetupError(name, f"must be one of {', '.join(BIAS_MODES)}")
            weights = self.weights
            if isinstance(weights, tuple) and self.model == "perceptron":
                if value == "separate" and self.bias_mode == "input" and len(weights) == 3:
                    # θ = w₀ on x₀ = −1 is the same unit as b = −w₀
                    return dataclasses.replace(self, bias_mode=value, weights=weights[1:],
                                               bias=-float(weights[0]))
                if value == "input" and self.bias_mode == "separate" and len(weights) == 2:
                    bias = self.bias if isinstance(self.bias, int | float) else 0.0
                    return dataclasses.replace(self, bias_mode=value,
                                               weights=(-float(bias), *weights), bias=0.0)
            return dataclasses.replace(self, bias_mode=value)
        if name == "activation" and value not in ACTIVATIONS:
            raise SetupError(name, f"must be one of {', '.join(ACTIVATIONS)}")
        if name == "weights" and value == "random":
            value = None
        if name == "hidden" and isinstance(value, int) and not isinstance(value, bool):
            value = (value,)
        if isinstance(value, list):
            value = tuple(value)
        if name not in {f.name for f in dataclasses.fields(self)} or name == "data":
            raise SetupError(name, "is not a setting")
        return dataclasses.replace(self, **{name: value})

    @staticmethod
    def _weight_count(model: str, bias_mode: str) -> int:
        return 3 if model == "perceptron" and bias_mode == "input" else 2

    # ------------------------------------------------------------------ as a lesson's training

    def training_fields(self) -> dict[str, Any]:
        """The training unit's keys (besides id and title), in the lesson format's order."""
        out: dict[str, Any] = {"model": self.model}
        out["inputs"] = [list(p) for p in self.data.inputs]
        out["targets"] = list(self.data.targets)
        if self.model == "mlp":
            out["hidden"] = list(self.hidden) if isinstance(self.hidden, tuple) else self.hidden
            out["activation"] = self.activation
            out["output_activation"] = "sigmoid"
        if self.model in ("perceptron", "linear"):
            if self.weights is not None:
                out["weights"] = (
                    list(self.weights) if isinstance(self.weights, tuple) else self.weights
                )
            if self.model == "perceptron" and self.bias_mode == "input":
                out["bias_input"] = -1
            else:
                out["bias"] = self.bias
        if self.weights is None or self.model == "mlp":
            out["seed"] = self.seed
        out["learning_rate"] = self.learning_rate
        out["epochs"] = self.epochs
        if self.model == "perceptron":
            out["step_at_zero"] = self.step_at_zero
        if self.model == "linear" and self.batch_size is not None:
            out["batch_size"] = self.batch_size
        return out

    def training_lines(self, unit_id: str = "run", indent: str = "      ") -> list[str]:
        """The training unit's body as YAML lines (every value written as JSON, a subset of
        YAML's flow style, so no typed text can add a key or a line)."""
        lines = [f"{indent}id: {unit_id}"]
        lines += [f"{indent}{k}: {_yaml_value(v)}" for k, v in self.training_fields().items()]
        return lines

    def problems(self) -> list[Problem]:
        """What is wrong with this setting, as the lesson loader says it; [] when it runs.
        Each problem's `field` is the setting's name (`learning_rate`, `weights[2]` …)."""
        from tutor.lessons import LessonError, load_lesson_source

        try:
            load_lesson_source(_probe_lesson(self), _PROBE_PATH, shown_as="playground")
        except LessonError as exc:
            return [_as_setting_problem(p) for p in exc.problems]
        return []

    def config(self) -> TrainingConfig:
        """The engine's config of this setting. Raises SetupError with the first problem."""
        from tutor.lessons import LessonError, TrainingUnit, load_lesson_source

        try:
            lesson = load_lesson_source(_probe_lesson(self), _PROBE_PATH, shown_as="playground")
        except LessonError as exc:
            p = _as_setting_problem(exc.problems[0])
            raise SetupError(p.field, p.message) from None
        unit = next(u for u in lesson.units if isinstance(u, TrainingUnit))
        return unit.config


def parse_value(name: str, typed: str) -> Any:
    """What the learner typed into field `name`, read as a one-line YAML value.

    Raises SetupError when it is not a value at all (too long, unbalanced brackets, several
    lines); any value that is read is returned, right or wrong, for `Setup.problems` to judge.
    """
    from tutor.lessons import yaml_lines

    typed = unicodedata.normalize("NFKC", typed).strip()
    if len(typed) > MAX_TYPED:
        raise SetupError(name, f"is {len(typed)} characters long; the limit is {MAX_TYPED}")
    if not typed:
        raise SetupError(name, "is empty")
    if "\n" in typed or "\r" in typed:
        raise SetupError(name, "must be one line")
    parsed = yaml_lines.parse(f"v: {typed}\n")
    if parsed.errors or not isinstance(parsed.data, dict) or "v" not in parsed.data:
        shown = untrusted.clean(typed)
        raise SetupError(name, f"cannot be read as a value: '{shown[:40]}'")
    return _plain(parsed.data["v"])


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _yaml_value(value: Any) -> str:
    """A value as YAML flow text: JSON, except ∞ and NaN as YAML writes them (the loader then
    says what it says of them in a file)."""
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, float) and not math.isfinite(value):
        return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    return json.dumps(value, ensure_ascii=False)


_PROBE_PATH = Path("playground.yaml")
_PROBE_PREFIX = "units[0].training."


def _probe_lesson(setup: Setup) -> str:
    """The smallest lesson holding the setting's training: what `problems` loads."""
    head = ["format: 1", "id: playground", "title: playground", "units:", "  - training:"]
    return "\n".join([*head, *setup.training_lines()]) + "\n"


def _as_setting_problem(p: Problem) -> Problem:
    """A loader's problem, its field named as the setting (`units[0].training.epochs` → `epochs`)."""
    field = p.field[len(_PROBE_PREFIX):] if p.field.startswith(_PROBE_PREFIX) else p.field
    return dataclasses.replace(p, file="playground", line=0, field=field)
