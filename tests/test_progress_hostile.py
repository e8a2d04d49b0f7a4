"""Only our files are touched; an import is validated to what the store can hold (issue 9, 6–7)."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tutor import cli, paths, progress
from tutor.i18n import t
from tutor.progress import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    MemoryStore,
    Position,
    ProgressDataError,
    SQLiteStore,
    open_store,
    opening,
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def app_id(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[68:72], "big")


def test_a_new_db_carries_our_application_id(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    store.save_position("l", "u", 1)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    assert progress.classify(db) == "ours"


def test_a_version_1_db_of_ours_gets_the_application_id(tmp_path: Path) -> None:
    from test_progress import make_v1_db

    db = tmp_path / "progress.db"
    make_v1_db(db, "frozen")
    assert app_id(db) == 0 and progress.classify(db) == "ours"
    store = open_store(db)
    assert isinstance(store, SQLiteStore) and store.warning is None
    assert store.position("old-lesson") == Position("unit-3", 12)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def _foreign_db(path: Path, application_id: int = 0) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('Ada', '555')")
    if application_id:
        conn.execute(f"PRAGMA application_id = {application_id}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("application_id", [0, 0x12345678])
def test_another_programs_sqlite_file_is_left_byte_for_byte(tmp_path: Path,
                                                            application_id: int) -> None:
    db = tmp_path / "progress.db"
    _foreign_db(db, application_id)
    before = digest(db)
    store = open_store(db, lang="ko")
    assert isinstance(store, MemoryStore) and not store.saving
    assert store.warning == t("progress.warning.not_ours", "ko", path=str(db))
    store.save_position("l", "u", 1)  # the session still works, in memory
    store.close()
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]  # no -wal, nothing moved


def test_a_fifo_at_the_progress_path_is_left_alone(tmp_path: Path) -> None:
    fifo = tmp_path / "progress.db"
    os.mkfifo(fifo)
    store = open_store(fifo)  # never opened: opening a FIFO for reading would block
    assert isinstance(store, MemoryStore)
    assert store.warning == t("progress.warning.not_ours", "en", path=str(fifo))
    store.close()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.db"]


def test_a_read_only_progress_file_is_used_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    store.save_position("kept", "u", 4)
    store.record_attempt("kept", "q", "1", True, 0, False)
    store.close()
    db.chmod(0o444)
    real_access = os.access
    monkeypatch.setattr(opening.os, "access",  # root ignores modes: make os.access tell the truth
                        lambda p, mode: False if Path(p) == db and mode & os.W_OK
                        else real_access(p, mode))
    before = digest(db)
    store = open_store(db, lang="ko")
    assert isinstance(store, MemoryStore) and not store.saving
    assert store.warning == t("progress.warning.read_only", "ko", path=str(db))
    assert store.position("kept") == Position("u", 4)  # progress is still shown
    assert store.summary("kept").right == 1
    store.save_position("kept", "u", 5)
    store.close()
    assert digest(db) == before
    assert not [p for p in tmp_path.iterdir() if progress.DAMAGED_INFIX in p.name]


def test_a_store_warning_with_markup_in_the_path_is_plain_text(tmp_path: Path) -> None:
    folder = tmp_path / "[/]" / "[bold]x"
    folder.mkdir(parents=True)
    db = folder / "progress.db"
    _foreign_db(db)
    store = open_store(db)
    assert store.warning is not None and "[/]" in store.warning
    store.close()


# --- export only to a regular file ----------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_never_replaces_a_fifo_or_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    code, out, err = run_cli(capsys, "export", str(fifo))
    assert code == 1 and "not a regular file" in err and "Traceback" not in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temp file left
    null_before = os.stat("/dev/null")
    code, _, err = run_cli(capsys, "export", "/dev/null")
    assert code == 1 and "not a regular file" in err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == null_before.st_ino
    code, out, _ = run_cli(capsys, "export", "-")
    assert code == 0 and json.loads(out)["format"] == progress.EXPORT_FORMAT
    regular = tmp_path / "progress.json"
    regular.write_text("old")
    assert run_cli(capsys, "export", str(regular))[0] == 0
    assert json.loads(regular.read_text())["format"] == progress.EXPORT_FORMAT


def test_export_through_a_symlink_writes_the_file_it_names_and_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A link (a synced folder, a dotfile manager) stays a link; the file keeps its mode."""
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o644)
    link = tmp_path / "link.json"
    link.symlink_to(real.name)
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("made.json")
    assert run_cli(capsys, "export", str(link))[0] == 0
    assert run_cli(capsys, "export", str(dangling))[0] == 0
    assert link.is_symlink() and dangling.is_symlink()
    assert json.loads(real.read_text())["format"] == progress.EXPORT_FORMAT
    assert json.loads((tmp_path / "made.json").read_text())["format"] == progress.EXPORT_FORMAT
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dangling.json", "link.json", "made.json", "real.json"]


def test_an_export_with_a_byte_order_mark_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "export", "-")
    file = tmp_path / "bom.json"
    file.write_bytes("\ufeff".encode() + out.encode())
    code, _, err = run_cli(capsys, "import", str(file))
    assert code == 0, err


