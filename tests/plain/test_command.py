"""`perceptron-tutor --plain` as a command: pipes, TERM=dumb, NO_COLOR, Korean, signals, layers."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time

import pytest

from tutor.cli import wants_plain
from tutor.progress import open_store


def tutor(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tutor", *args], input=stdin.encode(),
                          capture_output=True, timeout=120, env={**os.environ, **env})


def test_the_issue_pipe_prints_the_units_and_reads_the_answer_and_exits_0():
    r = tutor("--plain", "and-gate", stdin="n\nn\n0\n")
    out = r.stdout.decode("utf-8")
    assert r.returncode == 0, r.stderr
    assert b"\x1b" not in r.stdout and not r.stderr
    assert "Unit 3 of 13: quiz" in out
    assert "There is no choice 0: type a number from 1 to 4." in out
    assert out.endswith("Progress saved. Goodbye.\n")


def test_a_lesson_opened_from_a_pipe_chooses_plain_mode_by_itself():
    r = tutor("and-gate", stdin="n\n1\n", TERM="xterm-256color")
    assert r.returncode == 0 and b"\x1b" not in r.stdout
    assert "Unit 1 of 13: reading" in r.stdout.decode()


def test_term_dumb_chooses_plain_mode_even_for_the_lesson_list():
    r = tutor(stdin="2\nq\nq\n", TERM="dumb")
    out = r.stdout.decode()
    assert r.returncode == 0 and b"\x1b" not in r.stdout
    assert out.startswith("Lessons:\n1. What is a perceptron? (perceptron): not started\n")
    assert "Lesson: Training an AND gate. 13 units." in out


def test_korean_without_the_locale_installed_and_no_color():
    r = tutor("and-gate", stdin="]\n]\n2\n", LANG="ko_KR.UTF-8", NO_COLOR="1", TERM="linux")
    out = r.stdout.decode("utf-8")
    assert r.returncode == 0 and b"\x1b" not in r.stdout
    assert "단원 3/13: 퀴즈" in out and "아직 아닙니다. 고른 보기: 2번" in out


def test_undecodable_input_is_read_not_a_traceback():
    r = subprocess.run([sys.executable, "-m", "tutor", "--plain", "and-gate"],
                       input=b"\xff\xfe\nq\n", capture_output=True, timeout=120)
    assert r.returncode == 0 and not r.stderr
    assert "Unknown command" in r.stdout.decode()


@pytest.mark.parametrize(("plain", "lesson", "term", "terminal", "expected"), [
    (True, None, "xterm", True, True),  # asked for
    (False, None, "dumb", True, True),  # a dumb terminal, even for the list
    (False, "and-gate", "xterm", False, True),  # a lesson from a pipe, or into one
    (False, "and-gate", "xterm", True, False),  # a real terminal: the app
    (False, None, "xterm", False, False),  # no lesson, no terminal: the app's sentence, exit 2
])
def test_when_plain_mode_is_chosen(plain, lesson, term, terminal, expected):
    assert wants_plain(plain, lesson, terminal=terminal, environ={"TERM": term}) is expected


def test_without_a_lesson_or_a_terminal_the_sentence_points_to_plain_mode():
    r = tutor(TERM="xterm-256color")
    assert r.returncode == 2
    assert "perceptron-tutor --plain runs the tutor as plain lines" in r.stderr.decode()


def test_plain_mode_never_imports_textual():
    code = (
        "import io, sys\n"
        "from tutor.plain.session import run_plain\n"
        "from tutor.progress import MemoryStore\n"
        "run_plain('en', (), MemoryStore(), 'and-gate', io.StringIO(']\\n]\\n]\\nn\\n1\\n'),"
        " io.StringIO())\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr


def _read_until(proc: subprocess.Popen[bytes], marker: bytes, timeout: float = 60) -> bytes:
    assert proc.stdout is not None
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        chunk = os.read(proc.stdout.fileno(), 4096)
        if not chunk:
            break
        seen += chunk
    return seen


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_a_hangup_ends_the_session_and_keeps_the_position(signum):
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "--plain", "and-gate"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None
    try:
        _read_until(proc, b"> ")
        proc.stdin.write(b"]\n")
        proc.stdin.flush()
        _read_until(proc, b"Unit 2 of 13")
        proc.send_signal(signum)
        assert proc.wait(timeout=30) == 128 + signum
    finally:
        proc.kill()
        proc.wait()
    assert proc.stderr is not None and proc.stderr.read() == b""
    store = open_store()
    try:
        position = store.position("and-gate")
        assert position is not None and position.unit_id == "rule"
    finally:
        store.close()


def test_term_dumb_in_a_real_terminal_is_plain_mode_not_the_app(tmp_path):
    """stdin, stdout and stderr all on a pty: only TERM=dumb decides, and no escape byte comes."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "dumb"}
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "and-gate"], stdin=follower,
                            stdout=follower, stderr=follower, env=env)
    os.close(follower)
    seen = b""

    def read_until(marker: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 30
        while marker not in seen and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.2)[0]:
                try:
                    seen += os.read(leader, 4096)
                except OSError:  # the pty closed: the process ended
                    return

    try:
        read_until(b"> ")
        os.write(leader, b"]\n")
        read_until(b"Unit 2 of 13")
        os.write(leader, b"q\n")
        read_until(b"Goodbye.")
        assert proc.wait(timeout=30) == 0, seen[-500:]
    finally:
        proc.kill()
        proc.wait()
        os.close(leader)
    assert b"\x1b" not in seen
    text = seen.decode()
    assert "Unit 1 of 13: reading" in text and "Unit 2 of 13: reading" in text
    assert "Progress saved. Goodbye." in text
