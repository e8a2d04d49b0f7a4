"""A teacher's view of a folder of progress files (`perceptron-tutor class DIR`).

The folder holds what `serve --progress-dir DIR` writes (`<stem>.db` with `<stem>.login` naming
the learner, see `tutor.accounts`) and progress exported with `perceptron-tutor export` (`.json`).
Every file is someone else's, so untrusted: a database is opened read-only (SQLite `mode=ro`,
and `immutable=1` when no session has it open, after `tutor.progress.classify` said it is ours), a JSON file is read bounded, and both go through
the store's own validated import (`MemoryStore.import_`) into memory, so what is counted is what
the tutor itself would accept. A file that is not ours, damaged, too large or invalid becomes a
row with a problem, never a traceback; nothing in the folder is changed.

Per learner: lessons done and in progress, questions answered, and the score: the share of
answered questions whose latest answer is right (`LessonSummary.right / answered`). Across the
class: each question with how many learners answered it wrong at least once and how many wrong
answers it drew, most missed first.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tutor.accounts import DB_SUFFIX, Classroom
from tutor.i18n import t
from tutor.progress import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    MemoryStore,
    ProgressDataError,
    classify,
)
from tutor.text import clean

MAX_FILE_BYTES = 50_000_000  # the import's own bound (tutor.progress MAX_IMPORT_BYTES)
MAX_FILES = 10_000
TOP_MISSED = 10
JSON_SUFFIX = ".json"
# The tables of a progress db, as exported (tutor.progress `_SECTIONS`), and their boolean columns.
_TABLES: dict[str, tuple[str, ...]] = {
    "lessons": ("done",),
    "attempts": ("correct", "revealed"),
    "sittings": (),
    "review": (),
    "unit_steps": (),
    "skips": (),
}


@dataclass(frozen=True)
class LearnerRow:
    """One file of the folder: its learner's figures, or the problem that kept it from being read."""

    learner: str
    file: str
    done: int = 0
    started: int = 0
    answered: int = 0
    right: int = 0
    problem: str | None = None

    @property
    def score(self) -> float | None:
        """right / answered in [0, 1]; None before any answer (or for a problem file)."""
        return self.right / self.answered if self.answered else None


@dataclass(frozen=True)
class Missed:
    """A question answered wrong by `learners` learners, `wrong` times in all."""

    lesson_id: str
    question_id: str
    learners: int
    wrong: int


@dataclass
class ClassReport:
    rows: list[LearnerRow] = field(default_factory=list)
    missed: list[Missed] = field(default_factory=list)

    @property
    def problems(self) -> list[LearnerRow]:
        return [row for row in self.rows if row.problem is not None]


# The first 4 bytes of a SQLite write-ahead log, big-endian
# (https://www.sqlite.org/fileformat2.html#walformat).
WAL_MAGIC = (0x377F0682, 0x377F0683)


def _is_log(wal: Path) -> bool:
    try:
        if not wal.is_file() or wal.is_symlink():
            return False
        with wal.open("rb") as file:
            head = file.read(4)
    except OSError:
        return False
    return len(head) == 4 and int.from_bytes(head, "big") in WAL_MAGIC


def _db_data(path: Path) -> dict:
    """A progress db's rows in the export's layout, read through a read-only connection.

    A db not in use has no -wal file; it is opened `immutable=1` as well, so SQLite creates no
    -wal or -shm beside it (https://www.sqlite.org/uri.html). One in use (a learner's session is
    open) has its -wal, which holds the latest answers: then `mode=ro` alone, which reads it (and
    may add the -shm index SQLite keeps for readers). A file at the -wal name that is not a log
    is someone else's: it is ignored (immutable), not read.
    """
    options = "mode=ro" if _is_log(Path(f"{path}-wal")) else "mode=ro&immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{options}", uri=True, timeout=5.0)
    try:
        conn.row_factory = sqlite3.Row
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        data: dict[str, object] = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION}
        for table, bools in _TABLES.items():
            if table not in tables:
                continue
            items = []
            for row in conn.execute(f"SELECT * FROM {table}"):
                item = dict(row)
                item.pop("id", None)
                for name in bools:
                    if name in item:
                        item[name] = bool(item[name])
                before = item.get("units_before")
                if isinstance(before, str):
                    try:
                        item["units_before"] = json.loads(before)
                    except ValueError:
                        item["units_before"] = None
                items.append(item)
            data[table] = items
        return data
    finally:
        conn.close()


def _read(path: Path, lang: str) -> tuple[MemoryStore | None, str | None]:
    """The progress in `path`, in memory, or the problem (one sentence in `lang`)."""
    try:
        if path.is_symlink() or not path.is_file():
            return None, t("class.problem.not_ours", lang)
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, t("class.problem.too_large", lang, limit=MAX_FILE_BYTES // 1_000_000)
        if path.suffix == JSON_SUFFIX:
            try:
                data = json.loads(path.read_bytes().decode("utf-8"))
            except (ValueError, RecursionError) as error:
                return None, t("class.problem.not_json", lang, reason=clean(str(error))[:120])
        else:
            kind = classify(path)
            if kind != "ours":
                key = {"foreign": "not_ours", "missing": "not_ours"}.get(kind, kind)
                return None, t(f"class.problem.{key}", lang)
            data = _db_data(path)
    except sqlite3.Error:
        return None, t("class.problem.damaged", lang)
    except OSError:
        return None, t("class.problem.unreadable", lang)
    store = MemoryStore(lang=lang)
    try:
        store.import_(data)
    except ProgressDataError as error:
        store.close()
        return None, t("class.problem.invalid", lang, reason=clean(str(error))[:200])
    return store, None


def read_class(folder: Path, lang: str, *, on_file: Callable[[Path], None] | None = None
               ) -> ClassReport:
    """Every .db and .json file directly in `folder`, read without changing anything.

    Raises NotADirectoryError when `folder` is not a folder. Files are taken in name order, at
    most MAX_FILES; -wal/-shm files belong to their db and are not listed.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(str(folder))
    names = Classroom(folder).names()
    files = sorted(p for p in folder.iterdir()
                   if p.suffix in (DB_SUFFIX, JSON_SUFFIX))[:MAX_FILES]
    report = ClassReport()
    missed_by: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for path in files:
        if on_file is not None:
            on_file(path)
        shown_file = clean(path.name)
        learner = names.get(path.stem, clean(path.stem)) if path.suffix == DB_SUFFIX else clean(
            path.stem)
        store, problem = _read(path, lang)
        if store is None:
            report.rows.append(LearnerRow(learner, shown_file, problem=problem))
            continue
        try:
            summaries = store.summaries()
            attempts = store.attempts()
        finally:
            store.close()
        report.rows.append(LearnerRow(
            learner, shown_file,
            done=sum(s.status == "done" for s in summaries),
            started=sum(s.status == "in_progress" for s in summaries),
            answered=sum(s.answered for s in summaries),
            right=sum(s.right for s in summaries),
        ))
        this_learner: set[tuple[str, str]] = set()
        for attempt in attempts:
            if not attempt.correct or attempt.revealed:
                question = (clean(attempt.lesson_id), clean(attempt.question_id))
                wrong[question] += 1
                this_learner.add(question)
        missed_by.update(this_learner)
    ranked = sorted(missed_by, key=lambda q: (-missed_by[q], -wrong[q], q))
    report.missed = [Missed(q[0], q[1], missed_by[q], wrong[q]) for q in ranked[:TOP_MISSED]]
    return report
