"""An unexpected error inside the app shows one sentence and writes the traceback to a log."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tutor.progress import MemoryStore
from tutor.ui.app import create_app


def test_fatal_error_logs_the_traceback_and_shows_one_sentence(tmp_path):
    app = create_app("en", (), MemoryStore())
    try:
        raise ZeroDivisionError("boom in a screen")
    except ZeroDivisionError:
        app._fatal_error()
    shown = "".join(seg.text for r in app._exit_renderables for seg in r.segments)
    assert "internal error" in shown and "Traceback" not in shown
    log = Path(os.environ["XDG_STATE_HOME"]) / "perceptron-tutor" / "crash.log"
    assert "ZeroDivisionError: boom in a screen" in log.read_text()
    assert "crash.log" in shown


def test_a_crash_in_a_real_run_prints_no_traceback(tmp_path):
    # Run the app headless in a real process with a screen that raises on mount.
    code = textwrap.dedent(
        """
        import asyncio
        from tutor.progress import MemoryStore
        from tutor.ui import app as app_module
        from tutor.ui.screens import menu

        def broken(self):
            raise RuntimeError("a bug on mount")

        menu.MenuScreen.on_mount = broken
        app = app_module.create_app("ko", (), MemoryStore())

        async def main():
            await app.run_async(headless=True, size=(80, 24))

        asyncio.run(main())
        raise SystemExit(app.return_code)
        """
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=60)
    assert r.returncode == 1
    assert "Traceback" not in r.stdout + r.stderr
    assert "내부 오류" in r.stdout + r.stderr
    log = (tmp_path / "perceptron-tutor" / "crash.log").read_text()
    assert "RuntimeError: a bug on mount" in log
