"""Export format 4 carries the schema v3 tables (every unit's step, the skips); older exports import."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from progress_helpers import Clock

from tutor import progress
from tutor.progress import MemoryStore, ProgressDataError, SQLiteStore, opening


def v3_store(path: Path, clock: Clock) -> SQLiteStore:
    store = SQLiteStore(path, clock=clock)
    store.save_position("l", "t2", 3)
    store.save_unit_step("l", "t1", 7)
    store.save_unit_step("l", "t2", 3)
    store.record_skip("l", "q1")
    store.record_skip("m", "ask-a")
    return store


def test_round_trip_into_an_empty_store_restores_unit_steps_and_skips(tmp_path: Path) -> None:
    clock = Clock()
    source = v3_store(tmp_path / "a.db", clock)
    data = json.loads(json.dumps(source.export()))
    assert data["version"] == progress.EXPORT_VERSION == 5
    assert data["unit_steps"] == [
        {"lesson_id": "l", "unit_id": "t1", "step": 7, "updated_at": clock.now},
        {"lesson_id": "l", "unit_id": "t2", "step": 3, "updated_at": clock.now},
    ]
    assert data["skips"] == [
        {"lesson_id": "l", "question_id": "q1", "skipped_at": clock.now},
        {"lesson_id": "m", "question_id": "ask-a", "skipped_at": clock.now},
    ]
    target = SQLiteStore(tmp_path / "b.db", clock=clock)
    target.import_(data)
    assert target.unit_steps("l") == {"t1": 7, "t2": 3}
    assert target.skipped("l") == {"q1"} and target.skipped("m") == {"ask-a"}
    first = target.export()
    target.import_(data)  # twice: nothing changes
    assert target.export() == first
    source.close()
    target.close()


def test_the_later_unit_step_wins_and_an_answer_after_a_skip_still_supersedes_it(
    tmp_path: Path,
) -> None:
    clock = Clock()
    here = SQLiteStore(tmp_path / "here.db", clock=clock)
    there = SQLiteStore(tmp_path / "there.db", clock=clock)
    there.save_unit_step("l", "t1", 2)
    there.record_skip("l", "q1")
    clock.now += 60
    here.save_unit_step("l", "t1", 5)  # newer: kept
    here.record_attempt("l", "q1", "3", True, 0, False)  # answered after the skip there
    here.import_(there.export())
    assert here.unit_steps("l") == {"t1": 5}
    assert here.skipped("l") == set()
    there.import_(here.export())
    assert there.unit_steps("l") == {"t1": 5}
    assert there.skipped("l") == set()
    here.close()
    there.close()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_older_exports_without_the_sections_still_import(version: int) -> None:
    store = MemoryStore()
    store.import_({
        "format": progress.EXPORT_FORMAT,
        "version": version,
        "lessons": [{"lesson_id": "l", "unit_id": "u", "step": 1, "updated_at": 10.0,
                     "done": False, "done_at": None}],
    })
    assert store.position("l") is not None and store.unit_steps("l") == {}
    assert store.skipped("l") == set()


def test_version_6_is_newer() -> None:
    with pytest.raises(ProgressDataError) as error:
        MemoryStore().import_({"format": progress.EXPORT_FORMAT, "version": 6})
    assert "6" in str(error.value) and "5" in str(error.value)


STEP = {"lesson_id": "l", "unit_id": "t1", "step": 3, "updated_at": 10.0}
SKIP = {"lesson_id": "l", "question_id": "q1", "skipped_at": 10.0}


@pytest.mark.parametrize(
    ("section", "item", "named"),
    [
        ("unit_steps", {**STEP, "step": -1}, "unit_steps[0].step"),
        ("unit_steps", {**STEP, "step": 10**10}, "unit_steps[0].step"),
        ("unit_steps", {**STEP, "step": 2.5}, "unit_steps[0].step"),
        ("unit_steps", {**STEP, "step": True}, "unit_steps[0].step"),
        ("unit_steps", {**STEP, "step": "3"}, "unit_steps[0].step"),
        ("unit_steps", {**STEP, "unit_id": "t\x1b[2J"}, "unit_steps[0].unit_id"),
        ("unit_steps", {**STEP, "unit_id": "x" * 201}, "unit_steps[0].unit_id"),
        ("unit_steps", {**STEP, "updated_at": float("inf")}, "unit_steps[0].updated_at"),
        ("unit_steps", {k: v for k, v in STEP.items() if k != "step"}, "unit_steps[0].step"),
        ("skips", {**SKIP, "question_id": ""}, "skips[0].question_id"),
        ("skips", {**SKIP, "question_id": "q\u202e"}, "skips[0].question_id"),
        ("skips", {**SKIP, "lesson_id": "l\x9b"}, "skips[0].lesson_id"),
        ("skips", {**SKIP, "skipped_at": 1e300}, "skips[0].skipped_at"),
        ("skips", {**SKIP, "skipped_at": None}, "skips[0].skipped_at"),
        ("skips", "q1", "skips[0]"),
    ],
)
def test_hostile_v3_rows_are_refused_with_the_field_before_anything_is_written(
    tmp_path: Path, section: str, item: object, named: str
) -> None:
    db = tmp_path / "p.db"
    store = SQLiteStore(db)
    store.save_unit_step("kept", "t", 1)
    before = store.export()
    data = {
        "format": progress.EXPORT_FORMAT,
        "version": 4,
        # a valid row first in each section: it must not be written either
        "lessons": [{"lesson_id": "new", "unit_id": "u", "step": 1, "updated_at": 10.0,
                     "done": False, "done_at": None}],
        "unit_steps": [STEP],
        "skips": [SKIP],
    }
    data[section] = [item]
    if section == "skips":
        data["unit_steps"] = [STEP]
    with pytest.raises(ProgressDataError) as error:
        store.import_(data)
    message = str(error.value)
    assert named in message and "\x1b" not in message and "\x9b" not in message
    assert without_time(store.export()) == without_time(before)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM unit_steps").fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM skips").fetchone()[0] == 0


def without_time(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "exported_at"}


def test_a_read_only_v2_file_still_shows_its_progress(tmp_path: Path) -> None:
    """A read-only schema v2 file has no v3 tables: the in-memory copy still gets its rows."""
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as conn:
        for migration in progress.MIGRATIONS[:2]:
            migration(conn)
        conn.execute("PRAGMA user_version = 2")
        conn.execute(
            "INSERT INTO lessons (lesson_id, unit_id, step, updated_at, done) VALUES ('l', 'u', 2, 5, 0)"
        )
    conn.close()
    copy = opening._read_only_copy(db, "en")
    assert copy.position("l") is not None and copy.position("l").step == 2  # type: ignore[union-attr]
    assert copy.unit_steps("l") == {}
