"""What a classroom costs: `perceptron-tutor serve` with N learners in headless Chromium.

Starts `serve` on a free port (its own progress folder in a temp dir), opens N tabs in Debian's
Chromium over the DevTools protocol (tests/browser/cdp.py), and for each learner times:
- page → "who are you?" on screen (the session process started and drew its first frame);
- Enter → the menu on screen after a first visit (scrypt, the record written, the store opened,
  the menu drawn);
then the resident memory (VmRSS) of every session process at the menu and with and-gate open.

Floors, measured in the same run: one `hashlib.scrypt` with the stored parameters (the part of
a sign-in that is deliberately slow), and the RSS of a bare process of the same Python that
imports Textual and NumPy and waits (what any session carries before the tutor's own state).
Other helpers share the machine: compare the ratios, and repeat when it is quiet.

    python benchmarks/bench_serve.py [--learners 4]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.cdp import Browser, find_chromium  # noqa: E402
from tutor.accounts import hash_pin  # noqa: E402


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def sessions(folder: Path) -> list[int]:
    """Session processes: `python -m tutor --serve-session <folder>` (not the shell around it)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            words = (entry / "cmdline").read_bytes().split(b"\0")
            if b"--serve-session" in words and str(folder).encode() in words and \
                    not words[0].endswith(b"sh"):
                out.append(int(entry.name))
    return out


def bare_rss() -> float:
    code = "import textual.app, numpy, sys; sys.stdout.write('ready\\n'); sys.stdout.flush(); " \
           "sys.stdin.read()"
    process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    assert process.stdout is not None
    process.stdout.readline()
    value = rss_mb(process.pid)
    process.communicate(b"")
    return value


async def run(learners: int) -> None:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    temp = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    folder = temp / "class"
    server = subprocess.Popen(
        [sys.executable, "-m", "tutor", "serve", "--port", str(port), "--progress-dir",
         str(folder), "--lang", "en"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=ROOT, start_new_session=True)
    try:
        for _ in range(300):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            time.sleep(0.1)
        browser = await Browser.launch(chromium, temp / "profile")
        shown, signed = [], []
        try:
            pages = []
            for i in range(learners):
                page = await browser.new_page()
                pages.append(page)
                start = time.perf_counter()
                await page.goto(f"http://127.0.0.1:{port}/")
                await page.wait_for(r"Who are you\?", 60)
                shown.append(time.perf_counter() - start)
                await page.focus()
                await page.type(f"learner {i}")
                await page.press("enter")
                await page.type("2468")
                await page.press("tab")
                await page.type("2468")
                start = time.perf_counter()
                await page.press("enter")
                await page.wait_for("See a perceptron learn", 30)
                signed.append(time.perf_counter() - start)
            await asyncio.sleep(1)
            at_menu = [rss_mb(pid) for pid in sessions(folder)]
            for page in pages:
                await page.focus()
                await page.press("down", "enter")
                await page.wait_for("unit 1 of 13", 30)
            await asyncio.sleep(1)
            in_lesson = [rss_mb(pid) for pid in sessions(folder)]
        finally:
            await browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
    scrypt = []
    for _ in range(5):
        start = time.perf_counter()
        hash_pin("2468", bytes(16))
        scrypt.append(time.perf_counter() - start)
    floor_time = statistics.median(scrypt)
    floor_rss = bare_rss()
    print(f"learners: {learners}; load average: {os.getloadavg()[0]:.1f}")
    print(f"page -> login screen: median {statistics.median(shown):.2f} s "
          f"(min {min(shown):.2f}, max {max(shown):.2f})")
    med = statistics.median(signed)
    print(f"Enter -> menu (first visit): median {med:.3f} s, "
          f"{med / floor_time:.1f}x one scrypt ({floor_time * 1000:.0f} ms)")
    for label, values in (("at the menu", at_menu), ("with and-gate open", in_lesson)):
        mean = statistics.mean(values) if values else float("nan")
        print(f"RSS per session {label}: {mean:.1f} MB over {len(values)} sessions, "
              f"{mean / floor_rss:.2f}x a bare Python with Textual and NumPy ({floor_rss:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=4)
    asyncio.run(run(parser.parse_args().learners))


if __name__ == "__main__":
    main()
