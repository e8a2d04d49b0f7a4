"""EpochHistory: errors (perceptron) or loss (linear, mlp) per epoch, as bars and a short table."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import overload

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from tutor.engine.records import EpochRecord
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.style import EMPH, NOTE, VALUE

BLOCKS = " ▁▂▃▄▅▆▇█"
CHART_HEIGHT = 4
MAX_BARS = 60
TABLE_ROWS = 8


def bucket(values: Sequence[float], size: int, use_max: bool) -> list[float]:
    """Consecutive groups of `size` values, each summarised by its max or mean."""
    out = []
    for start in range(0, len(values), size):
        group = values[start : start + size]
        out.append(max(group) if use_max else sum(group) / len(group))
    return out


def bar_rows(values: Sequence[float], bottom: float, top: float, height: int) -> list[str]:
    """Rows of block characters, top row first, scaled from `bottom` to `top`.

    A value above `bottom` always shows at least ▁; with bottom > 0 (a zoomed loss axis) every
    bar shows at least ▁ so that the lowest loss is still visible.
    """
    span = top - bottom
    if math.isinf(span):  # −1e308 … 1e308: scale by halves
        values, bottom, top = [v / 2 for v in values], bottom / 2, top / 2
        span = top - bottom
    levels = []
    for v in values:
        ratio = (v - bottom) / span if span > 0 else 0.0
        # ∞ or NaN in a diverged run: a full bar for +∞, none for NaN (the table shows the value)
        level = 0 if not math.isfinite(ratio) and not ratio > 0 else (
            height * 8 if not math.isfinite(ratio) else round(ratio * height * 8))
        if level == 0 and (v > bottom or bottom > 0 or span <= 0 < v):
            level = 1
        levels.append(level)
    rows = []
    for r in range(height - 1, -1, -1):
        rows.append("".join(BLOCKS[min(8, max(0, lv - r * 8))] for lv in levels))
    return rows


def pick_rows(count: int, limit: int = TABLE_ROWS) -> list[int]:
    """Indices to show in a table of `count` epochs: all if few, else first, spread and last."""
    if count <= limit:
        return list(range(count))
    picked = {0, 1, 2, count - 2, count - 1}
    middle = limit - len(picked)
    for k in range(1, middle + 1):
        picked.add(round(k * (count - 1) / (middle + 1)))
    return sorted(picked)


class EpochHistory:
    """A bar chart and a compact table of the epochs finished so far."""

    def __init__(
        self, epochs: Sequence[EpochRecord], total_epochs: int, lang: str = "en", *,
        table: bool = True,
    ) -> None:
        # A run's `epochs_done()` is a view that builds records as they are read, with the
        # chart's buckets computed on the engine's column: kept as it is, the panel reads the
        # few epochs it shows, so a press at the end of 10^5 epochs costs what one at the start does.
        self.epochs = epochs if isinstance(epochs, Sequence) else list(epochs)
        self.total_epochs = total_epochs
        self.lang = lang
        self.table = table  # False: the chart and the last epoch's value only (A/B side by side)

    @property
    def uses_errors(self) -> bool:
        return bool(self.epochs) and self.epochs[0].errors is not None

    def _values(self) -> list[float]:
        if self.uses_errors:
            return [float(e.errors or 0) for e in self.epochs]
        return [float(e.loss if e.loss is not None else 0.0) for e in self.epochs]

    def _value(self, e: EpochRecord) -> float:
        if self.uses_errors:
            return float(e.errors or 0)
        return float(e.loss if e.loss is not None else 0.0)

    def _buckets(self, size: int) -> list[float]:
        fast = getattr(self.epochs, "buckets", None)
        if fast is not None:
            return list(fast(size, self.uses_errors))
        return bucket(self._values(), size, use_max=self.uses_errors)

    def _fmt(self, v: float, decimals: int) -> str:
        return str(int(v)) if self.uses_errors else n.num(v, decimals)

    def _chart(self, width: int) -> list[Text]:
        """Bars of errors from 0, or of loss from its lowest to its highest value."""
        lang = self.lang
        size = math.ceil(len(self.epochs) / max(1, min(MAX_BARS, width)))
        shown = self._buckets(size)
        repeat = max(1, min(4, width // len(shown)))
        top = max(shown)
        bottom = 0.0 if self.uses_errors else min(shown)
        d = n.column_decimals([top, bottom], least=3)
        top_label, bottom_label = self._fmt(top, d), self._fmt(bottom, d)
        label_w = max(len(top_label), len(bottom_label))
        lines = []
        rows = bar_rows(shown, bottom, top, CHART_HEIGHT)
        for i, row in enumerate(rows):
            label = top_label if i == 0 else (bottom_label if i == len(rows) - 1 else "")
            line = Text(label.rjust(label_w) + " │", style=NOTE)
            line.append("".join(c * repeat for c in row), style=VALUE)
            lines.append(line)
        length = len(shown) * repeat
        lines.append(Text(" " * label_w + " └" + "─" * length, style=NOTE))
        first, last = str(self.epochs[0].epoch), str(self.epochs[-1].epoch)
        gap = max(1, length - len(first) - len(last))
        lines.append(Text(" " * (label_w + 2) + first + " " * gap + last, style=NOTE))
        notes = []
        if size > 1:
            key = "render.history.bucket_max" if self.uses_errors else "render.history.bucket_mean"
            notes.append(t(key, lang, k=size))
        if bottom > 0:
            notes.append(t("render.history.zoomed", lang))
        lines.extend(Text(note, style=NOTE) for note in notes)
        return lines

    @staticmethod
    def _weights(e: EpochRecord) -> list[float]:
        """The weights at the end of the epoch, the separate bias last; [] for an mlp."""
        if not e.weights or isinstance(e.weights[0], tuple):
            return []
        return [*e.weights, *([e.bias] if isinstance(e.bias, float) else [])]

    def _table(self, tight: int = 0) -> Table:
        """The table of epochs. For a panel too narrow for it, `tight` 1: one space between
        columns; 2: and none after a comma in the weights (so a weight vector is not split)."""
        lang = self.lang
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                      collapse_padding=tight > 0)
        table.add_column(t("render.word.epoch", lang), justify="right")
        metric = "render.history.errors" if self.uses_errors else "render.history.loss"
        table.add_column(t(metric, lang), justify="right")
        if self.uses_errors:
            table.add_column(t("render.history.updates", lang), justify="right")
        weights_shown = bool(self._weights(self.epochs[0]))
        if weights_shown:
            table.add_column(t("render.history.weights", lang), justify="right")
        picked = pick_rows(len(self.epochs))
        values = {i: self._value(self.epochs[i]) for i in picked}
        d = n.column_decimals(values.values(), least=3)  # the rows shown line up
        wd = n.column_decimals([w for i in picked for w in self._weights(self.epochs[i])])
        previous = -1
        for i in picked:
            if i != previous + 1:
                table.add_row("…", "", *([""] * (len(table.columns) - 2)), style=NOTE)
            previous = i
            e = self.epochs[i]
            cells = [str(e.epoch), self._fmt(values[i], d)]
            if self.uses_errors:
                mark = "  ✓" if e.errors == 0 else ""
                cells[1] += mark
                cells.append(str(e.updates))
            if weights_shown:
                shown = n.vector(self._weights(e), wd)
                cells.append(shown.replace(", ", ",") if tight > 1 else shown)
            table.add_row(*cells)
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        title = Text(
            t("render.history.title", lang, done=len(self.epochs), n=self.total_epochs), style=EMPH
        )
        yield title
        if not self.epochs:
            yield Text(t("render.history.none", lang), style=NOTE)
            return
        label_room = 12
        if len(self.epochs) > 1:  # one point has no axis to draw: the table says it all
            yield from self._chart(options.max_width - label_room)
        if not self.table:
            last = self.epochs[-1]
            name = t("render.history.errors" if self.uses_errors else "render.history.loss", lang)
            yield Text(f"{name} {self._fmt(self._value(last), 4)}")
            return
        unbounded = options.update_width(10_000)  # the table's width with nothing wrapped
        for tight in (0, 1, 2):
            table = self._table(tight)
            if Measurement.get(console, unbounded, table).maximum <= options.max_width:
                break
        else:  # nothing fits: vectors with spaces wrap between numbers (Rich would cut them …)
            table = self._table(1)
        yield table
        if self.uses_errors:
            yield Text(t("render.history.errors_note", lang), style=NOTE)
        if self._weights(self.epochs[0]):
            yield Text(t("render.history.weights_note", lang), style=NOTE)


class FinalShape(Sequence[EpochRecord]):
    """`total` epochs, each shaped like `sample` (numbered 1..total): what a run's history will
    hold at its end, for the rows its panel takes then (`final_history`). Only the count and the
    kind of values (errors or loss, weights or none) decide the rows; the values are the sample's.
    """

    def __init__(self, sample: EpochRecord, total: int) -> None:
        self.sample = sample
        self.total = total

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, i: int) -> EpochRecord: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[EpochRecord]: ...
    def __getitem__(self, i: int | slice) -> EpochRecord | Sequence[EpochRecord]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.total))]
        k = i + self.total if i < 0 else i
        if not 0 <= k < self.total:
            raise IndexError(i)
        return dataclasses.replace(self.sample, epoch=k + 1)

    def buckets(self, size: int, use_max: bool) -> list[float]:
        value = self.sample.errors if self.sample.errors is not None else self.sample.loss
        return [float(value or 0.0)] * math.ceil(self.total / size)


def final_history(sample: EpochRecord, total_epochs: int, lang: str = "en") -> EpochHistory:
    """The epoch history as it will look once all `total_epochs` are done, shaped like `sample`
    (the run's first epoch): rendered, its rows are the most the history panel will need, so
    the panel can take them at once instead of growing (and laying out the screen) each epoch."""
    return EpochHistory(FinalShape(sample, total_epochs), total_epochs, lang)
