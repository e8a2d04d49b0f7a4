"""Opening the learner's progress file so that nothing can crash the tutor or harm a file not ours.

* only our files are ever written: what is at the path is classified first without letting SQLite
  write (`classify`: the header's `application_id`, else a `mode=ro` look at the tables). Another
  program's SQLite file, a FIFO or a device is left byte for byte as it is (a `MemoryStore` and
  a sentence); a read-only file of ours is shown from a read-only connection, never moved;
* a damaged file (not SQLite, corrupt, a folder) is moved aside to
  `progress.db.damaged-<timestamp>` (never deleted or overwritten, bytes kept) and a fresh one is
  started; `store.warning` says where it went;
* a folder that cannot be created or written, or a file from a newer version, gives a
  `MemoryStore` (`saving = False`) and a warning that progress will not be kept.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from tutor import paths
from tutor.i18n import t
from tutor.progress.records import Store
from tutor.progress.schema import (
    APPLICATION_ID,
    BUSY_TIMEOUT_SECONDS,
    EXPORT_VERSION,
    OUR_TABLES,
    SCHEMA_VERSION,
    Damaged,
    NewerSchema,
    application_id,
    user_version,
)
from tutor.progress.store import MemoryStore, SQLiteStore, SQLStore
from tutor.text import clean_path

DAMAGED_INFIX = ".damaged-"
SQLITE_HEADER = b"SQLite format 3\x00"

_DAMAGE_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}


def _is_damage(error: BaseException) -> bool:
    if isinstance(error, Damaged):
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
            version, app_id = user_version(conn), application_id(conn)
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
            migrate_check = user_version(conn)
            if 0 < migrate_check <= SCHEMA_VERSION:
                reader = SQLStore(conn, lang=lang, clock=clock)
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
    except NewerSchema:
        return MemoryStore(lang=lang, warning=t("progress.warning.newer", lang,
                                                path=clean_path(target)))
    except (sqlite3.Error, Damaged) as error:
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
