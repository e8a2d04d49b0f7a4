"""Placeholders: `{{and-rule.step[3].net:.2f}}` and `{{sigmoid(0.5)}}` in lesson text, filled
from the engine. See docs/lesson-format.md, "Placeholders"."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from tutor import limits
from tutor.lessons.definitions import FUNCTIONS, LAYERED
from tutor.lessons.problems import shorten, suggest
from tutor.lessons.units import TrainingUnit

if TYPE_CHECKING:
    from tutor.lessons.lesson import Lesson

PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
_FUNC = re.compile(r"^(d_)?([a-z_]+)\(\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*\)$")
_RUNREF = re.compile(
    r"^(?P<id>[a-z0-9][a-z0-9_-]*)\.(?P<exact>exact\.)?"
    r"(?:(?P<sel>step|epoch)\[(?P<n>-?\d{1,9})\]|(?P<end>initial|final)"
    r"|(?P<prop>converged_epoch|total_steps))"
    r"(?:\.(?P<field>[a-z_]+))?(?P<idx>(?:\[\d{1,9}\])*)$"
)


# A network's per-sample values are rows (one entry per output unit); with one output unit a
# lesson reads them as one number per sample, as before networks had several outputs.
_PER_SAMPLE = ("outputs", "targets", "errors", "residuals")


def record_value(record: Any, name: str) -> Any:
    """Field `name` of a step record as lessons see it (see _PER_SAMPLE)."""
    value = getattr(record, name)
    if (
        getattr(record, "model", None) == "mlp"
        and name in _PER_SAMPLE
        and all(len(row) == 1 for row in value)
    ):
        return tuple(row[0] for row in value)
    return value

class PlaceholderError(ValueError):
    pass


def split_format(inner: str) -> tuple[str, str]:
    expr, _, fmt = inner.partition(":")
    return expr.strip(), fmt.strip()


def evaluate(lesson: Lesson, expression: str) -> Any:
    expr = expression.strip()
    m = _FUNC.match(expr)
    if m:
        deriv, name, x = m.group(1), m.group(2), float(m.group(3))
        if name not in FUNCTIONS:
            raise PlaceholderError(f"unknown function '{name}' (known: {', '.join(FUNCTIONS)})")
        from tutor.engine import activations as act  # NumPy: only when a text is filled

        return act.derivative(name, x) if deriv else act.evaluate(name, x)
    m = _RUNREF.match(expr)
    if not m:
        raise PlaceholderError(
            f"cannot read '{shorten(expr)}': expected TRAINING.step[N].FIELD, TRAINING.epoch[E].FIELD, "
            "TRAINING.final.FIELD or FUNCTION(X)"
        )
    tid = m.group("id")
    try:
        unit = lesson.unit(tid)
    except KeyError:
        ids = [u.id for u in lesson.trainings]
        raise PlaceholderError(f"no training unit '{tid}'{suggest(tid, ids)}") from None
    if not isinstance(unit, TrainingUnit):
        raise PlaceholderError(f"unit '{tid}' is not a training unit")
    if m.group("exact") and unit.config.model != "perceptron":
        raise PlaceholderError("exact arithmetic is available for the perceptron rule only")
    if m.group("exact") and unit.config.weights is None:
        raise PlaceholderError("exact arithmetic needs the initial weights written out")
    run = lesson.run(tid, exact=bool(m.group("exact")))
    prop = m.group("prop")
    if prop == "total_steps":
        value: Any = run.total_steps
    elif prop == "converged_epoch":
        value = run.converged_epoch()
    else:
        sel, end, fname = m.group("sel"), m.group("end"), m.group("field")
        if sel == "step":
            n = int(m.group("n"))
            if not 1 <= n <= run.total_steps:
                raise PlaceholderError(f"step[{n}] is outside 1..{run.total_steps}")
            if run.reach(n) < n:
                raise PlaceholderError(f"step[{n}] is past the end: the run diverged at step "
                                       f"{run.total_steps}")
            obj: Any = run.record(n - 1)
        elif sel == "epoch":
            n = int(m.group("n"))
            if not 1 <= n <= run.config.epochs:
                raise PlaceholderError(f"epoch[{n}] is outside 1..{run.config.epochs}")
            if run.reach(n * run.steps_per_epoch) < n * run.steps_per_epoch:
                raise PlaceholderError(f"epoch[{n}] is past the end: the run diverged at step "
                                       f"{run.total_steps}")
            obj = run.epoch(n)
        else:
            obj = run.record(0) if end == "initial" else run.final()
        if not fname:
            raise PlaceholderError(f"'{expr}' needs a field, e.g. .weights_after")
        if fname.startswith("_") or not hasattr(obj, fname):
            fields = [f for f in dir(obj) if not f.startswith("_")]
            raise PlaceholderError(f"no field '{fname}'{suggest(fname, fields)}")
        value = record_value(obj, fname)
    for raw in re.findall(r"\[(\d+)\]", m.group("idx") or ""):
        i = int(raw)
        if not isinstance(value, tuple) or not 0 <= i < len(value):
            raise PlaceholderError(f"index [{i}] is out of range in '{expr}'")
        value = value[i]
    return value


_FORMAT_NUMBERS = re.compile(r"\d+")


def format_limit_problem(fmt: str) -> str | None:
    """Why a placeholder format is refused (a width or precision past the limit), else None."""
    for digits in _FORMAT_NUMBERS.findall(fmt):
        n = int(digits[-6:]) if len(digits) <= 6 else limits.MAX_FORMAT_WIDTH * 10**6
        if n > limits.MAX_FORMAT_WIDTH:
            shown = digits if len(digits) <= 12 else digits[:12] + "…"
            return f"the width or precision {shown} is past the limit of {limits.MAX_FORMAT_WIDTH}"
    return None



def format_value(value: Any, fmt: str = "") -> str:
    if fmt and format_limit_problem(fmt):
        raise PlaceholderError(format_limit_problem(fmt) or "")
    if isinstance(value, tuple | list):
        return "[" + ", ".join(format_value(v, fmt) for v in value) + "]"
    if value is None:
        return "none"
    if isinstance(value, Fraction):
        value = float(value)
    if fmt:
        try:
            text = format(value, fmt)
        except (ValueError, TypeError) as exc:
            raise PlaceholderError(f"format '{fmt}' does not fit {value!r}: {exc}") from None
    else:
        text = repr(value) if isinstance(value, float) else str(value)
    # Prose uses the true minus sign; the exponent of 5.55e-17 keeps its ASCII hyphen.
    return "\N{MINUS SIGN}" + text[1:] if text.startswith("-") else text


def format_placeholder(lesson: Lesson, inner: str) -> str:
    expr, fmt = split_format(inner)
    return format_value(evaluate(lesson, expr), fmt)


def as_number(value: Any, what: str) -> float:
    """`value` as a float: an int, a float, or the Fraction of an `exact.` run (a quiz can take its
    answer from exact arithmetic). Raises PlaceholderError for anything else (a list, a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise PlaceholderError(f"'{what}' is not a single number")
    return float(value)


class TargetError(PlaceholderError):
    """A prediction target that names no value of the record; `field` is the key to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def layered_value(
    record: Any, predict: str, layer: int, index: int | None, input: int | None
) -> Any:
    """A network record's per-layer value: z, a or δ of unit `index` of layer `layer` (1-based,
    first hidden layer = 1) for the update's one sample, or the weight (its gradient, or its value
    after the update) from input `input` to unit `index`. Raises TargetError naming the key."""
    name, shape = LAYERED[predict]
    per_layer = getattr(record, name)
    if not 1 <= layer <= len(per_layer):
        raise TargetError("layer", f"is {layer}, but the network has {len(per_layer)} layers "
                                   "(1 = the first hidden layer)")
    matrix = per_layer[layer - 1]
    if shape == "unit":
        if len(matrix) != 1:
            raise TargetError("predict", f"'{predict}' is one sample's value: it needs one "
                                         "sample per update (batch_size: 1)")
        row = matrix[0]
    else:
        if input is None or input >= len(matrix):
            raise TargetError("input", f"is {input}, but layer {layer} has {len(matrix)} "
                                       "inputs (0-based)")
        row = matrix[input]
    if index is None or index >= len(row):
        raise TargetError("index", f"is {index}, but layer {layer} has {len(row)} units "
                                   "(0-based)")
    return row[index]


def predicted_value(
    lesson: Lesson,
    training: str,
    step: int,
    predict: str,
    index: int | None,
    layer: int | None = None,
    input: int | None = None,
) -> float:
    record = lesson.run(training).record(step - 1)
    if layer is not None and predict in LAYERED and record.model == "mlp":
        value = layered_value(record, predict, layer, index, input)
    else:
        value = record_value(record, predict)
        if index is not None:
            value = value[index]
    return as_number(value, f"{training}.step[{step}].{predict}")

