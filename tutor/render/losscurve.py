"""LossCurvePlot: the loss of a one-input linear unit over its weight w, and the path of the run.

The curve L(w) (mean squared error over all samples, bias held where it is) is a parabola; the
weights the run has visited are marked on it (○ earlier, ◉ now), so a learner sees a step go
downhill, creep (η too small), overshoot to the other side, or climb out (η too large). The curve
and its slope come from the engine (`tutor.engine.linear.loss_over_weight`); this module only
draws them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tutor.engine.records import LinearStep
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.canvas import Canvas, View
from tutor.render.plots import _plot_width, _tick, _ticks
from tutor.render.style import CURRENT, EMPH, LINE, NOTE

if TYPE_CHECKING:
    from tutor.engine.run import Run

NOW, EARLIER = "◉", "○"
PATH_SHOWN = 30
"""Weights visited that a loss curve marks: the current one and those just before it."""

LossAt = Callable[[Sequence[float]], tuple[Sequence[float], Sequence[float]]]
"""values of w (M,) → (loss (M,), slope dL/dw (M,))."""


def _finite(values: Sequence[float]) -> list[float]:
    return [v for v in values if math.isfinite(v)]


def curve_range(path: Sequence[float], best: float | None) -> tuple[float, float]:
    """The w range shown: centred on the bottom of the curve `best` and wide enough for every
    finite visited weight with 15 % to spare (at least 0.5 each side), so both sides of the valley
    and the last step are in view. Without a bottom, the visited weights padded the same way."""
    points = _finite(path) or [0.0]
    if best is not None and math.isfinite(best):
        half = max(max(abs(p - best) for p in points) * 1.15, 0.5)
        lo, hi = best - half, best + half
    else:
        pad = max((max(points) - min(points)) * 0.15, 0.5)
        lo, hi = min(points) - pad, max(points) + pad
    if not math.isfinite(hi - lo):
        return -1.0, 1.0
    return lo, hi


class LossCurvePlot:
    """L(w) as braille dots, the run's weights on it, and the slope at the current weight.

    `path` holds the weights in the order visited, the last being the current one (the weight
    before step 1 first). `loss_at` gives the loss and the slope at any weights; `best` is the
    bottom of the curve (None when w has no effect); `bias` is the bias held while w varies;
    `full_batch` says whether the next step follows this curve's slope (a mini-batch step
    follows its own batch's slope instead).
    """

    def __init__(
        self,
        path: Sequence[float],
        loss_at: LossAt,
        best: float | None,
        bias: float,
        *,
        full_batch: bool = True,
        lang: str = "en",
        width: int = 44,
        height: int = 12,
    ) -> None:
        if not path:
            raise ValueError("path needs at least the current weight")
        self.path = [float(w) for w in path]
        self.loss_at = loss_at
        self.best = best
        self.bias = float(bias)
        self.full_batch = full_batch
        self.lang = lang
        self.width = width
        self.height = height

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        width = _plot_width(self.width, options)
        current = self.path[-1]
        if not math.isfinite(current):
            yield Text(t("render.loss_curve.diverged", lang), style=EMPH)
            return
        x_min, x_max = curve_range(self.path, self.best)
        xs = [x_min + (x_max - x_min) * i / (4 * width - 1) for i in range(4 * width)]
        losses, _ = self.loss_at(xs)
        finite = _finite(list(losses))
        y_max = max(finite) if finite else 1.0
        if not (math.isfinite(y_max) and y_max > 0):
            y_max = 1.0
        view = View(x_min, x_max, 0.0, y_max * 1.05, width, self.height)
        canvas = Canvas(view)
        for x, y in zip(xs, losses, strict=True):
            canvas.dot(x, y)
        visited = _finite(self.path)
        marks, _ = self.loss_at(visited)
        for i, (w, loss) in enumerate(zip(visited, marks, strict=True)):
            last = i == len(visited) - 1
            canvas.put(w, min(loss, view.y_max), NOW if last else EARLIER, CURRENT if last else NOTE)
        y_labels = {view.row(0.0): "0", view.row(view.y_max): _tick(float(f"{view.y_max:.2g}"))}
        x_labels = {view.col(x): _tick(x) for x in _ticks(x_min, x_max)}
        yield Text(t("render.loss_curve.title", lang, b=n.num(self.bias)), style=EMPH)
        yield from canvas.lines(y_labels, x_labels, line_style=LINE)
        yield Text(" " * (width // 2 + 6) + "w", style=NOTE)
        yield from self.legend()

    def legend(self, *, chart: bool = True) -> list[Text]:
        """The lines under the chart, in words: where w is, the slope, which way the next step
        goes, the bottom. The plain line mode prints these (`chart=False`) instead of the chart.
        The size of the next step is left for the learner to work out (−η × slope)."""
        lang = self.lang
        current = self.path[-1]
        if not math.isfinite(current):
            return [Text(t("render.loss_curve.diverged", lang), style=EMPH)]
        (loss_now,), (slope,) = (list(v) for v in self.loss_at([current]))
        out = []
        now = Text()
        now.append(NOW, style=CURRENT)
        now.append(" " + t("render.loss_curve.now", lang, w=n.num(current),
                           loss=n.loss(float(loss_now))))
        if chart:
            now.append(f"   {EARLIER} " + t("render.loss_curve.earlier", lang), style=NOTE)
        out.append(now)
        out.append(Text(t("render.loss_curve.slope", lang, slope=n.num(float(slope)))))
        if not self.full_batch:
            out.append(Text(t("render.loss_curve.batch", lang), style=NOTE))
        key = "right" if slope < 0 else "left" if slope > 0 else "bottom"
        out.append(Text(t(f"render.loss_curve.{key}", lang)))
        if self.best is not None:
            out.append(Text(t("render.loss_curve.best", lang, w=n.num(self.best)), style=NOTE))
        return out


def _linear(record: object) -> LinearStep:
    if not isinstance(record, LinearStep):
        raise TypeError("a loss curve is drawn from a linear run's records")
    return record


def loss_curve_of(run: Run, record: LinearStep, lang: str, *, before: bool = False,
                  width: int = 44, height: int = 12) -> LossCurvePlot | None:
    """The loss curve of a one-input linear run at `record` (None for any other run): the weights
    visited up to it (the last PATH_SHOWN), read from the run's records; the bias held where it is
    before (`before=True`) or after the step."""
    from tutor.engine.linear import best_weight, loss_over_weight  # NumPy: only when drawn

    cfg = run.config
    if cfg.model != "linear" or cfg.n_inputs != 1:
        return None
    start = max(0, record.index - PATH_SHOWN + 1)
    path = [float(_linear(run.record(i)).weights_before[0]) for i in range(start, record.index + 1)]
    if not before:
        path.append(float(record.weights_after[0]))
    weights = record.weights_before if before else record.weights_after
    bias = record.bias_before if before else record.bias_after

    def loss_at(values: Sequence[float]) -> tuple[Sequence[float], Sequence[float]]:
        loss, slope = loss_over_weight(cfg.inputs, cfg.targets, weights, bias, 0, values)
        return loss.tolist(), slope.tolist()

    best = best_weight(cfg.inputs, cfg.targets, weights, bias, 0) if all(
        math.isfinite(v) for v in (*weights, bias)) else None
    full = cfg.resolved_batch_size >= cfg.n_samples
    return LossCurvePlot(path, loss_at, best, bias, full_batch=full,
                         lang=lang, width=width, height=height)
