"""One connection shared by every part of the store: its lock, its transactions, its fallback.

Every public method of a store is wrapped in `guarded`: calls are serialized (the UI may call from
worker threads), and a database error in the middle of a session never reaches the caller. The store
switches to memory instead (`Connected._fall_back`, which `tutor.progress.store` implements),
carrying over what could still be read, and answers the call from there.

Time on a lesson is counted here too (`start_sitting`, `end_sitting` and `_touch`), because every
write that records an action also counts the time up to it, in the same transaction.
"""

from __future__ import annotations

import contextlib
import functools
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Concatenate, ParamSpec, TypeVar

IDLE_CAP_SECONDS = 300.0  # a gap longer than this between two actions counts as this much time


class Connected:
    """The state every part of the store shares: the connection, the lock, the clock."""

    def __init__(self, conn: sqlite3.Connection, *, lang: str, clock: Callable[[], float]) -> None:
        self.warning: str | None = None  # one sentence for the learner when something went wrong
        self.saving = True  # False when progress is not being saved
        self.lang = lang
        self._conn = conn
        self._clock = clock
        self._lock = threading.RLock()
        self._fallback: Connected | None = None  # the in-memory store after a database error
        self._sittings: dict[str, int] = {}  # lesson id -> this process's open sitting row

    def now(self) -> float:
        """The store's clock, in Unix seconds (a test passes its own clock)."""
        return self._clock()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short transaction that takes the write lock at its start (BEGIN IMMEDIATE).

        Taking it at the start, not at the first write, means a writer waits (busy_timeout) for
        another process instead of failing on a lock upgrade, and reads inside it are consistent.
        """
        with self._conn:
            if not self._conn.in_transaction:
                self._conn.execute("BEGIN IMMEDIATE")
            yield self._conn

    def _fall_back(self, error: sqlite3.Error) -> None:
        """Set `_fallback` to a store in memory and say why in `warning` (see `tutor.progress.store`)."""
        raise NotImplementedError

    def _touch(self, conn: sqlite3.Connection, lesson_id: str, now: float) -> None:
        """Count time on this lesson up to `now`, inside the caller's transaction.

        Time is added on every action rather than at the end of a sitting, so it survives a crash;
        idle gaps are capped at IDLE_CAP_SECONDS so a terminal left open overnight does not count.
        """
        row_id = self._sittings.get(lesson_id)
        if row_id is not None:
            updated = conn.execute(
                "UPDATE sittings SET seconds = seconds + min(max(? - last_at, 0), ?), last_at = ?"
                " WHERE id = ?",
                (now, IDLE_CAP_SECONDS, now, row_id),
            ).rowcount
            if updated:
                return
        cursor = conn.execute(
            "INSERT INTO sittings (lesson_id, started_at, last_at, seconds) VALUES (?, ?, ?, 0)",
            (lesson_id, now, now),
        )
        self._sittings[lesson_id] = int(cursor.lastrowid or 0)


_S = TypeVar("_S", bound=Connected)
_P = ParamSpec("_P")
_R = TypeVar("_R")


def guarded(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R]:
    """Serialize calls (the UI may call from worker threads) and survive database errors.

    On a database error the store falls back to memory (see `Connected._fall_back`) and the call is
    answered from there, so the caller never sees the error.
    """

    @functools.wraps(method)
    def wrapper(self: _S, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            if self._fallback is not None:
                return getattr(self._fallback, method.__name__)(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except sqlite3.Error as error:
                self._fall_back(error)
                assert self._fallback is not None
                return getattr(self._fallback, method.__name__)(*args, **kwargs)

    return wrapper


class Sittings(Connected):
    """Time on a lesson: a sitting begins when a lesson opens and ends when it is left."""

    @guarded
    def start_sitting(self, lesson_id: str) -> None:
        """The learner opened a lesson: time counts from now (also begun implicitly by any save)."""
        self._sittings.pop(lesson_id, None)
        with self._write() as conn:
            self._touch(conn, lesson_id, self.now())

    @guarded
    def end_sitting(self, lesson_id: str | None = None) -> None:
        """The learner left a lesson (None: every lesson open in this process)."""
        lessons = list(self._sittings) if lesson_id is None else [lesson_id]
        now = self.now()
        with self._write() as conn:
            for lesson in lessons:
                if lesson in self._sittings:
                    self._touch(conn, lesson, now)
                    del self._sittings[lesson]
