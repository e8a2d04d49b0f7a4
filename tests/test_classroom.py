"""`perceptron-tutor class DIR`: every learner's progress in a folder, read without changing a byte;
a file that is not progress is a row with a problem, never a traceback."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest

from tutor.accounts import Classroom
from tutor.classroom import read_class
from tutor.cli import main
from tutor.progress import open_store


def learner_db(room: Classroom, name: str, pin: str, answers: list[tuple[str, str, bool]],
               done: tuple[str, ...] = ()) -> Path:
    """A served learner: a login record and a progress db with these answers."""
    learner = room.register(name, pin, pin)
    store = open_store(learner.db_path)
    for lesson, question, correct in answers:
        store.record_attempt(lesson, question, "x", correct, 0, False)
    for lesson in done:
        store.mark_done(lesson)
    store.close()
    return learner.db_path


@pytest.fixture
def folder(tmp_path) -> Path:
    room = Classroom(tmp_path / "class")
    learner_db(room, "Ada", "2468", [("and-gate", "first-output", False),
                                     ("and-gate", "first-output", True),
                                     ("and-gate", "first-error", True)], done=("perceptron",))
    learner_db(room, "김철수", "1357", [("and-gate", "first-output", False),
                                      ("and-gate", "first-error", False),
                                      ("and-gate", "first-error", False)])
    # an exported learner (perceptron-tutor export)
    store = open_store(tmp_path / "bea.db")
    store.record_attempt("or-gate", "q1", "1", True, 0, False)
    store.record_attempt("and-gate", "first-output", "0", False, 1, False)
    export = store.export()
    store.close()
    (room.folder / "bea.json").write_text(json.dumps(export))
    # what a folder shared by people also holds
    foreign = sqlite3.connect(room.folder / "photos.db")
    foreign.execute("PRAGMA application_id = 1234")
    foreign.execute("CREATE TABLE t (x)")
    foreign.commit()
    foreign.close()
    (room.folder / "garbage.db").write_bytes(b"\x00" * 500)
    (room.folder / "notes.json").write_text("{not json")
    (room.folder / "other.json").write_text(json.dumps({"format": "something-else"}))
    (room.folder / "forged.json").write_text(json.dumps(
        {"format": "perceptron-tutor-progress", "version": 4,
         "attempts": [{"lesson_id": "a\x1b[2J", "question_id": "q"}]}))
    (room.folder / "readme.txt").write_text("not progress, not listed")
    return room.folder


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.iterdir())}


def test_the_class_table_by_hand(folder):
    before = snapshot(folder)
    report = read_class(folder, "en")
    assert snapshot(folder) == before  # nothing written, not even a -wal or -shm file
    rows = {r.learner: r for r in report.rows}
    ada, kim, bea = rows["Ada"], rows["김철수"], rows["bea"]
    # Ada: perceptron done; and-gate in progress; 2 questions, both latest answers right
    assert (ada.done, ada.started, ada.answered, ada.right, ada.score) == (1, 1, 2, 2, 1.0)
    assert (kim.done, kim.started, kim.answered, kim.right, kim.score) == (0, 1, 2, 0, 0.0)
    assert (bea.done, bea.answered, bea.right, bea.score) == (0, 2, 1, 0.5)
    assert all(r.problem is None for r in (ada, kim, bea))
    problems = {r.file: r.problem for r in report.problems}
    assert set(problems) == {"photos.db", "garbage.db", "notes.json", "other.json", "forged.json"}
    assert problems["photos.db"] == "not a perceptron-tutor progress file"
    assert problems["garbage.db"].startswith("damaged")
    assert problems["notes.json"].startswith("not JSON")
    assert problems["other.json"].startswith("not valid progress")
    assert "\x1b" not in "".join(problems.values())
    # first-output: missed by Ada, 김철수 and bea (3 learners, 3 wrong answers);
    # first-error: missed by 김철수 only, twice
    missed = [(m.lesson_id, m.question_id, m.learners, m.wrong) for m in report.missed]
    assert missed == [("and-gate", "first-output", 3, 3), ("and-gate", "first-error", 1, 2)]


def test_class_json_and_csv(folder, capsys):
    assert main(["class", str(folder), "--json"]) == 1  # problems found: exit 1
    data = json.loads(capsys.readouterr().out)
    names = [r["learner"] for r in data["learners"] if r["problem"] is None]
    assert sorted(names) == sorted(["Ada", "김철수", "bea"])
    assert data["missed"][0] == {"lesson": "and-gate", "question": "first-output",
                                 "learners": 3, "wrong": 3}
    assert main(["class", str(folder), "--csv"]) == 1
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 8
    ada = next(r for r in rows if r["learner"] == "Ada")
    assert (ada["lessons_done"], ada["answered"], ada["right"], ada["score"]) == ("1", "2", "2",
                                                                                  "1.0000")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_class_table_in_both_languages(folder, capsys, lang):
    assert main(["class", str(folder), "--lang", lang]) == 1
    out = capsys.readouterr().out
    assert "김철수" in out and "Ada" in out and "first-output" in out
    assert ("가장 많이 틀린 문제" if lang == "ko" else "Questions missed most often") in out
    assert "Traceback" not in out


def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(tmp_path, capsys):
    store = open_store(tmp_path / "x.db")
    store.record_attempt("l", "q", "1", True, 0, False)
    export = store.export()
    store.close()
    (tmp_path / "=HYPERLINK(1).json").write_text(json.dumps(export))
    (tmp_path / "x.db").unlink()
    assert main(["class", str(tmp_path), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_an_empty_folder_and_no_folder(tmp_path, capsys):
    assert main(["class", str(tmp_path)]) == 0
    assert "No progress files" in capsys.readouterr().out
    assert main(["class", str(tmp_path / "nope")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_a_read_only_db_is_read(tmp_path):
    room = Classroom(tmp_path / "class")
    db = learner_db(room, "Ada", "2468", [("and-gate", "q", True)])
    for side in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        if side.exists():
            side.chmod(0o444)
    before = snapshot(room.folder)
    report = read_class(room.folder, "en")
    assert snapshot(room.folder) == before
    assert [(r.learner, r.answered, r.problem) for r in report.rows] == [("Ada", 1, None)]


def test_a_db_in_use_shows_its_latest_answers(tmp_path):
    """A learner's session still open: the answers in its -wal file are counted too."""
    room = Classroom(tmp_path / "class")
    learner = room.register("Ada", "2468", "2468")
    store = open_store(learner.db_path)
    try:
        store.record_attempt("and-gate", "first-output", "1", True, 0, False)
        assert Path(f"{learner.db_path}-wal").exists()
        report = read_class(room.folder, "en")
        assert [(r.learner, r.answered, r.right) for r in report.rows] == [("Ada", 1, 1)]
        store.record_attempt("and-gate", "first-error", "0", False, 0, False)
    finally:
        store.close()
    assert [r.answered for r in read_class(room.folder, "en").rows] == [2]


def test_a_wal_that_is_not_a_log_is_left_as_it_is(tmp_path):
    """Someone's file at <db>-wal: SQLite would delete it on a writable open; class only reads."""
    room = Classroom(tmp_path / "class")
    db = learner_db(room, "Ada", "2468", [("and-gate", "q", True)])
    Path(f"{db}-wal").write_bytes(b"not a write-ahead log" * 10)
    before = snapshot(room.folder)
    report = read_class(room.folder, "en")
    assert snapshot(room.folder) == before
    assert [(r.learner, r.answered, r.problem) for r in report.rows] == [("Ada", 1, None)]
