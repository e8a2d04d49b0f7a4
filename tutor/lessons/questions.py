"""Reading questions: quiz units and the `ask` items of a training unit, as the format's
definitions (tutor/lessons/definitions.py) describe them."""

from __future__ import annotations

import math

from tutor.lessons.definitions import (
    ASK,
    DEFAULT_TOLERANCE,
    LAYERED,
    MAX_CHOICES,
    MAX_HINTS,
    MIN_CHOICES,
    PREDICTABLE,
    QUIZ,
    QUIZ_KIND_KEYS,
    QUIZ_KINDS,
)
from tutor.lessons.problems import kind_of, suggest
from tutor.lessons.reader import Reader
from tutor.lessons.units import Ask, QuizUnit, Text
from tutor.lessons.yaml_lines import LineDict, LineList


def _read_question_common(
    r: Reader, m: LineDict, path: str
) -> tuple[tuple[Text, ...], Text | None]:
    """hints and explain of a question (both required: `Reader.keys` reported them missing)."""
    hints: tuple[Text, ...] = ()
    if "hints" in m:
        hints = r.text_list(m["hints"], m.line_of("hints"), f"{path}.hints")
        given = m["hints"]
        if not hints and isinstance(given, LineList):
            r.error(m.line_of("hints"), f"{path}.hints", "give at least one hint")
        elif isinstance(given, LineList) and len(given) > MAX_HINTS:
            r.error(m.line_of("hints"), f"{path}.hints", f"give 1 to {MAX_HINTS} hints")
    explain = None
    if "explain" in m:
        explain = r.text(m["explain"], m.line_of("explain"), f"{path}.explain")
    return hints, explain


def _read_layer_keys(
    r: Reader, m: LineDict, path: str, model: str | None, predict: str
) -> tuple[int | None, int | None, bool]:
    """`layer` and `input` of a prediction: a network's z, a, delta (layer), grad_weights and
    weights_after (layer and input); no other target takes them. The flag says all is well."""
    ok = True
    layer = input_ = None
    if "layer" in m:
        layer = r.integer(m["layer"], m.line_of("layer"), f"{path}.layer", minimum=1)
        ok = layer is not None
    if "input" in m:
        input_ = r.integer(m["input"], m.line_of("input"), f"{path}.input", minimum=0)
        ok = ok and input_ is not None
    shape = LAYERED[predict][1] if model == "mlp" and predict in LAYERED else None
    if shape is None:
        for name in ("layer", "input"):
            if name in m:
                r.error(m.line_of(name), f"{path}.{name}",
                        f"'{predict}' has no layers; remove `{name}`")
                ok = False
        return layer, input_, ok
    if "layer" not in m:
        r.error(m.line_of("predict"), f"{path}.layer",
                f"'{predict}' is a value of one layer: say which with `layer` "
                "(1 = the first hidden layer)")
        ok = False
    if shape == "weight" and "input" not in m:
        r.error(m.line_of("predict"), f"{path}.input",
                f"'{predict}' is a weight: say from which input of the layer with `input` "
                "(0-based) and to which unit with `index`")
        ok = False
    elif shape == "unit" and "input" in m:
        r.error(m.line_of("input"), f"{path}.input",
                f"'{predict}' belongs to a unit (`index`), not a weight; remove `input`")
        ok = False
    return layer, input_, ok


def _read_prediction_target(
    r: Reader, m: LineDict, path: str, model: str | None, *, report_missing: bool
) -> tuple[int | None, str | None, int | None, bool, int | None, int | None]:
    """step, predict, index of an ask or predict quiz, the flag that says all is well, then
    layer and input (a network's per-layer values).

    `report_missing`: say that `step` or `predict` is missing (an ask's `Reader.keys` did).
    """
    ok = True
    step = (
        r.integer(m.get("step"), m.line_of("step"), f"{path}.step", minimum=1)
        if "step" in m
        else None
    )
    if "step" not in m:
        if report_missing:
            r.error(m.line, path, "missing required key 'step'")
        ok = False
    predict = m.get("predict")
    index = None
    if "index" in m:
        index = r.integer(m["index"], m.line_of("index"), f"{path}.index", minimum=0)
        ok = ok and index is not None
    if "predict" not in m:
        if report_missing:
            r.error(m.line, path, "missing required key 'predict'")
        return step, None, index, False, None, None
    if model is not None:
        fields = PREDICTABLE[model]
        if not isinstance(predict, str) or predict not in fields:
            r.error(
                m.line_of("predict"),
                f"{path}.predict",
                f"cannot predict {kind_of(predict)} for model '{model}'; choose one of "
                f"{', '.join(fields)}{suggest(str(predict), list(fields))}",
            )
            return step, None, index, False, None, None
        if fields[predict] and index is None and "index" not in m:
            r.error(
                m.line_of("predict"),
                f"{path}.index",
                f"'{predict}' is a list of values: say which with `index` (0-based)",
            )
            ok = False
        elif not fields[predict] and "index" in m:
            r.error(
                m.line_of("index"),
                f"{path}.index",
                f"'{predict}' is a single value; remove `index`",
            )
            ok = False
        layer, input_, layer_ok = _read_layer_keys(r, m, path, model, predict)
        ok = ok and layer_ok
    else:
        layer = input_ = None
    return step, predict, index, ok and step is not None, layer, input_


