"""A separate process that writes progress, for the concurrency and SIGKILL tests.

Usage:
    python writer.py attempts DB NAME COUNT GO_FILE   # "ready"; once GO_FILE exists, COUNT
                                                      # attempts + positions; then "done START END"
    python writer.py positions DB                      # save_position forever, printing each step

Run as a real process (not a thread) because what is tested is two OS processes sharing one file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tutor.progress import SQLiteStore, open_store


def write_attempts(db: Path, name: str, count: int, go_file: Path) -> int:
    store = open_store(db)
    if not isinstance(store, SQLiteStore) or store.warning:
        print(f"not a saving store: {store.warning}", flush=True)
        return 1
    print("ready", flush=True)
    while not go_file.exists():  # both writers start together
        time.sleep(0.001)
    started = time.time()
    for i in range(count):
        store.record_attempt(f"lesson-{name}", f"q{i}", f"answer {i}", i % 3 != 0, i % 2, False)
        store.save_position(f"lesson-{name}", "unit", i + 1)
        if i % 10 == 0:
            time.sleep(0.001)  # a breath now and then, so the other writer gets turns too
    ended = time.time()
    ok = store.saving and store.warning is None
    store.close()
    print(f"done {started} {ended}" if ok else f"failed: {store.warning}", flush=True)
    return 0 if ok else 1


def write_positions(db: Path) -> int:
    store = open_store(db)
    step = 0
    while True:
        step += 1
        store.save_position("kill-me", "training", step)
        print(step, flush=True)  # printed only after the transaction committed


if __name__ == "__main__":
    mode, db = sys.argv[1], Path(sys.argv[2])
    if mode == "attempts":
        sys.exit(write_attempts(db, sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])))
    sys.exit(write_positions(db))
