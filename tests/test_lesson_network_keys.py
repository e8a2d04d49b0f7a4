"""Lesson keys of networks (layers, loss, train_biases, batch_size, shuffle, init, dtype), the
perceptron's `step_at_zero: mistake`, and predict targets per layer (z, a, delta, grad_weights,
weights_after): a good lesson loads and its answers are the engine's; every kind of bad value gives
its exact `file:line: field: message`."""

from __future__ import annotations

import math

import pytest

from tutor.lessons import LessonError, check_lesson, load_lesson

GOOD = """\
format: 1
id: net
title: {en: "Network keys", ko: "신경망 키"}
units:
  - training:
      id: classic
      model: mlp
      inputs: [[0.05, 0.10]]
      targets: [[0.01, 0.99]]
      layers:
        - {weights: [[0.15, 0.25], [0.20, 0.30]], biases: [0.35, 0.35], activation: sigmoid}
        - {weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}
      loss: sse_half
      train_biases: false
      batch_size: 1
      shuffle: false
      learning_rate: 0.5
      epochs: 2
      ask:
        - step: 1
          predict: delta
          layer: 2
          index: 0
          hints: ["(o − t) · o(1 − o)"]
          explain: "δ = {{classic.step[1].deltas[1][0][0]:.6f}}"
  - quiz:
      id: q-w5
      kind: predict
      question: "w5 after the first update?"
      training: classic
      step: 1
      predict: weights_after
      layer: 2
      input: 0
      index: 0
      hints: ["w5 − η·δo1·h1"]
      explain: "w5 = {{classic.step[1].weights_after[1][0][0]:.6f}}"
  - training:
      id: sk
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      weights: [0, 0]
      bias: 0
      learning_rate: 1
      epochs: 5
      step_at_zero: mistake
"""


def write(tmp_path, text, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    try:
        lesson = load_lesson(write(tmp_path, text))
    except LessonError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in check_lesson(lesson)]


