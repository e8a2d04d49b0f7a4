"""The render layer: Rich renderables built from engine records, read as plain text (NO_COLOR)."""

from __future__ import annotations

import ast
import io
import re
import sys
import tomllib
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console

from tutor.engine import Run, TrainingConfig
from tutor.render import (
    DecisionPlot,
    EpochHistory,
    FunctionPlot,
    HiddenLinesPlot,
    LinearStepView,
    MLPStepView,
    NetEquation,
    StepHeader,
    TraceTable,
    WeightTable,
)

ROOT = Path(__file__).resolve().parents[1]
AND = ((0, 0), (1, 0), (0, 1), (1, 1))


def textbook(epochs: int = 3) -> Run:
    return Run(
        TrainingConfig(
            model="perceptron",
            inputs=AND,
            targets=(0, 0, 0, 1),
            learning_rate=0.05,
            epochs=epochs,
            weights=(0.3, 0.4, 0.1),
            bias_input=-1,
        )
    )


def linear_and(epochs: int = 500, batch_size: int = 32) -> Run:
    return Run(
        TrainingConfig(
            model="linear",
            inputs=AND,
            targets=(0, 0, 0, 1),
            learning_rate=0.1,
            epochs=epochs,
            weights=(0.3, 0.4),
            bias=0.1,
            batch_size=batch_size,
        )
    )


def xor_mlp() -> Run:
    return Run(
        TrainingConfig(
            model="mlp",
            inputs=AND,
            targets=(0, 1, 1, 0),
            learning_rate=0.5,
            epochs=20,
            seed=1,
            hidden=(2,),
        )
    )


