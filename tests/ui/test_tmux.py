"""The installed `perceptron-tutor` in a real terminal: tmux at 80×24, keys in, screen text out."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.tmux

TMUX = shutil.which("tmux")
# A tmux server of our own (its own socket), so the tests never touch a user's or another run's
# sessions, and tearing it down cannot kill anything else.
SOCKET = f"perceptron-tutor-tests-{os.getpid()}"


@pytest.fixture(autouse=True, scope="module")
def own_tmux_server():
    yield
    if TMUX is not None:
        subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True, timeout=10)


def _command() -> str | None:
    """The console script next to this Python (the venv's), else the one on PATH."""
    beside = Path(sys.executable).parent / "perceptron-tutor"
    if beside.exists():
        return str(beside)
    return shutil.which("perceptron-tutor")


class Terminal:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True,
                              timeout=10)
        return done.stdout

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.run("send-keys", "-t", self.name, key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.name, "-l", "--", text)
        time.sleep(0.15)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        seen = ""
        while time.monotonic() < deadline:
            seen = self.screen()
            if text in seen:
                return seen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{seen}")


def start(tmp_path: Path, args: tuple[str, ...] = ("and-gate", "--lang", "en"),
          **env: str) -> tuple[Terminal, Path]:
    """`perceptron-tutor ARGS` (by default `and-gate --lang en`) in a new detached 80×24 tmux
    session."""
    command = _command()
    if command is None:
        pytest.fail("the perceptron-tutor console script is not installed (pip install -e .)")
    status_file = tmp_path / "status"
    env = {
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        **env,
    }
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    shell = (
        f"env {exports} {shlex.quote(command)} {shlex.join(args)}; "
        f"echo $? > {shlex.quote(str(status_file))}; sleep 30"
    )
    name = f"tutor-{uuid.uuid4().hex[:8]}"
    assert TMUX is not None
    subprocess.run(
        [TMUX, "-L", SOCKET, "-f", os.devnull, "new-session", "-d", "-s", name, "-x", "80", "-y", "24", shell],
        check=True,
        timeout=10,
    )
    return Terminal(name), status_file


def exit_status(status_file: Path) -> str:
    deadline = time.monotonic() + 10
    while not status_file.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    return status_file.read_text().strip() if status_file.exists() else "(still running)"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_step_through_and_gate_in_tmux(tmp_path):
    term, status_file = start(tmp_path)
    try:
        term.wait_for("unit 1 of")
        term.keys("n", "n", "]")  # two texts and a quiz (] leaves it open), then the training
        term.wait_for("0 of 12 steps done")
        term.keys("n")  # step 1: (0, 0), nothing changes
        screen = term.wait_for("1 of 12 steps done")
        assert "0.30" in screen and "0.40" in screen
        # before step 2, four predictions: y, the error, then w₀ and w₁ after the update
        for answer in ("1", "-1", "0.35", "0.35"):
            term.wait_for("Your answer?")
            term.type(answer)
            term.keys("Enter")
            term.wait_for("Correct!")
            term.keys("n")
        screen = term.wait_for("2 of 12 steps done")
        assert "0.35" in screen  # the new w₀ and w₁ in the weight table
        term.keys("q")  # back to the menu (also for a lesson opened directly), then quit
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.parametrize(
    "env", [{"NO_COLOR": "1"}, {"TERM": "xterm"}], ids=["no-color", "16-colours"]
)
def test_runs_without_colour_and_with_16_colours(tmp_path, env):
    term, status_file = start(tmp_path, **env)
    try:
        term.wait_for("unit 1 of")
        term.keys("]", "]", "]", "n")
        screen = term.wait_for("1 of 12 steps done")
        assert "−0.30" in screen  # the sum, with its numbers
        term.keys("?")
        term.wait_for("Keys")
        term.keys("Escape")
        time.sleep(0.3)
        term.keys("q")
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)


# --- progress survives SIGKILL and a closed terminal --------------------------------------------------


