"""Lesson format v1: loading, placeholders, and the exact message for each kind of bad lesson."""

from __future__ import annotations

import textwrap

import pytest

from tutor.lessons import LessonError, check_lesson, discover, find_lesson, load_lesson

GOOD = """\
format: 1
id: tiny
title: {en: "Tiny", ko: "작은 레슨"}
description: {en: "One run.", ko: "학습 한 번."}
units:
  - text:
      id: intro
      en: "k = {{and-rule.step[6].net:.3g}}, w = {{and-rule.final.weights_after:.2f}}"
      ko: "σ(6) = {{sigmoid(6):.4f}}, 수렴: {{and-rule.converged_epoch}}"
  - training:
      id: and-rule
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 3
      ask:
        - step: 2
          predict: output
          hints: [{en: "Is k above 0?", ko: "k가 0보다 큰가요?"}]
          explain: {en: "k = {{and-rule.step[2].net:.2f}}", ko: "k = {{and-rule.step[2].net:.2f}}"}
  - quiz:
      id: q-w1
      kind: numeric
      question: {en: "Final w1?", ko: "마지막 w1은?"}
      answer_from: and-rule.final.weights_after[1]
      tolerance: 0.001
      hints: ["It went down once, then once more."]
      explain: "w1 = {{and-rule.final.weights_after[1]:.2f}}"
  - quiz:
      id: q-choice
      kind: choice
      question: "2 + 2?"
      choices: ["3", "4"]
      answer: 2
      hints: ["Count."]
      explain: "4."
  - quiz:
      id: q-predict
      kind: predict
      question: "Net at step 6?"
      training: and-rule
      step: 6
      predict: net
      hints: ["Round-off."]
      explain: "{{and-rule.step[6].net}}"
"""


def write(tmp_path, text, name="bad.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path, monkeypatch, text):
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, text)
    try:
        lesson = load_lesson(path)
    except LessonError as exc:
        return [str(p) for p in exc.problems]
    return [str(p) for p in check_lesson(lesson)]


def edit(old, new, text=GOOD):
    assert old in text, old
    return text.replace(old, new, 1)


