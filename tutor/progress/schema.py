"""The progress db's tables: their versions, migrations, and their rows as an export holds them.

The schema is versioned with `PRAGMA user_version`; `MIGRATIONS[n]` upgrades version n to n + 1,
so a new schema version is one new function appended to that list. Version 2 added to each position
where the unit stood when it was saved (`unit_index`, `units_before`) and a fingerprint of the
training unit's configuration, so that a lesson edited since the last visit can be resumed sensibly
(see `tutor.resume`); positions saved by version 1 lack them and are trusted as they are. Version 3
added every training unit's step and the skipped questions; version 4 the seed of an exam's
sitting (tutor/exam.py).

Every db of ours carries `PRAGMA application_id` = APPLICATION_ID, so another program's SQLite file
is recognised and never touched (see `tutor.progress.opening.classify`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

EXPORT_FORMAT = "perceptron-tutor-progress"
# The export format's version. 1 and 2 match the schema versions; 3 (schema v3) left out its two
# new tables; 4 adds `unit_steps` and `skips`; 5 adds `exam_seeds` (schema v4). Every older
# version is still imported (a missing section is an empty one).
EXPORT_VERSION = 5
BUSY_TIMEOUT_SECONDS = 10.0
# PRAGMA application_id of our databases ("PTut"): another program's SQLite file is never touched.
APPLICATION_ID = 0x50547574
OUR_TABLES = frozenset({"lessons", "attempts", "sittings", "review"})


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


class Damaged(Exception):
    """The file is not a usable progress db (corrupt, or some other program's database)."""


class NewerSchema(Exception):
    """The file was written by a newer tutor; we must neither change nor discard it."""


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the db to SCHEMA_VERSION in one transaction (safe if two processes race to do it).

    It also stamps the db with APPLICATION_ID: version 1 and 2 files of ours, written before the
    stamp existed, get it the first time they are opened (only after `classify` found them ours).
    """
    if user_version(conn) == SCHEMA_VERSION and application_id(conn) == APPLICATION_ID:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = user_version(conn)  # again, now that we hold the write lock
        if version > SCHEMA_VERSION:
            raise NewerSchema
        if version == 0 and conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise Damaged("version 0 but not empty: not a progress db")
        for step in MIGRATIONS[version:]:
            step(conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def configure(conn: sqlite3.Connection) -> None:
    """Wait for another process's write lock instead of failing at once."""
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")


# Each table of the db, as it is exported and imported: field -> kind, in the table's column order.
# Kinds (checked by `tutor.progress.validation`): id (non-empty text), text, ids (a list of ids),
# count (int >= 0), bool, time (finite number >= 0), box (a review box); "?" allows None.
SECTIONS: dict[str, dict[str, str]] = {
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


ATTEMPT_FIELDS = tuple(SECTIONS["attempts"])
INSERT_ATTEMPT = (
    f"INSERT INTO attempts ({', '.join(ATTEMPT_FIELDS)})"
    f" VALUES ({', '.join('?' for _ in ATTEMPT_FIELDS)})"
)
