"""The progress store: round trips, scores, reset, export/import, migrations, and surviving
damage, unwritable folders, two writers at once and SIGKILL."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from progress_helpers import Clock

from tutor import paths, progress
from tutor.i18n import t
from tutor.progress import (
    SCHEMA_VERSION,
    MemoryStore,
    Position,
    ProgressDataError,
    SQLiteStore,
    open_store,
    opening,
)

REPO = Path(__file__).resolve().parent.parent
WRITER = Path(__file__).resolve().parent / "progress_helpers" / "writer.py"


@pytest.fixture(autouse=True)
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def db_check(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def run_writer(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
        **kwargs,  # type: ignore[arg-type]
    )


# --- opening and round trips ----------------------------------------------------------------------


def test_default_location_is_the_user_data_folder(data_home: Path) -> None:
    store = open_store()
    assert isinstance(store, SQLiteStore)
    assert store.path == data_home / "perceptron-tutor" / "progress.db" == paths.progress_db()
    assert store.saving and store.warning is None
    store.close()
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4


def test_position_round_trip_across_reopen() -> None:
    store = open_store()
    assert store.position("perceptron-1") is None
    store.save_position("perceptron-1", "and-gate", 3)
    store.save_position("perceptron-1", "and-gate", 4)
    store.save_position("other", "intro", 0)
    store.close()
    again = open_store()
    assert again.position("perceptron-1") == Position("and-gate", 4)
    assert again.position("other") == Position("intro", 0)
    again.close()


def test_status_goes_from_not_started_to_done_and_stays_done() -> None:
    store = open_store()
    assert store.summary("l").status == "not_started"
    store.save_position("l", "u1", 0)
    assert store.summary("l").status == "in_progress"
    store.mark_done("l")
    store.save_position("l", "u1", 2)  # redoing a finished lesson keeps it finished
    summary = store.summary("l")
    assert summary.status == "done" and summary.position == Position("u1", 2)
    store.mark_done("never-opened")
    assert store.summary("never-opened").status == "done"
    assert store.summary("never-opened").position is None
    store.close()


def test_attempts_are_all_kept_and_the_latest_one_scores() -> None:
    store = open_store()
    store.record_attempt("l", "q1", "0.5", False, 1, False)
    store.record_attempt("l", "q1", "1.0", True, 2, False)  # right on the second try
    store.record_attempt("l", "q2", "yes", True, 0, False)
    store.record_attempt("l", "q2", "no", False, 0, False)  # right, then wrong: wrong counts
    store.record_attempt("l", "q3", "", True, 3, True)  # revealed is never right
    store.close()
    store = open_store()
    attempts = store.attempts("l")
    assert [(a.question_id, a.answer, a.correct, a.hints_used, a.revealed) for a in attempts] == [
        ("q1", "0.5", False, 1, False),
        ("q1", "1.0", True, 2, False),
        ("q2", "yes", True, 0, False),
        ("q2", "no", False, 0, False),
        ("q3", "", True, 3, True),
    ]
    assert all(a.answered_at > 0 for a in attempts)
    summary = store.summary("l")
    assert (summary.right, summary.answered, summary.status) == (1, 3, "in_progress")
    store.close()


def test_time_is_the_sum_of_sittings_with_idle_gaps_capped(tmp_path: Path) -> None:
    clock = Clock()
    store = SQLiteStore(tmp_path / "p.db", clock=clock)
    store.start_sitting("l")
    clock.now += 10
    store.save_position("l", "u", 1)
    clock.now += 3600  # the learner went away for an hour: counts as IDLE_CAP_SECONDS
    store.record_attempt("l", "q", "a", True, 0, False)
    clock.now += 5
    store.end_sitting("l")
    assert store.summary("l").seconds == pytest.approx(10 + progress.IDLE_CAP_SECONDS + 5)
    store.close()
    # A second sitting, in a new process, ended by close() and not by end_sitting().
    store = SQLiteStore(tmp_path / "p.db", clock=clock)
    store.start_sitting("l")
    clock.now += 20
    store.close()
    store = SQLiteStore(tmp_path / "p.db", clock=clock)
    assert store.summary("l").seconds == pytest.approx(10 + progress.IDLE_CAP_SECONDS + 5 + 20)
    store.close()


def test_summaries_list_every_touched_lesson_in_order() -> None:
    store = open_store()
    store.record_attempt("b", "q", "x", True, 0, False)
    store.save_position("a", "u", 1)
    store.mark_done("c")
    store.start_sitting("d")
    assert [(s.lesson_id, s.status) for s in store.summaries()] == [
        ("a", "in_progress"),
        ("b", "in_progress"),
        ("c", "done"),
        ("d", "in_progress"),
    ]
    store.close()


def test_memory_store_behaves_the_same_but_saves_nothing() -> None:
    store = MemoryStore()
    assert store.saving is False and store.warning is None
    store.save_position("l", "u", 2)
    store.record_attempt("l", "q", "a", True, 0, False)
    assert store.summary("l").position == Position("u", 2)
    assert store.summary("l").right == 1
    store.close()


def test_reset_one_lesson_or_everything() -> None:
    store = open_store()
    for lesson in ("a", "b"):
        store.save_position(lesson, "u", 1)
        store.record_attempt(lesson, "q", "x", False, 0, False)
        store.mark_done(lesson)
    store.reset("a")
    assert store.summary("a").status == "not_started"
    assert store.attempts("a") == [] and store.summary("a").seconds == 0
    assert all(e.lesson_id == "b" for e in store.review_entries())
    assert store.summary("b").status == "done"
    store.save_position("a", "u", 5)  # still usable after a reset
    store.reset(None)
    assert store.summaries() == [] and store.review_entries() == [] and store.attempts() == []
    store.close()


# --- export and import ----------------------------------------------------------------------------


def filled_store(path: Path) -> SQLiteStore:
    clock = Clock()
    store = SQLiteStore(path, clock=clock)
    store.start_sitting("l1")
    clock.now += 30
    store.save_position("l1", "train", 7)
    clock.now += 1
    store.record_attempt("l1", "q1", "0.2", False, 1, False)
    clock.now += 1
    store.record_attempt("l1", "q2", "AND", True, 0, False)
    store.mark_done("l2")
    return store


def without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_export_import_round_trip_into_a_new_store(tmp_path: Path) -> None:
    source = filled_store(tmp_path / "a.db")
    data = json.loads(json.dumps(source.export()))  # JSON-able, and survives being JSON
    assert data["format"] == progress.EXPORT_FORMAT and data["version"] == progress.EXPORT_VERSION
    target = SQLiteStore(tmp_path / "b.db")
    target.import_(data)
    target.import_(data)  # importing twice changes nothing
    assert without_time(target.export()) == without_time(source.export())
    assert target.summaries() == source.summaries()
    source.close()
    target.close()


def test_import_merges_newer_position_and_keeps_completion(tmp_path: Path) -> None:
    clock = Clock()
    here = SQLiteStore(tmp_path / "here.db", clock=clock)
    there = SQLiteStore(tmp_path / "there.db", clock=clock)
    here.save_position("l", "u1", 1)
    here.mark_done("l")
    clock.now += 60
    there.save_position("l", "u2", 9)  # newer
    there.record_attempt("l", "q", "x", True, 0, False)
    clock.now += 60
    here.save_position("m", "late", 3)  # newer than anything there
    there.save_position("m", "early", 1)
    here.import_(there.export())
    assert here.position("l") == Position("u2", 9)
    assert here.summary("l").status == "done"
    assert here.summary("l").right == 1
    here.close()
    there.close()


BAD_IMPORTS = [
    ([], "JSON"),
    ({"format": "something-else", "version": 1}, "something-else"),
    ({"format": progress.EXPORT_FORMAT, "version": 99}, "99"),
    ({"format": progress.EXPORT_FORMAT, "version": "1"}, "version"),
    ({"format": progress.EXPORT_FORMAT, "version": 1, "attempts": {}}, "attempts"),
    ({"format": progress.EXPORT_FORMAT, "version": 1, "lessons": ["x"]}, "lessons[0]"),
    (
        {
            "format": progress.EXPORT_FORMAT,
            "version": 1,
            "attempts": [
                {
                    "lesson_id": "l",
                    "question_id": "q",
                    "answer": "a",
                    "correct": True,
                    "hints_used": 0,
                    "revealed": False,
                    "answered_at": 5.0,
                },
                {
                    "lesson_id": "l",
                    "question_id": "q",
                    "answer": "a",
                    "correct": "yes",
                    "hints_used": 0,
                    "revealed": False,
                    "answered_at": 5.0,
                },
            ],
        },
        "attempts[1].correct",
    ),
    (
        {"format": progress.EXPORT_FORMAT, "version": 1, "sittings": [{"lesson_id": "l"}]},
        "sittings[0].started_at",
    ),
    (
        {
            "format": progress.EXPORT_FORMAT,
            "version": 1,
            "review": [
                {"lesson_id": "l", "question_id": "q", "box": 9, "due_at": 1, "updated_at": 1}
            ],
        },
        "review[0].box",
    ),
]


@pytest.mark.parametrize(("data", "named"), BAD_IMPORTS)
def test_bad_import_data_is_a_clear_error_and_changes_nothing(data: object, named: str) -> None:
    store = open_store()
    store.save_position("kept", "u", 1)
    before = without_time(store.export())
    with pytest.raises(ProgressDataError) as error:
        store.import_(data)  # type: ignore[arg-type]
    message = str(error.value)
    assert named in message and "\n" not in message and "Traceback" not in message
    assert without_time(store.export()) == before  # all or nothing: the valid attempt is not in
    assert store.saving and store.warning is None
    store.close()


def test_import_errors_are_localized() -> None:
    store = open_store(lang="ko")
    with pytest.raises(ProgressDataError, match="JSON 객체"):
        store.import_([])  # type: ignore[arg-type]
    store.close()


# --- schema versions ------------------------------------------------------------------------------

# The first release's schema, frozen here: a db written by version 1 must always open.
V1_SCHEMA = """
CREATE TABLE lessons (lesson_id TEXT PRIMARY KEY, unit_id TEXT, step INTEGER NOT NULL DEFAULT 0,
    updated_at REAL NOT NULL, done INTEGER NOT NULL DEFAULT 0, done_at REAL);
CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, lesson_id TEXT NOT NULL,
    question_id TEXT NOT NULL, answer TEXT NOT NULL, correct INTEGER NOT NULL,
    hints_used INTEGER NOT NULL, revealed INTEGER NOT NULL, answered_at REAL NOT NULL);
CREATE INDEX attempts_by_question ON attempts (lesson_id, question_id, answered_at);
CREATE TABLE sittings (id INTEGER PRIMARY KEY AUTOINCREMENT, lesson_id TEXT NOT NULL,
    started_at REAL NOT NULL, last_at REAL NOT NULL, seconds REAL NOT NULL DEFAULT 0);
CREATE INDEX sittings_by_lesson ON sittings (lesson_id);
CREATE TABLE review (lesson_id TEXT NOT NULL, question_id TEXT NOT NULL, box INTEGER NOT NULL,
    due_at REAL NOT NULL, updated_at REAL NOT NULL, PRIMARY KEY (lesson_id, question_id));
INSERT INTO lessons VALUES ('old-lesson', 'unit-3', 12, 100.0, 1, 150.0);
INSERT INTO attempts VALUES (1, 'old-lesson', 'q1', '42', 1, 0, 0, 120.0);
INSERT INTO sittings VALUES (1, 'old-lesson', 90.0, 150.0, 60.0);
INSERT INTO review VALUES ('old-lesson', 'q0', 2, 200.0, 110.0);
PRAGMA user_version = 1;
"""


def test_a_version_1_db_opens_with_the_current_code() -> None:
    db = paths.progress_db()
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as conn:
        conn.executescript(V1_SCHEMA)
    conn.close()
    store = open_store()
    assert isinstance(store, SQLiteStore) and store.warning is None
    summary = store.summary("old-lesson")
    assert summary.status == "done" and summary.position == Position("unit-3", 12)
    assert (summary.right, summary.answered, summary.seconds) == (1, 1, 60.0)
    assert [(e.question_id, e.box) for e in store.review_entries()] == [("q0", 2)]
    store.record_attempt("old-lesson", "q2", "x", True, 0, False)  # and it can be written
    store.close()
    assert db_check(db) == "ok"


def make_v1_db(path: Path, how: str) -> None:
    """A version-1 db: from the frozen v1 schema, or by the v1 code path (the first migration)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    if how == "frozen":
        conn.executescript(V1_SCHEMA)
    else:
        progress.MIGRATIONS[0](conn)
        conn.execute("INSERT INTO lessons VALUES ('old-lesson', 'unit-3', 12, 100.0, 1, 150.0)")
        conn.execute("INSERT INTO attempts VALUES (1, 'old-lesson', 'q1', '42', 1, 0, 0, 120.0)")
        conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("how", ["frozen", "v1-code"])