def test_good_lesson_loads_and_fills_placeholders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(write(tmp_path, GOOD, "tiny.yaml"))
    assert check_lesson(lesson) == []
    assert lesson.id == "tiny" and lesson.languages == ("ko", "en")
    assert [type(u).__name__ for u in lesson.units] == [
        "TextUnit", "TrainingUnit", "QuizUnit", "QuizUnit", "QuizUnit"]
    assert [u.kind for u in lesson.quizzes] == ["numeric", "choice", "predict"]
    intro = lesson.units[0]
    assert lesson.render(intro.body, "en") == "k = 5.55e-17, w = [0.40, 0.30, 0.10]"
    assert lesson.render(intro.body, "ko") == "σ(6) = 0.9975, 수렴: 3"
    ask = lesson.trainings[0].asks[0]
    assert ask.id == "and-rule-step2-output"
    assert lesson.expected(ask) == 1
    assert lesson.expected(lesson.unit("q-w1")) == 0.30000000000000004
    assert lesson.expected(lesson.unit("q-choice")) == 2
    assert lesson.expected(lesson.unit("q-predict")) == 5.551115123125783e-17
    assert lesson.run("and-rule") is lesson.run("and-rule")
    assert [q.id for q in lesson.questions()] == [
        "and-rule-step2-output", "q-w1", "q-choice", "q-predict"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("learning_rate: 0.05", "learning_rate: -0.05",
         "bad.yaml:17: units[1].training.learning_rate: must be a positive number"),
        ("learning_rate: 0.05", "learnig_rate: 0.05",
         "bad.yaml:17: units[1].training.learnig_rate: unknown key (did you mean 'learning_rate'?)"),
        ("weights: [0.3, 0.4, 0.1]", "weights: [0.3, 0.4]",
         "bad.yaml:16: units[1].training.weights: has 2 values; expected w0 for the bias input "
         "and one per input (3)"),
        ("inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]", "inputs: [[0, 0], [1, 0], [0, 1], [1]]",
         "bad.yaml:13: units[1].training.inputs[3]: has 1 values but the first sample has 2"),
        ("targets: [0, 0, 0, 1]", "targets: [0, 0, 0, 2]",
         "bad.yaml:14: units[1].training.targets[3]: must be 0 or 1 for the perceptron "
         "learning rule"),
        ("epochs: 3", "epochs: three",
         "bad.yaml:18: units[1].training.epochs: must be a whole number of at least 1"),
        ("model: perceptron", "model: perceptorn",
         "bad.yaml:12: units[1].training.model: must be one of perceptron, linear, mlp "
         "(did you mean 'perceptron'?)"),
        ("model: perceptron", "model: linear",
         "bad.yaml:15: units[1].training.bias_input: does not apply to model 'linear'"),
        ("predict: output", "predict: outptu",
         "bad.yaml:21: units[1].training.ask[0].predict: cannot predict 'outptu' for model "
         "'perceptron'; choose one of net, output, error, bias_after, weights_after, delta "
         "(did you mean 'output'?)"),
        ("predict: output", "predict: weights_after",
         "bad.yaml:21: units[1].training.ask[0].index: 'weights_after' is a list of values: "
         "say which with `index` (0-based)"),
        ("        - step: 2", "        - step: 13",
         "bad.yaml:20: units[1].training.ask[0].step: is 13, but the run has 12 steps"),
        ("answer: 2", "answer: 3",
         "bad.yaml:37: units[3].quiz.answer: is choice 3, but there are only 2 choices"),
        ("      tolerance: 0.001\n", "      tolerance: 0.001\n      answer: 0.35\n",
         "bad.yaml:25: units[2].quiz.answer: is 0.35, but the engine gives 0.30000000000000004 "
         "(tolerance 0.001)"),
        ("answer_from: and-rule.final.weights_after[1]", "answer_from: and-rule.final.wieghts[1]",
         "bad.yaml:25: units[2].quiz.answer_from: no field 'wieghts' "
         "(did you mean 'weights_after'?)"),
        ("kind: choice", "kind: choise",
         "bad.yaml:34: units[3].quiz.kind: must be one of choice, numeric, predict "
         "(did you mean 'choice'?)"),
        ("training: and-rule", "training: and-rul",
         "bad.yaml:44: units[4].quiz.training: no training unit 'and-rul' in this lesson "
         "(did you mean 'and-rule'?)"),
        ('hints: ["Count."]', "hints: []",
         "bad.yaml:38: units[3].quiz.hints: give at least one hint"),
        # each hint is a widget made with the question: 5,000 of them took 40 s to show the quiz
        pytest.param('hints: ["Count."]', "hints: [" + ", ".join(['"h"'] * 10) + "]",
                     "bad.yaml:38: units[3].quiz.hints: give 1 to 9 hints", id="hints-10"),
        pytest.param('hints: ["Round-off."]', "hints: [" + ", ".join(['"h"'] * 5000) + "]",
                     "bad.yaml:47: units[4].quiz.hints: give 1 to 9 hints", id="hints-5000"),
        ('      explain: "4."\n', "",
         "bad.yaml:33: units[3].quiz: missing required key 'explain'"),
        ("{{and-rule.step[6].net:.3g}}", "{{and-rule.step[60].net:.3g}}",
         "bad.yaml:8: units[0].text.en: {{and-rule.step[60].net:.3g}}: step[60] is outside 1..12"),
        ("{{sigmoid(6):.4f}}", "{{sigmoud(6):.4f}}",
         "bad.yaml:9: units[0].text.ko: {{sigmoud(6):.4f}}: unknown function 'sigmoud' "
         "(known: step, sigmoid, tanh, relu, leaky_relu, linear)"),
        ('ko: "작은 레슨"', 'kr: "작은 레슨"',
         "bad.yaml:3: title.kr: unknown language; use ko or en"),
        ("  - quiz:\n      id: q-choice", "  - quizz:\n      id: q-choice",
         "bad.yaml:32: units[3].quizz: unknown unit type (did you mean 'quiz'?); "
         "use one of text, training, quiz, plot"),
        ("      id: q-choice", "      id: q-w1",
         "bad.yaml:32: units[3].quiz.id: id 'q-w1' is already used on line 24"),
        ("format: 1", "format: 2", "bad.yaml:1: format: this tutor reads format 1, not 2"),
        ("id: tiny", "id: Tiny Lesson",
         "bad.yaml:2: id: must be an id of lowercase letters, digits, '-' or '_'"),
        ("      epochs: 3\n", "      epochs: 3\n      epochs: 4\n",
         "bad.yaml:19: epochs: this key is given twice; keep one"),
        ("title: {en:", "title: {en: [",
         "bad.yaml:3: not valid YAML: expected ',' or ']', but got '}'"),
        # Values of the wrong shape where a name is expected: a problem, never a TypeError.
        ("format: 1", "format: true", "bad.yaml:1: format: this tutor reads format 1, not True"),
        ("predict: output", "predict: [output]",
         "bad.yaml:21: units[1].training.ask[0].predict: cannot predict a list for model "
         "'perceptron'; choose one of net, output, error, bias_after, weights_after, delta "
         "(did you mean 'output'?)"),
        ("training: and-rule", "training: [and-rule]",
         "bad.yaml:44: units[4].quiz.training: must be a training unit's id"),
        ('choices: ["3", "4"]', "choices: true", "bad.yaml:36: units[3].quiz.choices: must be a list"),
        ('choices: ["3", "4"]', "choices: true",
         "bad.yaml:36: units[3].quiz.choices: give 2 to 9 choices"),
    ],
)
def test_each_bad_lesson_gives_its_exact_message(tmp_path, monkeypatch, old, new, expected):
    assert expected in problems_of(tmp_path, monkeypatch, edit(old, new))


