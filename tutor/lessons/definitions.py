"""Lesson format v1, defined once: every key of every part, its kind of value, whether it is
required, its allowed values and limits.

The loader (tutor/lessons/load.py) takes the keys it accepts, the keys it requires, the model a
training key applies to, minimums and allowed values from here; the JSON Schema
(tutor/lessons/schema.py) is generated from the same objects, so the two cannot disagree on
structure. What only the loader can judge (targets match inputs, a step inside the run, an answer
the engine confirms) stays in the loader and `check`.

The engine's own names (models, dtypes, activations) are repeated here so that reading a lesson
does not import NumPy; tests/test_lesson_definitions.py asserts they equal the engine's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor import limits
from tutor.i18n import LANGUAGES

FORMAT_VERSION = 1
LESSON_SUFFIXES = (".yaml", ".yml")
ID_RE = r"^[a-z0-9][a-z0-9_-]*$"
ID_PATTERN = re.compile(ID_RE)
DEFAULT_TOLERANCE = 1e-6
"""The tolerance of a numeric or predict question that names none (absolute)."""

MODELS = ("perceptron", "linear", "mlp")
DTYPES = ("float32", "float64")
ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
"""Activations a network's units may use (the step function has no useful derivative)."""
FUNCTIONS = ("step", "sigmoid", "tanh", "relu", "leaky_relu", "linear")
"""Functions a plot unit draws and a placeholder such as {{sigmoid(0.5)}} evaluates."""
UNIT_TYPES = ("text", "training", "quiz", "plot")
QUIZ_KINDS = ("choice", "numeric", "predict")
MIN_CHOICES, MAX_CHOICES = 2, 9

PREDICTABLE: dict[str, dict[str, bool]] = {
    "perceptron": {
        "net": False,
        "output": False,
        "error": False,
        "bias_after": False,
        "weights_after": True,
        "delta": True,
    },
    "linear": {
        "loss": False,
        "grad_bias": False,
        "bias_after": False,
        "outputs": True,
        "predictions": True,  # the same as outputs
        "errors": True,
        "residuals": True,
        "grad_weights": True,
        "weights_after": True,
    },
    "mlp": {"loss": False, "outputs": True, "errors": True, "residuals": True},
}
"""Per model, the step fields a question may ask for; True: a list (the question needs `index`)."""


@dataclass(frozen=True)
class Key:
    """One key of a mapping in a lesson file.

    `kind` is one of: version, id, text, texts, number, positive, tolerance, integer, numbers,
    matrix, name, layers, functions, boolean, expression, choice, asks, units.
    `minimum` applies to integers; `choices` lists allowed values; `models` limits a training
    key to some models; `missing` is added to the "missing required key" message.
    """

    name: str
    kind: str
    doc: str
    required: bool = False
    minimum: int | None = None
    choices: tuple[str, ...] = ()
    models: tuple[str, ...] = MODELS
    missing: str = ""
    min_items: int = 1
    max_items: int | None = None


@dataclass(frozen=True)
class Part:
    """A mapping of the format: the lesson itself, a unit's body, an `ask` item."""

    name: str
    doc: str
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k.name for k in self.keys)

    @property
    def required(self) -> tuple[Key, ...]:
        return tuple(k for k in self.keys if k.required)

    def key(self, name: str) -> Key:
        for k in self.keys:
            if k.name == name:
                return k
        raise KeyError(name)


_HINTS = Key("hints", "texts", "Hints shown one at a time after a wrong answer.", required=True,
             missing=" (at least one hint)")
_EXPLAIN = Key("explain", "text", "Why the answer is right; shown after the question.",
               required=True)
_TOLERANCE = Key("tolerance", "tolerance",
                 f"How far a numeric answer may be from the right one (default {DEFAULT_TOLERANCE}).")
_INDEX = Key("index", "integer", "Which value of a list field (0-based).", minimum=0)

LESSON = Part("lesson", "A lesson file (format v1).", (
    Key("format", "version", f"The format version: {FORMAT_VERSION}.", required=True),
    Key("id", "id", "The lesson's id: lowercase letters, digits, '-' or '_'.", required=True),
    Key("title", "text", "The lesson's title.", required=True),
    Key("description", "text", "One or two sentences shown in the lesson list."),
    Key("order", "number", "Where the lesson sorts in the list (default 1000)."),
    Key("minutes", "integer", "About how long the lesson takes.", minimum=1),
    Key("exam", "boolean", "Sat like an exam: choices shuffled per sitting (seeded, kept in "
        "progress), and a score with the missed questions at the end (default false)."),
    Key("units", "units", "The lesson's units, in order.", required=True),
))

