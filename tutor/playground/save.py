"""A playground setting saved as a lesson: a text unit that describes the setup in both
languages, the training unit, and one predict question answered by the engine.

`lesson_text` is the one writer (the app's `s` and `play … --save ID` both call it, so they write
the same file for the same setting); `save_lesson` checks the text with the lesson loader before
anything is written and never replaces a file unless told to (the app asks first).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tutor.lessons.problems import Problem
from tutor.lessons.scaffold import SCHEMA_NAME, id_problem
from tutor.playground.setup import Setup, _yaml_value

_MODEL_NAMES = {
    "perceptron": ("a perceptron trained with the perceptron learning rule",
                   "퍼셉트론 학습 규칙으로 학습하는 퍼셉트론"),
    "linear": ("a linear unit trained Keras-style (mean squared error, gradient descent)",
               "Keras 방식(평균제곱오차, 경사하강법)으로 학습하는 선형 유닛"),
    "mlp": ("a network trained by backpropagation", "역전파로 학습하는 신경망"),
}
_PREDICT = {"perceptron": "output", "linear": "loss", "mlp": "loss"}


class SaveError(ValueError):
    """A lesson that cannot be saved: a bad id, a setting the loader refuses (`problems`), or an
    existing file (`exists`)."""

    def __init__(self, message: str, problems: list[Problem] | None = None,
                 exists: bool = False) -> None:
        super().__init__(message)
        self.problems = problems or []
        self.exists = exists


def _number(v: object) -> str:
    return _yaml_value(v)


def _describe(setup: Setup) -> tuple[str, str]:
    """The setup in a paragraph, English and Korean (numbers as the lesson file writes them)."""
    n = len(setup.data.inputs)
    ones = sum(setup.data.targets)
    en_model, ko_model = _MODEL_NAMES[setup.model]
    en = [f"This lesson was made in the playground from the preset `{setup.preset}`: "
          f"{n} samples with two inputs each, {ones} with target 1 and {n - ones} with target 0.",
          "",
          f"- Model: {en_model}."]
    ko = [f"이 레슨은 플레이그라운드에서 `{setup.preset}` 예제로 만들었습니다. "
          f"입력이 두 개인 샘플 {n}개이며, 목표값이 1인 샘플이 {ones}개, 0인 샘플이 {n - ones}개입니다.",
          "",
          f"- 모델: {ko_model}."]
    if setup.model == "mlp":
        hidden = ", ".join(str(h) for h in setup.hidden)
        en.append(f"- Hidden layers: [{hidden}] units, activation {setup.activation}; "
                  "one sigmoid output unit.")
        ko.append(f"- 은닉층: [{hidden}]개 유닛, 활성화 함수 {setup.activation}; "
                  "출력 유닛 하나(시그모이드).")
    en.append(f"- Learning rate η = {_number(setup.learning_rate)}, {setup.epochs} epochs.")
    ko.append(f"- 학습률 η = {_number(setup.learning_rate)}, 에포크 {setup.epochs}번.")
    if setup.model != "mlp":
        if setup.weights is None:
            en.append(f"- Initial weights drawn at random with seed {setup.seed}.")
            ko.append(f"- 초기 가중치는 시드 {setup.seed}로 무작위로 뽑았습니다.")
        else:
            w = _number(list(setup.weights))
            en.append(f"- Initial weights {w}.")
            ko.append(f"- 초기 가중치 {w}.")
        if setup.model == "perceptron" and setup.bias_mode == "input":
            en.append("- The bias is the weight w₀ on a constant input x₀ = −1 (θ = w₀).")
            ko.append("- 편향은 상수 입력 x₀ = −1에 붙는 가중치 w₀입니다(θ = w₀).")
        else:
            en.append(f"- A separate bias b, starting at {_number(setup.bias)}.")
            ko.append(f"- 따로 두는 편향 b의 초깃값은 {_number(setup.bias)}입니다.")
    else:
        en.append(f"- Initial weights drawn at random with seed {setup.seed}.")
        ko.append(f"- 초기 가중치는 시드 {setup.seed}로 무작위로 뽑았습니다.")
    en += ["", "Step through the training; before step 2 you are asked to predict a value."]
    ko += ["", "학습을 한 단계씩 진행해 보세요. 2단계 전에 값 하나를 예측하는 질문이 나옵니다."]
    return "\n".join(en), "\n".join(ko)


def _block(text: str, indent: str) -> list[str]:
    return [f"{indent}{line}" if line else "" for line in text.split("\n")]


def lesson_text(setup: Setup, lesson_id: str) -> str:
    """The lesson file for `setup`, with id `lesson_id`. Raises SaveError for an id that cannot
    name a lesson file; the setting itself is checked by `save_lesson`."""
    problem = id_problem(lesson_id)
    if problem is not None:
        raise SaveError(f"id: {problem}")
    en, ko = _describe(setup)
    model_en = {"perceptron": "perceptron", "linear": "linear unit", "mlp": "network"}
    model_ko = {"perceptron": "퍼셉트론", "linear": "선형 유닛", "mlp": "신경망"}
    eta = _number(setup.learning_rate)
    predict = _PREDICT[setup.model]
    title_en = f"Playground: {setup.preset}, {model_en[setup.model]}, η = {eta}"
    title_ko = f"플레이그라운드: {setup.preset}, {model_ko[setup.model]}, η = {eta}"
    if predict == "output":
        question = ('{en: "Predict the output y of step 2: 0 or 1?", '
                    'ko: "2단계의 출력 y를 예측하세요. 0인가요, 1인가요?"}')
        hints = [
            '{en: "Take the weights after step 1 and the inputs of step 2.", '
            'ko: "1단계 뒤의 가중치와 2단계의 입력을 보세요."}',
            '{en: "Compute the net input k = Σ xᵢwᵢ, then apply the step function.", '
            'ko: "순입력 k = Σ xᵢwᵢ를 계산한 뒤 계단 함수를 적용하세요."}',
        ]
        tolerance = "0"
        fmt = ""
    else:
        question = ('{en: "Predict the loss of step 2, to 3 decimal places.", '
                    'ko: "2단계의 손실을 소수점 아래 셋째 자리까지 예측하세요."}')
        hints = [
            '{en: "Start from the weights after step 1.", '
            'ko: "1단계 뒤의 가중치에서 시작하세요."}',
            '{en: "Compute the outputs of the step\'s samples, then the loss of their errors.", '
            'ko: "그 단계 샘플들의 출력을 구한 뒤, 오차로 손실을 계산하세요."}',
        ]
        tolerance = "0.0005"
        fmt = ":.4f"
    lines = [
        f"# yaml-language-server: $schema={SCHEMA_NAME}",
        f"# Made in the perceptron-tutor playground (preset: {setup.preset}).",
        f"# Check it with `perceptron-tutor check {lesson_id}`.",
        "format: 1",
        f"id: {lesson_id}",
        f"title: {{en: {_yaml_value(title_en)}, ko: {_yaml_value(title_ko)}}}",
        "description:",
        '  en: "A setting saved from the playground: step through it and predict a value."',
        '  ko: "플레이그라운드에서 저장한 설정입니다. 한 단계씩 진행하며 값을 예측해 보세요."',
        "minutes: 5",
        "units:",
        "  - text:",
        "      id: setup",
        "      en: |",
        *_block(en, "        "),
        "      ko: |",
        *_block(ko, "        "),
        "  - training:",
        *setup.training_lines("run"),
        "  - quiz:",
        "      id: predict-step-2",
        "      kind: predict",
        f"      question: {question}",
        "      training: run",
        "      step: 2",
        f"      predict: {predict}",
        f"      tolerance: {tolerance}",
        "      hints:",
        *[f"        - {h}" for h in hints],
        "      explain:",
        f'        en: "Step 2 gives {{{{run.step[2].{predict}{fmt}}}}}."',
        f'        ko: "2단계의 값은 {{{{run.step[2].{predict}{fmt}}}}}입니다."',
    ]
    return "\n".join(lines) + "\n"


def save_lesson(setup: Setup, lesson_id: str, folder: Path, *, replace: bool = False) -> Path:
    """Write `folder/ID.yaml` for `setup`; the path written.

    The text is loaded with the lesson loader first: a setting it refuses raises SaveError with
    its problems and nothing is written. An existing file raises SaveError(exists=True) unless
    `replace` (the app asks first); a replacement is written beside it and renamed over it, so a
    crash never leaves half a lesson. Raises OSError when the folder cannot be written.
    """
    from tutor.lessons import LessonError, load_lesson_source

    text = lesson_text(setup, lesson_id)
    path = folder / f"{lesson_id}.yaml"
    try:
        load_lesson_source(text, path, shown_as=f"{lesson_id}.yaml")
    except LessonError as exc:
        raise SaveError("the setting is not valid", exc.problems) from None
    folder.mkdir(parents=True, exist_ok=True)
    if not replace:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise SaveError(f"{path} already exists", exists=True) from None
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise SaveError(f"{path} is not a regular file; it is left as it is", exists=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{lesson_id}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
