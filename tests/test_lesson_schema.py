"""The JSON Schema of the lesson format (tutor/lessons/schema.py) against the loader.

The schema is generated from the definitions the loader validates with; these tests check the
shipped file is that generation, every built-in lesson passes it, and on a corpus of good and bad
lessons the two agree one way: whatever the schema rejects, the loader rejects too (the loader
also judges what a schema cannot: targets match inputs, steps inside the run, answers).
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.corpus import LESSONS, as_bytes, lesson
from tutor.cli import main
from tutor.lessons import LessonError, load_lesson
from tutor.lessons import yaml_lines as lesson_yaml
from tutor.lessons.schema import SCHEMA_FILE, lesson_schema, schema_text, shipped_schema_text

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = sorted((ROOT / "lessons").glob("*.yaml"))
VALIDATOR = jsonschema.Draft202012Validator(lesson_schema())
_counter = itertools.count()


def schema_accepts(data: Any) -> bool:
    return VALIDATOR.is_valid(data)


def loader_accepts(tmp_path: Path, content: str | bytes) -> bool:
    p = tmp_path / f"case-{next(_counter)}.yaml"  # a new name: the parse cache keys on the path
    p.write_bytes(as_bytes(content))
    try:
        load_lesson(p)
    except LessonError:
        return False
    return True


def yaml_data(content: str | bytes) -> Any:
    """The document as an editor's schema check sees it, or None when it is not YAML the
    bounded parser takes (an alias bomb would make any validator walk 10^9 nodes)."""
    try:
        source = as_bytes(content).decode("utf-8")
    except UnicodeDecodeError:
        return None
    parsed = lesson_yaml.parse(source)
    return None if parsed.errors else parsed.data


def test_the_shipped_schema_is_the_generated_one():
    assert shipped_schema_text() == schema_text(), (
        f"regenerate it: perceptron-tutor schema > {SCHEMA_FILE.relative_to(ROOT)}")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(shipped_schema_text()))


def test_the_schema_command_prints_the_shipped_file(capsys):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == shipped_schema_text()


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_lesson_passes_the_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [e.message for e in VALIDATOR.iter_errors(data)]
    assert errors == []


# A lesson with every unit type, both quiz kinds that take answers, and an ask.
RICH = yaml.safe_load("""
format: 1
id: rich
title: {en: Rich, ko: 풍부}
description: A lesson for the schema tests.
order: 5
minutes: 3
units:
  - text: {id: intro, en: Hello, ko: 안녕하세요}
  - training:
      id: t
      title: AND
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      weights: [0, 0, 0]
      bias_input: 1
      learning_rate: 0.1
      epochs: 2
      ask:
        - step: 1
          predict: net
          hints: [h]
          explain: e
  - quiz:
      id: c
      kind: choice
      question: Which?
      choices: [a, b]
      answer: 1
      hints: [h]
      explain: e
  - quiz:
      id: n
      kind: numeric
      question: How much?
      answer_from: t.final.weights_after[1]
      tolerance: 0.01
      hints: [h]
      explain: e
  - quiz:
      id: p
      kind: predict
      question: Next?
      training: t
      step: 2
      predict: weights_after
      index: 0
      hints: [h]
      explain: e
  - plot:
      functions: [sigmoid, relu]
      derivative: true
      from: -3
      to: 3
      caption: curves
