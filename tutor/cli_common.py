"""What the command modules share: the usage error, how problems are printed, the narrowest table."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, TextIO

MIN_WIDTH = 40  # a table printed to a terminal narrower than this is printed this wide


class UsageError(Exception):
    """Wrong words on the command line: exit status 2."""


def print_problems(problems: Sequence[Any], out: TextIO | None = None) -> None:
    """One `file:line: field: message` per line (stderr unless `out`)."""
    for p in problems:
        print(str(p), file=out or sys.stderr)
