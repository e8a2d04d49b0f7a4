"""Where a learner is and how they did, kept so that it survives crashes, two windows and bad disks.

Progress lives in one SQLite file (`paths.progress_db()`, in the user data folder). Why SQLite and
not a JSON file: a transaction per step or answer is atomic on disk, so a crash, a SIGKILL or a
power cut leaves either the old or the new state, never half of one; and two tutor windows can
write at once (WAL mode plus a busy timeout; every write is one short `BEGIN IMMEDIATE`
transaction, so writers queue instead of failing on a lock upgrade).

Nothing here may crash the tutor or show a traceback:

* only our files are ever written: what is at the path is classified first without letting SQLite
  write (`classify`: the header's `application_id`, else a `mode=ro` look at the tables). Another
  program's SQLite file, a FIFO or a device is left byte for byte as it is (a `MemoryStore` and
  a sentence); a read-only file of ours is shown from a read-only connection, never moved;
* a damaged file (not SQLite, corrupt, a folder) is moved aside to
  `progress.db.damaged-<timestamp>` (never deleted or overwritten, bytes kept) and a fresh one is
  started; `store.warning` says where it went;
* a folder that cannot be created or written, or a file from a newer version, gives a
  `MemoryStore` (`saving = False`) and a warning that progress will not be kept;
* a database error in the middle of a session switches the store to memory, carrying over what
  could still be read, and sets the warning.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` upgrades version n to n + 1,
so a new schema version is one new function appended to that list. Version 2 added to each position
where the unit stood when it was saved (`unit_index`, `units_before`) and a fingerprint of the
training unit's configuration, so that a lesson edited since the last visit can be resumed sensibly
(see `tutor.resume`); positions saved by version 1 lack them and are trusted as they are.

Times are Unix seconds (floats) everywhere, in the db and in exports.
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from tutor import paths
from tutor.exam import MAX_SEED  # an exam sitting's seed: fits SQLite INTEGER and JSON
from tutor.i18n import t
from tutor.review import LAST_BOX, ReviewEntry, after_miss
from tutor.text import clean_path, first_unsafe

EXPORT_FORMAT = "perceptron-tutor-progress"
# The export format's version. 1 and 2 match the schema versions; 3 (schema v3) left out its two
# new tables; 4 adds `unit_steps` and `skips`; 5 adds `exam_seeds` (schema v4). Every older version is still imported (a missing
# section is an empty one).
EXPORT_VERSION = 5
IDLE_CAP_SECONDS = 300.0  # a gap longer than this between two actions counts as this much time
BUSY_TIMEOUT_SECONDS = 10.0
DAMAGED_INFIX = ".damaged-"
SQLITE_HEADER = b"SQLite format 3\x00"
# PRAGMA application_id of our databases ("PTut"): another program's SQLite file is never touched.
APPLICATION_ID = 0x50547574
OUR_TABLES = frozenset({"lessons", "attempts", "sittings", "review"})


@dataclass(frozen=True)
class Position:
    """Where a learner is in one lesson."""

    unit_id: str  # the unit's id (stable across lesson edits)
    step: int  # in a training unit: how many steps are revealed (0 = none yet); else 0
    # Where the unit stood when the position was saved (schema v2; None/() when saved without them,
    # e.g. by version 1): its 0-based index, the ids of the units before it, and for a training
    # unit a fingerprint of its configuration. Not part of equality: they describe, not locate.
    index: int | None = field(default=None, compare=False)
    before: tuple[str, ...] = field(default=(), compare=False)
    fingerprint: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LessonSummary:
    lesson_id: str
    status: str  # "done" | "in_progress" | "not_started"
    position: Position | None
    right: int  # questions answered right (latest attempt per question counts)
    answered: int  # distinct questions attempted
    seconds: float  # time spent (sum of sittings)


@dataclass(frozen=True)
class Attempt:
    """One answer to one quiz question, as recorded."""

    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    hints_used: int
    revealed: bool
    answered_at: float


class ProgressDataError(ValueError):
    """Import data that is not valid progress; the message is one localized sentence."""


class Store(Protocol):
    """What the UI and the CLI use; `MemoryStore` and `SQLiteStore` both satisfy it."""

    warning: str | None  # one sentence for the learner when something went wrong; else None
    saving: bool  # False when progress is not being saved

    def position(self, lesson_id: str) -> Position | None: ...
    def save_position(
        self,
        lesson_id: str,
        unit_id: str,
        step: int,
        *,
        index: int | None = None,
        before: Sequence[str] = (),
        fingerprint: str | None = None,
    ) -> None: ...
    def mark_done(self, lesson_id: str) -> None: ...
    def record_attempt(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints_used: int,
        revealed: bool,
    ) -> None: ...
    def summary(self, lesson_id: str) -> LessonSummary: ...
    def summaries(self) -> list[LessonSummary]: ...
    def reset(self, lesson_id: str | None) -> None: ...
    def export(self) -> dict: ...
    def import_(self, data: dict) -> None: ...
    def close(self) -> None: ...
    # Additions: time tracking, raw attempts, and the review boxes (used by tutor.review).
    def start_sitting(self, lesson_id: str) -> None: ...
    def end_sitting(self, lesson_id: str | None = None) -> None: ...
    def attempts(self, lesson_id: str | None = None) -> list[Attempt]: ...
    def review_entries(self) -> list[ReviewEntry]: ...
    def review_entry(self, lesson_id: str, question_id: str) -> ReviewEntry | None: ...
    def put_review(self, entry: ReviewEntry) -> None: ...
    def now(self) -> float: ...
    # Schema v3: every training unit's step, and skipped questions.
    def save_unit_step(self, lesson_id: str, unit_id: str, step: int) -> None: ...
    def unit_steps(self, lesson_id: str) -> dict[str, int]: ...
    def record_skip(self, lesson_id: str, question_id: str) -> None: ...
    def skipped(self, lesson_id: str) -> set[str]: ...
    def last_lesson(self) -> str | None: ...
    # Schema v4: the seed of an exam's sitting (tutor/exam.py).
    def exam_seed(self, lesson_id: str) -> int | None: ...
    def save_exam_seed(self, lesson_id: str, seed: int) -> None: ...


# --- schema -----------------------------------------------------------------------------------


def _migrate_0_to_1(conn: sqlite3.Connection) -> None:
    """The first release's schema."""
    statements = [
        """CREATE TABLE lessons (
            lesson_id TEXT PRIMARY KEY,
            unit_id TEXT,
            step INTEGER NOT NULL DEFAULT 0,
            updated_at REAL NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            done_at REAL
        )""",
        """CREATE TABLE attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            correct INTEGER NOT NULL,
            hints_used INTEGER NOT NULL,
            revealed INTEGER NOT NULL,
            answered_at REAL NOT NULL
        )""",
        "CREATE INDEX attempts_by_question ON attempts (lesson_id, question_id, answered_at)",
        """CREATE TABLE sittings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            lesson_id TEXT NOT NULL,
            started_at REAL NOT NULL,
            last_at REAL NOT NULL,
            seconds REAL NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX sittings_by_lesson ON sittings (lesson_id)",
        """CREATE TABLE review (
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            box INTEGER NOT NULL,
            due_at REAL NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (lesson_id, question_id)
        )""",
    ]
    for statement in statements:
        conn.execute(statement)


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    """Where the unit stood and what the training was, so an edited lesson resumes sensibly.

    `units_before` is a JSON list of the ids of the units before the saved one (to find the nearest
    earlier unit that still exists); `fingerprint` identifies a training unit's configuration.
    Existing rows keep their position and get NULLs, which mean "unknown: trust the position".
    """
    for column in ("unit_index INTEGER", "units_before TEXT", "fingerprint TEXT"):
        conn.execute(f"ALTER TABLE lessons ADD COLUMN {column}")


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Every training unit's step (not only the current unit's), and questions skipped on purpose.

    `unit_steps` lets a learner go back to an earlier training unit after a restart and find it
    where it was left; `skips` records a question the learner chose to skip (`n` twice), so that
    the lesson can count as done and the menu and review can say so. A later answer supersedes a
    skip (see `Store.skipped`).
    """
    conn.execute(
        """CREATE TABLE unit_steps (
            lesson_id TEXT NOT NULL,
            unit_id TEXT NOT NULL,
            step INTEGER NOT NULL,
            updated_at REAL NOT NULL,
            PRIMARY KEY (lesson_id, unit_id)
        )"""
    )
    conn.execute(
        """CREATE TABLE skips (
            lesson_id TEXT NOT NULL,
            question_id TEXT NOT NULL,
            skipped_at REAL NOT NULL,
            PRIMARY KEY (lesson_id, question_id)
        )"""
    )


def _migrate_3_to_4(conn: sqlite3.Connection) -> None:
    """The seed of an exam lesson's sitting (tutor/exam.py): the choices' order, kept so that a
    restart, the plain mode and the review show each question as the sitting did. A reset of the
    lesson forgets it: the next sitting is shuffled anew."""
    conn.execute(
        """CREATE TABLE exam_seeds (
            lesson_id TEXT PRIMARY KEY,
            seed INTEGER NOT NULL,
            started_at REAL NOT NULL
        )"""
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migrate_0_to_1,
    _migrate_1_to_2,
    _migrate_2_to_3,
    _migrate_3_to_4,
]
SCHEMA_VERSION = len(MIGRATIONS)


class _Damaged(Exception):
    """The file is not a usable progress db (corrupt, or some other program's database)."""


class _NewerSchema(Exception):
    """The file was written by a newer tutor; we must neither change nor discard it."""


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the db to SCHEMA_VERSION in one transaction (safe if two processes race to do it).

    It also stamps the db with APPLICATION_ID: version 1 and 2 files of ours, written before the
    stamp existed, get it the first time they are opened (only after `classify` found them ours).
    """
    if _user_version(conn) == SCHEMA_VERSION and _application_id(conn) == APPLICATION_ID:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _user_version(conn)  # again, now that we hold the write lock
        if version > SCHEMA_VERSION:
            raise _NewerSchema
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise _Damaged("version 0 but not empty: not a progress db")
        for step in MIGRATIONS[version:]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


# --- the store ----------------------------------------------------------------------------------

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(
    method: Callable[Concatenate[_SQLStore, _P], _R],
) -> Callable[Concatenate[_SQLStore, _P], _R]:
    """Serialize calls (the UI may call from worker threads) and survive database errors.

    On a database error the store falls back to memory (see `_SQLStore._fall_back`) and the call is
    answered from there, so the caller never sees the error.
    """

    @functools.wraps(method)
    def wrapper(self: _SQLStore, *args: _P.args, **kwargs: _P.kwargs) -> _R:
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


class _SQLStore:
    """Everything both stores share: all reads and writes, as SQL over one connection."""

    def __init__(self, conn: sqlite3.Connection, *, lang: str, clock: Callable[[], float]) -> None:
        self.warning: str | None = None
        self.saving = True
        self.lang = lang
        self._conn = conn
        self._clock = clock
        self._lock = threading.RLock()
        self._fallback: MemoryStore | None = None
        self._sittings: dict[str, int] = {}  # lesson id -> this process's open sitting row

    # -- plumbing

    def now(self) -> float:
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

    # -- time

    @_guarded
    def start_sitting(self, lesson_id: str) -> None:
        """The learner opened a lesson: time counts from now (also begun implicitly by any save)."""
        self._sittings.pop(lesson_id, None)
        with self._write() as conn:
            self._touch(conn, lesson_id, self.now())

    @_guarded
    def end_sitting(self, lesson_id: str | None = None) -> None:
        """The learner left a lesson (None: every lesson open in this process)."""
        lessons = list(self._sittings) if lesson_id is None else [lesson_id]
        now = self.now()
        with self._write() as conn:
            for lesson in lessons:
                if lesson in self._sittings:
                    self._touch(conn, lesson, now)
                    del self._sittings[lesson]

    # -- positions

    @_guarded
    def position(self, lesson_id: str) -> Position | None:
        row = self._conn.execute(
            "SELECT unit_id, step, unit_index, units_before, fingerprint FROM lessons"
            " WHERE lesson_id = ? AND unit_id IS NOT NULL",
            (lesson_id,),
        ).fetchone()
        return _position(row) if row else None

    @_guarded
    def save_position(
        self,
        lesson_id: str,
        unit_id: str,
        step: int,
        *,
        index: int | None = None,
        before: Sequence[str] = (),
        fingerprint: str | None = None,
    ) -> None:
        """Save where the learner is; `index`, `before` and `fingerprint` see `Position`."""
        if step < 0:
            raise ValueError(f"step must be >= 0, not {step}")
        now = self.now()
        before_json = json.dumps(list(before)) if index is not None or before else None
        with self._write() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson_id, unit_id, step, updated_at, unit_index,"
                " units_before, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET unit_id = excluded.unit_id,"
                " step = excluded.step, updated_at = excluded.updated_at,"
                " unit_index = excluded.unit_index, units_before = excluded.units_before,"
                " fingerprint = excluded.fingerprint",
                (lesson_id, unit_id, step, now, index, before_json, fingerprint),
            )
            self._touch(conn, lesson_id, now)

    @_guarded
    def mark_done(self, lesson_id: str) -> None:
        """Completion is kept (with the first time it happened) even if the lesson is redone."""
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson_id, updated_at, done, done_at) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET done = 1,"
                " done_at = coalesce(done_at, excluded.done_at)",
                (lesson_id, now, now),
            )
            self._touch(conn, lesson_id, now)

    # -- attempts

    @_guarded
    def record_attempt(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints_used: int,
        revealed: bool,
    ) -> None:
        """Every attempt is kept; a wrong or revealed one also puts the question in review box 1."""
        if hints_used < 0:
            raise ValueError(f"hints_used must be >= 0, not {hints_used}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                _INSERT_ATTEMPT,
                (lesson_id, question_id, answer, int(correct), hints_used, int(revealed), now),
            )
            if revealed or not correct:
                self._put_review(conn, after_miss(lesson_id, question_id, now))
            self._touch(conn, lesson_id, now)

    @_guarded
    def attempts(self, lesson_id: str | None = None) -> list[Attempt]:
        """Attempts in the order they were made (one lesson, or all)."""
        sql = (
            "SELECT lesson_id, question_id, answer, correct, hints_used, revealed, answered_at"
            " FROM attempts"
        )
        params: tuple[str, ...] = ()
        if lesson_id is not None:
            sql += " WHERE lesson_id = ?"
            params = (lesson_id,)
        rows = self._conn.execute(sql + " ORDER BY answered_at, id", params).fetchall()
        return [
            Attempt(r[0], r[1], r[2], bool(r[3]), int(r[4]), bool(r[5]), float(r[6])) for r in rows
        ]

    # -- unit steps and skips (schema v3)

    @_guarded
    def save_unit_step(self, lesson_id: str, unit_id: str, step: int) -> None:
        """Keep how many steps of training unit `unit_id` are revealed (>= 0)."""
        if step < 0:
            raise ValueError(f"step must be >= 0, not {step}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO unit_steps (lesson_id, unit_id, step, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (lesson_id, unit_id) DO UPDATE SET step = excluded.step,"
                " updated_at = excluded.updated_at",
                (lesson_id, unit_id, step, now),
            )

    @_guarded
    def unit_steps(self, lesson_id: str) -> dict[str, int]:
        """Training unit id -> steps revealed, for every unit of the lesson that was stepped."""
        rows = self._conn.execute(
            "SELECT unit_id, step FROM unit_steps WHERE lesson_id = ?", (lesson_id,)
        ).fetchall()
        return {str(r[0]): max(0, int(r[1])) for r in rows}

    @_guarded
    def record_skip(self, lesson_id: str, question_id: str) -> None:
        """The learner skipped a question on purpose: kept, and offered in review (box 1)."""
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO skips (lesson_id, question_id, skipped_at) VALUES (?, ?, ?)"
                " ON CONFLICT (lesson_id, question_id) DO UPDATE SET skipped_at = excluded.skipped_at",
                (lesson_id, question_id, now),
            )
            self._put_review(conn, after_miss(lesson_id, question_id, now))
            self._touch(conn, lesson_id, now)

    @_guarded
    def skipped(self, lesson_id: str) -> set[str]:
        """Questions skipped and not answered right or revealed since (a later answer wins)."""
        rows = self._conn.execute(
            "SELECT s.question_id FROM skips s WHERE s.lesson_id = ? AND NOT EXISTS ("
            " SELECT 1 FROM attempts a WHERE a.lesson_id = s.lesson_id"
            " AND a.question_id = s.question_id AND a.answered_at >= s.skipped_at"
            " AND (a.correct = 1 OR a.revealed = 1))",
            (lesson_id,),
        ).fetchall()
        return {str(r[0]) for r in rows}

    @_guarded
    def last_lesson(self) -> str | None:
        """The lesson not yet done that the learner was in most recently, if any."""
        row = self._conn.execute(
            "SELECT lesson_id FROM lessons WHERE done = 0 AND unit_id IS NOT NULL"
            " ORDER BY updated_at DESC LIMIT 1"
        ).fetchone()
        return str(row[0]) if row else None

    @_guarded
    def exam_seed(self, lesson_id: str) -> int | None:
        """The seed of the lesson's exam sitting, if one was started (and not reset since)."""
        row = self._conn.execute(
            "SELECT seed FROM exam_seeds WHERE lesson_id = ?", (lesson_id,)
        ).fetchone()
        return int(row[0]) if row else None

    @_guarded
    def save_exam_seed(self, lesson_id: str, seed: int) -> None:
        """Start an exam sitting with `seed` (0 ≤ seed ≤ 2³¹ − 1), replacing any earlier one."""
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}, not {seed}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO exam_seeds (lesson_id, seed, started_at) VALUES (?, ?, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET seed = excluded.seed,"
                " started_at = excluded.started_at",
                (lesson_id, seed, now),
            )

    # -- summaries

    @_guarded
    def summary(self, lesson_id: str) -> LessonSummary:
        """Scores: the latest attempt at a question decides; a revealed solution is never right."""
        conn = self._conn
        lesson = conn.execute(
            "SELECT unit_id, step, unit_index, units_before, fingerprint, done FROM lessons"
            " WHERE lesson_id = ?",
            (lesson_id,),
        ).fetchone()
        latest: dict[str, bool] = {}
        for question_id, correct, revealed in conn.execute(
            "SELECT question_id, correct, revealed FROM attempts WHERE lesson_id = ?"
            " ORDER BY answered_at, id",
            (lesson_id,),
        ):
            latest[question_id] = bool(correct) and not revealed
        seconds, sittings = conn.execute(
            "SELECT coalesce(sum(seconds), 0), count(*) FROM sittings WHERE lesson_id = ?",
            (lesson_id,),
        ).fetchone()
        position = _position(lesson[:5]) if lesson and lesson[0] is not None else None
        if lesson and lesson[5]:
            status = "done"
        elif lesson or latest or sittings:
            status = "in_progress"
        else:
            status = "not_started"
        right = sum(latest.values())
        return LessonSummary(lesson_id, status, position, right, len(latest), float(seconds))

    @_guarded
    def summaries(self) -> list[LessonSummary]:
        """Every lesson the learner has touched, by id (lessons never opened are not listed)."""
        rows = self._conn.execute(
            "SELECT lesson_id FROM lessons UNION SELECT lesson_id FROM attempts"
            " UNION SELECT lesson_id FROM sittings ORDER BY 1"
        ).fetchall()
        return [self.summary(row[0]) for row in rows]

    # -- review boxes (rules in tutor.review)

    @staticmethod
    def _put_review(conn: sqlite3.Connection, entry: ReviewEntry) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO review (lesson_id, question_id, box, due_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (entry.lesson_id, entry.question_id, entry.box, entry.due_at, entry.updated_at),
        )

    @_guarded
    def put_review(self, entry: ReviewEntry) -> None:
        with self._write() as conn:
            self._put_review(conn, entry)

    @_guarded
    def review_entries(self) -> list[ReviewEntry]:
        rows = self._conn.execute(
            "SELECT lesson_id, question_id, box, due_at, updated_at FROM review"
            " ORDER BY lesson_id, question_id"
        ).fetchall()
        return [ReviewEntry(r[0], r[1], int(r[2]), float(r[3]), float(r[4])) for r in rows]

    @_guarded
    def review_entry(self, lesson_id: str, question_id: str) -> ReviewEntry | None:
        row = self._conn.execute(
            "SELECT box, due_at, updated_at FROM review WHERE lesson_id = ? AND question_id = ?",
            (lesson_id, question_id),
        ).fetchone()
        if row is None:
            return None
        return ReviewEntry(lesson_id, question_id, int(row[0]), float(row[1]), float(row[2]))

    # -- reset, export, import

    @_guarded
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

    @_guarded
    def export(self) -> dict:
        return self._export()

    def _export(self) -> dict:
        conn = self._conn

        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

        def rows(table: str, order: str, bools: tuple[str, ...] = ()) -> list[dict]:
            """Every row of `table` as a dict with the fields an import expects (none when the
            table is not there: a read-only file of schema v1 or v2 has no v3 tables)."""
            if table not in tables:
                return []
            names = tuple(_SECTIONS[table])
            out = []
            for row in conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {order}"):
                item = dict(zip(names, row, strict=True))
                for name in bools:
                    item[name] = bool(item[name])
                out.append(item)
            return out

        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.now(),
            "lessons": [
                {**item, "units_before": _before_list(item["units_before"])}
                for item in rows("lessons", "lesson_id", ("done",))
            ],
            "attempts": rows("attempts", "answered_at, id", ("correct", "revealed")),
            "sittings": rows("sittings", "started_at"),
            "review": rows("review", "lesson_id, question_id"),
            "unit_steps": rows("unit_steps", "lesson_id, unit_id"),
            "skips": rows("skips", "lesson_id, question_id"),
            "exam_seeds": rows("exam_seeds", "lesson_id"),
        }

    @_guarded
    def import_(self, data: dict) -> None:
        """Merge an export into this store, all or nothing.

        Raises ProgressDataError (a localized sentence naming the bad field) before writing anything
        if the data is not valid. Merging: the newer position wins, completion is kept if either
        side has it, attempts and sittings already present are not doubled, the newer review
        entry wins, the newer step of a training unit wins, a skip keeps its latest time.
        Importing the same export twice changes nothing.
        """
        valid = _validate(data, self.lang)
        with self._write() as conn:
            for item in valid["lessons"]:
                self._merge_lesson(conn, item)
            for a in valid["attempts"]:
                values = tuple(a[name] for name in _ATTEMPT_FIELDS)
                exists = conn.execute(
                    "SELECT 1 FROM attempts WHERE lesson_id = ? AND question_id = ? AND answer = ?"
                    " AND correct = ? AND hints_used = ? AND revealed = ? AND answered_at = ?",
                    values,
                ).fetchone()
                if not exists:
                    conn.execute(_INSERT_ATTEMPT, values)
            for s in valid["sittings"]:
                row = conn.execute(
                    "SELECT id, seconds FROM sittings WHERE lesson_id = ? AND started_at = ?",
                    (s["lesson_id"], s["started_at"]),
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO sittings (lesson_id, started_at, last_at, seconds)"
                        " VALUES (?, ?, ?, ?)",
                        (s["lesson_id"], s["started_at"], s["last_at"], s["seconds"]),
                    )
                elif s["seconds"] > row[1]:
                    conn.execute(
                        "UPDATE sittings SET seconds = ?, last_at = max(last_at, ?) WHERE id = ?",
                        (s["seconds"], s["last_at"], row[0]),
                    )
            for r in valid["review"]:
                conn.execute(
                    "INSERT INTO review (lesson_id, question_id, box, due_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (lesson_id, question_id) DO UPDATE SET"
                    " box = excluded.box, due_at = excluded.due_at,"
                    " updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
                    (r["lesson_id"], r["question_id"], r["box"], r["due_at"], r["updated_at"]),
                )
            _merge_unit_steps(conn, valid["unit_steps"])
            _merge_skips(conn, valid["skips"])
            for e in valid["exam_seeds"]:  # the sitting started later wins
                conn.execute(
                    "INSERT INTO exam_seeds (lesson_id, seed, started_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (lesson_id) DO UPDATE SET seed = excluded.seed,"
                    " started_at = excluded.started_at WHERE excluded.started_at > started_at",
                    (e["lesson_id"], e["seed"], e["started_at"]),
                )

    @staticmethod
    def _merge_lesson(conn: sqlite3.Connection, item: dict) -> None:
        newer = "excluded.updated_at > updated_at AND excluded.unit_id IS NOT NULL"
        before = item.get("units_before")
        conn.execute(
            "INSERT INTO lessons (lesson_id, unit_id, step, updated_at, done, done_at, unit_index,"
            " units_before, fingerprint)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lesson_id) DO UPDATE SET"
            f" unit_id = CASE WHEN {newer} THEN excluded.unit_id ELSE unit_id END,"
            f" step = CASE WHEN {newer} THEN excluded.step ELSE step END,"
            f" unit_index = CASE WHEN {newer} THEN excluded.unit_index ELSE unit_index END,"
            f" units_before = CASE WHEN {newer} THEN excluded.units_before ELSE units_before END,"
            f" fingerprint = CASE WHEN {newer} THEN excluded.fingerprint ELSE fingerprint END,"
            " updated_at = max(updated_at, excluded.updated_at),"
            " done = max(done, excluded.done),"
            " done_at = CASE WHEN done_at IS NULL THEN excluded.done_at"
            "   WHEN excluded.done_at IS NULL THEN done_at"
            "   ELSE min(done_at, excluded.done_at) END",
            (
                item["lesson_id"],
                item["unit_id"],
                item["step"],
                item["updated_at"],
                int(item["done"]),
                item["done_at"],
                item.get("unit_index"),
                json.dumps(list(before)) if before is not None else None,
                item.get("fingerprint"),
            ),
        )

    @_guarded
    def close(self) -> None:
        """Count the time of open sittings, then close. Safe to call twice."""
        if self._sittings:
            self.end_sitting()
        self._conn.close()


