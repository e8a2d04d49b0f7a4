"""The built-in lessons keep the promises of the lessons issue, checked on every file in lessons/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tutor.lessons import PLACEHOLDER, TrainingUnit, check_lesson, load_lesson
from tutor.lessons.advice import lesson_warnings

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.yaml"))
# The menu order of issue 13, with the backpropagation walkthrough (order 9) after xor.
IDS = [
    "perceptron", "and-gate", "or-gate", "gradient-descent", "keras-linear", "learning-rate",
    "why-nonlinear", "xor", "backprop", "activations", "output-layers", "epochs-batches",
    "history-keywords", "exam-review",
]


@pytest.fixture(scope="module", params=LESSONS, ids=lambda p: p.stem)
def lesson(request):
    return load_lesson(request.param)


def test_the_lessons_are_there_in_menu_order():
    lessons = sorted((load_lesson(p) for p in LESSONS), key=lambda x: (x.order, x.id))
    assert [x.id for x in lessons] == IDS


def test_passes_check(lesson):
    assert check_lesson(lesson) == []


def test_check_has_no_warning_either(lesson):
    """No answer on screen just above its question, no unasked precision, no missing language
    (and-gate's q-exact-stop once had its answer, 0.35, in the text just before it)."""
    assert [str(w) for w in lesson_warnings(lesson)] == []


def test_every_text_is_in_korean_and_english(lesson):
    assert lesson.languages == ("ko", "en")
    for text in lesson.texts():
        if "*" in text.values:
            # a plain string is only for what reads the same in both: formulas, numbers, code
            assert not any("\uac00" <= ch <= "\ud7a3" for ch in text.values["*"]), text.field
        else:
            assert set(text.values) == {"ko", "en"}, text.field


def test_has_a_menu_description(lesson):
    assert lesson.description is not None


def test_at_least_three_questions_each_with_hints_and_explanation(lesson):
    questions = lesson.questions()
    assert len(questions) >= 3
    for q in questions:
        assert q.hints and q.explain


def test_every_training_unit_asks_to_predict(lesson):
    for unit in lesson.units:
        if isinstance(unit, TrainingUnit):
            assert unit.asks, unit.id


def test_every_unit_has_an_explicit_id(lesson):
    for unit in lesson.units:
        assert not re.fullmatch(r"(text|plot)-\d+", unit.id), unit.id


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_text_units_are_short_enough_for_80x24(lesson, lang):
    for unit in lesson.units:
        if unit.kind != "text":
            continue
        rendered = lesson.render(unit.body, lang).rstrip("\n").splitlines()
        assert len(rendered) <= 20, (unit.id, len(rendered))
        for line in rendered:
            assert cell_len(line) <= 90, (unit.id, line)


def test_numbers_in_prose_come_from_placeholders_in_both_languages(lesson):
    # The same placeholders appear in the Korean and the English text of each piece.
    for text in lesson.texts():
        if set(text.values) == {"ko", "en"}:
            ko = sorted(m.group(1).strip() for m in PLACEHOLDER.finditer(text.values["ko"]))
            en = sorted(m.group(1).strip() for m in PLACEHOLDER.finditer(text.values["en"]))
            assert set(ko) == set(en), (text.field, ko, en)


# ---------------------------------------------------------------------------------------------
# Quizzes that test understanding (issue 13)

ALL = [load_lesson(p) for p in LESSONS]


def test_every_question_has_two_or_three_graded_hints(lesson):
    # A nudge, then the method, then nearly the answer: one hint is not a ladder, four is a lecture.
    for q in lesson.questions():
        assert 2 <= len(q.hints) <= 3, (q.id, len(q.hints))


def _choice_questions(lessons):
    return [(x, q) for x in lessons for q in x.quizzes if q.kind == "choice"]


def _right_is_strictly_longest(lesson, q, lang: str) -> bool:
    lengths = [len(lesson.render(c, lang)) for c in q.choices]
    right = lengths[int(q.answer) - 1]
    return all(right > n for i, n in enumerate(lengths) if i != int(q.answer) - 1)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_right_choice_is_rarely_the_longest(lang):
    # Test-wise learners pick the longest choice; it must not pay off. At most a third of the
    # choice questions may have the right answer as the strictly longest choice, per language,
    # over all built-in lessons and within the exam review alone.
    questions = _choice_questions(ALL)
    longest = [f"{x.id}/{q.id}" for x, q in questions if _right_is_strictly_longest(x, q, lang)]
    assert len(longest) * 3 <= len(questions), (len(longest), len(questions), longest)
    exam = [(x, q) for x, q in questions if x.id == "exam-review"]
    longest = [q.id for x, q in exam if _right_is_strictly_longest(x, q, lang)]
    assert len(longest) * 3 <= len(exam), (len(longest), len(exam), longest)


def test_choices_are_plain_text(lesson):
    # Choices are shown as plain text, not Markdown: a backtick or an asterisk would show as is.
    for q in lesson.quizzes:
        for i, c in enumerate(q.choices, start=1):
            for lang in ("ko", "en"):
                text = lesson.render(c, lang)
                assert "`" not in text and "*" not in text, (q.id, i, lang, text)


def test_no_hint_gives_a_numeric_answer_away(lesson):
    # The last hint comes close, but the learner still computes the number. Checked for answers
    # that are not small integers (those digits appear in every formula), at the precision the
    # question's tolerance asks for.
    for q in lesson.questions():
        value = lesson.expected(q)
        if getattr(q, "kind", "") == "choice" or float(value).is_integer():
            continue
        tol = q.tolerance
        digits = max(1, min(6, -int(f"{tol:e}".split("e")[1])))
        shown = {f"{value:.{digits}f}", f"{abs(value):.{digits}f}"}
        for h in q.hints:
            for lang in ("ko", "en"):
                text = lesson.render(h, lang).replace("\N{MINUS SIGN}", "-")
                assert not any(s in text for s in shown), (q.id, lang, shown, text)


def test_exam_review_is_a_bank_of_at_least_forty_questions():
    exam = next(x for x in ALL if x.id == "exam-review")
    assert len([q for q in exam.quizzes if q.kind == "choice"]) >= 40


def test_exam_review_explains_every_choice():
    # The intro promises it: the explanation says why each choice is right or wrong. Each
    # explanation names every choice by its number: (1) to (4), or ① to ④ as Korean exams do.
    exam = next(x for x in ALL if x.id == "exam-review")
    circled = "①②③④⑤⑥⑦⑧⑨"
    for q in exam.quizzes:
        for lang in ("ko", "en"):
            text = exam.render(q.explain, lang)
            missing = [
                i
                for i in range(1, len(q.choices) + 1)
                if f"({i})" not in text and circled[i - 1] not in text
            ]
            assert not missing, (q.id, lang, missing)


def test_vanishing_page_shows_the_largest_delta_of_each_layer():
    # Placeholders cannot take a maximum, so the page names one entry per layer; this proves each
    # is the largest |δ| of its layer at step 1 (over units and samples), not a hand-picked one.
    lesson = next(x for x in ALL if x.id == "activations")
    body = lesson.unit("vanishing").body
    record = lesson.run("deep-sigmoid").record(0)
    for lang in ("ko", "en"):
        refs = re.findall(r"deep-sigmoid\.step\[1\]\.deltas\[(\d+)\]\[(\d+)\]\[(\d+)\]", body.get(lang))
        assert sorted(int(layer) for layer, _, _ in refs) == list(range(len(record.deltas)))
        for layer, i, j in refs:
            delta = record.deltas[int(layer)]
            largest = max(abs(v) for row in delta for v in row)
            assert abs(delta[int(i)][int(j)]) == largest, (lang, layer, i, j)


def test_xor_rule_never_converges():
    # xor / rule-cycle says in words that no epoch is free of updates (the placeholder would print
    # `none`); the engine must agree.
    lesson = next(x for x in ALL if x.id == "xor")
    run = lesson.run("xor-rule")
    assert run.converged_epoch() is None
    assert all(run.epoch(e).updates > 0 for e in range(1, run.config.epochs + 1))


def test_source_corrections_point_at_units_that_exist():
    # docs/source-corrections.md tells where each mistake of the notes is corrected; a renamed unit
    # or question must not leave it pointing nowhere.
    doc = (Path(__file__).resolve().parent.parent / "docs" / "source-corrections.md").read_text()
    lessons = {x.id: x for x in ALL}
    refs = [r for r in re.findall(r"`([a-z-]+) / ([a-z0-9-]+)`", doc) if r != ("lesson-id", "unit-id")]
    assert len(refs) > 40
    for lesson_id, unit_id in refs:
        lesson = lessons[lesson_id]
        ids = {u.id for u in lesson.units} | {q.id for q in lesson.questions()}
        assert unit_id in ids, (lesson_id, unit_id)


def test_a_plot_names_its_x_axis_as_its_caption_does(lesson):
    """One name for the net input on a chart: the axis' (k or z, docs/glossary.md) is the one
    its caption uses, in both languages, and the rendered axis line shows it."""
    from rich.console import Console

    from tutor.lessons import PlotUnit
    from tutor.render.plots import FunctionPlot

    for unit in lesson.units:
        if not isinstance(unit, PlotUnit) or unit.caption is None:
            continue
        other = {"k": "z", "z": "k"}[unit.variable]
        for lang in ("en", "ko"):
            caption = lesson.render(unit.caption, lang)
            named = re.findall(r"(?<![\w.])([kz])(?![\w.(])", caption)
            assert other not in named, (unit.id, lang, caption)
        plot = FunctionPlot(unit.functions, unit.x_from, unit.x_to, unit.derivative, "en", 40, 8,
                            variable=unit.variable)
        console = Console(width=60, color_system=None, record=True)
        console.print(plot)
        lines = console.export_text().splitlines()
        axis = next(line for line in lines if line.strip() in ("k", "z"))
        assert axis.strip() == unit.variable, unit.id


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_sigma_minus_2_question_gives_what_it_needs(lang):
    """σ(−2) without a new exponential needs σ(2) and the symmetry, in the question itself (a
    learner who skipped the question before, or comes to it in review, has neither)."""
    from tutor.question_spec import question_spec

    lesson = load_lesson(next(p for p in LESSONS if p.stem == "activations"))
    spec = question_spec(lesson, lesson.question("q-sigmoid-minus-2"), lang)
    assert "σ(2) = 0.8808" in spec.question and "σ(−z) = 1 − σ(z)" in spec.question


@pytest.mark.parametrize(("lang", "shown"), [("en", "(within ±0.00005)"), ("ko", "(±0.00005 이내)")])
def test_a_small_tolerance_reads_in_plain_decimals(lang, shown):
    """backprop's 0.00005 says how many decimals to type: not as 5.00e-05 (a learner's report)."""
    from tutor.question_spec import question_spec
    from tutor.render import numbers as n

    lesson = load_lesson(next(p for p in LESSONS if p.stem == "backprop"))
    asks = [q for q in lesson.questions() if getattr(q, "tolerance", None) == 0.00005]
    assert asks, "backprop has no ask with tolerance 0.00005"
    spec = question_spec(lesson, asks[0], lang)
    assert shown in spec.question and "e-05" not in spec.question, spec.question
    assert [n.tolerance(v) for v in (2.5e-05, 1e-06, 9.9e-07, 0.0001, 0.1, 1.0)] == [
        "0.000025", "0.000001", "9.90e-07", "0.0001", "0.1", "1"]


@pytest.mark.parametrize(("stem", "unit_id", "en", "ko"), [
    ("keras-linear", "and-result", "Rounded to whole numbers:", "정수로 반올림한 값:"),
    ("xor", "rule-cycle", "Weights at the end of epoch 8:", "8 에포크가 끝났을 때의 가중치:"),
])
def test_two_result_lines_are_not_run_together(stem, unit_id, en, ko):
    """keras-linear's AND result read "[−0.12, 0.32, 0.22, 0.66] Rounded to whole numbers: [−0,
    0, 0, 1]", xor's "Weights at the end of epoch 4: […] Weights at the end of epoch 8: […]":
    two source lines are one Markdown paragraph (learner15)."""
    root = Path(__file__).resolve().parent.parent / "lessons"
    lesson = load_lesson(root / f"{stem}.yaml")
    unit = next(u for u in lesson.units if getattr(u, "id", None) == unit_id)
    for lang, words in (("en", en), ("ko", ko)):
        lines = lesson.render(unit.body, lang).split("\n")
        at = next(i for i, line in enumerate(lines) if words in line)
        assert lines[at].startswith(words) and lines[at - 1] == "", lines[at - 1:at + 1]
