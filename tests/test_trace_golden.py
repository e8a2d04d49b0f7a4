"""`trace` output, byte for byte, for every built-in lesson and every unit, against golden files.

The golden files were written by the engine that kept every step as a frozen record (before the
history became NumPy columns and `trace` began to stream), so this test proves that neither change
moved a single digit or key: the `--json` lines and the piped plain table are compared whole, and
the first differing line is shown. They are gzip files (the XOR and Keras runs are over a
megabyte of text each).

If a lesson's training data change on purpose, write them again and review the diff of the numbers:

    TUTOR_WRITE_GOLDEN=1 .venv/bin/pytest -q tests/test_trace_golden.py
"""

from __future__ import annotations

import gzip
import io
import os
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from tutor.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "trace"
LESSONS = ["perceptron", "and-gate", "or-gate", "gradient-descent", "keras-linear", "learning-rate",
           "why-nonlinear", "xor", "activations", "epochs-batches"]
MODES = {"json": ["--json"], "plain": []}


def trace_output(lesson: str, mode: str) -> bytes:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["trace", lesson, *MODES[mode]]) == 0
    return buf.getvalue().encode("utf-8")


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("lesson", LESSONS)
def test_trace_is_byte_for_byte_the_golden_file(lesson: str, mode: str) -> None:
    path = GOLDEN / f"{lesson}.{mode}.gz"
    got = trace_output(lesson, mode)
    if os.environ.get("TUTOR_WRITE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(gzip.compress(got, mtime=0))
    want = gzip.decompress(path.read_bytes())
    assert got.count(b"\n") >= 2 and b"epoch" in got, "no step and epoch lines: not a trace"
    if got != want:
        g, w = got.splitlines(), want.splitlines()
        for i, (a, b) in enumerate(zip(g, w, strict=False)):
            if a != b:
                pytest.fail(f"line {i + 1} differs:\n got  {a[:300]!r}\n want {b[:300]!r}")
        pytest.fail(f"{len(g)} lines, the golden file has {len(w)}")


def test_every_builtin_lesson_with_training_has_a_golden_file() -> None:
    ids = {p.stem for p in (Path(__file__).resolve().parent.parent / "lessons").glob("*.yaml")}
    assert set(LESSONS) <= ids
    # the lessons without a training unit; backprop's 10,000 updates would make 4.6 MB of golden
    # files, and tests/test_backprop_lesson.py checks its run against a hand computation instead
    assert ids - set(LESSONS) == {"output-layers", "history-keywords", "exam-review", "backprop"}
