"""Watching lesson files (tutor/lessons/watch.py) and `perceptron-tutor check --watch`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import IO

import pytest

from tutor.cli import main
from tutor.lessons.scaffold import write_skeleton
from tutor.lessons.watch import FileWatch, reload_lesson, signature


def touch_later(path: Path, seconds: int = 5) -> None:
    """Move the change time on, so that a test never depends on the clock's resolution."""
    stamp = path.stat().st_mtime_ns + seconds * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def test_a_file_watch_sees_an_edit_once(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    watch = FileWatch([path])
    assert not watch.changed()
    path.write_text("two", encoding="utf-8")  # the same size: the change time tells
    touch_later(path)
    assert watch.changed()
    assert not watch.changed()  # once per change


def test_a_file_watch_sees_a_save_by_rename_and_a_file_that_goes_and_comes(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("one", encoding="utf-8")
    watch = FileWatch([path])
    new = tmp_path / ".a.yaml.swp"
    new.write_text("one", encoding="utf-8")
    os.utime(new, ns=(path.stat().st_mtime_ns,) * 2)
    os.replace(new, path)  # what many editors do: write a new file, rename it over the old
    assert signature(path) is not None and watch.changed()  # a new inode
    path.unlink()
    assert signature(path) is None and watch.changed()
    path.write_text("back", encoding="utf-8")
    assert watch.changed()


def test_a_folder_watch_sees_a_lesson_added(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("one", encoding="utf-8")
    watch = FileWatch([tmp_path])
    (tmp_path / "notes.txt").write_text("not a lesson", encoding="utf-8")
    assert not watch.changed()
    (tmp_path / "b.yml").write_text("two", encoding="utf-8")
    assert watch.changed()


def test_reload_gives_the_lesson_or_every_problem_with_its_line(tmp_path: Path) -> None:
    path = write_skeleton("demo", tmp_path, "linear")
    result = reload_lesson(path, shown_as="demo.yaml")
    assert result.lesson is not None and result.lesson.id == "demo" and result.errors == ()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("epochs:", "epochs: many\n      old_epochs:", 1), encoding="utf-8")
    broken = reload_lesson(path, shown_as="demo.yaml")
    assert broken.lesson is None
    lines = [str(p) for p in broken.problems]
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "epochs: many" in t)
    assert any(s.startswith(f"demo.yaml:{line}: ") and "epochs" in s for s in lines), lines


def run_watch(path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-c", "import sys; from tutor.cli import main; sys.exit(main())",
         "check", "--watch", "--lang", "en", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        cwd=path.parent,
    )


def read_until(proc: subprocess.Popen[str], needle: str, seconds: float = 60.0) -> list[str]:
    """Lines of the watcher's output up to and including the first that holds `needle`."""
    assert proc.stdout is not None
    # the lines come through a thread, so that a watcher that prints nothing fails the test at
    # the deadline (a bare readline() would block it for ever)
    lines_of = _LINES.get(proc)
    if lines_of is None:
        lines_of = _LINES[proc] = Queue()
        threading.Thread(target=_pump, args=(proc.stdout, lines_of), daemon=True).start()
    lines: list[str] = []
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        try:
            line = lines_of.get(timeout=left)
        except Empty:
            break
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if needle in line:
            return lines
    raise AssertionError(f"{needle!r} never came in {seconds:g} s; got {lines}")


def check_showing(proc: subprocess.Popen[str], text: str, checks: int = 3) -> list[str]:
    """The lines of the first of the next `checks` checks that prints `text`. `write_text`
    empties the file before it writes it, and a poll in between sees an empty lesson (seen once
    in a loaded full run): that check comes first, and the next one has the saved text."""
    blocks = []
    for _ in range(checks):
        block = read_until(proc, "watching 1 lesson file(s)")
        if any(text in line for line in block):
            return block
        blocks.append(block)
    raise AssertionError(f"no check printed {text!r}: {blocks}")


_LINES: dict[subprocess.Popen[str], Queue[str]] = {}


def _pump(stream: IO[str], into: Queue[str]) -> None:
    for line in iter(stream.readline, ""):
        into.put(line)
    into.put("")  # the end of the output


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child")
def test_check_watch_checks_again_on_every_save_until_ctrl_c(tmp_path: Path) -> None:
    path = write_skeleton("demo", tmp_path, "perceptron")
    good = path.read_text(encoding="utf-8")
    proc = run_watch(path)
    try:
        first = read_until(proc, "watching 1 lesson file(s)")
        assert any("checked 1 lesson file(s): 0 problem(s)" in line for line in first), first
        broken = good.replace("learning_rate: 0.05", "learning_rate: -1")
        path.write_text(broken, encoding="utf-8")
        touch_later(path)
        second = check_showing(proc, "learning_rate")
        line = next(i for i, t in enumerate(broken.splitlines(), 1) if "learning_rate" in t)
        assert any(s.startswith(f"demo.yaml:{line}: ") and "learning_rate" in s
                   for s in second), second
        assert any("checked 1 lesson file(s): 1 problem(s)" in s for s in second), second
        path.write_text(good, encoding="utf-8")
        touch_later(path, 10)
        third = check_showing(proc, "0 problem(s)")
        assert any("0 problem(s)" in s for s in third), third
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0  # the last check's status: clean
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_app_watch_needs_a_lesson_and_the_app(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--watch", "--lang", "en"]) == 2
    assert "--watch needs a LESSON" in capsys.readouterr().err
    assert main(["--watch", "--plain", "and-gate", "--lang", "ko"]) == 2
    assert "--watch는" in capsys.readouterr().err