def tutor_pid(term: Terminal) -> int:
    """The tutor's process: the child of the pane's shell (`env` execs into it)."""
    pane = int(term.run("display", "-p", "-t", term.name, "#{pane_pid}").strip())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pane}/task/{pane}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise AssertionError("the tutor process was not found")


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def to_step_2(term: Terminal) -> None:
    """Into the and-gate training, answering the four asks before step 2."""
    term.wait_for("unit 1 of")
    term.keys("n", "n", "]")
    term.wait_for("0 of 12 steps done")
    term.keys("n")
    term.wait_for("1 of 12 steps done")
    for answer in ("1", "-1", "0.35", "0.35"):
        term.wait_for("Your answer?")
        term.type(answer)
        term.keys("Enter")
        term.wait_for("Correct!")
        term.keys("n")
    term.wait_for("2 of 12 steps done")


def last_sitting(tmp_path: Path) -> float:
    import sqlite3

    db = tmp_path / "data" / "perceptron-tutor" / "progress.db"
    with sqlite3.connect(db) as conn:
        result = conn.execute("SELECT max(last_at) FROM sittings").fetchone()[0]
    conn.close()
    return float(result)


def db_integrity(tmp_path: Path) -> str:
    import sqlite3

    db = tmp_path / "data" / "perceptron-tutor" / "progress.db"
    with sqlite3.connect(db) as conn:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return result


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_sigkill_then_restart_resumes_at_the_same_step(tmp_path):
    term, status_file = start(tmp_path)
    try:
        to_step_2(term)
        pid = tutor_pid(term)
        os.kill(pid, signal.SIGKILL)
        assert gone(pid)
        assert exit_status(status_file) == str(128 + signal.SIGKILL)
    finally:
        term.run("kill-session", "-t", term.name)
    status_file.unlink()
    term, status_file = start(tmp_path)
    try:
        screen = term.wait_for("2 of 12 steps done")
        assert "unit 4 of" in screen and "0.35" in screen  # the same step, the same weights
        term.keys("q")
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)
    assert db_integrity(tmp_path) == "ok"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_closed_terminal_then_restart_resumes_at_the_same_step(tmp_path):
    term, _ = start(tmp_path)
    try:
        to_step_2(term)
        pid = tutor_pid(term)
        time.sleep(0.5)
        closed_at = time.time()
    finally:
        term.run("kill-session", "-t", term.name)  # SIGHUP, as when SSH drops
    assert gone(pid), "the tutor kept running after its terminal closed"
    assert not (tmp_path / "state" / "perceptron-tutor" / "crash.log").exists()
    # it exited through its normal path (not killed by the signal): closing the store counted the
    # sitting's time up to the moment it left
    assert last_sitting(tmp_path) >= closed_at
    term, status_file = start(tmp_path)
    try:
        screen = term.wait_for("2 of 12 steps done")
        assert "unit 4 of" in screen and "0.35" in screen
        term.keys("C-c")  # Ctrl+C quits cleanly, too
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)
    assert db_integrity(tmp_path) == "ok"


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_a_burst_of_20_keys_keeps_the_app_alive_and_in_order(tmp_path):
    """20 keys in one send-keys (as a fast typist or a held key delivers them): every one is
    handled, in order, and the app lives on at the step they add up to."""
    term, status_file = start(tmp_path)
    try:
        to_step_2(term)
        burst = list("nnnpppnnpn") + list("pnpnnppnnp")  # from step 2: up to 5 and back to 4
        assert len(burst) == 20 and 2 + burst.count("n") - burst.count("p") == 4
        term.run("send-keys", "-t", term.name, *burst)
        screen = term.wait_for("4 of 12 steps done")
        time.sleep(1.0)  # nothing more arrives late
        screen = term.screen()
        assert "4 of 12 steps done" in screen and "internal error" not in screen
        assert not status_file.exists()  # still running
        # an answer typed in a burst: 9, Backspace, 8 leaves 8 in the box
        term.run("send-keys", "-t", term.name, "n")  # step 5: the asks before step 6 come next
        term.wait_for("5 of 12 steps done")
        term.run("send-keys", "-t", term.name, "9", "BSpace", "8")
        screen = term.wait_for("8▏")
        assert "9" not in screen.split("8▏")[0].splitlines()[-1]
        term.keys("q")
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_playground_xor_with_a_network_in_tmux(tmp_path):
    """`play xor`, switch the model to a network (2 hidden units by default), run to the end: the
    screen shows a final loss below 0.05 (seed 0) and the region around the two 1s."""
    import re

    term, status_file = start(tmp_path, args=("play", "xor", "--lang", "en"))
    term.wait_for("Playground")
    term.keys("Tab", "Tab")
    term.wait_for("[settings]")
    term.keys("Right", "Right")  # perceptron → linear → mlp
    term.wait_for("network (mlp)")
    term.keys("Escape")
    term.wait_for("[run]")
    term.keys("G")
    screen = term.wait_for("step 1000 of 1000")
    loss = float(re.search(r"loss (\S+)", screen).group(1))
    assert loss < 0.05, screen
    assert "●" in screen and "○" in screen and "·" in screen
    term.keys("q")  # to the menu, as from a lesson opened directly
    term.wait_for("1. What is a perceptron?")
    term.keys("q")
    assert exit_status(status_file) == "0"


