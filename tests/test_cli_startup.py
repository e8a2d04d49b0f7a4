"""What the command line does on the way to the app (issue 10, first paint of a lesson by id):
it builds only the app's parser, and no garbage collection runs until the app's first frame."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import cli

ROOT = Path(__file__).resolve().parent.parent


# --- garbage collection on the way to the app (tutor.ui.heap) -------------------------------


@pytest.fixture
def collector_on():
    """Whatever a test does, the collector is on and nothing frozen after it."""
    yield
    gc.enable()
    gc.unfreeze()


@pytest.mark.parametrize("argv", [["--help"], ["--bogus"], ["--lang", "ko", "-h"], ["list"],
                                  ["trace", "and-gate", "--json"]])
def test_the_collector_is_on_after_every_command_line(argv, collector_on, capsys):
    assert gc.isenabled()
    cli.main(argv)
    assert gc.isenabled()


def test_the_plain_mode_runs_with_the_collector_on(tmp_path):
    """`--plain` is a session of its own: the collector is on for all of it. (A process of its
    own: the plain mode's lifeline ends the process when a thread it does not own is alive.)"""
    code = (
        "import gc, sys; import tutor.plain.session as s; from tutor import cli;"
        "s.run_plain = lambda *a, **k: print('collector', gc.isenabled()) or 0;"
        "sys.exit(cli.main(['--plain', 'and-gate']))"
    )
    env = {"XDG_DATA_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "collector True\n"


def test_on_the_way_to_the_app_the_collector_is_off(collector_on, monkeypatch):
    """From the command line to the app's first frame, no collection (the app turns it on)."""
    seen: list[bool] = []

    def open_app(args: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "_open_app", open_app)
    assert cli.main(["and-gate", "--lang", "en"]) == 0
    assert seen == [False]
    assert gc.isenabled()
