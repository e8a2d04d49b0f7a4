"""The exam review in the plain mode: choices in the sitting's order with the right answer still
right, the score and the missed questions at the end, `retry`, and the `glossary` command."""

from __future__ import annotations

import io

import pytest

from tutor import exam
from tutor.lessons import find_lesson
from tutor.plain.session import run_plain
from tutor.progress import MemoryStore

LESSON = find_lesson("exam-review", ())
SEED = 12345


def sitting(lines: list[str], store: MemoryStore, lang: str = "en") -> str:
    out = io.StringIO()
    code = run_plain(lang, (), store, "exam-review", io.StringIO("".join(f"{x}\n" for x in lines)),
                     out)
    assert code == 0
    return out.getvalue()


def shown(qid: str) -> int:
    """The number the sitting with SEED shows the right choice of `qid` at."""
    question = LESSON.question(qid)
    order = exam.choice_order(SEED, qid, len(question.choices))
    return exam.shown_answer(order, int(question.answer))


def at(store: MemoryStore, unit_id: str) -> MemoryStore:
    store.save_exam_seed("exam-review", SEED)
    store.save_position("exam-review", unit_id, 0)
    return store


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_choices_come_in_the_sittings_order_and_the_right_one_stays_right(lang):
    store = at(MemoryStore(), "q-perceptron")
    order = exam.choice_order(SEED, "q-perceptron", 4)
    assert order != (0, 1, 2, 3)  # this seed does shuffle it
    right = shown("q-perceptron")
    assert right != int(LESSON.question("q-perceptron").answer)  # not where the lesson has it
    text = sitting([str(right), "q"], store, lang)
    choices = [LESSON.question("q-perceptron").choices[i].get(lang) for i in order]
    for i, choice in enumerate(choices, start=1):
        assert f"{i}. {choice}" in text
    attempt = store.attempts("exam-review")[-1]
    assert attempt.correct and attempt.answer == str(right)


def test_a_wrong_number_is_wrong_though_it_is_the_lessons_answer():
    store = at(MemoryStore(), "q-perceptron")
    lesson_answer = int(LESSON.question("q-perceptron").answer)  # 4: shown elsewhere now
    sitting([str(lesson_answer), "q"], store)
    assert not store.attempts("exam-review")[-1].correct


def test_the_end_gives_the_score_and_each_missed_question_with_its_explanation():
    store = at(MemoryStore(), "q-overfitting")
    store.record_attempt("exam-review", "q-perceptron", str(shown("q-perceptron")), True, 0, False)
    store.record_attempt("exam-review", "q-bias", "9", False, 1, False)
    text = sitting([str(shown("q-overfitting")), "n", "q"], store)
    assert "2 of 40 questions right at the first answer (5%)" in text
    assert "Missed: 38." in text
    assert "2. The test" in text and "Your first answer: 9" in text
    assert "1. Which of the following about the perceptron" not in text  # right: not missed
    assert "Not answered." in text
    assert "(1) " in text and "Type retry" in text


def test_retry_asks_the_missed_again_and_records_them_as_a_review():
    store = at(MemoryStore(), "q-overfitting")
    for q in LESSON.questions()[:-2]:
        store.record_attempt("exam-review", q.id, str(shown(q.id)), True, 0, False)
    missed = LESSON.questions()[-2]  # q-mse-compute: the only one missed
    wrong = shown(missed.id) % 4 + 1
    store.record_attempt("exam-review", missed.id, str(wrong), False, 1, False)
    text = sitting([str(shown("q-overfitting")), "n", "retry", str(shown(missed.id)), "n", "q"],
                   store)
    assert "39 of 40 questions right at the first answer (98%)" in text
    assert "Again, question 1 of 1:" in text
    assert "Retry done: 1 of 1 right this time." in text
    entry = store.review_entry("exam-review", missed.id)
    assert entry is not None and entry.box == 2  # a right review answer: up from box 1


@pytest.mark.parametrize(("lang", "word", "term"), [("en", "backpropagation", "오차 역전파"),
                                                    ("ko", "역전파", "오차 역전파 (backpropagation)"),
                                                    ("ko", "오차역전파", "오차 역전파")])
def test_the_glossary_command_finds_a_term_in_either_language(lang, word, term):
    text = sitting([f"glossary {word}", "q"], MemoryStore(), lang)
    assert term in text


def test_retry_outside_an_exam_says_where_it_works():
    out = io.StringIO()
    run_plain("en", (), MemoryStore(), "and-gate", io.StringIO("retry\nq\n"), out)
    assert "retry works at the end of an exam" in out.getvalue()


def test_contents_lists_the_units_and_a_number_goes_there():
    store = MemoryStore()
    out = io.StringIO()
    run_plain("en", (), store, "and-gate", io.StringIO("3\ncontents\ncontents 4\ncontents 0\nq\n"),
              out)
    text = out.getvalue()
    lesson = find_lesson("and-gate", ())
    assert "Contents (contents N goes to unit N):" in text
    assert "1. This is the textbook's example (reading) ← you are here" in text
    assert "4. The perceptron learns AND (training walkthrough, step 0 of 12, 6 to answer)" in text
    assert "Unit 4 of 13: training walkthrough" in text
    assert "There is no unit 0: type contents and a number from 1 to 13." in text
    saved = store.position("and-gate")
    assert saved is not None and saved.unit_id == lesson.units[3].id