def _merge_unit_steps(conn: sqlite3.Connection, items: list[dict]) -> None:
    """Imported training-unit steps (export v4): the one saved later wins; equal times keep ours."""
    for u in items:
        conn.execute(
            "INSERT INTO unit_steps (lesson_id, unit_id, step, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lesson_id, unit_id) DO UPDATE SET step = excluded.step,"
            " updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
            (u["lesson_id"], u["unit_id"], u["step"], u["updated_at"]),
        )


def _merge_skips(conn: sqlite3.Connection, items: list[dict]) -> None:
    """Imported skips (export v4): a skip known on either side is kept, at its latest time (an
    answer after that time still supersedes it, see `Store.skipped`)."""
    for s in items:
        conn.execute(
            "INSERT INTO skips (lesson_id, question_id, skipped_at) VALUES (?, ?, ?)"
            " ON CONFLICT (lesson_id, question_id) DO UPDATE SET"
            " skipped_at = max(skipped_at, excluded.skipped_at)",
            (s["lesson_id"], s["question_id"], s["skipped_at"]),
        )


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")


class MemoryStore(_SQLStore):
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


class SQLiteStore(_SQLStore):
    """Progress in a SQLite file. Prefer `open_store`, which handles damaged and missing files.

    The constructor raises sqlite3.Error, _Damaged or _NewerSchema for a file it cannot use.
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
            _configure(conn)
            result = conn.execute("PRAGMA quick_check").fetchone()
            if result is None or result[0] != "ok":
                raise _Damaged(f"quick_check: {result}")
            if _user_version(conn) > SCHEMA_VERSION:
                raise _NewerSchema  # before WAL mode, which would change the file
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            migrate(conn)
        except BaseException:
            conn.close()
            raise
        super().__init__(conn, lang=lang, clock=clock)


# --- opening --------------------------------------------------------------------------------------

_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def _is_damage(error: BaseException) -> bool:
    if isinstance(error, _Damaged):
        return True
    name = getattr(error, "sqlite_errorname", "") or ""
    return any(name.startswith(code) for code in _DAMAGE_CODES)


def _move_aside(path: Path) -> Path:
    """Rename the db (and its -wal/-shm, which belong to it) to a name not yet taken."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}{DAMAGED_INFIX}{stamp}")
    target, n = base, 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.rename(f"{target}{suffix}")
    return target


