"""The numbers the six new lessons of issue 13 quote in words (not through placeholders) are the
engine's, or follow from it: each checked here against the engine or an independent computation."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from tutor.engine import Run, TrainingConfig
from tutor.engine.activations import evaluate, softmax, tanh_derivative
from tutor.lessons import load_lesson

LESSONS = Path(__file__).resolve().parent.parent / "lessons"


def lesson(name: str):
    return load_lesson(LESSONS / f"{name}.yaml")


def question(les, qid: str):
    return next(q for q in les.questions() if q.id == qid)


# --- gradient-descent --------------------------------------------------------------------------


def test_gradient_descent_is_the_parabola_the_text_describes():
    gd = lesson("gradient-descent")
    for tid, eta in (("gd-small", 0.05), ("gd-right", 0.4), ("gd-large", 1.1)):
        run = gd.run(tid)
        assert run.config.learning_rate == eta
        first = run.record(0)
        assert first.loss == 4.0 and first.grad_weights[0] == -4.0  # "at w = 0 … −4"
        for i in range(run.total_steps):
            rec = run.record(i)
            w, after = rec.weights_before[0], rec.weights_after[0]
            assert rec.bias_before == rec.bias_after == 0.0  # "b stays 0"
            assert rec.loss == pytest.approx((w - 2) ** 2)  # L(w) = (w − 2)²
            # "the gap to the bottom is multiplied by (1 − 2η) every step"
            assert after - 2 == pytest.approx((1 - 2 * eta) * (w - 2))


def test_gradient_descent_explanations_quote_the_steps():
    gd = lesson("gradient-descent")
    small = gd.run("gd-small").record(1)  # "w = 0.2 − 0.05 · (−3.6)"
    assert small.weights_before[0] == pytest.approx(0.2) and small.grad_weights[0] == pytest.approx(-3.6)
    right = gd.run("gd-right").record(2)  # "(1.92 − 2)²"
    assert right.weights_before[0] == pytest.approx(1.92)
    large = gd.run("gd-large")  # "w = 4.4 − 1.1 · 4.8"; gaps "−2, then +2.4, now −2.88"
    assert large.record(1).weights_before[0] == pytest.approx(4.4)
    assert large.record(1).grad_weights[0] == pytest.approx(4.8)
    gaps = [large.record(0).weights_before[0] - 2] + [large.record(i).weights_after[0] - 2 for i in (0, 1)]
    assert gaps == pytest.approx([-2.0, 2.4, -2.88])
    assert large.final().loss > large.record(0).loss  # "the loss grows … the run diverges"
    # q-slope-half: 2(0.5 − 2) = −3; q-step-quarter: 0 − 0.25 · (−4) = 1, loss (1 − 2)² = 1
    assert question(gd, "q-slope-half").answer == 2 * (0.5 - 2)
    assert question(gd, "q-step-quarter").answer == 0 - 0.25 * (-4)


def test_eta_075_zigzags_in_as_the_explanation_says():
    run = Run(TrainingConfig(model="linear", inputs=[[-1.0], [1.0]], targets=[-2.0, 2.0],
                             weights=[0.0], bias=0.0, learning_rate=0.75, epochs=3, dtype="float64"))
    ws = [run.record(0).weights_before[0]] + [run.record(i).weights_after[0] for i in range(3)]
    assert ws == pytest.approx([0.0, 3.0, 1.5, 2.25])
    half = Run(TrainingConfig(model="linear", inputs=[[-1.0], [1.0]], targets=[-2.0, 2.0],
                              weights=[0.0], bias=0.0, learning_rate=0.5, epochs=1, dtype="float64"))
    assert half.final().weights_after[0] == 2.0  # "only η = 0.5 lands on 2 in one step"


# --- learning-rate ------------------------------------------------------------------------------


def or_run(eta: float, epochs: int) -> Run:
    return Run(TrainingConfig(model="linear", inputs=[[0, 0], [1, 0], [0, 1], [1, 1]],
                              targets=[0, 1, 1, 1], weights=[0.36941334, -0.81861128], bias=0.0,
                              learning_rate=eta, epochs=epochs))


def test_the_stability_limit_is_about_063():
    # For full-batch MSE the Hessian is (2/N)·XᵀX with a column of ones for the bias; gradient
    # descent is stable while η < 2 / its largest eigenvalue ("curvature about 3.19 … ≈ 0.63").
    lr = lesson("learning-rate")
    x = np.array(lr.run("or-slow").config.inputs, dtype=float)
    xa = np.hstack([x, np.ones((len(x), 1))])
    curvature = float(np.linalg.eigvalsh(2 / len(x) * xa.T @ xa).max())
    assert round(curvature, 2) == 3.19 and round(2 / curvature, 2) == 0.63
    # the engine agrees on either side of the limit
    below, above = or_run(0.62, 300), or_run(0.64, 300)
    assert below.epoch(300).loss < 0.0626 and above.epoch(300).loss > 10 * above.epoch(1).loss


def test_the_learning_rate_runs_behave_as_the_text_says():
    lr = lesson("learning-rate")
    slow, diverge, edge = lr.run("or-slow"), lr.run("or-diverge"), lr.run("or-edge")
    assert slow.config.learning_rate == 0.01 and diverge.config.learning_rate == 0.7
    assert edge.config.learning_rate == 0.6
    # the least-squares loss of OR is 0.0625 ("the best possible")
    x = np.hstack([np.array(slow.config.inputs, float), np.ones((4, 1))])
    sol, *_ = np.linalg.lstsq(x, np.array(slow.config.targets, float), rcond=None)
    assert float(np.mean((x @ sol - slow.config.targets) ** 2)) == pytest.approx(0.0625)
    losses = [diverge.epoch(e).loss for e in range(1, 31)]
    assert all(b > a for a, b in itertools.pairwise(losses))  # grows every epoch
    assert diverge.record(1).bias_before > 1  # hint: "the bias alone is now above 1"
    assert 1 < edge.record(1).bias_before < 1.2  # hint: "a little above 1"
    eloss = [edge.epoch(e).loss for e in range(1, 41)]
    assert all(b < a for a, b in itertools.pairwise(eloss))  # "it keeps falling"
    assert edge.final().loss < slow.final().loss  # closer in 40 epochs than the notes' 500
    keras = lesson("keras-linear").run("or-keras")
    assert slow.final().bias_after == keras.final().bias_after


def test_the_bound_of_the_steeper_parabola():
    # q-bound-parabola: L = 3(w − 1)², slope 6(w − 1): the gap is multiplied by 1 − 6η
    q = question(lesson("learning-rate"), "q-bound-parabola")
    assert q.answer == pytest.approx(2 / 6, abs=1e-6)
    for eta, settles in ((0.32, True), (0.34, False)):
        w = 0.0
        for _ in range(200):
            w -= eta * 6 * (w - 1)
        assert (abs(w - 1) < 1e-3) == settles


# --- why-nonlinear --------------------------------------------------------------------------------


def test_linear_hidden_units_reach_only_the_one_line_optimum():
    wn = lesson("why-nonlinear")
    linear, sigmoid = wn.run("xor-linear-hidden"), wn.run("xor-sigmoid-hidden")
    assert [o[0] for o in linear.final().outputs] == pytest.approx([0.5] * 4, abs=0.01)
    assert linear.final().loss == pytest.approx(0.25, abs=1e-4)
    targets = linear.config.targets
    assert all((o[0] > 0.5) == (t == 1) for o, t in zip(sigmoid.final().outputs, targets, strict=True))
    # 0.25 is the best any σ(w₁x₁ + w₂x₂ + b) does on XOR with MSE ("the best one line can do"):
    # a grid over the three parameters finds nothing lower.
    g = np.linspace(-12, 12, 61)
    a, b, c = np.meshgrid(g, g, g, indexing="ij")
    x = np.array(linear.config.inputs, float)
    s = a[..., None] * x[:, 0] + b[..., None] * x[:, 1] + c[..., None]
    loss = ((1 / (1 + np.exp(-s)) - np.array(targets, float)) ** 2).mean(-1)
    assert float(loss.min()) >= 0.25 - 1e-12
    # the collapse example: 3(2x + 1) − 4 = 6x − 1
    assert question(wn, "q-collapse-bias").answer == 3 * 1 - 4


# --- output-layers --------------------------------------------------------------------------------


def test_softmax_numbers():
    ol = lesson("output-layers")
    s = softmax(np.array([2.0, 1.0, 0.0]))
    assert [round(float(v), 3) for v in s] == [0.665, 0.245, 0.090]
    assert question(ol, "q-softmax-first").answer == pytest.approx(float(s[0]), abs=5e-4)
    assert [round(math.exp(k), 3) for k in (2, 1)] == [7.389, 2.718]
    assert round(math.exp(2) + math.e + 1, 3) == 11.107
    assert softmax(np.array([7.0, 6.0, 5.0])) == pytest.approx(s)  # q-shift: nothing changes
    assert float(softmax(np.array([4.0, 2.0, 0.0]))[0]) > float(s[0])  # doubled: closer to 1
    assert question(ol, "q-dog").answer == pytest.approx(1 - 0.7 - 0.1)
    ce = question(ol, "q-ce-value")
    assert ce.answer == pytest.approx(-math.log(0.7), abs=5e-4)
    assert round(-math.log(0.1), 3) == 2.303 and -math.log(0.1) > 6 * -math.log(0.7)
    assert -0.36 < math.log(0.7) < -0.35  # hint: "a little below −0.35"
    assert round(float(evaluate("sigmoid", 2.0)), 2) == 0.88


# --- epochs-batches -------------------------------------------------------------------------------


def test_iterations_per_epoch_are_what_the_engine_makes():
    def per_epoch(n: int, batch: int) -> int:
        return TrainingConfig(model="linear", inputs=[[0.0]] * n, targets=[0.0] * n,
                              weights=[0.0], learning_rate=0.1, epochs=1,
                              batch_size=batch).steps_per_epoch

    eb = lesson("epochs-batches")
    assert per_epoch(1000, 100) == 10  # the text: 10 iterations, 200 in 20 epochs
    assert per_epoch(1000, 64) == question(eb, "q-batch-64").answer == 16
    assert per_epoch(60000, 100) * 10 == question(eb, "q-total-iterations").answer
    assert per_epoch(4, 32) == 1  # q-keras-name: one batch of all four


def test_smaller_batches_get_further_in_five_epochs():
    eb = lesson("epochs-batches")
    losses = [eb.run(t).epoch(5).loss for t in ("or-sgd", "or-mini", "or-full")]
    assert losses[0] < losses[1] < losses[2]
    assert eb.run("or-sgd").record(0).weights_after == (0.0, 0.0)  # "the first step changed nothing"


# --- history-keywords -----------------------------------------------------------------------------


def test_tanh_saturation_figures():
    d0, d2, d3 = (float(tanh_derivative(np.float64(z))) for z in (0.0, 2.0, 3.0))
    assert round(d0 / d2) == 14 and 95 < d0 / d3 < 105  # "14 times", "about 100 times"
    assert round(math.tanh(2), 3) == 0.964
    assert float(evaluate("leaky_relu", -2.0)) == pytest.approx(-0.02)


def test_what_learning_rate_recalls_from_keras_linear():
    # learning-rate / intro: "after 500 epochs [at 0.01] it still had not reached the best linear
    # fit; with η = 0.3, 100 epochs were enough" (the best fit's loss is 0.0625)
    keras = lesson("keras-linear")
    slow, fast = keras.run("or-keras"), keras.run("or-fast")
    assert (slow.config.learning_rate, slow.config.epochs) == (0.01, 500)
    assert (fast.config.learning_rate, fast.config.epochs) == (0.3, 100)
    assert slow.final().loss > 0.0625 + 0.003
    assert fast.final().loss == pytest.approx(0.0625, abs=1e-4)


def test_why_nonlinear_runs_differ_only_in_the_hidden_activation():
    # why-nonlinear / collapse: "the same start, the same η = 2 and 1000 full-batch epochs, and a
    # sigmoid output unit both times. Only the hidden units differ"
    wn = lesson("why-nonlinear")
    a, b = wn.run("xor-linear-hidden").config, wn.run("xor-sigmoid-hidden").config
    assert (a.learning_rate, a.epochs, a.seed) == (b.learning_rate, b.epochs, b.seed) == (2.0, 1000, 1)
    assert a.output_activation == b.output_activation == "sigmoid"
    assert (a.activation, b.activation) == ("linear", "sigmoid")
    assert wn.run("xor-linear-hidden").record(0).weights_before == wn.run("xor-sigmoid-hidden").record(0).weights_before
