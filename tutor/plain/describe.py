"""Records and charts in words: what the app's panels show, as lines a screen reader can read.

Every number comes from an engine record (or, for a chart of an activation function, from the
engine's activation functions); this module only formats. Charts are described, not drawn: the
decision line by where it crosses the axes and which samples lie on each side of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tutor.engine.activations import derivative, evaluate
from tutor.engine.records import LinearStep, MLPStep, Number, PerceptronStep, StepRecord
from tutor.i18n import t
from tutor.plain.text import rich_lines
from tutor.render import NetEquation, StepHeader
from tutor.render import numbers as n
from tutor.render.equation import weight_names
from tutor.render.losscurve import loss_curve_of
from tutor.render.plots import DecisionLine

if TYPE_CHECKING:
    from tutor.engine.run import Run
    from tutor.lessons import PlotUnit

PLOT_POINTS = 5  # values listed per function in a described chart


def _next_what(run: Run, rec: StepRecord, lang: str) -> str:
    if isinstance(rec, PerceptronStep):
        return t("plain.next.sample", lang, i=rec.sample + 1, n=run.steps_per_epoch)
    if isinstance(rec, LinearStep) and len(rec.samples) < run.config.n_samples:
        return t("plain.next.batch", lang, first=rec.samples[0] + 1, last=rec.samples[-1] + 1)
    return t("plain.next.all", lang)


def _weights_now(rec: StepRecord) -> str:
    if isinstance(rec, PerceptronStep):
        parts = [f"{name} = {n.num(w)}" for name, w in zip(weight_names(rec), rec.weights_before,
                                                          strict=True)]
        if rec.bias_before is not None:
            parts.append(f"b = {n.num(rec.bias_before)}")
        return ", ".join(parts)
    if isinstance(rec, LinearStep):
        parts = [f"w{n.sub(i + 1)} = {n.num(w)}" for i, w in enumerate(rec.weights_before)]
        return ", ".join([*parts, f"b = {n.num(rec.bias_before)}"])
    layers = []
    for li, (w, b) in enumerate(zip(rec.weights_before, rec.biases_before, strict=True)):
        rows = " ".join(n.vector(row) for row in w)
        layers.append(f"W{n.sub(li + 1)} = {rows}, b{n.sub(li + 1)} = {n.vector(b)}")
    return "; ".join(layers)


def preview(run: Run, rec: StepRecord, lang: str) -> list[str]:
    """What goes into step `rec` before its numbers are shown: where, the sample, the weights."""
    lines = [
        t("plain.next", lang, s=rec.index + 1, n=run.total_steps, e=rec.epoch,
          epochs=run.config.epochs, what=_next_what(run, rec, lang))
    ]
    if isinstance(rec, PerceptronStep):
        lines.append(t("plain.inputs", lang, x=n.values(rec.inputs), t=n.value(rec.target)))
    elif isinstance(rec, LinearStep) and len(rec.samples) == 1:
        lines.append(t("plain.inputs", lang, x=n.values(rec.x[0]), t=n.value(rec.targets[0])))
    elif isinstance(rec, LinearStep):
        lines.append(t("plain.targets", lang, t=n.values(rec.targets)))
    else:  # a network's targets are one row per sample
        lines.append(t("plain.targets", lang, t=n.values(_flat(rec.targets))))
    lines.append(t("plain.weights_now", lang, weights=_weights_now(rec)))
    return lines


def start(run: Run, lang: str, *, with_preview: bool = True) -> list[str]:
    """Position 0: nothing revealed yet; the first step's preview and the current line."""
    first = run.record(0)
    one_sample = run.steps_per_epoch == run.config.n_samples
    lines = [t("plain.start" if one_sample else "plain.start_batch", lang)]
    if with_preview:
        lines += preview(run, first, lang)
    return lines + decision_line(run, first, lang, before=True) + loss_curve(
        run, first, lang, before=True)


def _change_line(name: str, before: Number, after: Number, decimals: int, lang: str) -> str:
    b, a = n.num(before, decimals), n.num(after, decimals)
    if after == before:
        return t("plain.weights.same", lang, name=name, before=b)
    change = n.num(after - before if after > before else before - after, decimals)
    key = "plain.weights.up" if after > before else "plain.weights.down"
    return t(key, lang, name=name, before=b, after=a, change=change)


def weights(rec: PerceptronStep | LinearStep, lang: str) -> list[str]:
    """One line per weight (and bias): 'w₁: 0.40 → 0.35 (down 0.05)'."""
    lines = [t("plain.weights.head", lang)]
    if isinstance(rec, PerceptronStep):
        names = weight_names(rec)
        befores: list[Number] = list(rec.weights_before)
        afters: list[Number] = list(rec.weights_after)
        if rec.bias_before is not None and rec.bias_after is not None:
            names.append(t("render.weights.bias", lang))
            befores.append(rec.bias_before)
            afters.append(rec.bias_after)
    else:
        names = [f"w{n.sub(i + 1)}" for i in range(len(rec.weights_before))]
        names.append(t("render.weights.bias", lang))
        befores = [*rec.weights_before, rec.bias_before]
        afters = [*rec.weights_after, rec.bias_after]
    d = n.column_decimals([*befores, *afters])
    lines += [
        "  " + _change_line(name, b, a, d, lang)
        for name, b, a in zip(names, befores, afters, strict=True)
    ]
    if isinstance(rec, PerceptronStep) and rec.updated:
        eta, err = n.num(rec.learning_rate), n.factor(rec.error)
        dd = n.column_decimals(rec.delta)
        exprs = [
            f"{name} {eta} × {n.factor(x)} × {err} = {n.signed(dlt, dd)}"
            for name, x, dlt in zip(weight_names(rec), rec.x, rec.delta, strict=True)
        ]
        lines.append(t("plain.weights.why", lang, expr="; ".join(exprs)))
    return lines