def test_a_lesson_has_at_most_200_units(tmp_path, monkeypatch):
    # Every unit is a row of the contents (`c`): 30,000 one-line text units (half a megabyte,
    # inside every other limit) froze the app for 20 s when `c` was pressed.
    head = "format: 1\nid: x\ntitle: X\nunits:\n"
    assert problems_of(tmp_path, monkeypatch, head + "  - text: t\n" * 30_000) == [
        "bad.yaml:4: units: has 30,000 units; the limit is 200 units"]
    assert problems_of(tmp_path, monkeypatch, head + "  - text: t\n" * 201) == [
        "bad.yaml:4: units: has 201 units; the limit is 200 units"]
    lesson = tmp_path / "ok.yaml"
    lesson.write_text(head + "  - text: t\n" * 200, encoding="utf-8")
    assert len(load_lesson(lesson).units) == 200


def test_missing_required_keys_are_each_named(tmp_path, monkeypatch):
    text = "format: 1\nid: x\nunits: []\n"
    assert problems_of(tmp_path, monkeypatch, text) == [
        "bad.yaml:1: (top): missing required key 'title'",
        "bad.yaml:3: units: must be a non-empty list of units",
    ]


def test_mlp_needs_a_seed(tmp_path, monkeypatch):
    text = """\
    format: 1
    id: m
    title: M
    units:
      - training:
          id: net
          model: mlp
          inputs: [[0, 0], [1, 1]]
          targets: [0, 1]
          learning_rate: 1
          epochs: 2
    """
    assert problems_of(tmp_path, monkeypatch, text) == [
        "bad.yaml:6: units[0].training.seed: a multi-layer network needs a seed for its weights"
    ]


def test_a_diverging_run_is_reported_not_raised(tmp_path, monkeypatch):
    text = """\
    format: 1
    id: d
    title: D
    units:
      - training:
          id: boom
          model: linear
          dtype: float64
          inputs: [[100, 100], [-100, 50]]
          targets: [1, 0]
          weights: [1, 1]
          learning_rate: 10
          epochs: 200
    """
    (msg,) = problems_of(tmp_path, monkeypatch, text)
    assert msg.startswith("bad.yaml:6: training boom: ")
    assert "step 30: the loss is no longer finite" in msg and "smaller learning_rate" in msg


def test_empty_and_non_mapping_files(tmp_path, monkeypatch):
    assert problems_of(tmp_path, monkeypatch, "") == [
        "bad.yaml:1: the file is empty; a lesson starts with `format: 1`"]
    assert problems_of(tmp_path, monkeypatch, "- a\n- b\n") == [
        "bad.yaml:1: a lesson must be a mapping (format, id, title, units)"]


def test_unsafe_yaml_tags_are_refused(tmp_path, monkeypatch):
    text = edit('title: {en: "Tiny", ko: "작은 레슨"}', "title: !!python/object/apply:os.system [ls]")
    (msg,) = problems_of(tmp_path, monkeypatch, text)
    assert msg.startswith("bad.yaml:3: not valid YAML:")


def test_text_unit_without_id_gets_a_positional_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(write(tmp_path, edit("      id: intro\n", "")))
    assert lesson.units[0].id == "text-1"


def test_a_lesson_in_one_language_lists_only_that_language(tmp_path, monkeypatch):
    text = "format: 1\nid: solo\ntitle: {ko: 한국어만}\nunits:\n  - text: {ko: 안녕하세요}\n"
    monkeypatch.chdir(tmp_path)
    lesson = load_lesson(write(tmp_path, text))
    assert lesson.languages == ("ko",)
    assert lesson.render(lesson.units[0].body, "en") == "안녕하세요"


def test_duplicate_ids_across_folders_name_both_files(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    write(a, GOOD, "one.yaml")
    write(b, GOOD, "two.yaml")
    monkeypatch.chdir(tmp_path)
    lessons, problems = discover([a, b])
    assert [lesson.id for lesson in lessons if lesson.id == "tiny"] == ["tiny"]
    assert [str(p) for p in problems] == [
        "b/two.yaml: id: lesson id 'tiny' is also used by a/one.yaml"]


def test_find_lesson_by_id_path_and_typo(tmp_path, monkeypatch):
    folder = tmp_path / "more"
    folder.mkdir()
    path = write(folder, GOOD, "tiny.yaml")
    monkeypatch.chdir(tmp_path)
    assert find_lesson("tiny", [folder]).path == path
    assert find_lesson(str(path)).id == "tiny"
    with pytest.raises(LessonError) as err:
        find_lesson("tinny", [folder])
    assert "did you mean 'tiny'?" in str(err.value)


def test_every_builtin_question_has_a_number_for_its_answer():
    """Every question of every built-in lesson resolves to one number (a predict of a network's
    `outputs` with an index is one sample's output, also now that outputs are rows per sample)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "lessons"
    count = 0
    for path in sorted(root.glob("*.yaml")):
        lesson = load_lesson(path)
        for q in lesson.questions():
            value = lesson.expected(q)
            assert isinstance(value, int | float) and not isinstance(value, bool), (path, q)
            count += 1
    assert count > 40
