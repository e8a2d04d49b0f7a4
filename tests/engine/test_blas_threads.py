"""The engine runs NumPy's BLAS in one thread unless the user set OPENBLAS_NUM_THREADS: more
threads only spin on two cores for the engine's few-number arrays (issue 10: start-up)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = """
import os, json
from tutor.engine import Run  # NumPy loads with the run
import numpy
numpy.ones((64, 64)) @ numpy.ones((64, 64))
print(json.dumps([os.environ.get("OPENBLAS_NUM_THREADS"), len(os.listdir("/proc/self/task"))]))
"""


def threads(env_value: str | None) -> tuple[str | None, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS",
                                                             "OMP_NUM_THREADS")}
    if env_value is not None:
        env["OPENBLAS_NUM_THREADS"] = env_value
    r = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, cwd=ROOT,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    value, tasks = json.loads(r.stdout.splitlines()[-1])
    return value, tasks


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_numpy_runs_in_one_thread_unless_the_user_chose():
    assert threads(None) == ("1", 1)  # the main thread only
    value, tasks = threads("2")
    assert value == "2"
    if (os.cpu_count() or 1) >= 2:
        assert tasks >= 2  # the probe sees BLAS threads when they are asked for