WAL_MAGIC = (0x377F0682, 0x377F0683)
"""The first 4 bytes of a SQLite write-ahead log (https://www.sqlite.org/fileformat2.html#walformat)."""


JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")
"""The first 8 bytes of a SQLite rollback journal
(https://www.sqlite.org/fileformat2.html#rollbackjournal); SQLite zeroes them to retire one."""


def _is_wal(head: bytes) -> bool:
    return len(head) == 32 and int.from_bytes(head[:4], "big") in WAL_MAGIC


def _is_journal(head: bytes) -> bool:
    return len(head) >= 8 and head[:8] in (JOURNAL_MAGIC, bytes(8))


def _move_aside_bad_wal(path: Path, suffix: str = "-wal") -> Path | None:
    """A file at the db's `-wal` name that is not a write-ahead log, or at its `-journal` name
    that is not a rollback journal (SQLite would delete either silently on open, even to only
    read): renamed to `progress.db-wal.not-a-log-STAMP`, bytes kept; its new name, or None when
    there is none, it is empty (SQLite's own) or it is what its name says."""
    wal = Path(f"{path}{suffix}")
    try:
        if not wal.is_file() or wal.is_symlink() or wal.stat().st_size == 0:
            return None
        with wal.open("rb") as file:
            head = file.read(32)
    except OSError:
        return None
    if (_is_wal if suffix == "-wal" else _is_journal)(head):
        return None
    base = wal.with_name(f"{wal.name}.not-a-log-{time.strftime('%Y%m%d-%H%M%S')}")
    target, n = base, 1
    while target.exists():
        target, n = base.with_name(f"{base.name}-{n}"), n + 1
    wal.rename(target)
    return target


