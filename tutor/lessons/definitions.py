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
from tutor.lessons.files import LESSON_SUFFIXES as LESSON_SUFFIXES  # its home; named here too

FORMAT_VERSION = 1
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
OUTPUT_ACTIVATIONS = (*ACTIVATIONS, "softmax")
"""Activations an output layer may use: softmax (with categorical_crossentropy) only there."""
LOSSES = ("mse", "sse_half", "binary_crossentropy", "categorical_crossentropy")
"""A network's losses: mse as Keras (mean over samples and outputs), sse_half = ½Σ(t − o)² as the
worked examples, and the cross-entropies as Keras."""
INITS = ("uniform", "glorot_uniform")
"""How a network draws the weights no layer gives: U(−1, 1), or Keras' Glorot uniform."""
STEP_AT_ZERO = (0, 1, "mistake")
"""The perceptron's step output at a net of exactly 0, or `mistake` (scikit-learn's rule)."""
UNIT_TYPES = ("text", "training", "quiz", "plot")
QUIZ_KINDS = ("choice", "numeric", "predict")
MIN_CHOICES, MAX_CHOICES = 2, 9
MAX_HINTS = 9  # each is a widget made with its question (5,000 took 40 s to show)

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
    "mlp": {
        "loss": False,
        "outputs": True,
        "errors": True,
        "residuals": True,
        "z": True,
        "a": True,
        "delta": True,
        "grad_weights": True,
        "weights_after": True,
    },
}
"""Per model, the step fields a question may ask for; True: a list (the question needs `index`)."""

LAYERED: dict[str, tuple[str, str]] = {
    "z": ("z", "unit"),
    "a": ("a", "unit"),
    "delta": ("deltas", "unit"),
    "grad_weights": ("grad_weights", "weight"),
    "weights_after": ("weights_after", "weight"),
}
"""A network's per-layer predict targets: the record's field, and what `index` picks in the layer
given by `layer` (1 = the first hidden layer): a `unit` (z, a, δ of the update's one sample), or a
`weight` from input `input` of the layer (0-based) to unit `index`."""


@dataclass(frozen=True)
class Key:
    """One key of a mapping in a lesson file.

    `kind` is one of: version, id, text, texts, number, positive, tolerance, integer, numbers,
    matrix, targets, name, layers, network, step_at_zero, functions, boolean, expression, choice,
    asks, units.
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
             missing=" (at least one hint)", max_items=MAX_HINTS)
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
    Key("units", "units", "The lesson's units, in order.", required=True,
        max_items=limits.MAX_UNITS),
))

TRAINING = Part("training", "A training the learner steps through, one update at a time.", (
    Key("id", "id", "The unit's id; placeholders and questions name it.", required=True),
    Key("title", "text", "A title above the training."),
    Key("model", "choice", "Which learning rule.", required=True, choices=MODELS),
    Key("inputs", "matrix", "The samples, one list of inputs each.", required=True,
        max_items=limits.MAX_SAMPLES),
    Key("targets", "targets",
        "One target per sample; a network with several output units: one list per sample.",
        required=True, max_items=limits.MAX_SAMPLES),
    Key("weights", "numbers", "Initial weights (else drawn from `seed`).",
        models=("perceptron", "linear"), max_items=limits.MAX_INPUTS + 1),
    Key("learning_rate", "positive", "The learning rate η.", required=True),
    Key("epochs", "integer", "How many passes over the samples.", required=True, minimum=1),
    Key("bias_input", "number", "The constant input of the bias weight.",
        models=("perceptron",)),
    Key("bias", "number", "Initial bias.", models=("perceptron", "linear")),
    Key("seed", "integer", "Seed of the random initial weights.", minimum=0),
    Key("step_at_zero", "step_at_zero",
        "The step output at a net of exactly 0: 0, 1, or mistake (a net of 0 is wrong for "
        "either target, as scikit-learn's Perceptron).", models=("perceptron",)),
    Key("batch_size", "integer",
        "Samples per update (linear: 32; network: all of them; 1 is online learning).",
        minimum=1, models=("linear", "mlp")),
    Key("hidden", "layers", "Hidden layer sizes, e.g. [2] (weights drawn from `seed`).",
        models=("mlp",), max_items=limits.MAX_LAYERS),
    Key("layers", "network", "The network's layers, first hidden to output, each with its "
        "weights (or units), biases and activation.", models=("mlp",),
        max_items=limits.MAX_LAYERS + 1),
    Key("loss", "name", "The network's loss (default mse).", choices=LOSSES, models=("mlp",)),
    Key("train_biases", "boolean", "Whether the biases learn (default true).",
        models=("mlp",)),
    Key("shuffle", "boolean", "Shuffle the samples each epoch, drawn from `seed` (default "
        "false).", models=("mlp",)),
    Key("init", "name", "How weights no layer gives are drawn (default uniform).",
        choices=INITS, models=("mlp",)),
    Key("dtype", "name", "Number type of the computation.", choices=DTYPES,
        models=("linear", "mlp")),
    Key("activation", "name", "Activation of the hidden units.", choices=ACTIVATIONS,
        models=("mlp",)),
    Key("output_activation", "name", "Activation of the output unit.", choices=ACTIVATIONS,
        models=("mlp",)),
    Key("ask", "asks", "Questions asked before a step is shown."),
))

_LAYER = Key("layer", "integer",
              "A network's layer (1 = the first hidden layer) of z, a, delta, grad_weights or "
              "weights_after.", minimum=1)
_INPUT = Key("input", "integer",
             "For grad_weights and weights_after of a network: the weight's input in its layer "
             "(0-based); `index` is its unit.", minimum=0)

LAYER = Part("layer", "One layer of a network: its weights (or number of units), biases and "
             "activation.", (
    Key("weights", "matrix", "Initial weights: one row per input of the layer, one column per "
        "unit (else drawn from `seed`).", max_items=limits.MAX_INPUTS),
    Key("units", "integer", "How many units (when `weights` are drawn from `seed`).",
        minimum=1),
    Key("biases", "numbers", "Initial biases, one per unit (default 0)."),
    Key("activation", "name", "The layer's activation (softmax: the output layer only).",
        choices=OUTPUT_ACTIVATIONS),
))

ASK = Part("ask", "A question asked while stepping: predict a value of the next step.", (
    Key("id", "id", "The question's id (default TRAINING-stepN-FIELD)."),
    Key("step", "integer", "Asked before this step (1-based) is shown.", required=True,
        minimum=1),
    Key("predict", "name", "The step's field to predict (depends on the model).",
        required=True),
    _INDEX,
    _LAYER,
    _INPUT,
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
    _LAYER,
    _INPUT,
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
    "predict": ("training", "step", "predict", "index", "layer", "input"),
}
"""Keys that only some kinds of quiz take."""


def model_keys(model: str) -> tuple[str, ...]:
    """The training keys that apply to `model`."""
    return tuple(k.name for k in TRAINING.keys if model in k.models)
