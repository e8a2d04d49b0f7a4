"""DecisionPlot (the data and the current decision line) and FunctionPlot (activations)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tutor.engine.activations import ACTIVATIONS, derivative, evaluate
from tutor.engine.records import LinearStep, MLPStep, Number, PerceptronStep
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.canvas import Canvas, View
from tutor.render.equation import Parts, Prose
from tutor.render.style import CURRENT, EMPH, LINE, NOTE, TARGET_ONE, TARGET_ZERO

ONE, ZERO, CUR_ONE, CUR_ZERO, SIDE = "●", "○", "◉", "◎", "·"
FUNCTION_SYMBOLS = ("●", "+", "x", "o", "*", "#")
FUNCTION_STYLES = ("cyan", "magenta", "green", "yellow", "blue", "red")
LABEL_WIDTH = 6


def _between(a: float, b: float, f: float) -> float:
    """a + f·(b − a), without overflow for any finite a and b (a plot from −1e308 to 1e308)."""
    if f == 0:
        return a
    span = b - a
    if math.isinf(span):
        return a * (1 - f) + b * f
    return a + f * span


def _tick(v: float) -> str:
    """An axis label: 0.5, −6, and at most six characters for huge values (1e308, −1e308)."""
    if abs(v) >= 1e5:
        return n.with_minus(f"{v:.0e}".replace("e+", "e"))
    return n.with_minus(f"{v:g}")


def _plot_width(width: int, options: ConsoleOptions) -> int:
    """The canvas width: as asked, but leaving room for the y labels, and never below 10."""
    return max(10, min(width, options.max_width - LABEL_WIDTH - 3))


def _data_view(points: Sequence[Sequence[float]], width: int, height: int) -> View:
    """A view of 2-input data that always shows −0.5 … 1.5, so 0/1 data sits clear of the edges."""
    xs = [p[0] for p in points] + [-0.5, 1.5]
    ys = [p[1] for p in points] + [-0.5, 1.5]
    return View(min(xs), max(xs), min(ys), max(ys), width, height)


def _axis_labels(view: View) -> tuple[dict[int, str], dict[int, str]]:
    """Tick labels of the y axis (by row) and the x axis (by column) of a data view."""
    y_labels = {view.row(y): _tick(y) for y in _ticks(view.y_min, view.y_max)}
    x_labels = {view.col(x): _tick(x) for x in _ticks(view.x_min, view.x_max)}
    return y_labels, x_labels


class DecisionLine:
    """w₁x₁ + w₂x₂ = θ; output 1 (or ŷ > 0.5) where the sum > θ.

    Drawn from the weights after the step, or, with `before=True`, from the weights the step
    starts from (what the learner sees before the first step is revealed). A line is drawn in
    floats, so the exact run's Fractions become floats here.
    """

    def __init__(self, record: PerceptronStep | LinearStep, *, before: bool = False) -> None:
        w1: Number
        w2: Number
        theta: Number
        w = record.weights_before if before else record.weights_after
        if isinstance(record, LinearStep):
            w1, w2 = w
            theta = 0.5 - (record.bias_before if before else record.bias_after)
        else:
            bias = record.bias_before if before else record.bias_after
            if bias is None:
                # bias input x0: w0·x0 + w1x1 + w2x2 > 0  <=>  w1x1 + w2x2 > −x0·w0 (w0 if x0 = −1)
                w1, w2, theta = w[1], w[2], -record.x[0] * w[0]
            else:
                w1, w2 = w
                theta = -bias
        self.w1, self.w2, self.theta = float(w1), float(w2), float(theta)

    @property
    def exists(self) -> bool:
        return self.w1 != 0 or self.w2 != 0

    def positive(self, x1: float, x2: float) -> bool:
        return self.w1 * x1 + self.w2 * x2 > self.theta

    def draw(self, canvas: Canvas) -> bool:
        """Braille dots along the line; False when no part of it is in view."""
        if not self.exists:
            return False
        v = canvas.view
        drawn = False
        steps_x, steps_y = v.width * 2 * 2, v.height * 4 * 2
        if self.w2 != 0:
            for i in range(steps_x + 1):
                x1 = v.x_min + i / steps_x * (v.x_max - v.x_min)
                drawn |= canvas.dot(x1, (self.theta - self.w1 * x1) / self.w2)
        if self.w1 != 0:
            for j in range(steps_y + 1):
                x2 = v.y_min + j / steps_y * (v.y_max - v.y_min)
                drawn |= canvas.dot((self.theta - self.w2 * x2) / self.w1, x2)
        return drawn

    def equation(self) -> str:
        d = n.column_decimals([self.w1, self.w2, self.theta])
        sign = "−" if self.w2 < 0 else "+"  # "− 0.15·x₂", not "+ (−0.15)·x₂"
        return f"{n.num(self.w1, d)}·x₁ {sign} {n.num(abs(self.w2), d)}·x₂ = {n.num(self.theta, d)}"

    def solved(self) -> str | None:
        """x₂ = a·x₁ + c, or x₁ = c for a vertical line."""
        if self.w2 != 0:
            a, c = -self.w1 / self.w2, self.theta / self.w2
            return f"x₂ = {n.num(a)}·x₁ {'−' if c < 0 else '+'} {n.num(abs(c))}"
        if self.w1 != 0:
            return f"x₁ = {n.num(self.theta / self.w1)}"
        return None


class DecisionPlot:
    """2-input data (● t = 1, ○ t = 0, current sample ◉/◎) and the decision line after the step.

    `before=True` draws the line of the weights the step starts from, and marks the step's sample
    as the one coming next.
    """

    def __init__(
        self,
        record: PerceptronStep | LinearStep,
        inputs: Sequence[Sequence[float]],
        targets: Sequence[float],
        lang: str = "en",
        width: int = 44,
        height: int = 14,
        *,
        before: bool = False,
    ) -> None:
        self.record = record
        self.before = before
        self.inputs = [tuple(p) for p in inputs]
        self.targets = list(targets)
        self.lang = lang
        self.width = width
        self.height = height

    def _current(self) -> int | None:
        return self.record.sample

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        if not self.inputs or len(self.inputs[0]) != 2:
            yield Text(t("render.plot.only_two", lang), style=NOTE)
            return
        view = _data_view(self.inputs, _plot_width(self.width, options), self.height)
        canvas = Canvas(view)
        line = DecisionLine(self.record, before=self.before)
        for row in range(view.height):
            for col in range(2 * (row % 2), view.width, 4):
                if line.exists and line.positive(view.x_of_col(col), view.y_of_row(row)):
                    canvas.put_cell(col, row, SIDE, NOTE)
        in_view = line.draw(canvas)
        current = self._current()
        for i, (p, target) in enumerate(zip(self.inputs, self.targets, strict=True)):
            one = target >= 0.5
            if i == current:
                canvas.put(p[0], p[1], CUR_ONE if one else CUR_ZERO, CURRENT)
            else:
                canvas.put(p[0], p[1], ONE if one else ZERO, TARGET_ONE if one else TARGET_ZERO)
        yield from canvas.lines(*_axis_labels(view), line_style=LINE)
        yield from self._legend(line, in_view)

    def _legend(self, line: DecisionLine, in_view: bool) -> RenderResult:
        lang = self.lang
        # one part per symbol and its words, broken between parts: at 120×40 the plot column
        # is 48 cells, and "⠉⠒" stayed at a row's end with "decision line" alone under it
        yield Parts(
            Text.assemble((ONE, TARGET_ONE), " t = 1"),
            Text.assemble(ZERO, " t = 0"),
            Text.assemble((f"{CUR_ONE}/{CUR_ZERO}", CURRENT), " " + t("render.plot.current", lang)),
            Text.assemble(("⠉⠒", LINE), " " + t("render.plot.line", lang)),
        )
        linear = isinstance(self.record, LinearStep)
        if not line.exists:
            key = "render.plot.no_line_linear" if linear else "render.plot.no_line"
            yield Text(t(key, lang, k=n.num(-line.theta)), style=EMPH)
            return
        # the equation breaks from its label, never inside ("0.40·x₁ +⏎0.10·x₂" at 120×40)
        yield Parts(
            Text(t("render.plot.equation_before" if self.before else "render.plot.equation",
                   lang)),
            Text(line.equation(), style=EMPH),
            gap=1,
        )
        solved = line.solved()
        if solved:
            yield Text("  " + t("render.plot.solved", lang, eq=solved), style=NOTE)
        key = "render.plot.side_linear" if linear else "render.plot.side"
        yield Prose(f"{SIDE} " + t(key, lang), style=NOTE)
        if isinstance(self.record, PerceptronStep) and self.record.bias_before is None:
            x0 = self.record.x[0]
            theta = "w₀" if x0 == -1 else f"−({n.value(x0)})·w₀"
            yield Prose(
                t("render.plot.theta_bias_input", lang, x0=n.value(x0), theta=theta), style=NOTE
            )
        if not in_view:
            yield Text(t("render.plot.out_of_view", lang), style=EMPH)


class HiddenLinesPlot:
    """2-input data and the line of each first-layer hidden unit of a network: w₁ⱼx₁ + w₂ⱼx₂ + bⱼ = 0.

    Each unit's line is drawn with its own number (1, 2, …), so the lines are told apart without
    colour; on one side of its line a unit's pre-activation is positive (sigmoid > 0.5, ReLU > 0).
    The points are the samples with their targets (● t = 1, ○ t = 0).
    """

    def __init__(
        self,
        record: MLPStep,
        lang: str = "en",
        width: int = 44,
        height: int = 14,
        *,
        before: bool = False,
    ) -> None:
        self.record = record
        self.lang = lang
        self.width = width
        self.height = height
        self.before = before

    def units(self) -> list[tuple[float, float, float]]:
        """(w₁ⱼ, w₂ⱼ, bⱼ) of each unit of the first hidden layer."""
        W = self.record.weights_before[0] if self.before else self.record.weights_after[0]
        b = self.record.biases_before[0] if self.before else self.record.biases_after[0]
        return [(W[0][j], W[1][j], b[j]) for j in range(len(b))]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        x = self.record.x
        if not x or len(x[0]) != 2:
            yield Text(t("render.plot.only_two", lang), style=NOTE)
            return
        view = _data_view(x, _plot_width(self.width, options), self.height)
        canvas = Canvas(view)
        units = self.units()
        for j, (w1, w2, b) in enumerate(units):
            mark = str(j + 1) if j < 9 else "+"
            style = FUNCTION_STYLES[j % len(FUNCTION_STYLES)]
            for col in range(view.width):
                x1 = view.x_of_col(col)
                if w2 != 0:
                    canvas.put(x1, -(w1 * x1 + b) / w2, mark, style)
            for row in range(view.height):
                x2 = view.y_of_row(row)
                if w1 != 0:
                    canvas.put(-(w2 * x2 + b) / w1, x2, mark, style)
        for p, target in zip(x, self.record.targets, strict=True):
            one = target[0] >= 0.5
            canvas.put(p[0], p[1], ONE if one else ZERO, TARGET_ONE if one else TARGET_ZERO)
        yield from canvas.lines(*_axis_labels(view))
        yield Text(f"{ONE} t = 1   {ZERO} t = 0   " + t("render.hidden.legend", lang))
        for j, (w1, w2, b) in enumerate(units):
            d = n.column_decimals([w1, w2, b])
            yield Prose(
                t("render.hidden.unit", lang, j=j + 1)
                + f"  {n.num(w1, d)}·x₁ {'−' if w2 < 0 else '+'} {n.num(abs(w2), d)}·x₂"
                f" {'−' if b < 0 else '+'} {n.num(abs(b), d)} = 0",
                style=NOTE,
            )


def _ticks(lo: float, hi: float) -> list[float]:
    """Round values from lo to hi for axis labels: steps of 0.5, 1 or 5 on small ranges, and at
    most about ten ticks on any finite range (1e6 or 1e308 wide)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi < lo:
        return []
    span = hi - lo if math.isfinite(hi - lo) else math.inf
    if span <= 10:
        step = 0.5 if span <= 4 else 1.0
    else:
        step = 5.0
        while hi / step - lo / step > 20:  # at most about 20 ticks
            step *= 10
        if not math.isfinite(step):
            return [lo, hi]
    first = math.ceil(lo / step) * step
    out = []
    v = first
    while v <= hi + 1e-9:
        out.append(round(v, 6) + 0.0)
        v += step
    return out


