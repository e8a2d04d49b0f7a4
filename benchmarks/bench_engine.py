"""What long runs cost a learner: `perceptron-tutor trace` of big runs, in time and whole-process memory.

Every figure is a real process: the installed console script (the venv's `perceptron-tutor`, next
to this Python) runs `trace LESSON --json` with its output to /dev/null, on lessons this script
writes to a temporary folder; its peak memory is the child's own `ru_maxrss` (`os.wait4`), so it
counts the interpreter, NumPy and everything the run keeps, not only Python objects. (Linux keeps
the peak of the process forked from across exec: this script stays at about 20 MB, the floor's
figure, so any figure above that is the child's.)

The floor is measured in the same run, on the same machine: a bare Python loop (plain floats, no
NumPy, nothing kept) that does the same 10^6 perceptron updates and prints the same JSON lines
(`json.dumps` of the same keys); the script checks on a short run that its bytes equal the trace's,
so the floor does all of the work the trace must do and nothing else. Goal (issue 10): trace ≤ 3×
the floor, ≤ 150 MB.

Runs:
- perceptron 10^6 updates: XOR data, so the rule keeps updating to the end (the worst case);
  `--json`, and the piped plain table (no `--json`), which must stay linear.
- linear 10^5 epochs (4 samples, one batch an epoch) and a 2-2-1 XOR network 10^5 epochs (≤ 200 MB).
- `check` at the 10^6-update limit (issue 9, goal ≤ 5 s): the perceptron run above, and a
  linear unit with `batch_size: 1` (10^6 batches). check replays the run and reads the
  engine's divergence flag; it builds no record of its own.

Other helpers share the machine's two cores, so each figure is the median of `--repeat` runs
(default 3). Seconds vary with load; the ratio to the floor measured beside them is what to compare.

    python benchmarks/bench_engine.py [--repeat 3] [--scale 1.0] [--no-plain]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("perceptron-tutor")

XOR_X = "[[0, 0], [1, 0], [0, 1], [1, 1]]"


def lesson(lid: str, training: str) -> str:
    return textwrap.dedent(f"""\
        format: 1
        id: {lid}
        title: {{en: "{lid}", ko: "{lid}"}}
        description: {{en: "benchmark", ko: "벤치마크"}}
        units:
          - training:
              id: run
              title: {{en: "run", ko: "run"}}
        """) + textwrap.indent(textwrap.dedent(training), " " * 6)


def lessons(folder: Path, scale: float) -> dict[str, tuple[str, int]]:
    """Write the benchmark lessons; {id: (what, updates)}."""
    up = max(4, int(1_000_000 * scale)) // 4 * 4
    ep = max(1, int(100_000 * scale))
    specs = {
        "bench-perceptron": ("perceptron", up, f"""\
            model: perceptron
            inputs: {XOR_X}
            targets: [0, 1, 1, 0]
            bias_input: -1
            weights: [0.3, 0.4, 0.1]
            learning_rate: 0.05
            epochs: {up // 4}
            """),
        "bench-linear": ("linear", ep, f"""\
            model: linear
            inputs: {XOR_X}
            targets: [0, 1, 1, 1]
            weights: [0.1, 0.2]
            learning_rate: 0.01
            epochs: {ep}
            """),
        "bench-network": ("network 2-2-1", ep, f"""\
            model: mlp
            inputs: {XOR_X}
            targets: [0, 1, 1, 0]
            hidden: [2]
            seed: 1
            learning_rate: 2.0
            epochs: {ep}
            """),
    }
    specs["bench-linear-limit"] = ("linear, batch 1", up, f"""\
            model: linear
            inputs: {XOR_X}
            targets: [0, 1, 1, 1]
            weights: [0.1, 0.2]
            learning_rate: 0.01
            batch_size: 1
            epochs: {up // 4}
            """)
    for lid, (_, _, training) in specs.items():
        (folder / f"{lid}.yaml").write_text(lesson(lid, training), encoding="utf-8")
    return {lid: (what, n) for lid, (what, n, _) in specs.items()}


# The floor: the same updates and the same JSON lines as `trace bench-perceptron --json`.
BARE = r"""
import json, sys
updates = int(sys.argv[1])
inputs = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
xs = [[-1.0, *row] for row in inputs]
targets = [0.0, 1.0, 1.0, 0.0]
w = [0.3, 0.4, 0.1]
lr = 0.05
write = sys.stdout.write
dumps = json.dumps
wrong = 0
for i in range(updates):
    s = i % 4
    x = xs[s]
    products = [wi * xi for wi, xi in zip(w, x)]
    net = 0.0
    for p in products:
        net += p
    output = 1 if net > 0 else 0
    error = targets[s] - output
    if error != 0:
        delta = [lr * xi * error + 0.0 for xi in x]
        after = [wi + d for wi, d in zip(w, delta)]
        wrong += 1
    else:
        delta = [0.0, 0.0, 0.0]
        after = w
    scale = sum(abs(p) for p in products) + 0.0
    roundoff = net != 0 and abs(net) <= 1e-12 * max(scale, 1e-300)
    write(dumps({"type": "step", "unit": "run", "step": i + 1, "epoch": i // 4 + 1, "sample": s + 1,
                 "x": x, "inputs": inputs[s], "target": targets[s], "net": net,
                 "output": output, "error": error, "weights_before": w,
                 "weights_after": after, "delta": delta, "roundoff": roundoff},
                ensure_ascii=False) + "\n")
    w = after
    if s == 3:
        misclassified = 0
        for xe, te in zip(xs, targets):
            ne = 0.0
            for wi, xi in zip(w, xe):
                ne += wi * xi
            misclassified += (1 if ne > 0 else 0) != te
        write(dumps({"type": "epoch", "unit": "run", "epoch": i // 4 + 1, "errors": wrong,
                     "updates": wrong, "misclassified": misclassified, "weights": w},
                    ensure_ascii=False) + "\n")
        wrong = 0
"""


def measure(cmd: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, float]:
    """(seconds, peak MB) of one process, its output thrown away."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err}")
    return secs, usage.ru_maxrss / 1024  # Linux: ru_maxrss is in KiB


def median_of(repeat: int, cmd: list[str]) -> tuple[float, float]:
    runs = [measure(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def floor_matches_trace(folder: Path) -> bool:
    """The bare loop's bytes equal the trace's on the first 4,000 updates."""
    n = 4000
    small = folder / "check"
    small.mkdir(exist_ok=True)
    text = (folder / "bench-perceptron.yaml").read_text(encoding="utf-8")
    (small / "bench-perceptron.yaml").write_text(
        text.replace("epochs: ", f"epochs: {n // 4}  # ", 1), encoding="utf-8")
    trace = subprocess.run([str(SCRIPT), "trace", "bench-perceptron", "--lessons", str(small),
                            "--json"], capture_output=True, check=True).stdout
    bare = subprocess.run([sys.executable, "-c", BARE, str(n)], capture_output=True,
                          check=True).stdout
    return trace == bare


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of 10^6 updates / 10^5 epochs")
    ap.add_argument("--no-plain", action="store_true", help="skip the piped table (quadratic before)")
    args = ap.parse_args()
    if not SCRIPT.exists():
        raise SystemExit(f"{SCRIPT} not found: install the package in this Python's venv")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs = lessons(folder, args.scale)
        same = floor_matches_trace(folder)
        trace = [str(SCRIPT), "trace", "--lessons", str(folder)]
        n = runs["bench-perceptron"][1]
        floor_s, floor_mb = median_of(args.repeat, [sys.executable, "-c", BARE, str(n)])
        rows = [("bare loop + json.dumps (floor)", n, floor_s, floor_mb, None)]
        for lid, (what, count) in runs.items():
            if lid == "bench-linear-limit":
                continue  # checked below, not traced
            secs, mb = median_of(args.repeat, [*trace[:2], lid, *trace[2:], "--json"])
            ratio = secs / floor_s if lid == "bench-perceptron" else None
            rows.append((f"{what} trace --json", count, secs, mb, ratio))
            if lid == "bench-perceptron" and not args.no_plain:
                secs, mb = median_of(args.repeat, [*trace[:2], lid, *trace[2:]])
                rows.append((f"{what} trace, piped table", count, secs, mb, secs / floor_s))
        for lid in ("bench-perceptron", "bench-linear-limit"):
            what, count = runs[lid]
            secs, mb = median_of(args.repeat, [str(SCRIPT), "check", str(folder / f"{lid}.yaml")])
            rows.append((f"{what} check", count, secs, mb, secs / floor_s))
    print(f"median of {args.repeat} runs; floor's bytes equal the trace's: {same}")
    print(f"{'run':40} {'updates':>9} {'seconds':>8} {'peak MB':>8} {'× floor':>8} {'µs/update':>10}")
    for name, count, secs, mb, ratio in rows:
        r = f"{ratio:8.2f}" if ratio is not None else "       -"
        print(f"{name:40} {count:9d} {secs:8.2f} {mb:8.0f} {r} {1e6 * secs / count:10.1f}")


if __name__ == "__main__":
    main()
