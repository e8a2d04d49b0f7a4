"""The work line of long `check` and `trace` runs, and Ctrl+C during them (issue 9)."""

from __future__ import annotations

import io
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tutor.i18n import t
from tutor.working import WorkLine

EXE = Path(sys.executable).parent / "perceptron-tutor"

AT_LIMIT = """\
format: 1
id: at-limit
title: "At the limit"
units:
  - training:
      id: t
      model: linear
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 1]
      weights: [0.1, 0.2]
      learning_rate: 0.01
      batch_size: 1
      epochs: 250000
"""


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_waits_a_second_then_rewrites_itself_and_is_erased() -> None:
    now = [0.0]
    stream = Terminal()
    with WorkLine("l · t", "en", stream, clock=lambda: now[0]) as line:
        assert line(10, 100) is True and stream.getvalue() == ""  # under a second: nothing
        now[0] = 1.5
        line(412_000, 1_000_000)
        first = t("cli.working", "en", label="l · t", done="412,000", total="1,000,000", pct=41)
        assert stream.getvalue() == "\r" + first
        now[0] = 1.55
        line(413_000, 1_000_000)  # within 0.1 s of the last: not rewritten
        assert stream.getvalue() == "\r" + first
    assert stream.getvalue().endswith("\r" + " " * len(first) + "\r")  # erased at the end


def test_no_line_on_a_pipe_or_a_file() -> None:
    stream = io.StringIO()  # not a terminal
    now = [5.0]
    with WorkLine("l", "ko", stream, clock=lambda: now[0]) as line:
        now[0] = 50.0
        line(1, 2)
    assert stream.getvalue() == ""


def read_until(fd: int, needle: bytes, seconds: float) -> bytes:
    out = b""
    end = time.monotonic() + seconds
    while needle not in out and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    return out


def test_ctrl_c_stops_check_at_the_limit_with_its_sentence_and_status_130(tmp_path: Path) -> None:
    lesson = tmp_path / "at-limit.yaml"
    lesson.write_text(AT_LIMIT, encoding="utf-8")
    env = {**os.environ, "LANG": "C.UTF-8", "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "COLUMNS": "100"}
    master, slave = pty.openpty()
    p = subprocess.Popen([str(EXE), "check", str(lesson)], stdin=slave, stdout=slave,
                         stderr=slave, env=env, cwd=tmp_path, start_new_session=True)
    os.close(slave)
    try:
        shown = read_until(master, b"Ctrl+C", 60)
        assert b"at-limit \xc2\xb7 t: " in shown and b"of 1,000,000 steps" in shown, shown
        os.killpg(p.pid, signal.SIGINT)  # what Ctrl+C on the terminal sends
        shown += read_until(master, t("cli.interrupted", "en").encode(), 10)
        assert p.wait(timeout=10) == 130
    finally:
        if p.poll() is None:
            p.kill()
        os.close(master)
    assert b"Traceback" not in shown and t("cli.interrupted", "en").encode() in shown, shown