TRAINING = Part("training", "A training the learner steps through, one update at a time.", (
    Key("id", "id", "The unit's id; placeholders and questions name it.", required=True),
    Key("title", "text", "A title above the training."),
    Key("model", "choice", "Which learning rule.", required=True, choices=MODELS),
    Key("inputs", "matrix", "The samples, one list of inputs each.", required=True,
        max_items=limits.MAX_SAMPLES),
    Key("targets", "numbers", "One target per sample.", required=True,
        max_items=limits.MAX_SAMPLES),
    Key("weights", "numbers", "Initial weights (else drawn from `seed`).",
        models=("perceptron", "linear"), max_items=limits.MAX_INPUTS + 1),
    Key("learning_rate", "positive", "The learning rate η.", required=True),
    Key("epochs", "integer", "How many passes over the samples.", required=True, minimum=1),
    Key("bias_input", "number", "The constant input of the bias weight.",
        models=("perceptron",)),
    Key("bias", "number", "Initial bias.", models=("perceptron", "linear")),
    Key("seed", "integer", "Seed of the random initial weights.", minimum=0),
    Key("step_at_zero", "integer", "The step function's value at 0 (0 or 1).", minimum=0,
        models=("perceptron",)),
    Key("batch_size", "integer", "Samples per update.", minimum=1, models=("linear",)),
    Key("hidden", "layers", "Hidden layer sizes, e.g. [2].", models=("mlp",),
        max_items=limits.MAX_LAYERS),
    Key("dtype", "name", "Number type of the computation.", choices=DTYPES,
        models=("linear",)),
    Key("activation", "name", "Activation of the hidden units.", choices=ACTIVATIONS,
        models=("mlp",)),
    Key("output_activation", "name", "Activation of the output unit.", choices=ACTIVATIONS,
        models=("mlp",)),
    Key("ask", "asks", "Questions asked before a step is shown."),
))

ASK = Part("ask", "A question asked while stepping: predict a value of the next step.", (
    Key("id", "id", "The question's id (default TRAINING-stepN-FIELD)."),
    Key("step", "integer", "Asked before this step (1-based) is shown.", required=True,
        minimum=1),
    Key("predict", "name", "The step's field to predict (depends on the model).",
        required=True),
    _INDEX,
    _TOLERANCE,
    _HINTS,
    _EXPLAIN,
))

QUIZ = Part("quiz", "A question: multiple choice, a number, or a prediction of a step.", (
    Key("id", "id", "The unit's id.", required=True),
    Key("kind", "choice", "choice, numeric or predict.", required=True, choices=QUIZ_KINDS),
    Key("question", "text", "The question.", required=True),
    Key("choices", "texts", "The choices of a choice question.", min_items=MIN_CHOICES,
        max_items=MAX_CHOICES),
    Key("answer", "number", "The right choice (1-based), or the right number."),
    Key("answer_from", "expression",
        "A numeric answer taken from the engine, e.g. and-rule.final.weights_after[1]."),
    _TOLERANCE,
    Key("training", "id", "The training unit a predict question is about."),
    Key("step", "integer", "The step (1-based) a predict question is about.", minimum=1),
    Key("predict", "name", "The step's field to predict."),
    _INDEX,
    _HINTS,
    _EXPLAIN,
))

VARIABLES = ("k", "z")
"""Names of the net input on a plot's x axis (docs/glossary.md: k in the perceptron lessons)."""

PLOT = Part("plot", "A plot of activation functions (and their derivatives).", (
    Key("id", "id", "The unit's id (default plot-N)."),
    Key("functions", "functions", "One function, or a list of them.", required=True,
        choices=FUNCTIONS),
    Key("derivative", "boolean", "Draw the derivatives too."),
    Key("variable", "choice", "The x axis' name: the net input k (perceptron lessons, as the "
        "textbook writes it) or z (activations and networks; the default).", choices=VARIABLES),
    Key("from", "number", "Left end of the x axis (default -6)."),
    Key("to", "number", "Right end of the x axis (default 6)."),
    Key("caption", "text", "A caption under the plot."),
))

TEXT_DOC = (
    f"Text: a string, or a mapping of {' and '.join(LANGUAGES)} to strings. "
    "{{placeholders}} are filled from the engine."
)

UNIT_PARTS: dict[str, Part] = {"training": TRAINING, "quiz": QUIZ, "plot": PLOT}
"""Unit types whose body is a mapping of keys; a `text` unit's body is a text (with an `id`)."""

QUIZ_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "choice": ("choices", "answer"),
    "numeric": ("answer", "answer_from"),
    "predict": ("training", "step", "predict", "index"),
}
"""Keys that only some kinds of quiz take."""


def model_keys(model: str) -> tuple[str, ...]:
    """The training keys that apply to `model`."""
    return tuple(k.name for k in TRAINING.keys if model in k.models)
