"""The epoch-history panel at the end of a long run reads the few epochs it shows, not all.

Before the history became columns, the panel copied every finished epoch and formatted all of
their values on every key press: a press at the end of 10^5 epochs took 300 ms. It now takes the
chart's buckets from the engine's column in one NumPy pass and builds only the table's rows.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from tutor.engine import Run, TrainingConfig
from tutor.render import EpochHistory
from tutor.render.history import final_history

XOR = ((0, 0), (1, 0), (0, 1), (1, 1))


def render(renderable: object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def runs(epochs: int) -> list[Run]:
    return [
        Run(TrainingConfig(model="perceptron", inputs=XOR, targets=(0, 1, 1, 0), epochs=epochs,
                           learning_rate=0.05, weights=(0.3, 0.4, 0.1), bias_input=-1)),
        Run(TrainingConfig(model="linear", inputs=XOR, targets=(0, 1, 1, 1), epochs=epochs,
                           learning_rate=0.01, weights=(0.1, 0.2))),
        Run(TrainingConfig(model="mlp", inputs=XOR, targets=(0, 1, 1, 0), epochs=epochs,
                           learning_rate=2.0, seed=1)),
    ]


@pytest.mark.parametrize("epochs", [3, 9, 61, 500])
@pytest.mark.parametrize("width", [80, 120])
def test_the_view_renders_as_the_list_of_its_records(epochs, width):
    for run in runs(epochs):
        run.run_to_end()
        done = run.epochs_done()
        for part in (done, done[: epochs // 2 + 1]):
            fast = render(EpochHistory(part, epochs, "en"), width)
            plain = render(EpochHistory(tuple(part), epochs, "en"), width)
            assert fast == plain, run.config.model
            assert f"{len(part)} of {epochs}" in fast


def test_a_press_at_the_end_builds_only_the_rows_it_shows():
    for run in runs(20_000):
        run.run_to_end()
        model = run._model
        built = []
        original = model.epoch_record

        def counting(epoch, original=original, built=built):
            built.append(epoch)
            return original(epoch)

        model.epoch_record = counting  # type: ignore[method-assign]
        text = render(EpochHistory(run.epochs_done(), 20_000, "en"))
        assert "20000 of 20000" in text.replace(",", "")
        assert len(set(built)) <= 12, f"{run.config.model}: {len(set(built))} epochs built"


@pytest.mark.parametrize("epochs", [1, 2, 5, 9, 61])
# Where the table fits. In a narrower panel (46 columns at 120×40) a weight vector that is wider
# than the first epoch's (a minus sign, 1.39e−17) can wrap its row: the panel then grows by it
# (one layout), as it did before it kept any rows; test_frame checks the panel at 120×40.
@pytest.mark.parametrize("width", [77, 120])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_final_shape_is_as_tall_as_the_tallest_history_of_the_run(epochs, width, lang):
    """`final_history` (the history at the run's end, shaped like its first epoch) takes at
    least the rows of the history after any number of finished epochs: the panel that keeps
    its rows never has to grow. And it is exactly as tall as the real history at the end."""
    for run in runs(epochs):
        run.run_to_end()
        done = run.epochs_done()
        final = render(final_history(run.epoch(1), epochs, lang), width).count("\n")
        tallest = max(
            render(EpochHistory(done[:k], epochs, lang), width).count("\n")
            for k in range(1, epochs + 1)
        )
        assert final >= tallest, (run.config.model, final, tallest)
        at_end = render(EpochHistory(done, epochs, lang), width).count("\n")
        assert final == at_end, (run.config.model, final, at_end)
