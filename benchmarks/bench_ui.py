"""What a learner waits for: the installed app in a real terminal against a bare Textual app.

Both apps run as real processes in a tmux pane of their own tmux server (a private `-L` socket,
killed at the end), at 80×24 and 120×40: the tutor is the venv's console script
`perceptron-tutor` (next to this Python), the floor is `bare_app.py` beside this file (Header, a
Static, a DataTable, Footer; `n` updates the Static and moves the table's cursor), started with the
same Python in the same run.

How a paint is detected. `tmux pipe-pane` copies every byte the app writes to its terminal into a
file. The clock starts when `tmux send-keys` returns (the key is in the app's terminal then). This
script then watches the file's size every millisecond: the paint time is the moment of the file's
last growth, once `capture-pane` shows the expected text (the step counter `7 of 1600 steps done`, the
bare app's `count 7`) and the output has been quiet for QUIET seconds. So a figure is
key-to-last-byte-of-the-frame-that-shows-the-change, and a press that paints nothing, or paints
the wrong thing, fails instead of being timed.

Figures, per size and app:
- first paint of the menu (the built-in lessons), and of a lesson opened by id
  (`perceptron-tutor bench-run`), from `exec` of the command to the frame that shows the first
  lesson's title / the lesson's first step panel;
- key-to-paint median and p95 over `--presses` (≥ 50) presses of `n` (one step each);
- a burst of 100 presses sent at once, until the last one's step is on screen and settled.
The ratios tutor / bare are printed beside the figures; issue 10 asks ≤ 1.5× for a press and
≤ 1.3× / 1.5× for the first paints.

`--scale`: also open a 10^6-update run, press `G` (to the end) and report the time and the app's
peak memory (VmHWM), and the median press at its end against one at its start (where the
epoch-history panel is still nearly empty) and one at the end of a 1,600-update run (the same
panels, full: what is left is the cost of the run's length). That run (XOR on a bias input of -1)
comes back to the same weights at the end of every epoch from the 19th on, and the engine copies
a run that repeats itself; so `G` is also timed through 10^6 updates that never repeat (20
samples of real-valued inputs, NumPy's dot at every step: what any run costs at most). With
`--repeat`, every figure is the median of the repeats; the load average is printed with them.

Other helpers share the machine; run it when it is quiet, and repeat (`--repeat`, medians).
The figures are the app's own, plus tmux's: the same for both apps, so compare the ratios.

    python benchmarks/bench_ui.py [--presses 60] [--repeat 1] [--sizes 80x24,120x40] [--scale]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TUTOR = Path(sys.executable).with_name("perceptron-tutor")
BARE = HERE / "bare_app.py"
TMUX = shutil.which("tmux")
SOCKET = f"tutor-bench-{os.getpid()}"
QUIET = 0.12  # seconds without output after which a frame counts as settled

LESSON = """\
format: 1
id: {lid}
title: {{en: "Bench run", ko: "벤치 실행"}}
description: {{en: "benchmark", ko: "벤치마크"}}
units:
  - training:
      id: run
      title: {{en: "run", ko: "run"}}
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 0]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: {epochs}
"""


def free_lesson() -> str:
    """A perceptron lesson of 10^6 updates whose state never repeats: 20 samples with inputs
    drawn in [-1, 1] (seeded), labels at random, so never learnt."""
    rnd = random.Random(10)
    rows = [(round(rnd.uniform(-1, 1), 3), round(rnd.uniform(-1, 1), 3)) for _ in range(20)]
    return (LESSON.format(lid="bench-free", epochs=50_000)
            .replace("[[0, 0], [1, 0], [0, 1], [1, 1]]", json.dumps(rows))
            .replace("[0, 1, 1, 0]", json.dumps([rnd.randint(0, 1) for _ in rows]))
            .replace("learning_rate: 0.05", "learning_rate: 0.037"))


def load() -> str:
    return "load " + " ".join(Path("/proc/loadavg").read_text().split()[:3])


def tmux(*args: str) -> str:
    assert TMUX is not None
    return subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True,
                          check=True, timeout=20).stdout


class Pane:
    """One command in a detached tmux session; its terminal output copied to a file."""

    def __init__(self, command: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.name = f"b{uuid.uuid4().hex[:8]}"
        self.log = Path(tempfile.mkstemp(prefix="bench-pane-")[1])
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # The shell waits for one line before it execs the app, so the pipe is in place first
        # and the clock can start at a known moment.
        shell = f"read _; exec env {exports} {shlex.join(command)}"
        tmux("-f", os.devnull, "new-session", "-d", "-s", self.name, "-x", str(size[0]),
             "-y", str(size[1]), shell)
        tmux("pipe-pane", "-t", self.name, "-o", f"cat >> {shlex.quote(str(self.log))}")
        self.pid = int(tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def start(self, expect: str, timeout: float = 60) -> float:
        """Run the app; seconds to the settled frame showing `expect`."""
        return self.send(["Enter"], expect, timeout)

    def send(self, keys: list[str], expect: str, timeout: float = 30) -> float:
        size = self.log.stat().st_size
        tmux("send-keys", "-t", self.name, *keys)
        t0 = time.perf_counter()
        return self._settled(t0, size, lambda: expect in self.screen(), timeout)

    def _settled(self, t0: float, size: float, shown: Callable[[], bool], timeout: float) -> float:
        last_growth = None
        next_check = 0.0
        while True:
            now = time.perf_counter()
            if now - t0 > timeout:
                raise SystemExit(f"timed out; the screen was:\n{self.screen()}")
            grown = self.log.stat().st_size
            if grown != size:
                size, last_growth = grown, now
            quiet = last_growth is not None and now - last_growth >= QUIET
            if quiet and now >= next_check:
                if shown():
                    return last_growth - t0
                next_check = now + 0.02
            time.sleep(0.001)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def peak_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        subprocess.run([TMUX or "tmux", "-L", SOCKET, "kill-session", "-t", self.name],
                       capture_output=True, timeout=10)
        self.log.unlink(missing_ok=True)


def env_for(home: Path) -> dict[str, str]:
    return {
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


def presses(pane: Pane, n: int, label: Callable[[int], str], first: int = 1) -> list[float]:
    return [pane.send(["n"], label(k)) for k in range(first, first + n)]


def one_size(size: tuple[int, int], args: argparse.Namespace, lessons: Path) -> dict[str, dict]:
    out: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as home:
        total = 4 * 400

        def step(k: int) -> str:
            return f" {k} of {total} steps done"

        # the floor
        bare = Pane([sys.executable, str(BARE)], size, env_for(Path(home)))
        try:
            first = bare.start("count 0")
            times = presses(bare, args.presses, lambda k: f"count {k}")
            burst = bare.send(["n"] * 100, f"count {args.presses + 100}")
        finally:
            bare.close()
        out["bare"] = {"menu": first, "lesson": first, "press": times, "burst": burst}

        menu = Pane([str(TUTOR), "--lang", "en"], size, env_for(Path(home) / "m"))
        try:
            menu_first = menu.start("1. What is a perceptron?")
        finally:
            menu.close()
        lesson = Pane([str(TUTOR), "bench-run", "--lang", "en", "--lessons", str(lessons)], size,
                      env_for(Path(home) / "l"))
        try:
            lesson_first = lesson.start(step(0))
            times = presses(lesson, args.presses, step)
            burst = lesson.send(["n"] * 100, step(args.presses + 100))
        finally:
            lesson.close()
        out["tutor"] = {"menu": menu_first, "lesson": lesson_first, "press": times, "burst": burst}
    return out


def scale(size: tuple[int, int], lessons: Path, n: int, repeat: int) -> None:
    """G to the end of a 10^6-update run; presses at its start, at its end, and at the end of a
    1,600-update run (the same panels, full, on a run 625 times shorter); G through 10^6
    updates that never repeat. Each figure the median of `repeat` runs."""

    def back_and_forth(pane: Pane, total: int, at: int) -> list[float]:
        """`n` presses alternating p and n around step `at`."""
        def done(k: int) -> str:
            return f" {k} of {total} steps done"

        moves = (("p", at - 1), ("n", at)) if at == total else (("n", at + 1), ("p", at))
        return [pane.send([key], done(k)) for _ in range(n // 2) for key, k in moves]

    def g_to_end(pane: Pane, total: int) -> tuple[float, float]:
        pane.start(f" 0 of {total} steps done")
        to_end = pane.send(["G"], f" {total} of {total} steps done", timeout=300)
        return to_end, pane.peak_mb()

    figures: dict[str, list[float]] = {}
    loads = []
    total = 1_000_000
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as home:
            small = Pane([str(TUTOR), "bench-run", "--lang", "en", "--lessons", str(lessons)],
                         size, env_for(Path(home) / "s"))
            try:
                small.start(" 0 of 1600 steps done")
                small.send(["G"], " 1600 of 1600 steps done")
                small_end = back_and_forth(small, 1600, 1600)
            finally:
                small.close()
            pane = Pane([str(TUTOR), "bench-big", "--lang", "en", "--lessons", str(lessons)],
                        size, env_for(Path(home) / "b"))
            try:
                pane.start(f" 0 of {total} steps done")
                pane.send(["n"], f" 1 of {total} steps done")
                start = back_and_forth(pane, total, 1)
                # the end's presses cross an epoch's end (the history and the title change
                # too); these do the same near the start: steps 7 and 8, epochs 1 and 2 done
                pane.send([":", "7", "Enter"], f" 7 of {total} steps done")
                start_epoch = back_and_forth(pane, total, 7)
                to_end = pane.send(["G"], f" {total} of {total} steps done", timeout=300)
                mb = pane.peak_mb()
                end = back_and_forth(pane, total, total)
            finally:
                pane.close()
            free = Pane([str(TUTOR), "bench-free", "--lang", "en", "--lessons", str(lessons)],
                        size, env_for(Path(home) / "f"))
            try:
                free_end, free_mb = g_to_end(free, total)
            finally:
                free.close()
        loads.append(load())
        for key, value in (("g", to_end), ("mb", mb), ("free", free_end), ("free_mb", free_mb),
                           ("start", statistics.median(start)), ("end", statistics.median(end)),
                           ("start_epoch", statistics.median(start_epoch)),
                           ("small", statistics.median(small_end))):
            figures.setdefault(key, []).append(value)
    f = {key: statistics.median(values) for key, values in figures.items()}
    s, e, m = f["start"], f["end"], f["small"]
    print(f"\n10^6-update run at {size[0]}x{size[1]}, median of {repeat} run(s) "
          f"({'; '.join(loads)}):")
    print(f"  G to the end {f['g']:.2f} s, app peak {f['mb']:.0f} MB (VmHWM); each run: "
          + ", ".join(f"{v:.2f} s" for v in figures["g"]))
    print(f"  G through 10^6 updates that never repeat {f['free']:.2f} s, app peak "
          f"{f['free_mb']:.0f} MB; each run: " + ", ".join(f"{v:.2f} s" for v in figures["free"]))
    print(f"  key to paint, median of {n} presses (p and n): at its start {1e3 * s:.1f} ms, at its "
          f"end {1e3 * e:.1f} ms (end/start {e / s:.2f}); at the end of a 1,600-update run "
          f"{1e3 * m:.1f} ms (10^6 end / 1,600 end {e / m:.2f})")
    se = f["start_epoch"]
    print(f"  across an epoch's end, as at the end: steps 7-8 {1e3 * se:.1f} ms (end / that "
          f"{e / se:.2f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--sizes", default="80x24,120x40")
    ap.add_argument("--scale", action="store_true", help="also G through a 10^6-update run")
    args = ap.parse_args()
    if TMUX is None:
        raise SystemExit("tmux is not installed")
    if not TUTOR.exists():
        raise SystemExit(f"{TUTOR} not found: install the package in this Python's venv")
    # Byte-compile once, as an installed package is: PYTHONDONTWRITEBYTECODE would otherwise
    # make every start compile the sources again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "tutor")],
                   check=True, stdout=subprocess.DEVNULL)
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    # One idle session keeps the private server up between panes: when the last session ends,
    # tmux exits, and a pane opened at that moment can meet a server on its way out.
    tmux("-f", os.devnull, "new-session", "-d", "-s", "keep", "sleep 86400")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lessons = Path(tmp)
            (lessons / "bench-run.yaml").write_text(
                LESSON.format(lid="bench-run", epochs=400), encoding="utf-8")
            (lessons / "bench-big.yaml").write_text(
                LESSON.format(lid="bench-big", epochs=250_000), encoding="utf-8")
            (lessons / "bench-free.yaml").write_text(free_lesson(), encoding="utf-8")
            for size in sizes:
                runs = [one_size(size, args, lessons) for _ in range(args.repeat)]
                report(size, runs, args)
            if args.scale:
                scale(sizes[0], lessons, 20, args.repeat)
    finally:
        subprocess.run([TMUX, "-L", SOCKET, "kill-server"], capture_output=True, timeout=10)


def report(size: tuple[int, ...], runs: list[dict[str, dict]], args: argparse.Namespace) -> None:
    def fig(app: str, key: str, f: Callable[[list[float]], float] | None = None) -> float:
        values = [f(r[app][key]) if f else r[app][key] for r in runs]
        return statistics.median(values)

    rows = [
        ("first paint, menu", "menu", None, "s"),
        ("first paint, lesson by id", "lesson", None, "s"),
        (f"key to paint, median of {args.presses}", "press", statistics.median, "ms"),
        ("key to paint, p95", "press", p95, "ms"),
        ("burst of 100 presses, settled", "burst", None, "s"),
    ]
    print(f"\n{size[0]}x{size[1]}, median of {len(runs)} run(s)")
    print(f"{'figure':34} {'tutor':>9} {'bare':>9} {'ratio':>7}")
    for name, key, f, unit in rows:
        t, b = fig("tutor", key, f), fig("bare", key, f)
        k = 1e3 if unit == "ms" else 1.0
        print(f"{name:34} {k * t:8.3g}{unit[0] if unit == 's' else ''} {k * b:8.3g}"
              f"{unit[0] if unit == 's' else ''} {t / b:6.2f}×")


if __name__ == "__main__":
    main()
