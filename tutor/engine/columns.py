"""Columns: the numbers of a run, one NumPy row per step or epoch, instead of one object each.

A run of 10^6 perceptron updates kept as frozen records of Python tuples costs about a gigabyte;
as columns (the weights after each step, the net, the output) it costs about 40 bytes a step.
The records a screen or a trace asks for are built from these rows on demand (engine/run.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

_FIRST = 256


class Columns:
    """Rows of a fixed shape appended one at a time; row `t` read back by index.

    Storage doubles when full (amortised O(1) per row) and never grows past `limit` rows, the
    most a run can ever need. With `window=k` only the last k rows are kept, in a ring of k rows
    (a streaming trace keeps one epoch, not the run): reading an older row raises IndexError.

    shape: the shape of one row, () for one number per step.  dtype: NumPy dtype of the values.
    """

    def __init__(self, shape: tuple[int, ...] = (), dtype: Any = np.float64, *,
                 limit: int | None = None, window: int | None = None) -> None:
        self.shape = shape
        self.limit = limit
        self.window = window
        first = window if window is not None else _FIRST
        if limit is not None:
            first = min(first, max(1, limit))
        self._a = np.empty((first, *shape), dtype=dtype)
        self._n = 0

    def __len__(self) -> int:
        """How many rows were ever appended (in a window, older ones are gone)."""
        return self._n

    def append(self, row: Any) -> None:
        n = self._n
        if self.window is not None:
            self._a[n % self.window] = row
        else:
            if n == len(self._a):
                self._grow()
            self._a[n] = row
        self._n = n + 1

    def _grow(self) -> None:
        size = 2 * len(self._a)
        if self.limit is not None:
            size = max(len(self._a) + 1, min(size, self.limit))
        bigger = np.empty((size, *self.shape), dtype=self._a.dtype)
        bigger[: self._n] = self._a[: self._n]
        self._a = bigger

    def _slot(self, t: int) -> int:
        if not 0 <= t < self._n:
            raise IndexError(f"row {t} is not computed ({self._n} rows)")
        if self.window is None:
            return t
        if t < self._n - self.window:
            raise IndexError(f"row {t} is no longer kept (a window of the last {self.window} rows)")
        return t % self.window

    def __getitem__(self, t: int) -> Any:
        """Row `t`: an array view for a shaped row, a NumPy scalar for shape ()."""
        return self._a[self._slot(t)]

    def values(self, start: int, stop: int) -> np.ndarray:
        """Rows start..stop-1 as an array (a view; not in a window)."""
        if self.window is not None:
            raise IndexError("a windowed column keeps no range of rows")
        if not 0 <= start <= stop <= self._n:
            raise IndexError(f"rows {start}..{stop} are outside 0..{self._n}")
        return self._a[start:stop]

    @property
    def nbytes(self) -> int:
        return int(self._a.nbytes)