""")
ODD_VALUES = [None, True, 0, -1, 2.5, "x", "", "Bad Id", [], {}, [1], ["a", "b"], {"en": "x"},
              {"fr": "x"}]


def _paths(value: Any, path: tuple = ()) -> list[tuple]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _replaced(data: Any, path: tuple, new: Any, *, delete: bool = False) -> Any:
    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = new
    return data


def mutations() -> list[tuple[str, Any]]:
    """Every key deleted, every value replaced by each of ODD_VALUES, and keys added."""
    out = []
    for path in _paths(RICH):
        out.append((f"del {path}", _replaced(RICH, path, None, delete=True)))
        for v in ODD_VALUES:
            out.append((f"{path}={v!r}", _replaced(RICH, path, v)))
    for where in [(), ("units", 1, "training"), ("units", 2, "quiz"), ("units", 5, "plot"),
                  ("units", 1, "training", "ask", 0)]:
        for key, value in [("bogus", 1), ("hidden", [2]), ("choices", ["a", "b"]),
                           ("answer", 1), ("batch_size", 2), ("index", 0), ("seed", 1)]:
            node = RICH
            for part in where:
                node = node[part]
            if key not in node:
                out.append((f"{where}+{key}", _replaced(RICH, (*where, key), value)))
    return out


MUTATIONS = mutations()


def test_the_rich_lesson_passes_both(tmp_path):
    assert schema_accepts(RICH)
    assert loader_accepts(tmp_path, yaml.safe_dump(RICH, allow_unicode=True))


def test_what_the_schema_rejects_the_loader_rejects_mutations(tmp_path):
    disagreements, rejected = [], 0
    for name, data in MUTATIONS:
        if schema_accepts(data):
            continue
        rejected += 1
        if loader_accepts(tmp_path, yaml.safe_dump(data, allow_unicode=True)):
            disagreements.append(name)
    assert disagreements == []
    # The schema is no rubber stamp: most mutations break the structure it describes.
    assert rejected > len(MUTATIONS) // 2, (rejected, len(MUTATIONS))


def test_what_the_schema_rejects_the_loader_rejects_hostile_corpus(tmp_path):
    disagreements, checked = [], 0
    for name, content in LESSONS.items():
        data = yaml_data(content)
        if data is None or schema_accepts(data):
            continue
        checked += 1
        if loader_accepts(tmp_path, content):
            disagreements.append(name)
    assert disagreements == []
    assert checked >= 5, checked


@pytest.mark.parametrize(("what", "data"), [
    ("a model's key on another model", {"hidden": [2]}),
    ("an unknown model", {"model": "perceptrn"}),
    ("a zero learning rate", {"learning_rate": 0}),
    ("no epochs", {"epochs": 0}),
])
def test_structural_problems_of_a_training_fail_both(tmp_path, what, data):
    text = lesson()
    d = yaml.safe_load(text)
    d["units"][1]["training"].update(data)
    assert not schema_accepts(d), what
    assert not loader_accepts(tmp_path, yaml.safe_dump(d)), what


def test_semantic_problems_are_the_loaders_alone(tmp_path):
    """Targets that do not match the samples: the schema cannot see it, the loader does."""
    d = yaml.safe_load(lesson())
    d["units"][1]["training"]["targets"] = [0, 1]
    assert schema_accepts(d)
    assert not loader_accepts(tmp_path, yaml.safe_dump(d))


VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.floats(-2, 2, allow_nan=False)
    | st.sampled_from(["x", "", "t", "net", "sigmoid", "choice", "mlp", "en", "1"]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["en", "ko", "id", "step", "x"]), inner, max_size=3),
    max_leaves=6,
)
PATHS = _paths(RICH)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(PATHS), value=VALUES, delete=st.booleans())
def test_what_the_schema_rejects_the_loader_rejects_random_values(tmp_path_factory, path, value,
                                                                  delete):
    data = _replaced(RICH, path, value, delete=delete)
    if schema_accepts(data):
        return
    assert not loader_accepts(tmp_path_factory.mktemp("h"), yaml.safe_dump(data,
                                                                           allow_unicode=True))


def test_the_network_keys_lesson_and_its_bad_values_agree_one_way(tmp_path):
    """The network keys' good lesson passes both; each bad value of its table the schema rejects,
    the loader rejects too (and the schema rejects most of them)."""
    from tests.test_lesson_network_keys import BAD, GOOD, edit

    assert schema_accepts(yaml_data(GOOD)) and loader_accepts(tmp_path, GOOD)
    rejected = 0
    for old, new, expected in BAD:
        data = yaml_data(edit(old, new))
        if data is None or schema_accepts(data):
            continue
        rejected += 1
        assert not loader_accepts(tmp_path, edit(old, new)), expected
    assert rejected >= len(BAD) // 2, (rejected, len(BAD))