def test_import_never_reads_a_fifo_or_a_device(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    for target in (str(fifo), "/dev/zero"):
        code, out, err = run_cli(capsys, "import", target)
        assert code == 1 and out == ""
        assert err.strip() == t("progress.cli.import.not_regular", "en", path=target)


# --- import within the store's bounds --------------------------------------------------------------


def export_with(**lesson: object) -> dict:
    item = {"lesson_id": "l", "unit_id": "u", "step": 1, "updated_at": 10.0, "done": False,
            "done_at": None}
    item.update(lesson)
    return {"format": progress.EXPORT_FORMAT, "version": SCHEMA_VERSION, "lessons": [item]}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (export_with(updated_at=1e300), "lessons[0].updated_at"),
        (export_with(done_at=1e20), "lessons[0].done_at"),
        (export_with(step=10**20), "lessons[0].step"),
        (export_with(step=1e20), "lessons[0].step"),
        (export_with(lesson_id="x\x1b]0;pwned\x07"), "lessons[0].lesson_id"),
        (export_with(unit_id="u\u202e"), "lessons[0].unit_id"),
        (export_with(lesson_id="x" * 201), "lessons[0].lesson_id"),
        (export_with(units_before=["a"] * 1001), "lessons[0].units_before"),
        (export_with(fingerprint="f\x9b"), "lessons[0].fingerprint"),
    ],
    ids=["time-1e300", "time-1e20", "step-int", "step-float", "id-esc", "id-bidi", "id-long",
         "ids-many", "text-c1"],
)
def test_import_is_bounded_to_what_the_store_holds(data: dict, named: str) -> None:
    store = open_store()
    store.save_position("kept", "u", 1)
    before = store.export()
    with pytest.raises(ProgressDataError) as error:
        store.import_(data)
    assert named in str(error.value) and "\x1b" not in str(error.value)
    after = store.export()
    assert after["lessons"] == before["lessons"]
    store.close()


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[" * 100_000 + "]" * 100_000, "progress.cli.import.too_deep"),
        ('{"format": "perceptron-tutor-progress", "version": ' + "9" * 5000 + "}",
         "progress.cli.import.too_deep"),
    ],
    ids=["deep", "5000-digits"],
)
def test_import_command_refuses_deep_and_huge_json_in_one_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    file = tmp_path / "x.json"
    file.write_text(text)
    code, out, err = run_cli(capsys, "import", str(file))
    assert code == 1 and out == ""
    assert err.strip() == t(key, "en", path=str(file))
    assert not paths.progress_db().exists() or open_store().summaries() == []


# --- a file at the db's -wal name that is not a log; duplicate keys in an import -----------------


@pytest.mark.parametrize("suffix", ["-wal", "-journal"])
def test_a_garbage_wal_file_is_moved_aside_unchanged_and_said(tmp_path: Path, suffix: str) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    store.save_position("kept", "u", 3)
    store.close()
    wal = tmp_path / f"progress.db{suffix}"
    garbage = bytes(range(256)) * 20  # not a log: SQLite would treat it as empty and delete it
    wal.write_bytes(garbage)
    store = open_store(db)
    assert store.position("kept") is not None and store.position("kept").step == 3
    moved = [p for p in tmp_path.iterdir() if p.name.startswith(f"progress.db{suffix}.not-a-log-")]
    assert len(moved) == 1 and moved[0].read_bytes() == garbage
    assert store.warning == t("progress.warning.wal_moved", "en", path=str(moved[0]))
    store.close()


def test_a_real_wal_file_is_sqlites_own_and_left_to_it(tmp_path: Path) -> None:
    db = tmp_path / "progress.db"
    store = open_store(db)
    store.save_position("kept", "u", 3)
    # A second connection keeps the log alive while the file is looked at (as another sitting).
    other = sqlite3.connect(db)
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM sqlite_master").fetchall()
    wal = tmp_path / "progress.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    assert opening._move_aside_bad_wal(db) is None
    other.rollback()
    other.close()
    store.close()
    assert not [p for p in tmp_path.iterdir() if "not-a-log" in p.name]


def test_an_import_with_a_key_given_twice_is_refused_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store()
    store.save_position("kept", "u", 1)
    before = store.export()
    store.close()
    file = tmp_path / "dup.json"
    item = ('{"lesson_id": "l", "unit_id": "u", "step": 1, "step": 999, "updated_at": 10.0, '
            '"done": false, "done_at": null}')
    file.write_text('{"format": "perceptron-tutor-progress", "version": 2, "lessons": ['
                    + item + "]}")
    code, out, err = run_cli(capsys, "import", str(file))
    assert code == 1 and out == ""
    assert err.strip() == t("progress.cli.import.duplicate_key", "en", path=str(file), key="step")
    store = open_store()
    assert store.export()["lessons"] == before["lessons"]
    store.close()
    long_key = "k\x1b" * 10_000  # the key is shown cleaned and bounded
    file.write_text('{"' + long_key.replace("\x1b", "\\u001b") + '": 1, "'
                    + long_key.replace("\x1b", "\\u001b") + '": 2}')
    code, out, err = run_cli(capsys, "import", str(file))
    assert code == 1 and "\x1b" not in err and len(err) < 400, err[:500]
