"""How much the engine's records cost: a Run of 10^5 updates against a bare NumPy loop.

The floor is measured in the same run, on the same machine: the same arithmetic (dot, step,
update) in a plain loop over NumPy arrays with nothing recorded. The script prints seconds and the
ratio run / floor; the ratio is what to compare across changes, not the seconds.

    python benchmarks/bench_engine.py [--updates 100000]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from tutor.engine import Run, TrainingConfig

AND_X = ((0, 0), (1, 0), (0, 1), (1, 1))


def bare_perceptron(updates: int) -> float:
    x = np.hstack((np.full((4, 1), -1.0), np.array(AND_X, dtype=float)))
    t = np.array([0, 1, 1, 0], dtype=float)
    w = np.array([0.3, 0.4, 0.1])
    start = time.perf_counter()
    for i in range(updates):
        xi = x[i % 4]
        y = 1 if float(np.dot(xi, w)) > 0 else 0
        err = t[i % 4] - y
        if err:
            w = w + 0.05 * xi * err
    return time.perf_counter() - start


def bare_linear(updates: int) -> float:
    x = np.array(AND_X, dtype=np.float32)
    y = np.array([0, 1, 1, 1], dtype=np.float32)
    w = np.array([0.1, 0.2], dtype=np.float32)
    b = np.float32(0)
    lr = np.float32(0.01)
    start = time.perf_counter()
    for _ in range(updates):
        e = x @ w + b - y
        g = np.float32(0.5) * e
        w = w - lr * (x.T @ g)
        b = b - lr * g.sum()
    return time.perf_counter() - start


def timed_run(config: TrainingConfig) -> tuple[float, Run]:
    run = Run(config)
    start = time.perf_counter()
    run.run_to_end()
    return time.perf_counter() - start, run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--updates", type=int, default=100_000)
    n = ap.parse_args().updates
    rows = []
    # XOR targets so that the perceptron keeps updating for the whole run (the worst case).
    floor = bare_perceptron(n)
    secs, run = timed_run(TrainingConfig(model="perceptron", inputs=AND_X, targets=(0, 1, 1, 0),
                                         learning_rate=0.05, epochs=n // 4,
                                         weights=(0.3, 0.4, 0.1), bias_input=-1))
    rows.append(("perceptron rule", run.total_steps, secs, floor))
    floor = bare_linear(n)
    secs, run = timed_run(TrainingConfig(model="linear", inputs=AND_X, targets=(0, 1, 1, 1),
                                         learning_rate=0.01, epochs=n, weights=(0.1, 0.2)))
    rows.append(("linear unit (Keras SGD)", run.total_steps, secs, floor))
    secs, run = timed_run(TrainingConfig(model="mlp", inputs=AND_X, targets=(0, 1, 1, 0),
                                         learning_rate=2.0, epochs=n // 10, seed=1, hidden=(2,)))
    rows.append(("2-layer network (1/10 the epochs)", run.total_steps, secs, None))
    print(f"{'model':36} {'updates':>8} {'seconds':>8} {'floor s':>8} {'ratio':>6} {'µs/update':>10}")
    for name, steps, secs, fl in rows:
        ratio = f"{secs / fl:6.1f}" if fl else "     -"
        fl_s = f"{fl:8.3f}" if fl else "       -"
        print(f"{name:36} {steps:8d} {secs:8.3f} {fl_s} {ratio} {1e6 * secs / steps:10.1f}")


if __name__ == "__main__":
    main()
