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


def test_every_training_key_is_a_field_of_the_engines_config():
    fields = set(engine_config.TrainingConfig.__dataclass_fields__)
    for key in d.TRAINING.keys:
        assert key.name in fields or key.name in ("id", "title", "ask"), key.name


def test_every_kind_is_one_the_reader_or_loader_knows():
    kinds = {"version", "id", "text", "texts", "number", "positive", "tolerance", "integer",
             "numbers", "matrix", "name", "layers", "functions", "boolean", "expression",
             "choice", "asks", "units"}
    for part in (d.LESSON, d.TRAINING, d.ASK, d.QUIZ, d.PLOT):
        for key in part.keys:
            assert key.kind in kinds, (part.name, key.name, key.kind)
            assert key.doc, (part.name, key.name)


def test_keys_only_some_quizzes_take_are_quiz_keys():
    for keys in d.QUIZ_KIND_KEYS.values():
        assert set(keys) <= set(d.QUIZ.names)