def edit(old, new, text=GOOD):
    assert old in text, old
    return text.replace(old, new, 1)


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def test_the_network_keys_load_and_the_answers_are_a_hand_computation(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(write(tmp_path, GOOD))
    assert check_lesson(lesson) == []
    config = lesson.run("classic").config
    assert config.loss == "sse_half" and config.train_biases is False
    assert config.resolved_batch_size == 1 and config.layer_sizes == (2, 2, 2)
    assert config.target_rows == ((0.01, 0.99),)
    # by hand: δo1 = (o1 − t1)·o1(1 − o1); w5 ← w5 − η·δo1·h1
    h1 = sig(0.15 * 0.05 + 0.20 * 0.10 + 0.35)
    h2 = sig(0.25 * 0.05 + 0.30 * 0.10 + 0.35)
    o1 = sig(0.40 * h1 + 0.45 * h2 + 0.60)
    d_o1 = (o1 - 0.01) * o1 * (1 - o1)
    ask = lesson.unit("classic").asks[0]
    assert (ask.layer, ask.index, ask.input) == (2, 0, None)
    assert abs(lesson.expected(ask) - d_o1) <= 1e-15
    assert abs(lesson.expected(lesson.unit("q-w5")) - (0.40 - 0.5 * d_o1 * h1)) <= 1e-15
    assert abs(lesson.expected(lesson.unit("q-w5")) - 0.35891648) < 1e-8  # as printed
    assert lesson.run("sk").config.step_at_zero == "mistake"


def test_step_at_zero_mistake_follows_the_rule_y_times_net_at_most_zero(tmp_path, monkeypatch):
    """AND, zero weights, η = 1, y in {−1, +1}: update when y·(w·x + b) ≤ 0 (scikit-learn)."""
    monkeypatch.chdir(tmp_path)
    run = load_lesson(write(tmp_path, GOOD)).run("sk")
    w, b = [0.0, 0.0], 0.0
    for _ in range(5):
        for x, t in zip(((0, 0), (1, 0), (0, 1), (1, 1)), (0, 0, 0, 1), strict=True):
            y = 1 if t == 1 else -1
            if y * (w[0] * x[0] + w[1] * x[1] + b) <= 0:
                w = [w[0] + y * x[0], w[1] + y * x[1]]
                b += y
    last = run.record(run.total_steps - 1)
    # the rule's record moves by η·(t − y)·x with t − y in {−1, +1}: the same moves
    assert list(last.weights_after) == w and last.bias_after == b


def test_layers_may_give_units_and_a_seed_instead_of_weights(tmp_path, monkeypatch):
    text = edit(
        "        - {weights: [[0.15, 0.25], [0.20, 0.30]], biases: [0.35, 0.35], activation: sigmoid}",
        "        - {units: 3, activation: tanh}",
    )
    text = edit("        - {weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], "
                "activation: sigmoid}", "        - {units: 2}", text)
    text = edit("      shuffle: false\n", "      shuffle: true\n      seed: 3\n"
                "      init: glorot_uniform\n      dtype: float32\n", text)
    text = edit("      input: 0\n", "      input: 2\n", text)
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(write(tmp_path, text))
    assert check_lesson(lesson) == []
    config = lesson.run("classic").config
    assert config.layer_sizes == (2, 3, 2) and config.layer_activations == ("tanh", "sigmoid")
    assert config.shuffle and config.init == "glorot_uniform" and config.dtype == "float32"


T = "units[0].training"
Q = "units[1].quiz"
BAD = [
    # layers
    ("      layers:\n", "      layers: 2\n      unused:\n",
     f"bad.yaml:10: {T}.layers: must be a list of layers, e.g. [{{units: 2, activation: "
     "sigmoid}, {units: 1, activation: sigmoid}]"),
    ("activation: sigmoid}\n        - {weights: [[0.40", "activaton: sigmoid}\n        - {weights: [[0.40",
     f"bad.yaml:11: {T}.layers[0].activaton: unknown key (did you mean 'activation'?)"),
    ("biases: [0.35, 0.35], activation: sigmoid}", "biases: [0.35, 0.35], activation: step}",
     f"bad.yaml:11: {T}.layers[0].activation: must be one of sigmoid, tanh, relu, leaky_relu, "
     "linear, softmax, not 'step'"),
    ("biases: [0.35, 0.35], activation: sigmoid}", "biases: [0.35, 0.35], activation: softmax}",
     f"bad.yaml:11: {T}.layers[0].activation: must be one of sigmoid, tanh, relu, leaky_relu, "
     "linear"),
    ("[[0.15, 0.25], [0.20, 0.30]]", "[[0.15, 0.25]]",
     f"bad.yaml:11: {T}.layers[0].weights: has 1 rows; the layer has 2 inputs (one row per "
     "input)"),
    ("[[0.40, 0.50], [0.45, 0.55]]", "[[0.40, 0.50], [0.45]]",
     f"bad.yaml:12: {T}.layers[1].weights[1]: has 1 values; the first row has 2"),
    ("[[0.40, 0.50], [0.45, 0.55]]", "[[0.40, 0.50], [0.45, .inf]]",
     f"bad.yaml:12: {T}.layers[1].weights[1][1]: must be a number"),
    ("biases: [0.60, 0.60]", "biases: [0.60]",
     f"bad.yaml:12: {T}.layers[1].biases: has 1 values for 2 units"),
    ("biases: [0.60, 0.60]", "biases: 0.6",
     f"bad.yaml:12: {T}.layers[1].biases: must be a non-empty list of numbers"),
    ("weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], ", "",
     f"bad.yaml:12: {T}.layers[1]: give its `weights`, or its number of `units`"),
    ("{weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}",
     "{units: 0}", f"bad.yaml:12: {T}.layers[1].units: must be a whole number of at least 1"),
    ("{weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}",
     "{units: 2}",
     f"bad.yaml:6: {T}.seed: layers without weights are drawn from a seed: give one"),
    ("{weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}",
     "{weights: [[0.4], [0.45]], biases: [0.6]}",
     f"bad.yaml:9: {T}.targets: has 2 values per sample for 1 output units"),
    ("{weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}",
     "{units: 3000, weights: [[0.4, 0.5], [0.45, 0.55]]}",
     f"bad.yaml:12: {T}.layers[1].units: is 3000 but its weights have 2 columns"),
    ("{weights: [[0.40, 0.50], [0.45, 0.55]], biases: [0.60, 0.60], activation: sigmoid}",
     "[0.4, 0.5]", f"bad.yaml:12: {T}.layers[1]: must be a mapping (key: value), not a list"),
    ("      layers:\n", "      hidden: [2]\n      layers:\n",
     f"bad.yaml:10: {T}.hidden: does not go with `layers` (each layer gives its size and "
     "activation)"),
    ("      loss: sse_half\n", "      loss: sse_half\n      output_activation: tanh\n",
     f"bad.yaml:14: {T}.output_activation: does not go with `layers`"),
    # loss
    ("loss: sse_half", "loss: sse",
     f"bad.yaml:13: {T}.loss: must be one of mse, sse_half, binary_crossentropy, "
     "categorical_crossentropy, not 'sse' (did you mean 'mse'?)"),
    ("loss: sse_half", "loss: 2",
     f"bad.yaml:13: {T}.loss: must be one of mse, sse_half, binary_crossentropy, "
     "categorical_crossentropy, not '2'"),
    ("loss: sse_half", "loss: categorical_crossentropy",
     f"bad.yaml:13: {T}.loss: categorical_crossentropy needs a softmax output layer"),
    # train_biases, shuffle, batch_size, init, dtype
    ("train_biases: false", "train_biases: no way",
     f"bad.yaml:14: {T}.train_biases: must be true or false, not 'no way'"),
    ("train_biases: false", "train_biases: 0",
     f"bad.yaml:14: {T}.train_biases: must be true or false, not '0'"),
    ("shuffle: false", "shuffle: [1]", f"bad.yaml:16: {T}.shuffle: must be true or false, not a list"),
    ("batch_size: 1", "batch_size: 0",
     f"bad.yaml:15: {T}.batch_size: must be a whole number of at least 1"),
    ("batch_size: 1", "batch_size: 0.5",
     f"bad.yaml:15: {T}.batch_size: must be a whole number of at least 1"),
    ("      shuffle: false\n", "      shuffle: false\n      init: glorot\n",
     f"bad.yaml:17: {T}.init: must be one of uniform, glorot_uniform, not 'glorot' "
     "(did you mean 'glorot_uniform'?)"),
    ("      shuffle: false\n", "      shuffle: false\n      dtype: float16\n",
     f"bad.yaml:17: {T}.dtype: must be one of float32, float64, not 'float16'"),
    # targets
    ("targets: [[0.01, 0.99]]", "targets: [[0.01, 0.99], 1]",
     f"bad.yaml:9: {T}.targets[1]: must be a non-empty list of numbers"),
    ("targets: [[0.01, 0.99]]", "targets: [[0.01, true]]",
     f"bad.yaml:9: {T}.targets[0][1]: must be a number"),
    # keys of other models
    ("      loss: sse_half\n", "      loss: sse_half\n      step_at_zero: mistake\n",
     f"bad.yaml:14: {T}.step_at_zero: does not apply to model 'mlp'"),
    # step_at_zero
    ("step_at_zero: mistake", "step_at_zero: wrong",
     "bad.yaml:47: units[2].training.step_at_zero: must be 0, 1 or mistake, not 'wrong'"),
    ("step_at_zero: mistake", "step_at_zero: true",
     "bad.yaml:47: units[2].training.step_at_zero: must be 0, 1 or mistake, not 'True'"),
    ("step_at_zero: mistake", "step_at_zero: 2",
     "bad.yaml:47: units[2].training.step_at_zero: must be 0, 1 or mistake, not '2'"),
    ("      step_at_zero: mistake\n", "      step_at_zero: mistake\n      loss: mse\n",
     "bad.yaml:48: units[2].training.loss: does not apply to model 'perceptron'"),
    # predict targets per layer
    ("          layer: 2\n          index: 0\n", "          index: 0\n",
     f"bad.yaml:21: {T}.ask[0].layer: 'delta' is a value of one layer: say which with `layer` "
     "(1 = the first hidden layer)"),
    ("          layer: 2\n          index: 0\n", "          layer: 3\n          index: 0\n",
     f"bad.yaml:20: {T}.ask[0].layer: is 3, but the network has 2 layers (1 = the first hidden "
     "layer)"),
    ("          layer: 2\n          index: 0\n", "          layer: 0\n          index: 0\n",
     f"bad.yaml:22: {T}.ask[0].layer: must be a whole number of at least 1"),
    ("          layer: 2\n          index: 0\n", "          layer: 2\n          index: 2\n",
     f"bad.yaml:20: {T}.ask[0].index: is 2, but layer 2 has 2 units (0-based)"),
    ("          layer: 2\n          index: 0\n", "          layer: 2\n",
     f"bad.yaml:21: {T}.ask[0].index: 'delta' is a list of values: say which with `index` "
     "(0-based)"),
    ("          layer: 2\n          index: 0\n",
     "          layer: 2\n          index: 0\n          input: 1\n",
     f"bad.yaml:24: {T}.ask[0].input: 'delta' belongs to a unit (`index`), not a weight; "
     "remove `input`"),
    ("          predict: delta\n          layer: 2\n          index: 0\n",
     "          predict: loss\n          layer: 2\n",
     f"bad.yaml:22: {T}.ask[0].layer: 'loss' has no layers; remove `layer`"),
    ("          predict: delta\n", "          predict: deltas\n",
     f"bad.yaml:21: {T}.ask[0].predict: cannot predict 'deltas' for model 'mlp'; choose one of "
     "loss, outputs, errors, residuals, z, a, delta, grad_weights, weights_after "
     "(did you mean 'delta'?)"),
    ("      input: 0\n", "",
     f"bad.yaml:32: {Q}.input: 'weights_after' is a weight: say from which input of the layer "
     "with `input` (0-based) and to which unit with `index`"),
    ("      input: 0\n", "      input: 2\n",
     f"bad.yaml:27: {Q}.input: is 2, but layer 2 has 2 inputs (0-based)"),
    ("      input: 0\n", "      input: -1\n",
     f"bad.yaml:34: {Q}.input: must be a whole number of at least 0"),
    ("      batch_size: 1\n", "      batch_size: 1\n      unused: 1\n",
     f"bad.yaml:16: {T}.unused: unknown key"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD)
def test_each_bad_network_key_gives_its_exact_message(tmp_path, monkeypatch, old, new, expected):
    found = problems_of(tmp_path, monkeypatch, edit(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_z_a_delta_need_one_sample_per_update(tmp_path, monkeypatch):
    text = edit("inputs: [[0.05, 0.10]]", "inputs: [[0.05, 0.10], [0.1, 0.2]]")
    text = edit("targets: [[0.01, 0.99]]", "targets: [[0.01, 0.99], [0.5, 0.5]]", text)
    text = edit("batch_size: 1", "batch_size: 2", text)
    found = problems_of(tmp_path, monkeypatch, text)
    assert (f"bad.yaml:20: {T}.ask[0].predict: 'delta' is one sample's value: it needs one "
            "sample per update (batch_size: 1)") in found


def test_a_layer_key_for_another_model_is_refused(tmp_path, monkeypatch):
    text = edit("      step_at_zero: mistake\n", "      step_at_zero: mistake\n      ask:\n"
                "        - {step: 1, predict: net, layer: 1, hints: [h], explain: e}\n")
    found = problems_of(tmp_path, monkeypatch, text)
    assert "bad.yaml:49: units[2].training.ask[0].layer: 'net' has no layers; remove `layer`" \
        in found