def test_the_staged_backpropagation_walkthrough_in_tmux(tmp_path):
    """The backprop lesson at 80×24 on TERM=linux: four predictions before update 1, then `b`
    steps through its stages, `]` goes on to update 2, and `q` leaves the lesson there."""
    term, status_file = start(tmp_path, ("backprop", "--lang", "en"), TERM="linux")
    try:
        term.wait_for("unit 1 of")
        term.keys("n", "n")  # two texts, then the training
        term.wait_for("0 of 10000 steps done")
        for answer in ("0.1385", "0.08217", "0.3589", "0.008771"):  # δ(ŷ₁), ∂E/∂w₅, w₅, δ(h₁)
            term.wait_for("Your answer?")
            term.type(answer)
            term.keys("Enter")
            term.wait_for("Correct!")
            term.keys("n")
        term.wait_for("1 of 10000 steps done")
        term.keys("b")
        term.wait_for("stage 1 of 9")
        term.keys("n", "n", "n", "n")
        screen = term.wait_for("stage 5 of 9")
        assert "0.00877135" in screen and "0.0363503 × 0.241301" in screen
        term.keys("]")
        term.wait_for("Update 2 of 10000")
        term.keys("q")
        term.wait_for("2 of 10000 steps done")
        term.keys("q")
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)


@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
def test_watch_follows_each_save_of_the_lesson_in_tmux(tmp_path):
    """An author's loop: `perceptron-tutor --watch FILE`, save an edit, save a broken one, fix it."""
    from tutor.lessons.scaffold import write_skeleton

    path = write_skeleton("demo", tmp_path / "lessons", "perceptron")
    good = path.read_text(encoding="utf-8")
    term, status_file = start(tmp_path, ("--watch", str(path), "--lang", "en"))
    try:
        term.wait_for("My new lesson")
        term.keys("n", "n")  # the training unit, step 1
        term.wait_for("1 of 12 steps done")
        path.write_text(good.replace("My new lesson", "Saved again"), encoding="utf-8")
        term.wait_for("Saved again")
        screen = term.wait_for("1 of 12 steps done")  # the unit is mounted again, at step 1
        assert "Saved again" in screen and "unit 2 of 6" in screen
        path.write_text(good.replace("learning_rate: 0.05", "learning_rate: fast"),
                        encoding="utf-8")
        screen = term.wait_for("last version that loaded")
        assert "learning_rate" in screen and "Saved again" in screen
        path.write_text(good.replace("My new lesson", "Fixed"), encoding="utf-8")
        term.wait_for("Fixed")
        screen = term.wait_for("1 of 12 steps done")
        assert "Fixed" in screen and "last version" not in screen
        term.keys("q")  # to the menu, then quit
        term.wait_for("perceptron-tutor")
        term.keys("q")
        assert exit_status(status_file) == "0"
    finally:
        term.run("kill-session", "-t", term.name)
