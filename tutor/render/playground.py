"""The playground's renderables: the data on its grid with the model's decision region, the
settings list, and two runs' loss charts side by side (A/B).

The region is drawn with characters (`·` where the model says 1, blank where it says 0), never
colour alone; samples are `●` (target 1) and `○` (target 0), the editor's cursor a reversed cell
with its coordinates written under the plot. The model's output at each cell comes from
`tutor.engine.forward` with one record's weights: nothing here updates anything.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.engine.forward import decision_grid
from tutor.engine.records import EpochRecord
from tutor.i18n import t
from tutor.render.history import EpochHistory
from tutor.render.numbers import num

ONE, ZERO, REGION = "●", "○", "·"
LEFT = 6  # columns of the y axis labels


class DataPlot:
    """The samples on their grid, the region of `record`'s weights, and the editor's `cursor`
    (grid indices (i, j), or None). `width` × `height` cells for the plot area."""

    def __init__(self, data: Any, config: Any, record: Any, cursor: tuple[int, int] | None,
                 lang: str, width: int, height: int, *, before: bool = False) -> None:
        self.data = data
        self.config = config
        self.record = record
        self.cursor = cursor
        self.lang = lang
        cells = data.grid.size - 1
        # three columns and one row per grid step when there is room: the grid stays square-ish
        self.width = max(12, min(width - LEFT, 3 * cells + 1))
        self.height = max(5, min(height, cells + 1))
        self.before = before

    def _col(self, i: int) -> int:
        return round(i * (self.width - 1) / (self.data.grid.size - 1))

    def _row(self, j: int) -> int:
        return round((self.data.grid.size - 1 - j) * (self.height - 1) / (self.data.grid.size - 1))

    def region(self, xs: list[float], ys: list[float]) -> list[list[bool]] | None:
        if self.record is None:
            return None
        return decision_grid(self.record, xs, ys, before=self.before,
                             bias_input=self.config.bias_input,
                             step_at_zero=self.config.step_at_zero)

    def cells(self) -> list[list[str]]:
        """The plot area as characters (row 0 at the top)."""
        grid = self.data.grid
        w, h = self.width, self.height
        xs = [grid.lo + (grid.hi - grid.lo) * c / (w - 1) for c in range(w)]
        ys = [grid.hi - (grid.hi - grid.lo) * r / (h - 1) for r in range(h)]
        region = self.region(xs, ys)
        rows = [[" "] * w for _ in range(h)]
        if region is not None:
            for r, row in enumerate(region):
                for c, inside in enumerate(row):
                    if inside:
                        rows[r][c] = REGION
        for (x1, x2), target in zip(self.data.inputs, self.data.targets, strict=True):
            rows[self._row(grid.index(x2))][self._col(grid.index(x1))] = ONE if target else ZERO
        return rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        grid = self.data.grid
        rows = self.cells()
        cur = None
        if self.cursor is not None:
            cur = (self._row(self.cursor[1]), self._col(self.cursor[0]))
        for r, row in enumerate(rows):
            label = num(grid.hi, 2) if r == 0 else num(grid.lo, 2) if r == len(rows) - 1 else ""
            line = Text(f"{label:>{LEFT - 1}}│", style="dim")
            for c, ch in enumerate(row):
                if cur == (r, c):
                    line.append(ch if ch in (ONE, ZERO) else "+", style="bold reverse")
                else:
                    line.append(ch, style="bold" if ch in (ONE, ZERO) else "dim")
            yield line
        axis = Text(" " * (LEFT - 1) + "└" + "─" * self.width, style="dim")
        yield axis
        lo, hi = num(grid.lo, 2), num(grid.hi, 2)
        yield Text(" " * (LEFT - 1) + lo + " " * max(1, self.width + 1 - len(lo) - len(hi)) + hi,
                   style="dim")
        legend = Text(f"x₁ →  x₂ ↑  {ONE} t=1  {ZERO} t=0  {REGION} "
                      + t("play.plot.region", self.lang))
        yield legend
        if self.record is not None and self.region([0.0], [0.0]) is None:
            yield Text(t("play.plot.no_region", self.lang), style="bold")
        if self.cursor is not None:
            x1, x2 = grid.value(self.cursor[0]), grid.value(self.cursor[1])
            at = self.data.at(x1, x2)
            where = f"({num(x1, 2)}, {num(x2, 2)})"
            if at is None:
                yield Text(t("play.plot.cursor_empty", self.lang, at=where))
            else:
                yield Text(t("play.plot.cursor_sample", self.lang, at=where, i=at + 1,
                             t=self.data.targets[at]))


class SettingsView:
    """The settings as `label  value` rows; the `selected` row marked with › and reversed (when
    `active`); `problems` (strings) under them."""

    def __init__(self, rows: Sequence[tuple[str, str]], selected: int, active: bool,
                 problems: Sequence[str], lang: str) -> None:
        self.rows = rows
        self.selected = selected
        self.active = active
        self.problems = problems
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True)
        table.add_column()
        for i, (label, value) in enumerate(self.rows):
            mark = "›" if i == self.selected and self.active else " "
            style = "bold reverse" if i == self.selected and self.active else ""
            table.add_row(Text(f"{mark} {label}", style=style), Text(value))
        parts: list[RenderableType] = [table]
        for p in self.problems:
            parts.append(Text("✗ " + p, style="bold"))
        yield Group(*parts)


class Comparison:
    """Runs A and B side by side: each one's label and its per-epoch history (loss, or errors
    of the perceptron rule) up to the same epoch."""

    def __init__(self, label_a: str, epochs_a: Sequence[EpochRecord], total_a: int,
                 label_b: str, epochs_b: Sequence[EpochRecord], total_b: int, lang: str) -> None:
        self.a = (label_a, epochs_a, total_a)
        self.b = (label_b, epochs_b, total_b)
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        half = max(20, (options.max_width - 3) // 2)
        if options.max_width < 2 * 20 + 3:  # too narrow for two columns: one under the other
            for label, epochs, total in (self.a, self.b):
                yield Text(label, style="bold")
                yield EpochHistory(epochs, total, self.lang, table=False)
            return
        table = Table.grid(padding=(0, 3))
        table.add_column(width=half)
        table.add_column(width=half)
        table.add_row(Text(self.a[0], style="bold"), Text(self.b[0], style="bold"))
        table.add_row(EpochHistory(self.a[1], self.a[2], self.lang, table=False),
                      EpochHistory(self.b[1], self.b[2], self.lang, table=False))
        yield table


def last_value(epochs: Sequence[EpochRecord]) -> float | None:
    """The last finished epoch's loss (or errors of the perceptron rule), or None."""
    if not epochs:
        return None
    e = epochs[-1]
    value = e.loss if e.loss is not None else e.errors
    return None if value is None else float(value)


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
