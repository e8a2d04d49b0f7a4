"""The staged backpropagation renderable (tutor/render/backprop.py): the worked example's numbers,
computed by hand here, appear in the stage that explains them; every stage of any loss, batch and
depth renders inside 80 columns in both languages."""

from __future__ import annotations

import io
import math

import pytest
from rich.cells import cell_len
from rich.console import Console

from tutor.engine import Run, TrainingConfig
from tutor.engine.config import LayerConfig
from tutor.render.backprop import BackpropStage, Stage, stages_of

X1, X2, T1, T2 = 0.05, 0.10, 0.01, 0.99


def classic():
    config = TrainingConfig(
        model="mlp", inputs=((X1, X2),), targets=((T1, T2),),
        layers=(LayerConfig(weights=((0.15, 0.25), (0.20, 0.30)), biases=(0.35, 0.35)),
                LayerConfig(weights=((0.40, 0.50), (0.45, 0.55)), biases=(0.60, 0.60))),
        loss="sse_half", train_biases=False, batch_size=1, learning_rate=0.5, epochs=1,
    )
    return Run(config).record(0)


def render(renderable: object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, no_color=True, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def sig(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def g(x: float) -> str:
    return f"{x:.6g}".replace("-", "−")


def stage_text(record, kind: str, layer: int | None, lang: str = "en") -> str:
    index = stages_of(record).index(Stage(kind, layer))
    return render(BackpropStage(record, index, lang))


def test_the_stages_run_forward_then_back():
    kinds = [(s.kind, s.layer) for s in stages_of(classic())]
    assert kinds == [("forward", 0), ("forward", 1), ("loss", None), ("delta", 1), ("delta", 0),
                     ("gradient", 1), ("gradient", 0), ("update", 1), ("update", 0)]


def test_each_stage_shows_the_hand_computed_numbers_of_the_worked_example():
    rec = classic()
    h1, h2 = sig(0.15 * X1 + 0.20 * X2 + 0.35), sig(0.25 * X1 + 0.30 * X2 + 0.35)
    z_o1 = 0.40 * h1 + 0.45 * h2 + 0.60
    o1, o2 = sig(z_o1), sig(0.50 * h1 + 0.55 * h2 + 0.60)
    d_o1, d_o2 = (o1 - T1) * o1 * (1 - o1), (o2 - T2) * o2 * (1 - o2)
    back_h1 = d_o1 * 0.40 + d_o2 * 0.50
    d_h1 = back_h1 * h1 * (1 - h1)
    forward = stage_text(rec, "forward", 0)
    assert "z(h₁) = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775" in forward
    assert f"h₁ = sigmoid(0.3775) = {g(h1)}" in forward
    assert f"z(ŷ₁) = 0.4·{g(h1)} + 0.45·{g(h2)} + 0.6 = {g(z_o1)}" in stage_text(rec, "forward", 1)
    loss = stage_text(rec, "loss", None)
    assert f"E = ½ [(0.01 − {g(o1)})² + (0.99 − {g(o2)})²]" in loss
    assert f"E = {g(0.5 * (T1 - o1) ** 2 + 0.5 * (T2 - o2) ** 2)}" in loss
    assert "t − ŷ₁ = 0.01 − 0.751365 = −0.741365" in loss and "e = ŷ − t" not in loss
    out = stage_text(rec, "delta", 1)
    assert f"∂E/∂ŷ₁ = ŷ₁ − t₁ = {g(o1)} − 0.01 = {g(o1 - T1)}" in out
    assert f"f′(z) = ŷ₁·(1 − ŷ₁) = {g(o1)}·(1 − {g(o1)}) = {g(o1 * (1 - o1))}" in out
    assert f"δ(ŷ₁) = {g(o1 - T1)} × {g(o1 * (1 - o1))} = {g(d_o1)}" in out
    hidden = stage_text(rec, "delta", 0)
    assert "δ(h₁) = (δ(ŷ₁)·w(h₁→ŷ₁) + δ(ŷ₂)·w(h₁→ŷ₂)) · f′(z)" in hidden
    assert f"= ({g(d_o1)}×0.4 + ({g(d_o2)})×0.5) × {g(h1 * (1 - h1))}" in hidden
    assert f"= {g(back_h1)} × {g(h1 * (1 - h1))} = {g(d_h1)}" in hidden
    grads = stage_text(rec, "gradient", 1)
    assert f"∂E/∂w(h₁→ŷ₁) = δ(ŷ₁)·h₁ = {g(d_o1)}×{g(h1)} = {g(d_o1 * h1)}" in grads
    assert f"∂E/∂b(ŷ₁) = δ(ŷ₁) = {g(d_o1)}" in grads
    update = stage_text(rec, "update", 1)
    assert f"w(h₁→ŷ₁): 0.4 − 0.5×{g(d_o1 * h1)} = {g(0.40 - 0.5 * d_o1 * h1)} ▼" in update
    assert f"w(h₁→ŷ₂): 0.5 − 0.5×({g(d_o2 * h1)}) = {g(0.50 - 0.5 * d_o2 * h1)} ▲" in update
    assert "b(ŷ₁): 0.6 stays (train_biases: false) =" in update
    assert f"w(x₁→h₁): 0.15 − 0.5×{g(d_h1 * X1)} = {g(0.15 - 0.5 * d_h1 * X1)} ▼" in \
        stage_text(rec, "update", 0)
    ko = stage_text(rec, "update", 1, "ko")
    assert "그대로 (train_biases: false)" in ko and "1층" not in ko and "2층의 갱신" in ko


def network(loss: str, batch: int, hidden: tuple[int, ...]):
    out = "softmax" if loss == "categorical_crossentropy" else "sigmoid"
    layers = (*(LayerConfig(units=h, activation="tanh") for h in hidden),
              LayerConfig(units=2, activation=out))
    return TrainingConfig(
        model="mlp", inputs=((0.0, 1.0), (1.0, 0.5), (-0.3, 0.2)),
        targets=((0.0, 1.0), (1.0, 0.0), (0.0, 1.0)), layers=layers, loss=loss, seed=2,
        batch_size=batch, learning_rate=0.1, epochs=1,
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("loss", ["mse", "sse_half", "binary_crossentropy",
                                  "categorical_crossentropy"])
@pytest.mark.parametrize(("batch", "hidden"), [(1, (2,)), (3, (3, 2))])
def test_every_stage_fits_80_columns_for_every_loss_batch_and_depth(lang, loss, batch, hidden):
    rec = Run(network(loss, batch, hidden)).record(0)
    for index, stage in enumerate(stages_of(rec)):
        text = render(BackpropStage(rec, index, lang))
        for line in text.splitlines():
            assert cell_len(line) <= 80, (stage, line)
        assert "[" in text.splitlines()[1]  # the map marks the current stage
        if stage.kind == "delta" and stage.layer == len(hidden) and loss.endswith("entropy"):
            per = batch * (2 if loss == "binary_crossentropy" else 1)  # mean over N·K or N
            assert "∂E/∂ŷ₁" not in text and f"/ {per} =" in text
            d = rec.deltas[-1][0][0]
            assert d == (rec.a[-1][0][0] - rec.targets[0][0]) / per  # the record agrees
        if batch > 1 and stage.kind == "forward":
            assert text.count("#") == 0 and ("sample 3" in text or "샘플 3" in text)
    assert len(stages_of(rec)) == 4 * (len(hidden) + 1) + 1


def test_the_diagram_shows_the_units_with_the_values_of_the_stage_and_marks_its_layer():
    rec = classic()
    forward = stage_text(rec, "forward", 0).splitlines()
    head = next(line for line in forward if line.startswith("x "))
    assert "[h]" in head and "[W" not in head
    row = next(line for line in forward if line.startswith("x₁ 0.05"))
    assert "h₁ a=0.59327" in row and "ŷ₁" in row and "ŷ₁ a=" not in row  # not computed yet
    back = stage_text(rec, "delta", 0)
    assert "h₁ δ=0.00877135" in back and "ŷ₂ δ=−0.0380982" in back
    update = stage_text(rec, "update", 1).splitlines()
    head = next(line for line in update if line.startswith("x "))
    assert "[W²]" in head and "[h]" not in head


def test_a_wide_layer_is_listed_up_to_six_units_then_counted():
    config = TrainingConfig(
        model="mlp", inputs=((0.0, 1.0),), targets=(1.0,), layers=(
            LayerConfig(units=9, activation="tanh"), LayerConfig(units=1)),
        seed=1, batch_size=1, learning_rate=0.1, epochs=1,
    )
    text = render(BackpropStage(Run(config).record(0), 0, "en"))
    diagram = text.split("Forward")[0]  # the stage's own lines name all nine
    assert "h₆ a=" in diagram and "h₇" not in diagram and "+ 3" in diagram


def test_a_sum_cut_across_lines_keeps_its_plus():
    """xor's 2-2-1 net at 80 columns (learner15): the loss stage read "E = 1/4 · [(0 − 0.434174)²
    + (1 − 0.425693)² + (1 − 0.442052)²" and then "(0 − 0.435994)²]": the + at the cut was lost,
    so the line below read as a factor. The line under a cut starts with the + now."""
    config = TrainingConfig(
        model="mlp", inputs=((0, 0), (1, 0), (0, 1), (1, 1)), targets=((0,), (1,), (1,), (0,)),
        layers=(LayerConfig(weights=((0.0236432, 0.900927), (-0.711681, 0.897299)),
                            biases=(0.0, 0.0)),
                LayerConfig(weights=((-0.376337,), (-0.153347,)), biases=(0.0,))),
        loss="mse", learning_rate=2.0, epochs=1,
    )
    text = stage_text(Run(config).record(0), "loss", None, "ko")
    lines = [line.rstrip() for line in text.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("E = 1/4 · ["))
    first, second = lines[at], lines[at + 1]
    assert first.count("²") + second.count("²") == 4
    assert first.count(" + ") + second.count("+ ") == 3, (first, second)
    assert second.startswith("+ ")


def test_the_next_step_of_a_one_sample_network_shows_its_input_not_samples_1_to_1():
    """backprop's 2-2-2 example before a step (learner15): "샘플 1–1 (1개) · 목표값 t = (0.01,
    0.99)", a range of one, and the input the forward pass starts from was not there."""
    from tutor.ui.widgets.preview import _sample_line

    record = classic()
    for lang in ("ko", "en"):
        line = _sample_line(record, lang).plain
        assert "1–1" not in line, line
        assert "x = (0.05, 0.10)" in line and "t = (0.01, 0.99)" in line, line