def classify(path: Path) -> str:
    """What is at `path`, decided without letting SQLite write anything.

    "missing"; "ours" (our db, an empty file or an empty SQLite db); "newer" (ours, from a newer
    version); "damaged" (not SQLite at all, a corrupt db, a folder: moved aside, bytes kept);
    "foreign" (another program's SQLite file, a FIFO, a device, a dangling link: left exactly as
    it is); "unreadable". The SQLite header holds user_version at offset 60 and application_id
    at 68 (https://www.sqlite.org/fileformat2.html#database_header).
    """
    if not path.exists():
        return "foreign" if path.is_symlink() else "missing"
    if path.is_dir():
        return "damaged"
    if not path.is_file():
        return "foreign"
    if not os.access(path, os.R_OK):
        return "unreadable"
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError:
        return "unreadable"
    if header == b"":
        return "ours"
    if not header.startswith(SQLITE_HEADER) or len(header) < 100:
        return "damaged"
    version = int.from_bytes(header[60:64], "big")
    app_id = int.from_bytes(header[68:72], "big")
    if app_id not in (0, APPLICATION_ID):
        return "foreign"
    if version > SCHEMA_VERSION:
        return "newer"
    if app_id == APPLICATION_ID:
        return "ours"
    # No stamp in the file's header: ours from before the stamp existed (versions 1 and 2), an
    # empty db, or ours with the stamp still in the -wal file; look, read-only.
    try:
        conn = _connect_read_only(path)
        try:
            version, app_id = _user_version(conn), _application_id(conn)
            query = "SELECT name FROM sqlite_master WHERE type='table'"
            tables = {r[0] for r in conn.execute(query)}
        finally:
            conn.close()
    except sqlite3.Error:
        return "damaged"
    tables.discard("sqlite_sequence")
    if app_id not in (0, APPLICATION_ID):
        return "foreign"
    if version > SCHEMA_VERSION:
        return "newer"
    if app_id == APPLICATION_ID or not tables or (tables >= OUR_TABLES and version >= 1):
        return "ours"
    return "foreign"


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to `path` (SQLite's `mode=ro` URI)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)


def _read_only_copy(target: Path, lang: str, clock: Callable[[], float] = time.time) -> Store:
    """A read-only progress file: its progress, in memory, with a sentence; the file untouched."""
    store = MemoryStore(lang=lang, clock=clock,
                        warning=t("progress.warning.read_only", lang, path=clean_path(target)))
    try:
        conn = _connect_read_only(target)
        try:
            migrate_check = _user_version(conn)
            if 0 < migrate_check <= SCHEMA_VERSION:
                reader = _SQLStore(conn, lang=lang, clock=clock)
                data = reader._export()
                data["version"] = EXPORT_VERSION
                store.import_(data)
        finally:
            conn.close()
    except Exception:  # what cannot be read is not shown; the file is still left alone
        pass
    return store


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def open_store(path: Path | None = None, *, lang: str = "en") -> Store:
    """The learner's progress store. Never raises: see the module docstring for what happens.

    `path` defaults to `paths.progress_db()` (the user data folder; honours XDG_DATA_HOME).
    """
    folder: Path | str = "?"
    try:
        target = Path(path) if path is not None else paths.progress_db()
        folder = clean_path(target.parent)
        return _open(target, lang)
    except Exception:
        return MemoryStore(lang=lang, warning=t("progress.warning.not_saving", lang, folder=folder))


def _open(target: Path, lang: str) -> Store:
    not_saving = t("progress.warning.not_saving", lang, folder=clean_path(target.parent))
    kind = classify(target)
    if kind == "foreign":
        return MemoryStore(lang=lang, warning=t("progress.warning.not_ours", lang,
                                                path=clean_path(target)))
    if kind == "newer":
        return MemoryStore(lang=lang, warning=t("progress.warning.newer", lang,
                                                path=clean_path(target)))
    if kind == "unreadable":
        return MemoryStore(lang=lang, warning=not_saving)
    if kind == "ours" and target.exists() and not _writable(target):
        return _read_only_copy(target, lang)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return MemoryStore(lang=lang, warning=not_saving)
    if not os.access(target.parent, os.W_OK | os.X_OK):
        return _read_only_copy(target, lang) if kind == "ours" else MemoryStore(
            lang=lang, warning=not_saving)
    moved = _move_aside(target) if kind == "damaged" else None
    # Not a log at the log's name: SQLite would delete it; moved aside instead, and said.
    moved_wal = _move_aside_bad_wal(target) if kind == "ours" else None
    moved_journal = _move_aside_bad_wal(target, "-journal") if kind == "ours" else None
    moved_wal = moved_wal or moved_journal
    try:
        store = SQLiteStore(target, lang=lang)
    except _NewerSchema:
        return MemoryStore(lang=lang, warning=t("progress.warning.newer", lang,
                                                path=clean_path(target)))
    except (sqlite3.Error, _Damaged) as error:
        if getattr(error, "sqlite_errorname", "").startswith("SQLITE_READONLY"):
            return _read_only_copy(target, lang)
        if not _is_damage(error) or moved is not None:
            return MemoryStore(lang=lang, warning=not_saving)
        moved = _move_aside(target)
        store = SQLiteStore(target, lang=lang)
    if moved is not None:
        store.warning = t("progress.warning.moved_aside", lang, path=clean_path(moved))
    elif moved_wal is not None:
        store.warning = t("progress.warning.wal_moved", lang, path=clean_path(moved_wal))
    return store


# --- rows -----------------------------------------------------------------------------------------


def _before_list(text: str | None) -> list[str] | None:
    """The stored JSON list of unit ids; None when absent or unreadable (then it is unknown)."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return value


def _position(row: Sequence[Any]) -> Position:
    """A Position from (unit_id, step, unit_index, units_before, fingerprint)."""
    unit_id, step, index, before, fingerprint = row
    return Position(
        unit_id,
        int(step),
        int(index) if index is not None else None,
        tuple(_before_list(before) or ()),
        fingerprint,
    )


# --- import validation ----------------------------------------------------------------------------

# Each table of the db, as it is exported and imported: field -> kind, in the table's column order.
# Kinds: id (non-empty text), text, count (int >= 0), bool, time (finite number >= 0).
_SECTIONS: dict[str, dict[str, str]] = {
    "lessons": {
        "lesson_id": "id",
        "unit_id": "id?",
        "step": "count",
        "updated_at": "time",
        "done": "bool",
        "done_at": "time?",
        "unit_index": "count?",  # these three came with version 2
        "units_before": "ids?",
        "fingerprint": "text?",
    },
    "attempts": {
        "lesson_id": "id",
        "question_id": "id",
        "answer": "text",
        "correct": "bool",
        "hints_used": "count",
        "revealed": "bool",
        "answered_at": "time",
    },
    "sittings": {"lesson_id": "id", "started_at": "time", "last_at": "time", "seconds": "time"},
    "review": {
        "lesson_id": "id",
        "question_id": "id",
        "box": "box",
        "due_at": "time",
        "updated_at": "time",
    },
    # these two came with export version 4 (schema v3)
    "unit_steps": {"lesson_id": "id", "unit_id": "id", "step": "count", "updated_at": "time"},
    "skips": {"lesson_id": "id", "question_id": "id", "skipped_at": "time"},
    # export version 5 (schema v4)
    "exam_seeds": {"lesson_id": "id", "seed": "seed", "started_at": "time"},
}


_ATTEMPT_FIELDS = tuple(_SECTIONS["attempts"])
_INSERT_ATTEMPT = (
    f"INSERT INTO attempts ({', '.join(_ATTEMPT_FIELDS)})"
    f" VALUES ({', '.join('?' for _ in _ATTEMPT_FIELDS)})"
)


# Bounds of what an import may bring, so that everything stored can be shown and computed with:
MAX_ID_CHARS = 200
MAX_TEXT_CHARS = 10_000
MAX_IDS = 1_000  # units before a position
MAX_COUNT = 10**9  # steps, hints, unit indices
MAX_TIME = 253_402_300_799.0  # 9999-12-31 23:59:59 UTC: the last second time.localtime can show
MAX_ITEMS = 100_000  # rows per section
MAX_IMPORT_BYTES = 50_000_000
# Values (numbers, strings, lists, objects) in one import: each costs Python 24 to 64 bytes
# however short it is written, so 50 MB of `[],` would be 16 million lists, over 1 GB.
# Six sections of MAX_ITEMS rows with a few fields each stay inside.
MAX_IMPORT_VALUES = 1_000_000


def _text_ok(value: object, limit: int) -> bool:
    """Text within `limit` characters, without control characters (ESC …, see tutor/text.py)."""
    return isinstance(value, str) and len(value) <= limit and first_unsafe(value) is None


def _kind_ok(kind: str, value: object) -> bool:
    if kind.endswith("?"):
        return value is None or _kind_ok(kind[:-1], value)
    if kind == "id":
        return _text_ok(value, MAX_ID_CHARS) and str(value).strip() != ""
    if kind == "text":
        return _text_ok(value, MAX_TEXT_CHARS)
    if kind == "ids":
        return (isinstance(value, list) and len(value) <= MAX_IDS
                and all(_kind_ok("id", v) for v in value))
    if kind == "bool":
        return isinstance(value, bool)
    # A bool is an int to Python, but never a count, a box or a time.
    if kind in ("count", "box", "seed"):
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return 0 <= value <= {"count": MAX_COUNT, "box": LAST_BOX, "seed": MAX_SEED}[kind]
    if kind == "time":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return math.isfinite(value) and 0 <= value <= MAX_TIME
    raise AssertionError(kind)


def _validate(data: object, lang: str) -> dict[str, list[dict]]:
    """Check every field before anything is written; the first problem becomes the error."""

    def fail(key: str, **fields: object) -> ProgressDataError:
        return ProgressDataError(t(key, lang, **fields))

    def bad_field(where: str, kind: str) -> ProgressDataError:
        """`where` is not a `kind` (a kind of _SECTIONS, or list or object)."""
        expected = t(f"progress.import.expected.{kind.rstrip('?')}", lang)
        return fail("progress.import.bad_field", where=where, expected=expected)

    if not isinstance(data, dict):
        raise fail("progress.import.not_object")
    if data.get("format") != EXPORT_FORMAT:
        found = data.get("format")
        shown = repr(found) if isinstance(found, str | int | float | bool | None) else "?"
        raise fail("progress.import.wrong_format", found=clean_path(shown[:60]))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad_field("version", "count")
    if version > EXPORT_VERSION:
        raise fail("progress.import.newer", found=version, supported=EXPORT_VERSION)
    out: dict[str, list[dict]] = {}
    for section, fields in _SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise bad_field(section, "list")
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                raise bad_field(where, "object")
            for name, kind in fields.items():
                if name not in item and not kind.endswith("?"):
                    raise fail("progress.import.missing", where=f"{where}.{name}")
                if not _kind_ok(kind, item.get(name)):
                    raise bad_field(f"{where}.{name}", kind)
        out[section] = [{name: item.get(name) for name in fields} for item in items]
    return out