class FunctionPlot:
    """Activation functions (or their derivatives) as a text chart, one symbol per function.

    With `derivative=True` the derivatives f′ are drawn instead of the functions.
    """

    def __init__(
        self,
        functions: Sequence[str],
        x_from: float = -4.0,
        x_to: float = 4.0,
        derivative: bool = False,
        lang: str = "en",
        width: int = 60,
        height: int = 15,
        variable: str = "z",
    ) -> None:
        unknown = [f for f in functions if f not in ACTIVATIONS]
        if unknown:
            raise ValueError(f"unknown activation(s): {', '.join(unknown)}")
        if not x_to > x_from:
            raise ValueError("x_to must be greater than x_from")
        self.functions = list(functions)
        self.x_from = x_from
        self.x_to = x_to
        self.derivative = derivative
        self.variable = variable  # the x axis' name (k or z, as the lesson's text writes it)
        self.lang = lang
        self.width = width
        self.height = height

    def _value(self, name: str, z: float) -> float:
        return derivative(name, z) if self.derivative else evaluate(name, z)

    def _label(self, name: str) -> str:
        return f"{name}′(z)" if self.derivative else f"{name}(z)"

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        width = _plot_width(self.width, options)
        cols = [_between(self.x_from, self.x_to, c / (width - 1)) for c in range(width)]
        series = {f: [self._value(f, z) for z in cols] for f in self.functions}
        all_values = [v for vs in series.values() for v in vs] + [0.0, 1.0]
        lo, hi = min(all_values), max(all_values)
        pad = hi * 0.05 - lo * 0.05  # (hi − lo) · 0.05 without overflow
        view = View(self.x_from, self.x_to, lo - pad, hi + pad, width, self.height)
        canvas = Canvas(view)
        zero_row = view.row(0.0)
        zero_col = view.col(0.0) if self.x_from <= 0 <= self.x_to else None
        for c in range(width):
            canvas.put_cell(c, zero_row, "─", NOTE)
        if zero_col is not None:
            for r in range(view.height):
                canvas.put_cell(zero_col, r, "┼" if r == zero_row else "│", NOTE)
        for k, name in enumerate(self.functions):
            symbol = FUNCTION_SYMBOLS[k % len(FUNCTION_SYMBOLS)]
            style = FUNCTION_STYLES[k % len(FUNCTION_STYLES)]
            previous: int | None = None
            for c, v in enumerate(series[name]):
                row = view.row(v)
                canvas.put_cell(c, row, symbol, style)
                if previous is not None and name != "step" and abs(row - previous) > 1:
                    for r in range(min(row, previous) + 1, max(row, previous)):
                        canvas.put_cell(c, r, symbol, style)
                previous = row
        y_values = sorted({hi, 0.0, lo, 1.0} if lo < 1 <= hi else {hi, 0.0, lo})
        y_labels: dict[int, str] = {}
        for y in y_values:
            y_labels.setdefault(view.row(y), n.num(y, 1 if abs(y) < 10 else 0)
                                if abs(y) < 1e5 else _tick(y))
        last = _tick(self.x_to)
        # a long last label (1e308) ends at the axis' end instead of running past the screen
        x_labels = {0: _tick(self.x_from), width - 1 - (len(last) // 2 if len(last) > 2 else 0): last}
        if zero_col is not None:
            x_labels[zero_col] = "0"
        title_key = (
            "render.functions.title_derivative" if self.derivative else "render.functions.title"
        )
        yield Text(t(title_key, lang), style=EMPH)
        yield from canvas.lines(y_labels, x_labels)
        axis = Text(" " * (LABEL_WIDTH + width // 2) + self.variable, style=NOTE)
        yield axis
        legend = Text()
        for k, name in enumerate(self.functions):
            legend.append(FUNCTION_SYMBOLS[k % len(FUNCTION_SYMBOLS)], style=FUNCTION_STYLES[k % 6])
            legend.append(f" {self._label(name)}   ")
        yield legend
        if self.derivative and "step" in self.functions:
            yield Text(t("render.functions.step_derivative", lang), style=NOTE)