def _points(inputs: Sequence[Sequence[float]]) -> list[str]:
    return [n.values(p) for p in inputs]


def decision_line(run: Run, rec: StepRecord, lang: str, *, before: bool = False) -> list[str]:
    """The decision line in words: its equation, where it crosses the axes, the two sides."""
    cfg = run.config
    if cfg.n_inputs != 2 or not isinstance(rec, PerceptronStep | LinearStep):
        return []
    line = DecisionLine(rec, before=before)
    if not all(math.isfinite(v) for v in (line.w1, line.w2, line.theta)):
        return [t("plain.line.not_finite", lang)]
    if not line.exists:
        return [t("plain.line.none", lang)]
    key = "plain.line.equation_before" if before else "plain.line.equation"
    lines = [t(key, lang, eq=line.equation())]
    x1 = n.num(line.theta / line.w1) if line.w1 != 0 else None
    x2 = n.num(line.theta / line.w2) if line.w2 != 0 else None
    if x1 is not None and x2 is not None:
        lines.append(t("plain.line.crosses", lang, x1=x1, x2=x2))
    elif x1 is not None:
        lines.append(t("plain.line.crosses_x1", lang, x1=x1))
    else:
        lines.append(t("plain.line.crosses_x2", lang, x2=x2))
    ones = [p for p in cfg.inputs if line.positive(float(p[0]), float(p[1]))]
    zeros = [p for p in cfg.inputs if not line.positive(float(p[0]), float(p[1]))]
    none = t("plain.none", lang)
    side = "plain.line.sides_linear" if isinstance(rec, LinearStep) else "plain.line.sides"
    lines.append(t(side, lang, ones=", ".join(_points(ones)) or none,
                   zeros=", ".join(_points(zeros)) or none))
    return lines


def loss_curve(run: Run, rec: StepRecord, lang: str, *, before: bool = False) -> list[str]:
    """A one-input linear run's loss curve in words (the app draws it): w, the slope, the step."""
    if not isinstance(rec, LinearStep):
        return []
    plot = loss_curve_of(run, rec, lang, before=before)
    return [] if plot is None else [line.plain for line in plot.legend(chart=False)]


def _model(rec: StepRecord, lang: str) -> list[str]:
    if isinstance(rec, LinearStep):
        return [
            t("plain.loss", lang, loss=n.loss(rec.loss)),
            t("plain.predictions", lang, y=n.vector(rec.outputs), e=n.vector(rec.residuals)),
        ]
    if isinstance(rec, MLPStep):
        lines = [
            t("plain.loss", lang, loss=n.loss(rec.loss)),
            t("plain.outputs", lang, y=n.vector(_flat(rec.outputs)),
              e=n.vector(_flat(rec.residuals))),
        ]
        for li, (w, b) in enumerate(zip(rec.weights_after, rec.biases_after, strict=True)):
            rows = " ".join(n.vector(row) for row in w)
            lines.append(t("plain.layer", lang, l=li + 1, w=rows, b=n.vector(b)))
        return lines
    return []


def _flat(rows: tuple[tuple[float, ...], ...]) -> list[float]:
    """A network's per-sample rows as one list (one value per sample for one output)."""
    return [v for row in rows for v in row]


def epoch_done(run: Run, position: int, lang: str) -> list[str]:
    """'Epoch 1 done: …' when step `position` (1-based) ended an epoch."""
    if position == 0 or position % run.steps_per_epoch:
        return []
    ep = run.epoch(position // run.steps_per_epoch)
    if ep.errors is not None:
        w = [*ep.weights, *([ep.bias] if ep.bias is not None else [])]
        return [t("plain.epoch.done", lang, e=ep.epoch, errors=ep.errors, updates=ep.updates,
                  weights=n.vector(w))]
    return [t("plain.epoch.done_loss", lang, e=ep.epoch, loss=n.loss(float(ep.loss or 0.0)))]


def step(run: Run, position: int, lang: str) -> list[str]:
    """Step `position` (1-based) revealed: where, the sum, the weights, the line, the epoch."""
    rec = run.record(position - 1)
    lines = rich_lines(StepHeader(rec, run.total_steps, run.steps_per_epoch, run.config.epochs,
                                  lang))
    if isinstance(rec, PerceptronStep):
        lines += rich_lines(NetEquation(rec, lang))
    lines += _model(rec, lang)
    if isinstance(rec, PerceptronStep | LinearStep):
        lines += weights(rec, lang)
    lines += decision_line(run, rec, lang)
    lines += loss_curve(run, rec, lang)
    return lines + epoch_done(run, position, lang)


def plot(unit: PlotUnit, lang: str) -> list[str]:
    """A chart of activation functions as a few values of each, at evenly spaced x."""
    names = [f"{f}′" if unit.derivative else f for f in unit.functions]
    lines = [t("plain.plot.head", lang, names=", ".join(names), lo=n.num(unit.x_from),
               hi=n.num(unit.x_to))]
    for i in range(PLOT_POINTS):
        z = unit.x_from + i * (unit.x_to - unit.x_from) / (PLOT_POINTS - 1)
        values = ", ".join(
            f"{name} = {n.num(derivative(f, z) if unit.derivative else evaluate(f, z))}"
            for name, f in zip(names, unit.functions, strict=True)
        )
        lines.append("  " + t("plain.plot.row", lang, x=n.num(z), values=values))
    return lines