def render(renderable: object, width: int = 80) -> str:
    console = Console(file=io.StringIO(), width=width, no_color=True, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def lines_of(text: str) -> list[str]:
    return text.splitlines()


def assert_fits(text: str, width: int = 80) -> None:
    too_wide = [line for line in lines_of(text) if cell_len(line) > width]
    assert not too_wide, too_wide


def row(text: str, start: str) -> str:
    matches = [line for line in lines_of(text) if line.startswith(start)]
    assert matches, f"no line starts with {start!r} in:\n{text}"
    return matches[0]


# --- NetEquation ---------------------------------------------------------------------------


def test_net_equation_textbook_step_2_shows_the_numbers():
    text = render(NetEquation(textbook().record(1), lang="en"))
    assert "k = (−1)(0.30) + (1)(0.40) + (0)(0.10) = 0.10" in text
    assert "step(0.10) = 1" in text
    assert "error = t − y = 0 − 1 = −1" in text
    assert "-1" not in text  # a true minus sign, never a hyphen


def test_net_equation_korean_uses_korean_words():
    text = render(NetEquation(textbook().record(1), lang="ko"))
    assert "step(0.10) = 1" in text
    assert "오차 = t − y = 0 − 1 = −1" in text
    assert "임계값" in text


def test_net_equation_roundoff_step_shows_exact_float_and_explains():
    record = textbook().record(5)
    assert record.net_is_roundoff and record.roundoff_decides
    text = render(NetEquation(record, lang="en"))
    flat = " ".join(text.split())
    assert "5.55e-17" in text
    assert repr(record.net) in flat  # 5.551115123125783e-17
    assert "round-off" in flat
    assert "exactly 0" in flat
    assert "step(0) = 0" in flat and "0 if k = 0" in flat  # the step rule, on the y line
    assert "round-off decided the output" in flat
    ko = " ".join(render(NetEquation(record, lang="ko")).split())
    assert "5.55e-17" in ko and repr(record.net) in ko
    assert "반올림 오차" in ko and "결정" in ko


def test_net_equation_roundoff_that_does_not_decide():
    run = Run(
        TrainingConfig(
            model="perceptron",
            inputs=AND,
            targets=(0, 0, 0, 1),
            learning_rate=0.05,
            epochs=3,
            weights=(0.3, 0.4, 0.1),
            bias_input=-1,
            step_at_zero=1,
        )
    )
    roundoff = [r for r in run.run_to_end() if r.net_is_roundoff and not r.roundoff_decides]
    assert roundoff
    flat = " ".join(render(NetEquation(roundoff[0], lang="en")).split())
    assert "did not change the output" in flat


def test_net_equation_separate_bias_and_exact_zero():
    run = Run(
        TrainingConfig(
            model="perceptron",
            inputs=AND,
            targets=(0, 1, 1, 1),
            learning_rate=0.1,
            epochs=1,
            weights=(0.0, 0.0),
            bias=0.0,
        )
    )
    text = render(NetEquation(run.record(1), lang="en"))
    assert "k = x₁w₁ + x₂w₂ + b" in text
    assert "step(0) = 0" in text
    assert "exactly 0" in text


# --- StepHeader ----------------------------------------------------------------------------


def test_step_header_is_one_based():
    run = textbook()
    en = render(StepHeader(run.record(1), run.total_steps, run.steps_per_epoch, 3, lang="en"))
    assert "epoch 1/3 · sample 2/4 · step 2/12" in en
    assert "x = (1, 0)" in en and "t = 0" in en
    ko = render(StepHeader(run.record(5), run.total_steps, run.steps_per_epoch, 3, lang="ko"))
    assert "에포크 2/3 · 샘플 2/4 · 단계 6/12" in ko


def test_step_header_batches_and_mlp():
    run = linear_and(epochs=2)
    text = render(StepHeader(run.record(1), run.total_steps, run.steps_per_epoch, 2, lang="en"))
    assert "epoch 2/2" in text and "samples 1–4" in text and "step 2/2" in text
    mlp = xor_mlp()
    text = render(StepHeader(mlp.record(0), mlp.total_steps, 1, 20, lang="en"))
    assert "all 4 samples at once" in text


# --- WeightTable ---------------------------------------------------------------------------


def test_weight_table_marks_changes_at_step_2():
    text = render(WeightTable(textbook().record(1), lang="en"))
    w0, w1, w2 = row(text, "w₀"), row(text, "w₁"), row(text, "w₂")
    assert "0.30" in w0 and "0.35" in w0 and "▲" in w0 and "▼" not in w0
    assert "0.40" in w1 and "0.35" in w1 and "▼" in w1 and "▲" not in w1
    assert "▲" not in w2 and "▼" not in w2 and "=" in w2
    assert "0.05 × (−1) × (−1) = +0.05" in w0
    assert "0.05 × 1 × (−1) = −0.05" in w1
    assert "θ" in w0


def test_weight_table_unchanged_at_step_1():
    text = render(WeightTable(textbook().record(0), lang="en"))
    for name in ("w₀", "w₁", "w₂"):
        line = row(text, name)
        assert "▲" not in line and "▼" not in line and "=" in line
    assert "nothing changes" in text


def rows_with(text: str, marker: str) -> list[str]:
    return [line for line in lines_of(text) if marker in line]


def test_weight_table_korean_lines_up():
    text = render(WeightTable(textbook().record(1), lang="ko"))
    assert "가중치" in text and "이전" in text and "이후" in text
    rows = rows_with(text, "→")
    assert len(rows) == 3
    header = lines_of(text)[0]
    widths = {cell_len(line.rstrip()) for line in rows}
    assert len(widths) == 1, rows
    assert cell_len(header.rstrip()) == widths.pop()
    # the arrow (between before and after) sits in the same cell column on every row
    assert len({cell_len(line[: line.index("→")]) for line in rows}) == 1


def test_weight_table_linear_shows_gradients():
    record = linear_and(epochs=1).record(0)
    text = render(WeightTable(record, lang="en"))
    assert "gradient" in text
    b = row(text, "b (bias)")
    assert "0.100" in b and "0.060" in b and "▼" in b and "0.400" in b
    assert "−0.10 × 0.400 = −0.040" in b
    assert_fits(render(WeightTable(record, lang="ko")))


# --- EpochHistory --------------------------------------------------------------------------


def test_epoch_history_perceptron():
    run = textbook()
    run.run_to_end()
    text = render(EpochHistory(run.epochs_done(), 3, lang="en"))
    assert "3 of 3" in text
    assert "█" in text
    assert "✓" in row(text, "    3")  # no errors in epoch 3
    ko = render(EpochHistory(run.epochs_done(), 3, lang="ko"))
    table = [line for line in lines_of(ko) if re.match(r"\s+\d\s", line) and "(" in line]
    assert len(table) == 3
    assert len({cell_len(line.rstrip()) for line in table}) == 1


def test_epoch_history_never_splits_a_weight_vector():
    """The step screen's right column is 46 cells at 120×40: NAND's (−0.20, −0.10, −0.15) wrapped
    there. A narrow panel gets one space between columns, then no space after commas; every
    row keeps its whole vector, numbers unchanged, down to 46 cells; narrower, the vectors
    wrap between numbers (never cut with "…")."""
    from tutor.lessons import load_lesson

    lessons = Path(__file__).resolve().parent.parent / "lessons"
    run = Run(load_lesson(lessons / "or-gate.yaml").run("nand-rule").config)
    run.run_to_end()
    wide = render(EpochHistory(run.epochs_done(), 4, lang="en"))
    vectors = re.findall(r"\([^()]*\)", "\n".join(line for line in lines_of(wide) if re.match(r"\s+\d", line)))
    assert "(−0.20, −0.10, −0.15)" in vectors and len(vectors) == 4
    for lang in ("en", "ko"):
        for width in range(40, 61):  # the narrowest real one: 46 (right column at 120×40)
            text = render(EpochHistory(run.epochs_done(), 4, lang=lang), width)
            assert_fits(text, width)
            lines = lines_of(text)
            rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
            table = "\n".join(lines[rule + 1 :])  # the rows under the header's rule
            numbers = re.findall(r"−?\d\.\d\d", table)
            assert numbers == re.findall(r"−?\d\.\d\d", " ".join(vectors)), (lang, width, text)
            assert "…" not in table
            if width >= 46:
                rows = [line for line in lines_of(table) if re.match(r"\s+\d", line)]
                shown = [v.replace(",", ", ").replace(",  ", ", ") for r in rows
                         for v in re.findall(r"\([^()]*\)", r)]
                assert shown == vectors, (lang, width, text)  # each row whole, on one line
    assert "(−0.20, −0.10, −0.15)" in render(EpochHistory(run.epochs_done(), 4, lang="en"), 50)
    assert "(−0.20,−0.10,−0.15)" in render(EpochHistory(run.epochs_done(), 4, lang="en"), 44)


def test_epoch_history_long_run_is_downsampled():
    run = linear_and(epochs=500)
    run.run_to_end()
    text = render(EpochHistory(run.epochs_done(), 500, lang="en"))
    assert_fits(text)
    assert "Each bar covers" in text
    assert "500" in text and "…" in text
    assert any(ch in text for ch in "▁▂▃▄▅▆▇")


def test_epoch_history_partial_and_empty():
    run = textbook()
    run.record(4)
    assert "1 of 3" in render(EpochHistory(run.epochs_done(), 3, lang="en"))
    assert "No epoch" in render(EpochHistory([], 3, lang="en"))


# --- DecisionPlot --------------------------------------------------------------------------


def test_decision_plot_legend_breaks_between_its_items():
    """The plot column at 120×40 is 48 cells: the legend broke as "… ◉/◎ current sample   ⠉⠒"
    and "decision line" alone on the next row (ko: "⠉⠒ 결정" and "직선"; learner15)."""
    run = textbook()
    cfg = run.config
    for lang, label in (("en", "decision line"), ("ko", "결정 직선")):
        text = render(DecisionPlot(run.record(1), cfg.inputs, cfg.targets, lang=lang), width=48)
        assert any(line.strip().startswith("⠉⠒ " + label) or "   ⠉⠒ " + label in line
                   for line in lines_of(text)), text
        assert not any(line.rstrip().endswith("⠉⠒") for line in lines_of(text)), text


def test_decision_plot_symbols_and_equation():
    run = textbook()
    cfg = run.config
    text = render(DecisionPlot(run.record(1), cfg.inputs, cfg.targets, lang="en"))
    assert_fits(text)
    assert "●" in text and "○" in text
    assert "◎" in text  # the current sample (1, 0) with target 0
    assert "0.35·x₁ + 0.10·x₂ = 0.35" in text  # weights after step 2: θ = w₀ = 0.35
    assert any("\u2800" < ch <= "\u28ff" for ch in text)  # the line in braille


def test_decision_plot_vertical_and_missing_lines():
    run = Run(
        TrainingConfig(
            model="perceptron",
            inputs=AND,
            targets=(0, 1, 1, 1),
            learning_rate=0.1,
            epochs=1,
            weights=(0.0, 0.0),
            bias=0.0,
        )
    )
    cfg = run.config
    none = render(DecisionPlot(run.record(0), cfg.inputs, cfg.targets, lang="en"))
    assert "no line" in none
    vertical = render(DecisionPlot(run.record(1), cfg.inputs, cfg.targets, lang="ko"))
    assert "x₁ = −1.00" in vertical
    assert "화면 밖" in vertical  # the line x₁ = −1 lies left of the view


def test_decision_plot_linear_and_three_inputs():
    run = linear_and()
    cfg = run.config
    text = render(DecisionPlot(run.final(), cfg.inputs, cfg.targets, lang="en"))
    assert "0.50·x₁ + 0.50·x₂ = 0.75" in text
    three = render(DecisionPlot(run.final(), [(0, 0, 0)], [0], lang="en"))
    assert "exactly 2 inputs" in three


# --- LinearStepView / MLPStepView ----------------------------------------------------------


def test_linear_view_shows_negative_zero_after_500_epochs():
    record = linear_and(epochs=500).final()
    assert record.bias_after < 0
    text = render(LinearStepView(record, lang="en"))
    assert_fits(text)
    assert "-0." in text
    flat = " ".join(text.split())
    assert "keeps the sign" in flat
    assert "0.0625" in text  # the loss
    assert "∂L/∂w₁" in text and "∂L/∂b" in text
    ko = " ".join(render(LinearStepView(record, lang="ko")).split())
    assert "-0." in ko and "부호" in ko


def test_linear_view_without_negative_zero_has_no_note():
    text = render(LinearStepView(linear_and(epochs=1).record(0), lang="en"))
    assert "-0." not in text and "keeps the sign" not in text


def test_mlp_view():
    record = xor_mlp().record(0)
    for lang in ("en", "ko"):
        text = render(MLPStepView(record, lang=lang))
        assert_fits(text)
        assert "h₁" in text and "h₂" in text and "ŷ" in text
        assert "δŷ" in text and "δh₁" in text
        assert "→" in text
    assert "Backpropagation" in render(MLPStepView(record, lang="en"))


def classic_record():
    """The classic 2-2-2 worked example's first update (two output units, loss sse_half)."""
    from tutor.engine.config import LayerConfig

    config = TrainingConfig(
        model="mlp", inputs=((0.05, 0.10),), targets=((0.01, 0.99),),
        layers=(LayerConfig(weights=((0.15, 0.25), (0.20, 0.30)), biases=(0.35, 0.35)),
                LayerConfig(weights=((0.40, 0.50), (0.45, 0.55)), biases=(0.60, 0.60))),
        loss="sse_half", train_biases=False, batch_size=1, learning_rate=0.5, epochs=1,
    )
    return Run(config).record(0)


def test_mlp_view_names_each_output_unit_and_says_the_loss_it_uses():
    record = classic_record()
    for lang in ("en", "ko"):
        text = render(MLPStepView(record, lang=lang))
        assert_fits(text)
        # two output units: each named, its δ and each weight into it
        assert "ŷ₁" in text and "ŷ₂" in text and "δŷ₁" in text and "δŷ₂" in text
        assert "h₁→ŷ₁" in text and "h₂→ŷ₂" in text and "b→ŷ₂" in text
        assert "r₁ = ŷ₁ − t₁" in text and "r₂ = ŷ₂ − t₂" in text
        # sse_half is ½Σ(t − ŷ)², not a mean; the error is t − ŷ, never "e = ŷ − t"
        assert "½ Σ (t − ŷ)²" in text
        loss_line = next(line for line in text.splitlines() if "E = ½" in line)
        assert "mean" not in loss_line and "평균" not in loss_line and "e = ŷ − t" not in text
        assert "0.2984" in text  # E = 0.298371 of the worked example, to 4 decimals
        assert "0.7514" in text and "0.7729" in text  # o₁ = 0.751365, o₂ = 0.772928
    mse = render(MLPStepView(xor_mlp().record(0), lang="en"))
    assert "mean of (t − ŷ)²" in mse and "r = ŷ − t" in mse and "e = ŷ − t" not in mse


# --- FunctionPlot --------------------------------------------------------------------------


def test_function_plot_legend_and_axes():
    text = render(FunctionPlot(["sigmoid", "tanh", "relu"], -3, 3, False, "en", 60, 12))
    assert_fits(text)
    assert "● sigmoid(z)" in text and "+ tanh(z)" in text and "x relu(z)" in text
    assert "−3" in text and "3" in text and "z" in text
    deriv = render(FunctionPlot(["sigmoid", "step"], -4, 4, True, "ko", 60, 10))
    assert "sigmoid′(z)" in deriv and "도함수" in deriv


# --- TraceTable ----------------------------------------------------------------------------


def test_trace_table_perceptron():
    text = render(TraceTable(textbook().run_to_end(), lang="en"))
    assert_fits(text)
    marked = [line for line in lines_of(text) if "✎" in line and line.startswith(" ")]
    assert len(marked) == 2  # steps 2 and 6 change the weights
    assert "5.55e-17" in text
    ko = render(TraceTable(textbook().run_to_end(), lang="ko"))
    body = [line for line in lines_of(ko) if re.match(r"\s+\d+\s", line)]
    assert len(body) == 12
    assert len({cell_len(line.rstrip(" ✎")) for line in body}) == 1


def test_trace_table_linear_and_mlp():
    text = render(TraceTable(linear_and(epochs=2, batch_size=1).run_to_end(), lang="en"))
    assert_fits(text)
    assert "0.1444" in text  # loss of step 2: (0.38)²
    mlp = render(TraceTable(xor_mlp().run_to_end(), lang="ko"))
    assert "손실" in mlp


# --- everything at 80 columns, without colour -----------------------------------------------


def test_everything_fits_80_columns_in_both_languages():
    run = textbook()
    lin = linear_and(epochs=3)
    mlp = xor_mlp()
    cfg = run.config
    for lang in ("en", "ko"):
        for renderable in (
            NetEquation(run.record(5), lang),
            WeightTable(run.record(5), lang),
            WeightTable(lin.record(0), lang),
            StepHeader(run.record(5), 12, 4, 3, lang),
            DecisionPlot(run.record(5), cfg.inputs, cfg.targets, lang),
            LinearStepView(lin.record(0), lang),
            MLPStepView(mlp.record(0), lang),
            FunctionPlot(["step", "sigmoid", "tanh", "relu", "leaky_relu", "linear"], lang=lang),
            TraceTable(run.run_to_end(), lang),
            EpochHistory(run.epochs_done(), 3, lang),
        ):
            assert_fits(render(renderable))
            assert "render." not in render(renderable)  # no missing catalog key


# --- catalogs and layers -------------------------------------------------------------------


def test_render_catalogs_have_the_same_keys_and_prefix():
    locales = ROOT / "tutor" / "locales"
    en = tomllib.loads((locales / "render.en.toml").read_text(encoding="utf-8"))
    ko = tomllib.loads((locales / "render.ko.toml").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    assert all(key.startswith("render.") for key in en)
    used = set()
    for path in (ROOT / "tutor" / "render").glob("*.py"):
        used |= set(re.findall(r"\"(render\.[a-z_.]+)\"", path.read_text(encoding="utf-8")))
    assert used <= set(en), used - set(en)


def test_korean_catalogs_write_the_glossarys_target():
    """docs/glossary.md: every lesson writes 목표값 (not 목표, 목푯값, 타깃, 정답값). The step
    panel's 'input x = (0, 0) · 목표 t = 0' sat under the preview's '목표값 t = 0'."""
    for path in sorted((ROOT / "tutor" / "locales").glob("*.ko.toml")):
        catalog = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, text in catalog.items():
            assert not re.search(r"목표(?!값)|목푯값|타깃|정답값", text), (path.name, key, text)


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_render_never_imports_textual():
    allowed = ("rich", "tutor.engine", "tutor.i18n", "tutor.render", "__future__")
    for path in (ROOT / "tutor" / "render").glob("*.py"):
        for name in imported_roots(path):
            top = name.split(".")[0]
            assert top != "textual", path
            assert name.startswith(allowed) or top in sys.stdlib_module_names, (path, name)


def test_decision_plot_before_the_first_step_uses_the_initial_weights():
    run = textbook()
    first = run.record(0)
    before = render(DecisionPlot(first, run.config.inputs, run.config.targets, "en", before=True))
    after = render(DecisionPlot(first, run.config.inputs, run.config.targets, "en"))
    # w = (0.3, 0.4, 0.1): 0.40·x₁ + 0.10·x₂ = 0.30 at the start; step 1 changes nothing
    assert "before the first step: 0.40·x₁ + 0.10·x₂ = 0.30" in before
    assert "after this step: 0.40·x₁ + 0.10·x₂ = 0.30" in after
    moved = render(DecisionPlot(run.record(1), run.config.inputs, run.config.targets, "en",
                                before=True))
    assert "0.40·x₁ + 0.10·x₂ = 0.30" in moved  # step 2 starts from the same weights
    assert "0.35·x₁ + 0.10·x₂ = 0.35" in render(
        DecisionPlot(run.record(1), run.config.inputs, run.config.targets, "en"))


def test_hidden_lines_plot_numbers_each_unit_line():
    run = xor_mlp()
    final = run.final()
    text = render(HiddenLinesPlot(final, "en"))
    W, b = final.weights_after[0], final.biases_after[0]
    assert len(b) == 2
    assert "hidden unit 1:" in text and "hidden unit 2:" in text
    # both units' lines are drawn with their own digit, and all four samples are marked
    grid = "\n".join(text.splitlines()[:16])
    assert "1" in grid.replace("1.5", "").replace("1 ┤", "") and "2" in grid
    assert grid.count("●") == 2 and grid.count("○") == 2
    before = render(HiddenLinesPlot(run.record(0), "ko", before=True))
    assert "은닉 유닛 1:" in before
    assert before != render(HiddenLinesPlot(run.record(0), "ko"))
    assert W[0][0] != 0