def _tolerance(r: Reader, m: LineDict, path: str) -> float:
    if "tolerance" not in m:
        return DEFAULT_TOLERANCE
    v = m["tolerance"]
    if isinstance(v, bool) or not isinstance(v, int | float) or v < 0 or not math.isfinite(v):
        r.error(m.line_of("tolerance"), f"{path}.tolerance", "must be a number of 0 or more")
        return DEFAULT_TOLERANCE
    return float(v)


def read_asks(r: Reader, m: LineDict, path: str, training: str, model: str) -> tuple[Ask, ...]:
    if "ask" not in m:
        return ()
    items = m["ask"]
    if not isinstance(items, LineList):
        r.error(m.line_of("ask"), f"{path}.ask", "must be a list of questions")
        return ()
    asks = []
    for i, item in enumerate(items):
        p = f"{path}.ask[{i}]"
        a = r.mapping(item, items.line_of(i), p)
        if a is None:
            continue
        r.keys(a, p, ASK)
        step, predict, index, ok, layer, input_ = _read_prediction_target(
            r, a, p, model, report_missing=False
        )
        hints, explain = _read_question_common(r, a, p)
        aid = (
            r.identifier(a["id"], a.line_of("id"), f"{p}.id")
            if "id" in a
            else f"{training}-step{step}-{predict}"
        )
        if ok and explain is not None and aid and step is not None and predict is not None:
            asks.append(
                Ask(
                    aid,
                    step,
                    predict,
                    index,
                    _tolerance(r, a, p),
                    hints,
                    explain,
                    training,
                    a.line,
                    p,
                    layer=layer,
                    input=input_,
                )
            )
    return tuple(asks)


_KIND_KEYS = frozenset(k for keys in QUIZ_KIND_KEYS.values() for k in keys)


def read_quiz(
    r: Reader, m: LineDict, path: str, models: dict[str, str], broken: set[str]
) -> QuizUnit | None:
    before = len(r.problems)
    r.keys(m, path, QUIZ)
    uid = r.identifier(m.get("id"), m.line_of("id"), f"{path}.id") if "id" in m else None
    kind = m.get("kind")
    if "kind" in m and kind not in QUIZ_KINDS:
        r.error(
            m.line_of("kind"),
            f"{path}.kind",
            f"must be one of {', '.join(QUIZ_KINDS)}{suggest(str(kind), QUIZ_KINDS)}",
        )
    question = (
        r.text(m["question"], m.line_of("question"), f"{path}.question")
        if "question" in m
        else None
    )
    hints, explain = _read_question_common(r, m, path)
    choices: tuple[Text, ...] = ()
    answer: float | int | None = None
    answer_from = None
    training = step = predict = index = layer = input_ = None

    def only(kind: str) -> None:
        allowed = QUIZ_KIND_KEYS[kind]
        for key in QUIZ.names:
            if key in m and key in _KIND_KEYS and key not in allowed:
                r.error(m.line_of(key), f"{path}.{key}", f"does not apply to a {kind} question")

    if kind == "choice":
        only(kind)
        if "choices" not in m:
            r.error(m.line, path, "missing required key 'choices'")
        else:
            choices = r.text_list(m["choices"], m.line_of("choices"), f"{path}.choices")
            given = m["choices"]
            count = len(given) if isinstance(given, str | list | dict) else 0  # `choices: true`
            if not MIN_CHOICES <= count <= MAX_CHOICES:
                r.error(m.line_of("choices"), f"{path}.choices",
                        f"give {MIN_CHOICES} to {MAX_CHOICES} choices")
        if "answer" not in m:
            r.error(m.line, path, "missing required key 'answer' (the right choice, 1-based)")
        else:
            answer = r.integer(m["answer"], m.line_of("answer"), f"{path}.answer", minimum=1)
            if answer is not None and choices and answer > len(choices):
                r.error(
                    m.line_of("answer"),
                    f"{path}.answer",
                    f"is choice {answer}, but there are only {len(choices)} choices",
                )
    elif kind == "numeric":
        only(kind)
        if "answer" not in m and "answer_from" not in m:
            r.error(m.line, path, "give `answer` or `answer_from` (an engine value)")
        if "answer" in m:
            answer = r.number(m["answer"], m.line_of("answer"), f"{path}.answer")
        if "answer_from" in m:
            if isinstance(m["answer_from"], str):
                answer_from = m["answer_from"].strip().removeprefix("{{").removesuffix("}}").strip()
            else:
                r.error(
                    m.line_of("answer_from"),
                    f"{path}.answer_from",
                    "must be an expression such as and-rule.final.weights_after[1]",
                )
    elif kind == "predict":
        only(kind)
        training = m.get("training")
        if "training" in m and not isinstance(training, str):  # a list is not even hashable
            r.error(m.line_of("training"), f"{path}.training", "must be a training unit's id")
            training = ""
        model = None
        if "training" not in m:
            r.error(m.line, path, "missing required key 'training' (a training unit's id)")
        elif training in broken:
            return None
        elif training not in models:
            r.error(
                m.line_of("training"),
                f"{path}.training",
                f"no training unit '{training}' in this lesson"
                f"{suggest(str(training), list(models))}",
            )
        else:
            model = models[training]
        if model is not None or "training" not in m or training not in models:
            step, predict, index, _, layer, input_ = _read_prediction_target(
                r, m, path, model, report_missing=True
            )
    if len(r.problems) > before or not (uid and kind and question and explain):
        return None
    return QuizUnit(
        uid,
        kind,
        question,
        choices,
        answer,
        answer_from,
        _tolerance(r, m, path),
        training,
        step,
        predict,
        index,
        hints,
        explain,
        m.line,
        path,
        layer=layer,
        input=input_,
    )
