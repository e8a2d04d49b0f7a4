"""`perceptron-tutor serve` in a real browser: headless Chromium (Debian's package) driven over
the DevTools protocol (tests/browser/cdp.py).

One server, two learners at once in two tabs: Ada steps through the start of and-gate's first
training and answers its questions; the page must show the weights after step 2, and her progress
file must hold them. 김철수 (a Hangul name, typed as an IME inserts it), signed in at the same time, sees none of it, and neither file holds the
other's answers. A third tab tries Ada's name with a wrong PIN, and a name nobody chose: the same
sentence both times. A screenshot of Ada's page at step 2 is kept in tests/artifacts/ (ignored by
git) to be looked at.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.cdp import Browser, Page, find_chromium

CHROMIUM = find_chromium()
try:
    import textual_serve  # noqa: F401
except ImportError:  # pragma: no cover - the [serve] extra is part of [test]
    HAVE_SERVE = False
else:
    HAVE_SERVE = True

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                       "(apt-get install chromium; .ci/run installs it)"),
    pytest.mark.skipif(not HAVE_SERVE, reason="textual-serve is not installed (the [serve] extra)"),
]

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path):
    """`perceptron-tutor serve` on a free port, in a process group of its own (its sessions are
    its children), ended with SIGTERM and then the group's SIGKILL if anything is left."""
    port = free_port()
    folder = tmp_path / "class"
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--port", str(port), "--progress-dir",
         str(folder), "--lang", "en"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            break
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        time.sleep(0.2)
    else:
        pytest.fail("serve did not listen: " + (tmp_path / "serve.log").read_text())
    yield f"http://127.0.0.1:{port}/", folder
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    log.close()


async def sign_in(page: Page, url: str, name: str, pin: str, *, first_visit: bool) -> str:
    await page.goto(url)
    await page.wait_for(r"Who are you\?", timeout=60)
    await page.focus()
    await page.type(name)
    await page.press("enter")  # on to the PIN
    await page.type(pin)
    if first_visit:
        await page.press("tab")
        await page.type(pin)
    await page.press("enter")
    return await page.wait_for(r"Signed in as|do not match", timeout=30)


def lesson_line(menu: str, title: str) -> str:
    """The status line under a lesson's title in the menu ("· not started", "· 3/4 right" …)."""
    lines = menu.splitlines()
    for i, line in enumerate(lines):
        if title in line:
            return lines[i + 2].strip()
    raise AssertionError(f"{title!r} not in the menu:\n{menu}")


def read_db(path: Path) -> tuple[list[tuple], list[tuple]]:
    """(attempts, unit steps) of a progress file, read-only."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        attempts = conn.execute(
            "SELECT lesson_id, question_id, answer, correct FROM attempts ORDER BY id").fetchall()
        steps = conn.execute("SELECT lesson_id, unit_id, step FROM unit_steps").fetchall()
    finally:
        conn.close()
    return attempts, steps


async def walk(page: Page, keys: list[tuple[str, str]]) -> str:
    """Press or type each key, then wait for the regex that shows it was taken."""
    text = ""
    for key, expect in keys:
        if key in ("enter", "down", "tab", "escape"):
            await page.press(key)
        else:
            await page.type(key)
        text = await page.wait_for(expect)
    return text


def test_two_learners_in_a_real_browser(server, tmp_path):
    url, folder = server
    ARTIFACTS.mkdir(exist_ok=True)

    async def scenario() -> None:
        assert CHROMIUM is not None
        browser = await Browser.launch(CHROMIUM, tmp_path / "profile")
        try:
            ada, kim = await browser.new_page(), await browser.new_page()
            started = time.monotonic()
            shown = await sign_in(ada, url, "Ada", "2468", first_visit=True)
            assert "Signed in as Ada" in shown
            first_login = time.monotonic() - started
            shown = await sign_in(kim, url, "김철수", "1357", first_visit=True)  # as an IME inserts it
            assert "Signed in as 김철수" in shown

            # Ada: and-gate, its two readings, the quiz, then the first training
            await ada.focus()
            await walk(ada, [("down", "Training an AND gate"), ("enter", r"unit 1 of 13"),
                             ("n", r"unit 2 of 13"), ("n", r"unit 3 of 13"),
                             ("1", r"unit 3 of 13"), ("enter", r"Correct!"),
                             ("n", r"0 of 12 steps done"), ("n", r"1 of 12 steps done"),
                             ("1", r"predict the output"), ("enter", r"Correct!"),
                             ("n", r"predict the error"), ("-1", r"predict the error"),
                             ("enter", r"Correct!"), ("n", r"predict w₀"),
                             ("0.35", r"predict w₀"), ("enter", r"Correct!"),
                             ("n", r"predict w₁"), ("0.35", r"predict w₁"),
                             ("enter", r"Correct!")])
            text = await walk(ada, [("n", r"2 of 12 steps done")])
            # the weights table of step 2: w₀ and w₁ moved from 0.30 and 0.40 to 0.35
            assert re.search(r"w₀.*0\.30\s*→\s*0\.35", text), text
            assert re.search(r"w₁\s+0\.40\s*→\s*0\.35", text), text
            await ada.screenshot(ARTIFACTS / "serve-and-gate-step2.png")

            # 김철수, signed in all along, sees nothing of Ada's progress
            menu = await kim.wait_for("Training an AND gate")
            assert lesson_line(menu, "Training an AND gate") == "· not started", menu

            # Ada's own menu shows her progress
            await ada.type("q")
            menu = await ada.wait_for("See a perceptron learn")
            assert lesson_line(menu, "Training an AND gate") != "· not started", menu

            # a wrong PIN and a name nobody chose: the same answer
            other = await browser.new_page()
            assert "do not match" in await sign_in(other, url, "Ada", "9999", first_visit=False)
            said_wrong = await other.text()
            nobody = await browser.new_page()
            assert "do not match" in await sign_in(nobody, url, "Nobody", "9999",
                                                   first_visit=False)
            said_unknown = await nobody.text()
            line = "That name and PIN do not match. Try again, or ask your teacher."
            assert line in said_wrong and line in said_unknown
            (ARTIFACTS / "serve-timing.json").write_text(json.dumps(
                {"first_login_seconds": first_login}))
        finally:
            await browser.close()

    asyncio.run(scenario())

    logins = {json.loads(p.read_text())["name"]: p for p in folder.glob("*.login")}
    assert set(logins) == {"Ada", "김철수"}
    ada_db = logins["Ada"].with_suffix(".db")
    kim_db = logins["김철수"].with_suffix(".db")
    attempts, steps = read_db(ada_db)
    assert [(a[1], a[3]) for a in attempts] == [
        ("q-rule-direction", 1), ("first-output", 1), ("first-error", 1),
        ("first-update-w0", 1), ("first-update-w1", 1)]
    assert ("and-gate", "and-rule", 2) in steps
    assert read_db(kim_db) == ([], [])
    # every file of the folder is one of the two learners' (no name in a path, nothing else)
    stems = {logins["Ada"].stem, logins["김철수"].stem}
    for path in folder.iterdir():
        assert path.name.split(".")[0] in stems, path
