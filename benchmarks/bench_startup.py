"""What starting a command costs a learner: whole processes of the installed `perceptron-tutor`.

Issue 10's goal: `list` takes ≤ 1.5× `python -c "import yaml, rich"`. Every figure is a real
process of the venv's console script (next to this Python), with its output to /dev/null, against
two floors measured in the same run by the same Python:

- `python -c "import yaml, rich"`: the issue's floor (the two libraries every command needs);
- `python -c pass`: the interpreter alone, so the part that is the tutor's own shows.

The commands and the floors are interleaved: each round runs every one of them once, in a fresh
random order, so a burst of load from the other processes on the machine falls on all of them
alike; the ratios compare medians over the same rounds. Each figure is the wall time and the CPU
time (user + system, `os.wait4`'s rusage of that one child), as median and 90th percentile.

Python's own bytecode cache is on (`PYTHONDONTWRITEBYTECODE` is dropped from the environment), as
on a learner's machine: without it every process compiles the tutor's modules again, which would
be most of what is measured. Each command runs with its own fresh XDG folders (a temporary HOME, XDG_CACHE_HOME,
XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_STATE_HOME), so no progress, user lessons or cache of this
machine counts:

- warm (the common case: every `list` after the first): the cache filled by one untimed run;
- in a terminal: `list` printing its Rich table to a pseudo-terminal of 80×24 (every other
  command writes to /dev/null, as the issue measured it);
- cold (`--cold`, also on by default): every timed run with an empty cache folder, as the very
  first `list` after installing, or after the cache was cleared.

    python benchmarks/bench_startup.py [--repeat 30] [--no-cold] [--script PATH]

Other helpers share the machine's two cores: the script prints the load average before and
after; compare the ratios, which are measured in the same rounds, rather than the milliseconds.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("perceptron-tutor")
FLOOR = "import yaml, rich"
TERMINAL = "list (in a terminal, Rich table)"


@dataclass
class Figures:
    """Wall and CPU seconds of every timed run of one command."""

    name: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def environment(home: Path) -> dict[str, str]:
    """The process environment with every folder the tutor reads or writes under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PERCEPTRON"))}
    # as a learner's Python: modules compiled once and read from __pycache__ afterwards (the
    # untimed first run writes them), not compiled again by every process
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["HOME"] = str(home)
    for var, sub in (("XDG_CACHE_HOME", "cache"), ("XDG_DATA_HOME", "data"),
                     ("XDG_CONFIG_HOME", "config"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    env.setdefault("LANG", "C.UTF-8")
    env.pop("COLUMNS", None)
    return env


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path, *,
             terminal: bool = False) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system of this child only) and the exit status.

    Output goes to /dev/null, or with `terminal` to a pseudo-terminal of 80×24 that a thread
    reads (as a terminal would), so that the command prints what it prints to a learner."""
    master = slave = -1
    reader = None
    stdout: int = subprocess.DEVNULL
    if terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        stdout = slave
        reader = threading.Thread(target=drain, args=(master,), daemon=True)
        reader.start()
    start = time.perf_counter()
    child = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                             stdout=stdout, stderr=subprocess.DEVNULL)
    if terminal:
        os.close(slave)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    if reader is not None:
        reader.join(timeout=5)
        os.close(master)
    return wall, usage.ru_utime + usage.ru_stime, child.returncode


def drain(fd: int) -> None:
    """Read a pseudo-terminal until its other end is closed."""
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:  # EIO: the child has exited
            return


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="rounds (each runs every command)")
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-cache `list`")
    parser.add_argument("--script", type=Path, default=SCRIPT, help="the console script")
    args = parser.parse_args()
    if not args.script.exists():
        print(f"no console script at {args.script}; install the package in this venv",
              file=sys.stderr)
        return 2
    script = str(args.script)
    python = sys.executable
    commands: dict[str, list[str]] = {
        "python -c pass": [python, "-c", "pass"],
        f'python -c "{FLOOR}"': [python, "-c", FLOOR],
        "list": [script, "list"],
        "list --json": [script, "list", "--json"],
        TERMINAL: [script, "list"],
        "--help": [script, "--help"],
        "--version": [script, "--version"],
    }
    cold = not args.no_cold
    if cold:
        commands["list (cold cache)"] = [script, "list"]
    root = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        homes: dict[str, Path] = {}
        for i, name in enumerate(commands):
            homes[name] = root / f"home-{i}"
            homes[name].mkdir()
        work = root / "work"
        work.mkdir()
        for name, argv in commands.items():  # one untimed run: the warm cache, and a check
            _, _, status = run_once(argv, environment(homes[name]), work,
                                    terminal=name == TERMINAL)
            if status != 0:
                print(f"{name}: exit status {status}; the figures would not mean anything",
                      file=sys.stderr)
                return 1
        figures = {name: Figures(name) for name in commands}
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{args.repeat} rounds of {len(commands)} commands, interleaved, in random order",
              flush=True)
        for _ in range(args.repeat):
            order = list(commands)
            random.shuffle(order)
            for name in order:
                home = homes[name]
                if name == "list (cold cache)":
                    shutil.rmtree(home / "cache", ignore_errors=True)
                wall, cpu, status = run_once(commands[name], environment(home), work,
                                             terminal=name == TERMINAL)
                if status != 0:
                    print(f"{name}: exit status {status}", file=sys.stderr)
                    return 1
                figures[name].wall.append(wall)
                figures[name].cpu.append(cpu)
        print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    report(figures, f'python -c "{FLOOR}"', "python -c pass")
    return 0


def report(figures: dict[str, Figures], floor: str, bare: str) -> None:
    floor_wall = statistics.median(figures[floor].wall)
    floor_cpu = statistics.median(figures[floor].cpu)
    bare_wall = statistics.median(figures[bare].wall)
    print()
    print(f"{'command':<32}{'wall ms':>9}{'p90':>7}{'cpu ms':>9}{'p90':>7}"
          f"{'× floor':>9}{'(cpu)':>7}{'× pass':>8}")
    for name, f in figures.items():
        wall = statistics.median(f.wall)
        cpu = statistics.median(f.cpu)
        print(f"{name:<32}{wall * 1e3:>9.1f}{percentile(f.wall, 90) * 1e3:>7.1f}"
              f"{cpu * 1e3:>9.1f}{percentile(f.cpu, 90) * 1e3:>7.1f}"
              f"{wall / floor_wall:>8.2f}×{cpu / floor_cpu:>6.2f}×{wall / bare_wall:>7.2f}×")
    print()
    print(f"floor: {floor} (issue 10: `list` ≤ 1.5× its wall time, median of the same rounds)")
    ratio = statistics.median(figures["list"].wall) / floor_wall
    print(f"list, warm cache: {ratio:.2f}× the floor: {'met' if ratio <= 1.5 else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
