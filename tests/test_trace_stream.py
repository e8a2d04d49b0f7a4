"""`trace` writes as it computes: the first lines of a 10^6-update run arrive while it runs.

Before, trace computed the whole run, kept every record, then wrote: nothing came out for half a
minute and the process grew past a gigabyte. A reader now gets lines at once, and the process
stays small however long the run (its peak is measured in benchmarks/bench_engine.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

LESSON = textwrap.dedent("""\
    format: 1
    id: long-run
    title: {en: "Long run", ko: "긴 실행"}
    description: {en: "a million updates", ko: "백만 번의 갱신"}
    units:
      - training:
          id: run
          title: {en: "run", ko: "run"}
          model: perceptron
          inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
          targets: [0, 1, 1, 0]
          bias_input: -1
          weights: [0.3, 0.4, 0.1]
          learning_rate: 0.05
          epochs: 250000
    """)


def test_the_first_lines_come_while_the_run_goes_on(tmp_path):
    (tmp_path / "long-run.yaml").write_text(LESSON, encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tutor", "trace", "long-run", "--lessons", str(tmp_path), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        lines = [json.loads(proc.stdout.readline()) for _ in range(5)]
        still_running = proc.poll() is None
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert [line["step"] for line in lines[:4]] == [1, 2, 3, 4]
    assert lines[4] == {"type": "epoch", "unit": "run", "epoch": 1, "errors": 2, "updates": 2,
                        "misclassified": 2, "weights": lines[3]["weights_after"]}
    assert still_running, "the whole run was done before its first line came out"


# The child reports its own peak (VmHWM of its address space): getrusage's ru_maxrss of a child
# would keep the peak of the pytest process it was forked from (Linux carries it across exec).
PEAK = """
import sys
from tutor.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM:")][0].split()[1]
print("VmHWM", hwm, file=sys.stderr)
sys.exit(code)
"""


def test_a_long_piped_trace_stays_small(tmp_path):
    """10^5 updates through the piped table: the process's own peak under 100 MB (kept as
    records, 10^5 steps took 144 MB; the interpreter and NumPy take about 30)."""
    (tmp_path / "long-run.yaml").write_text(LESSON.replace("250000", "25000"), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-c", PEAK, "trace", "long-run", "--lessons", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stderr is not None
    lines = sum(1 for _ in proc.stdout)
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0, err
    assert lines == 100_000 + 25_000
    peak_mb = int(err.split("VmHWM")[-1].split()[0]) / 1024
    assert peak_mb < 100, f"{peak_mb:.0f} MB"
