"""Columns: the numbers of a run, one row per step or epoch, instead of one object each.

A run of 10^6 perceptron updates kept as frozen records of Python tuples cost about a gigabyte;
as columns (the weights after each step, the net, the output) it costs about 33 bytes a step.
The records a screen or a trace asks for are built from these rows on demand (engine/run.py).

The rows live in a stdlib `array.array` (8 bytes a float64, 4 a float32, 1 an int8; it grows
by itself, amortised O(1) per value): appending one Python number to it costs tens of
nanoseconds, where writing a row into a NumPy array costs hundreds, and the perceptron rule
appends four numbers a step. Ranges are handed out as NumPy arrays (`array`).
"""

from __future__ import annotations

from array import array
from typing import Any

import numpy as np

_SLACK = 1024  # rows a window may run over before the oldest are dropped (amortises the trim)


class Columns:
    """Rows of `width` numbers of one type (array typecode: 'd' float64, 'f' float32, 'b' int8,
    'q' int64), appended in order; row `t` read back by its number.

    `data` is the flat storage, for a model's hot loop to append to directly (`width` values a
    row). With `window=k`, `trim()` drops all but the last k rows (a streaming trace keeps one
    step, not the run); reading a dropped row raises IndexError.
    """

    def __init__(self, width: int = 1, typecode: str = "d", *, window: int | None = None) -> None:
        self.width = width
        self.window = window
        self.data: array[Any] = array(typecode)
        self._first = 0  # the number of the first row still kept

    def __len__(self) -> int:
        """How many rows were ever appended (in a window, the older ones are gone)."""
        return self._first + len(self.data) // self.width

    def append(self, row: Any) -> None:
        """One row: `width` numbers, or one number when `width` is 1."""
        if isinstance(row, list | tuple):
            if len(row) != self.width:
                raise ValueError(f"a row of {len(row)} values in columns of width {self.width}")
            self.data.extend(row)
        else:
            self.data.append(row)

    def trim(self) -> None:
        """In a window, drop the rows older than the last `window` (when enough have piled up)."""
        if self.window is None:
            return
        kept = len(self.data) // self.width
        if kept > self.window + _SLACK:
            drop = kept - self.window
            del self.data[: drop * self.width]
            self._first += drop

    def repeat(self, period: int, count: int) -> None:
        """Append `count` rows, each a copy of the row `period` rows before it (a run that
        repeats itself). The copies double in size, so a million rows take a few copies."""
        if not 0 < period <= len(self.data) // self.width:
            raise IndexError(f"a period of {period} rows in columns that keep "
                             f"{len(self.data) // self.width}")
        width, data = self.width, self.data
        ready = period  # rows at the end that are known to repeat with this period
        while count > 0:
            rows = min(count, ready // period * period)
            start = len(data) - ready * width
            data.extend(data[start : start + rows * width])
            count -= rows
            ready += rows

    def offset(self, t: int) -> int:
        """Where row `t` starts in `data`. IndexError if it was never appended or was dropped."""
        at = (t - self._first) * self.width
        if t < 0 or at < 0 or at >= len(self.data):
            if 0 <= t < self._first:
                raise IndexError(f"row {t} is no longer kept (a window of {self.window} rows)")
            raise IndexError(f"row {t} is not computed ({len(self)} rows)")
        return at

    def row(self, t: int) -> tuple[Any, ...]:
        """Row `t` as a tuple of Python numbers."""
        at = self.offset(t)
        return tuple(self.data[at : at + self.width])

    def item(self, t: int) -> Any:
        """The one number of row `t` (width 1) as a Python number."""
        return self.data[self.offset(t)]

    def array(self, start: int, stop: int) -> np.ndarray:
        """Rows start..stop-1 as a new NumPy array: shape (rows,) for width 1, else (rows, width)."""
        if not self._first <= start <= stop <= len(self):
            raise IndexError(f"rows {start}..{stop} are outside {self._first}..{len(self)}")
        a, b = (start - self._first) * self.width, (stop - self._first) * self.width
        values = np.array(self.data[a:b])
        return values if self.width == 1 else values.reshape(-1, self.width)

    @property
    def nbytes(self) -> int:
        return len(self.data) * self.data.itemsize
