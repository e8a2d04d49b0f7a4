"""`perceptron-tutor new ID`: a bilingual lesson skeleton with one unit of every type.

The skeleton names the JSON Schema on its first line (yaml-language-server), passes `check` as
written (tests/test_scaffold.py), and is written with exclusive creation: an existing file is
never replaced. The id becomes a file name, so it is checked against the format's id pattern and
a length limit before any path is built from it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor import limits
from tutor.lessons.definitions import FORMAT_VERSION, ID_PATTERN, MODELS
from tutor.lessons.schema import SCHEMA_FILE, schema_text

MAX_ID_CHARS = limits.MAX_ID_CHARS
"""A new lesson's id (and file name) is at most this long."""

SCHEMA_NAME = SCHEMA_FILE.name

_TRAININGS = {
    "perceptron": """\
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 3""",
    "linear": """\
      model: linear
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      weights: [0.5, -0.5]
      bias: 0
      learning_rate: 0.1
      epochs: 20""",
    "mlp": """\
      model: mlp
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 0]
      hidden: [2]
      activation: sigmoid
      output_activation: sigmoid
      seed: 1
      learning_rate: 2.0
      epochs: 50""",
}
# A single-valued field of each model's step, asked about by the skeleton's questions.
_PREDICT = {"perceptron": "output", "linear": "loss", "mlp": "loss"}
_FINAL = {"perceptron": "weights_after[1]", "linear": "weights_after[0]", "mlp": "loss"}
_TOLERANCE = {"perceptron": "0", "linear": "0.0005", "mlp": "0.0005"}
_PREDICT_QUESTION = {
    "perceptron": ('{en: "Predict the output of step 3: 0 or 1?", ko: "3단계의 출력을 예측하세요. 0인가요, 1인가요?"}'),
    "linear": ('{en: "Predict the loss of step 3, to 3 decimal places.", '
               'ko: "3단계의 손실을 소수점 아래 셋째 자리까지 예측하세요."}'),
    "mlp": ('{en: "Predict the loss of step 3, to 3 decimal places.", '
            'ko: "3단계의 손실을 소수점 아래 셋째 자리까지 예측하세요."}'),
}

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# A new lesson: edit it, then run `perceptron-tutor check {id}`.
# The format, with every key explained: docs/lesson-format.md (or `perceptron-tutor schema`).
format: {version}
id: {id}
title: {{en: "My new lesson", ko: "새 레슨"}}
description: {{en: "What the learner will see.", ko: "학습자가 보게 될 내용입니다."}}
minutes: 10
units:
  - text:
      id: intro
      en: |
        # Welcome

        Text units are Markdown. Numbers come from the engine through placeholders:
        after training, the weights are {{{{run.final.weights_after:.2f}}}}.
      ko: |
        # 환영합니다

        텍스트 단원은 마크다운입니다. 숫자는 자리표시자로 엔진에서 가져옵니다:
        학습이 끝난 뒤 가중치는 {{{{run.final.weights_after:.2f}}}}입니다.
  - training:
      id: run
      title: {{en: "Step through the training", ko: "학습을 한 단계씩 따라가기"}}
{training}
      ask:
        - step: 2
          predict: {predict}
          tolerance: {tolerance}
          hints:
            - {{en: "Compute the step by hand first.", ko: "먼저 손으로 계산해 보세요."}}
          explain:
            en: "The engine gives {{{{run.step[2].{predict}:.4g}}}}."
            ko: "엔진이 계산한 값은 {{{{run.step[2].{predict}:.4g}}}}입니다."
  - quiz:
      id: which-rule
      kind: choice
      question: {{en: "What changes the weights?", ko: "가중치를 바꾸는 것은 무엇인가요?"}}
      choices:
        - {{en: "The error of each update", ko: "각 갱신의 오차"}}
        - {{en: "The order of the units", ko: "단원의 순서"}}
      answer: 1
      hints:
        - {{en: "Look at what the update multiplies.", ko: "갱신식에서 곱해지는 값을 보세요."}}
      explain: {{en: "Each update is proportional to the error.", ko: "각 갱신은 오차에 비례합니다."}}
  - quiz:
      id: final-value
      kind: numeric
      question:
        en: "Give the value after the last update, to 3 decimal places."
        ko: "마지막 갱신 뒤의 값을 소수점 아래 셋째 자리까지 쓰세요."
      answer_from: run.final.{final}
      tolerance: 0.0005
      hints:
        - {{en: "Step to the end of the run with End.", ko: "End 키로 학습의 끝까지 가 보세요."}}
      explain:
        en: "It is {{{{run.final.{final}:.3f}}}}."
        ko: "값은 {{{{run.final.{final}:.3f}}}}입니다."
  - quiz:
      id: predict-step
      kind: predict
      question: {predict_question}
      training: run
      step: 3
      predict: {predict}
      tolerance: {tolerance}
      hints:
        - {{en: "Start from the weights after step 2.", ko: "2단계 뒤의 가중치에서 시작하세요."}}
      explain:
        en: "Step 3 gives {{{{run.step[3].{predict}:.4g}}}}."
        ko: "3단계의 값은 {{{{run.step[3].{predict}:.4g}}}}입니다."
  - plot:
      functions: [step, sigmoid]
      from: -4
      to: 4
      caption: {{en: "Two activation functions", ko: "두 가지 활성화 함수"}}
"""


class ScaffoldError(ValueError):
    """A lesson id that cannot be a file name, or a file that already exists."""


def id_problem(lesson_id: str) -> str | None:
    """Why `lesson_id` cannot name a new lesson (it becomes a file name), or None."""
    if len(lesson_id) > MAX_ID_CHARS:
        return f"is {len(lesson_id)} characters long; the limit is {MAX_ID_CHARS}"
    if not ID_PATTERN.fullmatch(lesson_id):
        return "must be an id of lowercase letters, digits, '-' or '_', starting with a letter or digit"
    return None


def skeleton(lesson_id: str, model: str = "perceptron") -> str:
    """The text of a new lesson with one unit of every type; raises ScaffoldError for a bad id."""
    problem = id_problem(lesson_id)
    if problem is not None:
        raise ScaffoldError(problem)
    if model not in MODELS:
        raise ScaffoldError(f"model must be one of {', '.join(MODELS)}")
    return _TEMPLATE.format(
        schema=SCHEMA_NAME, id=lesson_id, version=FORMAT_VERSION, training=_TRAININGS[model],
        predict=_PREDICT[model], final=_FINAL[model], tolerance=_TOLERANCE[model],
        predict_question=_PREDICT_QUESTION[model],
    )


def write_skeleton(lesson_id: str, folder: Path, model: str = "perceptron") -> Path:
    """Write `folder/ID.yaml` (and the schema beside it when it is not there); the new file's path.

    Never overwrites: the lesson is created with O_EXCL, so an existing file (or a link where it
    would go) raises ScaffoldError and nothing is written. The folder is created when missing.
    Raises OSError when the folder cannot be created or written.
    """
    text = skeleton(lesson_id, model)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lesson_id}.yaml"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; it is left as it is") from None
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    schema = folder / SCHEMA_NAME
    try:  # the editor's schema, beside the lesson; an existing file is left alone
        fd = os.open(schema, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(schema_text())
    return path
