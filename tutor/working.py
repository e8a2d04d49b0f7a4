"""A line on standard error that says how far a long computation is (`check`, `trace`).

Shown only on a terminal and only once the work has taken `after` seconds (1 s): a short run
prints nothing, a pipe or a file never gets it. The line is rewritten in place (carriage
return) and erased when the work ends or is interrupted, so nothing of it is left in the
output. Ctrl+C during the work is the command's own business (`perceptron-tutor` exits 130).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from tutor.i18n import t

AFTER_SECONDS = 1.0  # a computation shorter than this shows no line
EVERY_SECONDS = 0.1  # the line is rewritten at most this often


class WorkLine:
    """`progress(done, total)` for `Run.compute` (and a streaming trace): writes
    `t: 412,000 of 1,000,000 steps (41 %) · Ctrl+C stops` to `stream` when it is a terminal.
    Always returns True (it never cancels); `close()` erases the line."""

    def __init__(self, label: str, lang: str, stream: TextIO | None = None, *,
                 after: float = AFTER_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.lang = lang
        self.stream = stream if stream is not None else sys.stderr
        self.after = after
        self.clock = clock
        self.start = clock()
        self._last = -1.0
        self._width = 0
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError, OSError):
            self.enabled = False

    def __call__(self, done: int, total: int) -> bool:
        if not self.enabled:
            return True
        now = self.clock()
        if now - self.start < self.after or now - self._last < EVERY_SECONDS:
            return True
        self._last = now
        text = t("cli.working", self.lang, label=self.label, done=f"{done:,}",
                 total=f"{total:,}", pct=done * 100 // max(1, total))
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
        return True

    def close(self) -> None:
        """Erase the line, if one was written."""
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> WorkLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
