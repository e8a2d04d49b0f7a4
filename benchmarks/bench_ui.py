"""What one step costs on screen: the tutor against a bare Textual app, measured in the same run.

Both apps run headless (`App.run_test`) at 80×24 and 120×40. The floor is a bare App whose key
binding updates one Static; the tutor is the lesson screen stepping through a perceptron run (one
press = one record turned into the step panels). Printed: milliseconds per press and the ratio
tutor / floor, and the time to the first screen. Compare ratios across changes, not milliseconds.

    python benchmarks/bench_ui.py [--presses 60]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from tutor.progress import MemoryStore
from tutor.ui.app import create_app

LESSON = """\
format: 1
id: bench
title: Bench
units:
  - training:
      id: run
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 0]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 100
"""


class Bare(App[None]):
    BINDINGS: ClassVar = [("n", "next", "next")]

    def compose(self) -> ComposeResult:
        yield Static("0", id="n")
        yield Footer()

    def action_next(self) -> None:
        s = self.query_one("#n", Static)
        s.update(str(int(str(s.content)) + 1))


async def measure(make, presses: int, size: tuple[int, int]) -> tuple[float, float]:
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = time.perf_counter() - start
        start = time.perf_counter()
        for _ in range(presses):
            await pilot.press("n")
        await pilot.pause()
        per_press = (time.perf_counter() - start) / presses
        view = getattr(app.screen, "view", None)
        if view is not None:  # the tutor: make sure every press really was a step
            assert view.position == presses, (view.position, presses)
    return first, per_press


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=60)
    presses = ap.parse_args().presses
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(LESSON, encoding="utf-8")

        def tutor() -> App:
            return create_app("en", (), MemoryStore(), start_lesson=str(path))

        print(f"{'size':8} {'app':7} {'first screen ms':>16} {'ms/press':>9} {'ratio':>6}")
        for size in ((80, 24), (120, 40)):
            b_first, b_press = asyncio.run(measure(Bare, presses, size))
            t_first, t_press = asyncio.run(measure(tutor, presses, size))
            label = f"{size[0]}x{size[1]}"
            print(f"{label:8} {'bare':7} {1e3 * b_first:16.1f} {1e3 * b_press:9.2f} {'1.0':>6}")
            print(f"{label:8} {'tutor':7} {1e3 * t_first:16.1f} {1e3 * t_press:9.2f} "
                  f"{t_press / b_press:6.1f}")


if __name__ == "__main__":
    main()