def test_a_version_1_db_becomes_version_2_with_its_positions(how: str) -> None:
    db = paths.progress_db()
    make_v1_db(db, how)
    store = open_store()
    assert isinstance(store, SQLiteStore) and store.warning is None
    position = store.position("old-lesson")
    assert position == Position("unit-3", 12)  # kept, without where the unit stood
    assert (position.index, position.before, position.fingerprint) == (None, (), None)
    summary = store.summary("old-lesson")
    assert summary.status == "done" and (summary.right, summary.answered) == (1, 1)
    store.save_position("old-lesson", "unit-4", 2, index=3, before=("a", "b", "c"), fingerprint="f")
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = {r[1] for r in conn.execute("PRAGMA table_info(lessons)")}
    conn.close()
    assert {"unit_index", "units_before", "fingerprint"} <= columns
    assert db_check(db) == "ok"
    again = open_store()
    position = again.position("old-lesson")
    assert (position.unit_id, position.step, position.index) == ("unit-4", 2, 3)
    assert (position.before, position.fingerprint) == (("a", "b", "c"), "f")
    again.close()


def test_where_the_unit_stood_survives_export_and_import(tmp_path: Path) -> None:
    source = SQLiteStore(tmp_path / "a.db")
    source.save_position("l", "u3", 4, index=2, before=("u1", "u2"), fingerprint="abc")
    source.save_position("m", "intro", 0, index=0)
    data = json.loads(json.dumps(source.export()))
    assert data["version"] == progress.EXPORT_VERSION
    row = next(r for r in data["lessons"] if r["lesson_id"] == "l")
    assert (row["unit_index"], row["units_before"], row["fingerprint"]) == (2, ["u1", "u2"], "abc")
    target = SQLiteStore(tmp_path / "b.db")
    target.import_(data)
    position = target.position("l")
    assert (position.index, position.before, position.fingerprint) == (2, ("u1", "u2"), "abc")
    assert target.position("m").index == 0 and target.position("m").before == ()
    # an export written by version 1 (no such fields) still imports
    old = {
        "format": progress.EXPORT_FORMAT,
        "version": 1,
        "lessons": [
            {"lesson_id": "v1", "unit_id": "u", "step": 3, "updated_at": 5.0, "done": False,
             "done_at": None}
        ],
    }
    target.import_(old)
    assert target.position("v1") == Position("u", 3) and target.position("v1").index is None
    with pytest.raises(ProgressDataError):
        target.import_({**old, "lessons": [{**old["lessons"][0], "units_before": [1]}]})
    source.close()
    target.close()


