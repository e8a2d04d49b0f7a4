"""The built-in lessons keep the promises of the lessons issue, checked on every file in lessons/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from tutor.lessons import PLACEHOLDER, TrainingUnit, check_lesson, load_lesson

LESSONS = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.yaml"))
IDS = ["perceptron", "and-gate", "or-gate", "keras-linear", "activations", "xor", "exam-review"]


@pytest.fixture(scope="module", params=LESSONS, ids=lambda p: p.stem)
def lesson(request):
    return load_lesson(request.param)


def test_the_seven_lessons_are_there_in_order():
    lessons = sorted((load_lesson(p) for p in LESSONS), key=lambda x: (x.order, x.id))
    assert [x.id for x in lessons] == IDS


def test_passes_check(lesson):
    assert check_lesson(lesson) == []


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
