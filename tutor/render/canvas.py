"""A small character canvas: braille dots for lines, single characters for marks, with axes.

Coordinates are data coordinates; the canvas maps them to cells (and to 2×4 braille dots per cell).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text

from tutor.render.style import NOTE

BRAILLE_BASE = 0x2800
# bit of the braille dot at (column 0..1, row 0..3) inside a cell
BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))


@dataclass(frozen=True)
class View:
    x_min: float
    x_max: float
    y_min: float
    y_max: float
    width: int  # cells
    height: int  # cells

    def col(self, x: float) -> int:
        return _cell(_ratio(x, self.x_min, self.x_max, self.x_min), self.width)

    def row(self, y: float) -> int:
        """Row 0 is the top."""
        return _cell(_ratio(self.y_max, y, self.y_max, self.y_min), self.height)

    def x_of_col(self, col: float) -> float:
        return _between(self.x_min, self.x_max, col / (self.width - 1))

    def y_of_row(self, row: float) -> float:
        return _between(self.y_max, self.y_min, row / (self.height - 1))

    def contains(self, x: float, y: float) -> bool:
        return self.x_min <= x <= self.x_max and self.y_min <= y <= self.y_max


def _ratio(a: float, b: float, c: float, d: float) -> float:
    """(a − b) / (c − d), without overflow for any finite floats; NaN when c = d.

    A range such as −1e308 … 1e308 is wider than the largest float; halving first keeps it finite.
    """
    num, den = a - b, c - d
    if math.isinf(num) or math.isinf(den):
        num, den = a / 2 - b / 2, c / 2 - d / 2
    return num / den if den else math.nan


def _cell(fraction: float, size: int) -> int:
    """The cell index of a fraction of the view; off-view values stay off the canvas (clamped a
    few sizes out, so loops between two cells stay short); NaN or ∞ is −1, never drawn."""
    if not math.isfinite(fraction):
        return -1
    return round(min(max(fraction, -4.0), 5.0) * (size - 1))


def _between(a: float, b: float, f: float) -> float:
    """a + f·(b − a) without overflow for any finite a and b."""
    return a * (1 - f) + b * f


class Canvas:
    """Cells holding either braille dots or one character with a style."""

    def __init__(self, view: View) -> None:
        self.view = view
        self._dots = [[0] * view.width for _ in range(view.height)]
        self._chars: dict[tuple[int, int], tuple[str, str]] = {}

    def dot(self, x: float, y: float) -> bool:
        """Set the braille dot nearest (x, y); False when outside the view."""
        v = self.view
        if not v.contains(x, y):
            return False
        fx = _ratio(x, v.x_min, v.x_max, v.x_min) * (v.width - 1) + 0.5
        fy = _ratio(v.y_max, y, v.y_max, v.y_min) * (v.height - 1) + 0.5
        if not (math.isfinite(fx) and math.isfinite(fy)):
            return False
        col, row = min(int(fx), v.width - 1), min(int(fy), v.height - 1)
        sub_x = min(int((fx - col) * 2), 1)
        sub_y = min(int((fy - row) * 4), 3)
        self._dots[row][col] |= BRAILLE_BITS[sub_x][sub_y]
        return True

    def put(self, x: float, y: float, char: str, style: str = "") -> bool:
        """Put one character at the cell of (x, y); False when outside the view."""
        if not self.view.contains(x, y):
            return False
        self.put_cell(self.view.col(x), self.view.row(y), char, style)
        return True

    def put_cell(self, col: int, row: int, char: str, style: str = "") -> None:
        if 0 <= col < self.view.width and 0 <= row < self.view.height:
            self._chars[(col, row)] = (char, style)

    def is_free(self, col: int, row: int) -> bool:
        return (col, row) not in self._chars and not self._dots[row][col]

    def cell(self, col: int, row: int) -> tuple[str, str]:
        if (col, row) in self._chars:
            return self._chars[(col, row)]
        bits = self._dots[row][col]
        return (chr(BRAILLE_BASE + bits), "") if bits else (" ", "")

    def lines(
        self,
        y_labels: dict[int, str],
        x_labels: dict[int, str],
        line_style: str = "",
    ) -> list[Text]:
        """The canvas framed by a y axis (labels at given rows) and an x axis (labels at cols)."""
        v = self.view
        label_w = max((len(s) for s in y_labels.values()), default=0)
        out: list[Text] = []
        for row in range(v.height):
            label = y_labels.get(row, "")
            line = Text()
            line.append(label.rjust(label_w) + (" ┤" if label else " │"), style=NOTE)
            # cells of one style go in as one run: a span (and a segment, and an escape code
            # on the terminal) per run, not per cell
            run: list[str] = []
            run_style = ""
            for col in range(v.width):
                char, style = self.cell(col, row)
                if not style and "\u2800" < char <= "\u28ff":
                    style = line_style
                if style != run_style and run:
                    line.append("".join(run), style=run_style)
                    run = []
                run_style = style
                run.append(char)
            if run:
                line.append("".join(run), style=run_style)
            out.append(line)
        axis = [" " * label_w, " └"] + ["─"] * v.width
        ticks = [" "] * (label_w + 2 + v.width + 8)
        for col, text in sorted(x_labels.items()):
            axis[2 + col] = "┬"
            start = label_w + 2 + col - len(text) // 2
            start = max(start, 0)
            if all(c == " " for c in ticks[max(start - 1, 0) : start + len(text) + 1]):
                ticks[start : start + len(text)] = list(text)
        out.append(Text("".join(axis), style=NOTE))
        out.append(Text("".join(ticks).rstrip(), style=NOTE))
        return out