def test_an_empty_db_is_migrated_from_version_0(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    sqlite3.connect(db).close()  # an empty file: version 0
    assert db.exists() and db.stat().st_size == 0
    store = open_store(db)
    assert isinstance(store, SQLiteStore) and store.warning is None
    store.save_position("l", "u", 1)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"lessons", "attempts", "sittings", "review"} <= tables
    assert len(progress.MIGRATIONS) == SCHEMA_VERSION


def test_a_db_from_a_newer_version_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db.read_bytes()
    store = open_store(db, lang="ko")
    assert isinstance(store, MemoryStore) and store.saving is False
    assert store.warning == t("progress.warning.newer", "ko", path=db)
    store.save_position("l", "u", 1)  # works, in memory
    store.close()
    assert db.read_bytes() == before and list(tmp_path.iterdir()) == [db]


# --- damage, unwritable folders, failures mid-session ---------------------------------------------


def damaged_copies(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if progress.DAMAGED_INFIX in p.name)


def test_a_garbage_file_is_moved_aside_and_a_fresh_db_started() -> None:
    db = paths.progress_db()
    db.parent.mkdir(parents=True)
    garbage = os.urandom(8192)
    db.write_bytes(garbage)
    Path(f"{db}-wal").write_bytes(b"stale wal that belongs to the garbage")
    store = open_store(lang="ko")
    (moved,) = [p for p in damaged_copies(db.parent) if not p.name.endswith(("-wal", "-shm"))]
    assert moved.read_bytes() == garbage  # kept, byte for byte
    assert Path(f"{moved}-wal").read_bytes() == b"stale wal that belongs to the garbage"
    assert store.warning == t("progress.warning.moved_aside", "ko", path=str(moved))
    assert str(moved) in store.warning and store.warning.count("\n") == 0
    assert isinstance(store, SQLiteStore) and store.saving
    store.save_position("l", "u", 2)
    store.close()
    again = open_store()
    assert again.warning is None and again.position("l") == Position("u", 2)
    again.close()
    assert db_check(db) == "ok"


