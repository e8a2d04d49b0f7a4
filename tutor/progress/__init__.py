"""Where a learner is and how they did, kept so that it survives crashes, two windows and bad disks.

Progress lives in one SQLite file (`paths.progress_db()`, in the user data folder). Why SQLite and
not a JSON file: a transaction per step or answer is atomic on disk, so a crash, a SIGKILL or a
power cut leaves either the old or the new state, never half of one; and two tutor windows can
write at once (WAL mode plus a busy timeout; every write is one short `BEGIN IMMEDIATE`
transaction, so writers queue instead of failing on a lock upgrade).

Nothing here may crash the tutor or show a traceback: `open_store` never raises (see `opening`),
and a database error in the middle of a session switches the store to memory, carrying over what
could still be read, and sets `store.warning` (see `connection.guarded`).

One concept per module; every module imports only those listed before it, so there is no circle:

- `review`: the Leitner boxes of missed questions (pure rules, no SQL);
- `records`: `Position`, `LessonSummary`, `Attempt`, `ProgressDataError` and the `Store` protocol;
- `schema`: the tables, `PRAGMA user_version` and the `MIGRATIONS`, the export's sections;
- `validation`: an import checked field by field and bounded, before anything is written;
- `connection`: the lock, transactions, the fallback to memory, time on a lesson;
- `positions`, `answers`, `exchange`: what the store keeps, one concept each (export and import);
- `store`: `SQLiteStore` and `MemoryStore`; `opening`: `open_store` and `classify`.

Times are Unix seconds (floats) everywhere, in the db and in exports. Every public name is
importable from `tutor.progress` itself.
"""

from __future__ import annotations

from tutor.limits import MAX_SEED
from tutor.progress.connection import IDLE_CAP_SECONDS
from tutor.progress.opening import DAMAGED_INFIX, SQLITE_HEADER, classify, open_store
from tutor.progress.records import Attempt, LessonSummary, Position, ProgressDataError, Store
from tutor.progress.schema import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MIGRATIONS,
    OUR_TABLES,
    SCHEMA_VERSION,
    migrate,
)
from tutor.progress.store import MemoryStore, SQLiteStore
from tutor.progress.validation import (
    MAX_COUNT,
    MAX_ID_CHARS,
    MAX_IDS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_VALUES,
    MAX_ITEMS,
    MAX_TEXT_CHARS,
    MAX_TIME,
)

__all__ = [
    "APPLICATION_ID",
    "BUSY_TIMEOUT_SECONDS",
    "DAMAGED_INFIX",
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "IDLE_CAP_SECONDS",
    "MAX_COUNT",
    "MAX_IDS",
    "MAX_ID_CHARS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_VALUES",
    "MAX_ITEMS",
    "MAX_SEED",
    "MAX_TEXT_CHARS",
    "MAX_TIME",
    "MIGRATIONS",
    "OUR_TABLES",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "Attempt",
    "LessonSummary",
    "MemoryStore",
    "Position",
    "ProgressDataError",
    "SQLiteStore",
    "Store",
    "classify",
    "migrate",
    "open_store",
]
