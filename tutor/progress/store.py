"""The two stores: `SQLiteStore` (a file) and `MemoryStore` (the same SQL over an in-memory db).

Both are `SQLStore`, which puts together one concept per module: the connection and time counting
(`connection`), positions (`positions`), answers and review boxes (`answers`), export and import
(`exchange`). What is here is what concerns the whole store: forgetting (`reset`), closing, and
going on in memory after a database error. Opening the learner's file safely is `opening`.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from tutor.i18n import t
from tutor.progress.answers import Answers
from tutor.progress.connection import guarded
from tutor.progress.exchange import Exchange
from tutor.progress.positions import Positions
from tutor.progress.schema import (
    BUSY_TIMEOUT_SECONDS,
    SCHEMA_VERSION,
    Damaged,
    NewerSchema,
    configure,
    migrate,
    user_version,
)


class SQLStore(Positions, Answers, Exchange):
    """Everything both stores share: all reads and writes, as SQL over one connection."""

    def _fall_back(self, error: sqlite3.Error) -> None:
        """Keep going in memory with whatever can still be read; tell the learner once."""
        try:
            data: dict | None = self._export()
        except Exception:
            data = None
        fallback = MemoryStore(lang=self.lang, clock=self._clock)
        if data is not None:
            with contextlib.suppress(Exception):
                fallback.import_(data)
        self._fallback = fallback
        self.saving = False
        self.warning = t("progress.warning.save_failed", self.lang, error=str(error) or "?")
        with contextlib.suppress(Exception):
            self._conn.close()

    @guarded
    def reset(self, lesson_id: str | None) -> None:
        """Forget one lesson (position, completion, attempts, time, review), or everything."""
        with self._write() as conn:
            for table in ("lessons", "attempts", "sittings", "review", "unit_steps", "skips",
                          "exam_seeds"):
                if lesson_id is None:
                    conn.execute(f"DELETE FROM {table}")
                else:
                    conn.execute(f"DELETE FROM {table} WHERE lesson_id = ?", (lesson_id,))
        if lesson_id is None:
            self._sittings.clear()
        else:
            self._sittings.pop(lesson_id, None)

    @guarded
    def close(self) -> None:
        """Count the time of open sittings, then close. Safe to call twice."""
        if self._sittings:
            self.end_sitting()
        self._conn.close()


class MemoryStore(SQLStore):
    """Same behaviour as SQLiteStore (it is the same SQL over an in-memory db), saving nothing.

    Used by tests and whenever nothing can be written; `saving` is False. Pass `warning` to carry
    the sentence that explains why progress is not being saved.
    """

    def __init__(
        self,
        *,
        lang: str = "en",
        warning: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        conn = sqlite3.connect(":memory:", isolation_level="IMMEDIATE", check_same_thread=False)
        migrate(conn)
        super().__init__(conn, lang=lang, clock=clock)
        self.saving = False
        self.warning = warning

    def _fall_back(self, error: sqlite3.Error) -> None:
        """There is nothing further to fall back to; an in-memory db failing is a bug."""
        raise error


class SQLiteStore(SQLStore):
    """Progress in a SQLite file. Prefer `open_store`, which handles damaged and missing files.

    The constructor raises sqlite3.Error, Damaged or NewerSchema for a file it cannot use.
    """

    def __init__(
        self, path: Path, *, lang: str = "en", clock: Callable[[], float] = time.time
    ) -> None:
        self.path = Path(path)
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level="IMMEDIATE",
            check_same_thread=False,
        )
        try:
            configure(conn)
            result = conn.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise Damaged(f"quick_check: {result}")
            if user_version(conn) > SCHEMA_VERSION:
                raise NewerSchema  # before WAL mode, which would change the file
            conn.execute("PRAGMA journal_mode = WAL")
            # NORMAL, not FULL: in WAL mode a commit is then durable across a crash or a kill of
            # this process (the tests SIGKILL it), and only an OS crash or power loss can roll
            # back the last commits (https://www.sqlite.org/pragma.html#pragma_synchronous).
            # FULL fsyncs the log on every commit: 2–15 ms on every step press (issue 10).
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        super().__init__(conn, lang=lang, clock=clock)
