"""Helpers for the progress and review tests: a hand-moved clock, and writer.py (run as a process)."""


class Clock:
    """A clock the test moves by hand: stores take it as `now` so time never depends on the machine."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