def test_a_corrupted_real_db_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    for i in range(500):  # enough rows for several pages
        store.record_attempt("l", f"q{i}", "x" * 50, True, 0, False)
    store.close()
    data = bytearray(db.read_bytes())
    assert len(data) > 4 * 4096
    data[2 * 4096 : 4 * 4096] = os.urandom(2 * 4096)  # smash pages 3 and 4
    db.write_bytes(bytes(data))
    store = open_store(db)
    assert store.warning is not None and len(damaged_copies(tmp_path)) == 1
    assert isinstance(store, SQLiteStore) and store.summaries() == []
    store.close()


def test_an_earlier_damaged_copy_is_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opening.time, "strftime", lambda fmt: "20260101-000000")
    db = tmp_path / "progress.db"
    for content in (b"first garbage" * 100, b"second garbage" * 100):
        db.write_bytes(content)
        open_store(db).close()
    contents = {p.read_bytes() for p in damaged_copies(tmp_path)}
    assert contents == {b"first garbage" * 100, b"second garbage" * 100}


def test_a_folder_in_place_of_the_db_is_moved_aside(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    (db / "inside").mkdir(parents=True)
    store = open_store(db)
    assert isinstance(store, SQLiteStore) and store.warning is not None
    (moved,) = damaged_copies(tmp_path)
    assert (moved / "inside").is_dir()
    store.close()


def test_a_folder_that_cannot_be_created_means_not_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("a regular file where a folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))  # mkdir fails even for root
    store = open_store(lang="en")
    assert isinstance(store, MemoryStore) and store.saving is False
    assert store.warning == t(
        "progress.warning.not_saving", "en", folder=str(paths.progress_db().parent)
    )
    store.save_position("l", "u", 1)  # the session still works, in memory
    store.record_attempt("l", "q", "a", True, 0, False)
    assert store.summary("l").right == 1
    store.close()
    assert capsys.readouterr() == ("", "")  # no traceback, nothing printed
    assert blocker.read_text() == "a regular file where a folder should be"


def test_a_read_only_folder_means_not_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    real_access = os.access
    if real_access(folder, os.W_OK):  # root ignores modes: make os.access tell the truth
        monkeypatch.setattr(
            opening.os,
            "access",
            lambda p, mode: False if Path(p) == folder else real_access(p, mode),
        )
    try:
        store = open_store(folder / "progress.db", lang="ko")
        assert isinstance(store, MemoryStore) and store.saving is False
        assert store.warning == t("progress.warning.not_saving", "ko", folder=str(folder))
        assert list(folder.iterdir()) == []  # nothing was written there
    finally:
        folder.chmod(0o700)


def test_sqlite_refusing_to_open_means_not_saving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(progress.SQLiteStore, "__init__", refuse)
    store = open_store(tmp_path / "progress.db")
    assert isinstance(store, MemoryStore) and store.warning and not store.saving
    assert damaged_copies(tmp_path) == []  # an open error is not damage: nothing moved


def test_open_store_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> Path:
        raise RuntimeError("no home folder")

    monkeypatch.setattr(paths, "progress_db", boom)
    store = open_store()
    assert isinstance(store, MemoryStore) and store.warning


class FailingWrites:
    """A connection stand-in whose writes fail like a full or vanished disk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql.lstrip().upper().startswith(("BEGIN", "INSERT", "UPDATE", "DELETE")):
            raise sqlite3.OperationalError("disk I/O error")
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)

    def __enter__(self) -> FailingWrites:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.rollback()


def test_a_failure_mid_session_falls_back_to_memory_keeping_what_was_there() -> None:
    store = open_store(lang="en")
    assert isinstance(store, SQLiteStore)
    store.save_position("l", "u", 3)
    store.record_attempt("l", "q", "a", True, 0, False)
    store._conn = FailingWrites(store._conn)  # type: ignore[assignment]
    store.save_position("l", "u", 4)  # must not raise
    assert store.saving is False
    assert store.warning == t("progress.warning.save_failed", "en", error="disk I/O error")
    assert store.position("l") == Position("u", 4)  # carried on in memory
    assert store.summary("l").right == 1  # with what was saved before
    store.close()
    assert open_store().position("l") == Position("u", 3)  # the file kept the last good state


# --- two processes, SIGKILL -------------------------------------------------------------------


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    open_store(db).close()  # created up front, as the tutor would have
    # 2,000 each (was 500): on a quiet machine one writer could finish 500 before the other
    # started, and the test failed for not testing anything (1 full run in 4)
    count = 2000
    go = tmp_path / "go"
    writers = [run_writer("attempts", str(db), name, str(count), str(go)) for name in "ab"]
    for writer in writers:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
    go.touch()
    spans = []
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.startswith("done"), (out, err)
        spans.append([float(x) for x in out.split()[1:]])
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end, "the writers did not run at the same time"
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM attempts").fetchone()[0]
        per_lesson = dict(
            conn.execute("SELECT lesson_id, count(*) FROM attempts GROUP BY lesson_id")
        )
        order = [row[0] for row in conn.execute("SELECT lesson_id FROM attempts ORDER BY id")]
    conn.close()
    switches = sum(1 for x, y in itertools.pairwise(order) if x != y)
    assert switches > 1, "the writers never took turns, so this did not test sharing the file"
    assert total == 2 * count
    assert per_lesson == {"lesson-a": count, "lesson-b": count}
    assert db_check(db) == "ok"
    store = open_store(db)
    assert store.position("lesson-a") == Position("unit", count)
    assert store.position("lesson-b") == Position("unit", count)
    store.close()


def test_sigkill_mid_write_keeps_the_last_committed_position(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    writer = run_writer("positions", str(db))
    assert writer.stdout is not None
    printed = []
    for line in writer.stdout:
        printed.append(int(line))
        if len(printed) >= 200:
            break
    os.kill(writer.pid, signal.SIGKILL)
    # through the same reader: `for line in` read ahead, and communicate() reads the pipe
    # past those buffered lines (a fast writer then looked 50 committed steps ahead of "last")
    rest = writer.stdout.read()
    writer.wait(timeout=30)
    assert writer.stderr is not None
    writer.stderr.close()
    writer.stdout.close()
    printed += [int(x) for x in rest.split()]
    assert writer.returncode == -signal.SIGKILL
    last = printed[-1]
    store = open_store(db)
    assert store.warning is None and isinstance(store, SQLiteStore)
    position = store.position("kill-me")
    assert position is not None and position.unit_id == "training"
    # Every printed step was committed first; at most one more may have committed unprinted.
    assert last <= position.step <= last + 1
    store.close()
    assert db_check(db) == "ok"


# --- the catalogs ---------------------------------------------------------------------------------


def test_both_catalogs_have_the_same_progress_keys() -> None:
    folder = REPO / "tutor" / "locales"
    en = tomllib.loads((folder / "progress.en.toml").read_text(encoding="utf-8"))
    ko = tomllib.loads((folder / "progress.ko.toml").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    assert all(key.startswith("progress.") for key in en)
    assert all(ko[key] and ko[key] != en[key] for key in en if "expected.bool" not in key)


# --- the commands (tutor/progress_cli.py, through tutor.cli) --------------------------------------


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from tutor.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_progress_command_json_lists_lessons_and_review(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = open_store()
    store.save_position("my-lesson", "u1", 2)
    store.record_attempt("my-lesson", "q1", "x", False, 0, False)
    store.close()
    code, out, err = cli(capsys, "progress", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    (row,) = [r for r in data["lessons"] if r["id"] == "my-lesson"]
    assert (row["status"], row["unit"], row["step"], row["answered"]) == ("in_progress", "u1", 2, 1)
    assert data["review_due"] == 1 and data["saving"] is True


def test_export_then_import_through_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store()
    store.mark_done("l")
    store.close()
    file = tmp_path / "progress.json"
    code, _, _ = cli(capsys, "export", str(file))
    assert code == 0 and json.loads(file.read_text())["lessons"][0]["lesson_id"] == "l"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "elsewhere"))
    code, _, err = cli(capsys, "import", str(file))
    assert code == 0, err
    assert open_store().summary("l").status == "done"


def test_import_command_reports_bad_files_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    code, out, err = cli(capsys, "import", str(bad), "--lang", "ko")
    assert code == 1 and out == "" and err.count("\n") == 1 and "JSON" in err
    bad.write_text(json.dumps({"format": progress.EXPORT_FORMAT, "version": 1, "lessons": [1]}))
    code, _, err = cli(capsys, "import", str(bad))
    assert code == 1 and "lessons[0]" in err and "Traceback" not in err


def test_reset_command_needs_a_target_and_confirmation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = open_store()
    store.save_position("a", "u", 1)
    store.save_position("b", "u", 1)
    store.close()
    assert cli(capsys, "reset")[0] == 2
    assert cli(capsys, "reset", "a")[0] == 1  # stdin is not a terminal and there is no --yes
    assert open_store().position("a") == Position("u", 1)
    assert cli(capsys, "reset", "a", "--yes")[0] == 0
    assert open_store().position("a") is None and open_store().position("b") is not None
    assert cli(capsys, "reset", "--all", "--yes")[0] == 0
    assert open_store().summaries() == []


def test_review_command_lists_due_questions(capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store()
    store.record_attempt("l", "q7", "x", False, 0, True)
    store.close()
    code, out, _ = cli(capsys, "review", "--json")
    assert code == 0
    assert json.loads(out)["due"] == [{"lesson_id": "l", "question_id": "q7", "box": 1}]


def test_every_training_units_step_is_kept_and_reset() -> None:
    """Schema v3: each training unit keeps its own step, not only the current unit's."""
    store = MemoryStore()
    store.save_unit_step("and-gate", "and-rule", 6)
    store.save_unit_step("and-gate", "or-rule", 2)
    store.save_unit_step("and-gate", "and-rule", 7)  # the newest step wins
    assert store.unit_steps("and-gate") == {"and-rule": 7, "or-rule": 2}
    assert store.unit_steps("other") == {}
    with pytest.raises(ValueError):
        store.save_unit_step("and-gate", "and-rule", -1)
    store.reset("and-gate")
    assert store.unit_steps("and-gate") == {}


def test_each_question_counts_once_as_answered_or_as_skipped() -> None:
    """The menu shows "0 of 1 answered right" and "1 skipped" from these: a question answered
    wrong and then skipped is skipped only (a learner saw it counted as both)."""
    clock = iter(range(100, 200))
    store = MemoryStore(clock=lambda: float(next(clock)))
    store.record_attempt("and-gate", "q1", "1", False, 0, False)  # wrong, then skipped
    store.record_skip("and-gate", "q1")
    store.record_skip("and-gate", "q2")  # skipped, then wrong: still open, still skipped
    store.record_attempt("and-gate", "q2", "1", False, 0, False)
    store.record_skip("and-gate", "q3")  # skipped, then right: answered right
    store.record_attempt("and-gate", "q3", "2", True, 0, False)
    store.record_attempt("and-gate", "q4", "1", False, 0, False)  # wrong, never skipped
    summary = store.summary("and-gate")
    assert store.skipped("and-gate") == {"q1", "q2"}
    assert (summary.answered, summary.right) == (2, 1)  # q3 right, q4 wrong


def test_a_skip_is_kept_offered_in_review_and_ended_by_an_answer() -> None:
    clock = iter(range(100, 200))
    store = MemoryStore(clock=lambda: float(next(clock)))
    store.record_skip("and-gate", "q-why-update")
    assert store.skipped("and-gate") == {"q-why-update"}
    entry = store.review_entry("and-gate", "q-why-update")
    assert entry is not None and entry.box == 1  # offered in review at once
    store.record_attempt("and-gate", "q-why-update", "1", False, 0, False)
    assert store.skipped("and-gate") == {"q-why-update"}  # a wrong answer leaves it open
    store.record_attempt("and-gate", "q-why-update", "2", True, 0, False)
    assert store.skipped("and-gate") == set()
    store.reset(None)
    assert store.skipped("and-gate") == set()
