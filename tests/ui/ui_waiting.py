"""Waiting for what a timer or a thread does, however slow the machine: poll until a condition
holds rather than pause for a fixed time (a fixed pause passed here and failed on a loaded CI)."""

from __future__ import annotations

import time
from collections.abc import Callable


async def until(pilot, condition: Callable[[], bool], seconds: float = 15.0,
                what: str = "the condition") -> None:
    """Let the app run, 0.1 s at a time, until `condition()` holds; fail after `seconds`."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"{what} did not happen within {seconds:g} s"
        await pilot.pause(0.1)
