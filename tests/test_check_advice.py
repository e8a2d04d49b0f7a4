"""`check --json`, `check ID`, and the warnings for authors (shown, exit status 0)."""

from __future__ import annotations

import json
import textwrap

import pytest

from tutor.cli import main
from tutor.lessons import load_lesson
from tutor.lessons.advice import asked_decimals, decimals_needed, lesson_warnings
from tutor.lessons.units import Text

BASE = """\
format: 1
id: adv
title: {{en: "Advice", ko: "조언"}}
units:
  - text:
      en: "{intro_en}"
      ko: "{intro_ko}"
  - training:
      id: t
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 3
  - text:
      en: "{before_en}"
      ko: "{before_ko}"
  - quiz:
      id: q
      kind: numeric
      question:
        en: "{question_en}"
        ko: "{question_ko}"
      answer: {answer}
      tolerance: {tolerance}
      hints: [{{en: "h", ko: "힌트"}}]
      explain: {{en: "e", ko: "설명"}}
"""
DEFAULTS = {
    "intro_en": "Hello", "intro_ko": "안녕하세요", "before_en": "Now a question.",
    "before_ko": "이제 문제입니다.", "question_en": "One third, to 3 decimal places?",
    "question_ko": "3분의 1을 소수점 아래 셋째 자리까지 쓰면?", "answer": "0.333333333",
    "tolerance": "0.0005",
}


def write(tmp_path, **changes):
    p = tmp_path / "adv.yaml"
    p.write_text(BASE.format(**{**DEFAULTS, **changes}), encoding="utf-8")
    return p


def warnings_of(tmp_path, **changes) -> list[str]:
    return [w.message for w in lesson_warnings(load_lesson(write(tmp_path, **changes)))]


def test_a_well_made_question_has_no_warning(tmp_path):
    assert warnings_of(tmp_path) == []


def test_decimals_needed_against_hand_values():
    assert decimals_needed(1 / 3, 0.0005) == 3  # 0.333: off by 3.3e-4
    assert decimals_needed(1 / 3, 0.005) == 2
    assert decimals_needed(0.30000000000000004, 1e-6) == 1
    assert decimals_needed(2.0, 0) == 0
    assert decimals_needed(1 / 3, 0) is None


def test_asked_decimals_reads_english_and_korean():
    assert asked_decimals(Text({"en": "to 3 decimal places"})) == 3
    assert asked_decimals(Text({"ko": "소수점 아래 둘째 자리까지"})) == 2
    assert asked_decimals(Text({"ko": "소수점 아래 4자리까지"})) == 4
    assert asked_decimals(Text({"en": "What is w1?"})) is None


def test_an_answer_needing_more_digits_than_asked(tmp_path):
    assert warnings_of(tmp_path, tolerance="0.00001") == [
        "the question asks for 3 decimal places, but the answer 0.333333333 needs 5 to be "
        "within the tolerance 1e-05; use a tolerance of 0.0005"]


def test_an_answer_needing_more_digits_than_a_learner_types(tmp_path):
    assert warnings_of(tmp_path, tolerance="0.000001", question_en="One third?",
                       question_ko="3분의 1은 얼마?") == [
        "does not say how precise the answer must be (tolerance 1e-06); say e.g. "
        "'to 6 decimal places'",
        "the answer 0.333333333 needs 6 decimal places to be within the tolerance 1e-06; give "
        "a larger tolerance or ask for fewer digits"]


def test_a_question_that_does_not_say_how_precise(tmp_path):
    assert warnings_of(tmp_path, question_en="One third?", question_ko="3분의 1은 얼마?") == [
        "does not say how precise the answer must be (tolerance 0.0005); say e.g. "
        "'to 3 decimal places'"]


def test_an_exact_short_answer_needs_no_precision_note(tmp_path):
    assert warnings_of(tmp_path, answer="-0.3", question_en="b?", question_ko="b는?") == []


def test_the_answer_in_the_text_just_before(tmp_path):
    assert warnings_of(tmp_path, before_en="Recall: one third is 0.333.") == [
        "the answer 0.333 appears in the text just before the question (units[2].text, en)"]
    # Earlier text does not count, and a longer number holding the digits is another number.
    assert warnings_of(tmp_path, intro_en="one third is 0.333") == []
    assert warnings_of(tmp_path, before_en="10.3335 is not it") == []


def test_a_language_missing_in_one_unit(tmp_path):
    p = write(tmp_path)
    p.write_text(p.read_text(encoding="utf-8").replace('      ko: "이제 문제입니다."\n', ""),
                 encoding="utf-8")
    assert [str(w) for w in lesson_warnings(load_lesson(p))] == [
        f"{load_lesson(p).display_path}:18: units[2].text: warning: has no ko text, which the "
        "rest of the lesson has"]


def test_a_lesson_in_one_language_is_not_missing_the_other(tmp_path):
    p = tmp_path / "en.yaml"
    p.write_text(textwrap.dedent("""\
        format: 1
        id: en-only
        title: "English"
        units:
          - text: "Only English."
        """), encoding="utf-8")
    assert lesson_warnings(load_lesson(p)) == []


def test_check_shows_warnings_and_exits_0(tmp_path, capsys):
    p = write(tmp_path, tolerance="0.00001")
    assert main(["check", str(p)]) == 0
    out, err = capsys.readouterr()
    assert ": units[3].quiz.tolerance: warning: the question asks for 3 decimal places" in out
    assert "0 problem(s), 1 warning(s)" in err


def test_check_json_gives_one_object_per_problem(tmp_path, capsys):
    good = write(tmp_path, tolerance="0.00001")
    bad = tmp_path / "bad.yaml"
    bad.write_text(BASE.format(**DEFAULTS).replace("learning_rate: 0.05", "learning_rate: -1"),
                   encoding="utf-8")
    assert main(["check", "--json", str(good), str(bad)]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [sorted(r) for r in rows] == [["field", "file", "line", "message", "severity"]] * 2
    by = {r["severity"]: r for r in rows}
    assert by["warning"]["field"] == "units[3].quiz.tolerance" and by["warning"]["line"] == 21
    assert by["error"] == {"file": by["error"]["file"], "line": 15,
                           "field": "units[1].training.learning_rate",
                           "message": "must be a positive number", "severity": "error"}
    assert by["error"]["file"].endswith("bad.yaml")


def test_check_json_of_a_clean_lesson_is_an_empty_list(capsys):
    assert main(["check", "--json", "xor"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("lesson_id", ["and-gate", "xor", "keras-linear"])
def test_check_takes_a_lesson_id(lesson_id, capsys):
    assert main(["check", lesson_id]) == 0
    assert "checked 1 lesson file(s): 0 problem(s)" in capsys.readouterr().err


def test_check_an_unknown_id_suggests_the_closest(capsys):
    assert main(["check", "and-gat"]) == 1
    assert "did you mean 'and-gate'?" in capsys.readouterr().out


def test_check_an_id_from_a_lessons_folder(tmp_path, capsys):
    write(tmp_path, tolerance="0.0005")
    assert main(["check", "--lessons", str(tmp_path), "adv"]) == 0
