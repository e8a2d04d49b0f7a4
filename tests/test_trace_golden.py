"""`trace` output, byte for byte, for every built-in lesson and every unit, against golden files.

The golden files were written by the engine that kept every step as a frozen record (before the
history became NumPy columns and `trace` began to stream), so this test proves that neither change
moved a single digit or key: the `--json` lines and the piped plain table are compared whole, and
the first differing line is shown. They are gzip files (the XOR and Keras runs are over a
megabyte of text each).

The bytes are those of the machine that wrote the files. Another CPU may give the last bits of a
matrix product differently: OpenBLAS chooses its kernels by CPU (and NumPy's `@` calls it), so on
an AMD EPYC the network runs' traces (xor, why-nonlinear, activations) differed from the files in
3,998 of 4,001 lines by at most 2.6e-10 relative, after 10^4 epochs, and were byte for byte the
same with `OPENBLAS_CORETYPE=SkylakeX`. So a trace that is not the same bytes must still be the
same text with every number within `REL` of the file's: any change of a step, a key, a word or
an integer-sized difference shows, and a platform's rounding does not.

If a lesson's training data change on purpose, write them again and review the diff of the numbers:

    TUTOR_WRITE_GOLDEN=1 .venv/bin/pytest -q tests/test_trace_golden.py
"""

from __future__ import annotations

import gzip
import io
import math
import os
import re
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from tutor.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden" / "trace"
LESSONS = ["perceptron", "and-gate", "or-gate", "gradient-descent", "keras-linear", "learning-rate",
           "why-nonlinear", "xor", "activations", "epochs-batches"]
MODES = {"json": ["--json"], "plain": []}
REL = 1e-8  # relative difference allowed between a number and the file's (measured: 2.6e-10)
NUMBER = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def same_but_rounding(got: bytes, want: bytes) -> bool:
    """True when the lines have the same text between their numbers and the numbers agree within
    `REL` (or 1e-12 absolute, for values that are 0 in one of them)."""
    if NUMBER.sub(b"#", got) != NUMBER.sub(b"#", want):
        return False
    return all(math.isclose(float(a), float(b), rel_tol=REL, abs_tol=1e-12)
               for a, b in zip(NUMBER.findall(got), NUMBER.findall(want), strict=True))


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
            if a != b and not same_but_rounding(a, b):
                pytest.fail(f"line {i + 1} differs:\n got  {a[:300]!r}\n want {b[:300]!r}")
        if len(g) != len(w):
            pytest.fail(f"{len(g)} lines, the golden file has {len(w)}")


def test_only_the_last_bits_of_a_number_may_differ_from_the_golden_file() -> None:
    line = b'{"step": 12, "w": [0.023643249400513433, -1.5e-07], "label": "xor"}'
    assert same_but_rounding(line, line.replace(b"0.023643249400513433", b"0.02364324940051344"))
    assert same_but_rounding(line, line.replace(b"-1.5e-07", b"-1.50000000001e-07"))
    assert not same_but_rounding(line, line.replace(b"0.023643249400513433", b"0.02364325"))
    assert not same_but_rounding(line, line.replace(b'"step": 12', b'"step": 13'))
    assert not same_but_rounding(line, line.replace(b"xor", b"and"))
    assert not same_but_rounding(line, line.replace(b", -1.5e-07", b""))


def test_every_builtin_lesson_with_training_has_a_golden_file() -> None:
    ids = {p.stem for p in (Path(__file__).resolve().parent.parent / "lessons").glob("*.yaml")}
    assert set(LESSONS) <= ids
    # the lessons without a training unit; backprop's 10,000 updates would make 4.6 MB of golden
    # files, and tests/test_backprop_lesson.py checks its run against a hand computation instead
    assert ids - set(LESSONS) == {"output-layers", "history-keywords", "exam-review", "backprop"}
