"""The format's definitions (tutor/lessons/definitions.py) agree with the engine and the loader."""

from __future__ import annotations

from tutor.engine import config as engine_config
from tutor.engine.activations import ACTIVATIONS
from tutor.lessons import definitions as d


def test_the_engines_names_are_the_formats_names():
    assert d.MODELS == engine_config.MODELS
    assert d.DTYPES == engine_config.DTYPES
    # softmax works on a whole output layer, not one number: it is neither a function a plot
    # draws nor a hidden layer's activation (the format gets per-layer activations with issue 12).
    elementwise = set(ACTIVATIONS) - {"softmax"}
    assert set(d.FUNCTIONS) == elementwise
    assert set(d.ACTIVATIONS) == elementwise - {"step"}
    assert d.ACTIVATIONS == engine_config.HIDDEN_ACTIVATIONS
    assert set(d.OUTPUT_ACTIVATIONS) == set(ACTIVATIONS) - {"step"}
    assert d.LOSSES == engine_config.LOSSES
    assert d.INITS == engine_config.INITS
    assert d.STEP_AT_ZERO == engine_config.STEP_AT_ZERO


def test_every_layer_key_is_a_field_of_the_engines_layer_config():
    assert set(d.LAYER.names) <= set(engine_config.LayerConfig.__dataclass_fields__)


def test_every_layered_predict_target_is_a_predictable_network_field_of_the_record():
    from tutor.engine.records import MLPStep

    for predict, (field, shape) in d.LAYERED.items():
        assert d.PREDICTABLE["mlp"][predict] is True
        assert field in MLPStep.__dataclass_fields__ and shape in ("unit", "weight")


def test_every_training_key_is_a_field_of_the_engines_config():
    fields = set(engine_config.TrainingConfig.__dataclass_fields__)
    for key in d.TRAINING.keys:
        assert key.name in fields or key.name in ("id", "title", "ask"), key.name


def test_every_kind_is_one_the_reader_or_loader_knows():
    kinds = {"version", "id", "text", "texts", "number", "positive", "tolerance", "integer",
             "numbers", "matrix", "targets", "name", "layers", "network", "step_at_zero",
             "functions", "boolean", "expression", "choice", "asks", "units"}
    for part in (d.LESSON, d.TRAINING, d.LAYER, d.ASK, d.QUIZ, d.PLOT):
        for key in part.keys:
            assert key.kind in kinds, (part.name, key.name, key.kind)
            assert key.doc, (part.name, key.name)


def test_keys_only_some_quizzes_take_are_quiz_keys():
    for keys in d.QUIZ_KIND_KEYS.values():
        assert set(keys) <= set(d.QUIZ.names)
