"""An exam sitting (tutor/exam.py): shuffled choices that keep the right answer right, explanations
renumbered with the order, the score, and the seed kept in progress."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import exam
from tutor.lesson_state import LessonState
from tutor.lessons import QuizUnit, find_lesson
from tutor.progress import MAX_SEED, Attempt, MemoryStore
from tutor.question_spec import question_spec

LESSON = find_lesson("exam-review", ())
CHOICE = [q for q in LESSON.quizzes if q.kind == "choice"]
seeds = st.integers(min_value=0, max_value=MAX_SEED)


def test_the_exam_review_is_an_exam_with_forty_choice_questions():
    assert LESSON.exam
    assert len(CHOICE) == 40 == len(LESSON.questions())
    assert not find_lesson("and-gate", ()).exam


@given(seeds, st.text(min_size=1, max_size=20), st.integers(min_value=2, max_value=9))
def test_choice_order_is_a_permutation_fixed_by_seed_and_question(seed, qid, n):
    order = exam.choice_order(seed, qid, n)
    assert sorted(order) == list(range(n))
    assert exam.choice_order(seed, qid, n) == order


def test_choice_order_is_known_for_a_seed():
    # fixed forever: a stored sitting must show the same order after an upgrade of Python
    assert exam.choice_order(12345, "q-perceptron", 4) == (3, 2, 0, 1)
    assert exam.choice_order(12345, "q-hyperparameter", 4) == (1, 0, 2, 3)


def test_seeds_give_different_orders():
    orders = {exam.choice_order(seed, "q-perceptron", 4) for seed in range(200)}
    assert len(orders) == 24  # every one of the 4! orders turns up


@settings(max_examples=60, deadline=None)
@given(seeds, st.sampled_from(CHOICE), st.sampled_from(["en", "ko"]))
def test_the_right_answer_stays_right_after_shuffling(seed, question, lang):
    plain = question_spec(LESSON, question, lang)
    order = exam.choice_order(seed, question.id, len(question.choices))
    shuffled = question_spec(LESSON, question, lang, order=order)
    right = plain.choices[int(plain.expected) - 1]
    assert shuffled.choices[int(shuffled.expected) - 1] == right
    assert sorted(shuffled.choices) == sorted(plain.choices)
    assert shuffled.solution == f"{int(shuffled.expected)}. {right}"


def _parts(text: str, lang: str) -> dict[int, str]:
    """Explanation part per choice number, for an explanation written choice by choice."""
    if lang == "ko":
        pieces = re.split(f"([{exam.CIRCLED}])", text)
        pairs = zip(pieces[1::2], pieces[2::2], strict=True)
        return {exam.CIRCLED.index(m) + 1: p.strip() for m, p in pairs}
    pieces = re.split(r"(?:^|(?<=\s))\(([1-9])\)(?=\s)", text)
    return {int(m): p.strip() for m, p in zip(pieces[1::2], pieces[2::2], strict=True)}


@settings(max_examples=60, deadline=None)
@given(seeds, st.sampled_from(CHOICE), st.sampled_from(["en", "ko"]))
def test_the_explanation_speaks_of_the_choices_as_shown(seed, question, lang):
    plain = question_spec(LESSON, question, lang)
    order = exam.choice_order(seed, question.id, len(question.choices))
    shuffled = question_spec(LESSON, question, lang, order=order)
    before, after = _parts(plain.explain, lang), _parts(shuffled.explain, lang)
    listed = re.search(r"\(\d\),|[①-⑨],", plain.explain)  # "(1), (2) …": renumbered, not moved
    if sorted(before) != [1, 2, 3, 4] or listed:
        return
    for shown, original in enumerate(order, start=1):  # what was said of choice k moved with it
        assert re.sub("[은는이가을를과와]", "", after[shown])[:40] == \
            re.sub("[은는이가을를과와]", "", before[original + 1])[:40]
    numbers = list(after)  # in the order written
    assert numbers == [1, 2, 3, 4]


def test_grouped_choice_numbers_are_mapped_and_sorted():
    # q-hyperparameter: "(1), (2), (4) Right … (3) NOT"; shown as (2, 1, 3, 4) of the lesson
    question = LESSON.question("q-hyperparameter")
    order = (1, 0, 3, 2)  # shown 1 = lesson 2, shown 2 = lesson 1, shown 3 = lesson 4, 4 = 3
    en = question_spec(LESSON, question, "en", order=order).explain
    assert en.startswith("(1), (2), (3) Right, they are hyperparameters")
    assert "(4) NOT a hyperparameter" in en
    ko = question_spec(LESSON, question, "ko", order=order).explain
    assert ko.startswith("①, ②, ③은 배치 크기나")  # 삼 ends in ㅁ: 은, not the lesson's 는
    assert "④는 하이퍼파라미터가 아닙니다" in ko  # 사: 는, not the lesson's 은 after ③


@pytest.mark.parametrize(
    ("number", "particle", "fitted"),
    [(2, "은", "는"), (3, "는", "은"), (4, "이", "가"), (6, "가", "이"), (1, "를", "을"),
     (9, "을", "를"), (5, "과", "와"), (8, "와", "과"), (1, "으로", "로"), (7, "으로", "로"),
     (3, "로", "으로"), (2, "으로", "로"), (6, "로", "으로")],
)
def test_particles_follow_the_korean_reading_of_the_number(number, particle, fitted):
    assert exam.fit_particle(number, particle) == fitted


@settings(max_examples=40, deadline=None)
@given(seeds, st.sampled_from(CHOICE))
def test_every_particle_after_a_renumbered_choice_fits(seed, question):
    order = exam.choice_order(seed, question.id, len(question.choices))
    text = question_spec(LESSON, question, "ko", order=order).explain
    for m in re.finditer(f"([{exam.CIRCLED}])(으로|로|은|는|이|가|을|를|과|와)(?![가-힣])", text):
        assert m.group(2) == exam.fit_particle(exam.CIRCLED.index(m.group(1)) + 1, m.group(2))


def test_text_that_is_no_choice_number_is_left_alone():
    text = "σ(0) = 0.5 and f(1) = 2; (1) Right. ①이며 ②이다"
    assert exam.relabel(text, (1, 0), "en") == "σ(0) = 0.5 and f(1) = 2; (2) Right. ①이며 ②이다"
    # written choice by choice: the parts change places, 이며 / 이다 stay as they are
    assert exam.relabel("①이며 ②이다", (1, 0), "ko") == "①이다 ②이며"


def _attempt(qid: str, correct: bool, *, revealed: bool = False, answer: str = "1") -> Attempt:
    return Attempt("exam-review", qid, answer, correct, 0, revealed, 1.0)


def test_the_score_counts_first_answers_and_lists_the_missed_in_lesson_order():
    attempts = [
        _attempt("q-perceptron", True),
        _attempt("q-bias", False, answer="2"),
        _attempt("q-bias", True),  # right at the second try: still missed
        _attempt("q-x0", True, revealed=True, answer=""),
        _attempt("q-learning-rule", True),
        _attempt("q-perceptron", False),  # after the first: does not count
    ]
    score = exam.exam_score(LESSON, attempts, {"q-xor-fix"})
    assert (score.right, score.total) == (2, 40)
    assert score.percent == 5
    missed = {m.question.id: (m.outcome, m.first_answer) for m in score.missed}
    assert missed["q-bias"] == ("wrong", "2")
    assert missed["q-x0"] == ("revealed", None)
    assert missed["q-xor-fix"] == ("skipped", None)
    assert missed["q-sigmoid"] == ("open", None)
    assert len(score.missed) == 38
    ids = [q.id for q in LESSON.questions()]
    assert [m.question.id for m in score.missed] == [i for i in ids if i in missed]


@pytest.mark.parametrize(("right", "total", "percent"), [(0, 40, 0), (1, 40, 3), (31, 40, 78),
                                                          (40, 40, 100), (1, 8, 13), (0, 0, 0)])
def test_percent_rounds_half_up(right, total, percent):
    assert exam.ExamScore(right, total, ()).percent == percent


def test_a_sitting_keeps_its_seed_until_the_lesson_is_reset():
    store = MemoryStore()
    state = LessonState(LESSON)
    state.restore(store)
    seed = store.exam_seed("exam-review")
    assert seed is not None and state.seed == seed
    again = LessonState(LESSON)
    again.restore(store)
    assert again.seed == seed
    question = LESSON.question("q-perceptron")
    assert isinstance(question, QuizUnit)
    assert again.choice_order(question) == exam.choice_order(seed, "q-perceptron", 4)
    assert exam.stored_order(LESSON, store, question) == again.choice_order(question)
    store.reset("exam-review")
    assert store.exam_seed("exam-review") is None


def test_a_lesson_that_is_no_exam_keeps_its_order_and_stores_no_seed():
    store = MemoryStore()
    lesson = find_lesson("perceptron", ())
    state = LessonState(lesson)
    state.restore(store)
    assert state.seed is None and store.exam_seed("perceptron") is None
    assert all(state.choice_order(q) is None for q in lesson.quizzes)


def test_the_seed_travels_in_the_export_and_the_later_sitting_wins():
    times = iter([10.0, 20.0, 30.0, 40.0])
    first = MemoryStore(clock=lambda: next(times))
    first.save_exam_seed("exam-review", 7)
    data = first.export()
    assert data["exam_seeds"] == [{"lesson_id": "exam-review", "seed": 7, "started_at": 10.0}]
    other = MemoryStore(clock=lambda: 50.0)
    other.import_(data)
    assert other.exam_seed("exam-review") == 7
    other.save_exam_seed("exam-review", 8)  # a sitting started later, at 50
    other.import_(data)
    assert other.exam_seed("exam-review") == 8


@pytest.mark.parametrize("seed", [-1, MAX_SEED + 1, True, 2.5, "7"])
def test_an_imported_seed_out_of_range_is_refused(seed):
    from tutor.progress import ProgressDataError

    store = MemoryStore()
    data = {"format": "perceptron-tutor-progress", "version": 5,
            "exam_seeds": [{"lesson_id": "x", "seed": seed, "started_at": 1.0}]}
    with pytest.raises(ProgressDataError, match=r"exam_seeds\[0\]\.seed"):
        store.import_(data)
    assert store.exam_seed("x") is None


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_exam_explanation_names_each_choice_so_renumbering_reaches_them_all(lang):
    for question in CHOICE:
        text = LESSON.render(question.explain, lang)
        assert exam.choice_numbers(text, lang) == set(range(1, len(question.choices) + 1))
        for part in [question.question, *question.choices, *question.hints]:
            # a choice number anywhere else would not follow the shuffle
            assert not exam.choice_numbers(LESSON.render(part, lang), lang), question.id


EXAM_LESSON = """\
format: 1
id: mini-exam
title: {{en: "Mini exam", ko: "작은 시험"}}
exam: {exam}
units:
  - quiz:
      id: q1
      kind: choice
      question: {{en: "{question}", ko: "어느 것?"}}
      choices:
        - {{en: "one", ko: "하나"}}
        - {{en: "two", ko: "둘"}}
        - {{en: "three", ko: "셋"}}
      answer: 2
      hints: [{{en: "{hint}", ko: "힌트"}}]
      explain: {{en: "{explain}", ko: "① 아닙니다. ② 맞습니다. ③은 아닙니다."}}
"""


def _exam_warnings(tmp_path, **changes) -> list[str]:
    from tutor.lessons import load_lesson
    from tutor.lessons.advice import lesson_warnings

    values = {"exam": "true", "question": "Which?", "hint": "Count.",
              "explain": "(1) No. (2) Yes. (3) No.", **changes}
    path = tmp_path / "mini-exam.yaml"
    path.write_text(EXAM_LESSON.format(**values), encoding="utf-8")
    return [f"{w.field}: {w.message}" for w in lesson_warnings(load_lesson(path))]


def test_check_is_quiet_about_an_exam_that_names_its_choices_as_it_should(tmp_path):
    assert _exam_warnings(tmp_path) == []


def test_check_warns_when_an_exam_explanation_leaves_a_choice_unnamed(tmp_path):
    warnings = _exam_warnings(tmp_path, explain="Two is right; (1) and (3) are not.")
    assert len(warnings) == 1 and "explain" in warnings[0] and "(1), (2)" in warnings[0]
    # the same text in a lesson that is not an exam: nothing moves, nothing to say
    assert _exam_warnings(tmp_path, exam="false", explain="Two is right.") == []


@pytest.mark.parametrize("field", ["question", "hint"])
def test_check_warns_when_a_choice_is_named_outside_the_explanation(tmp_path, field):
    warnings = _exam_warnings(tmp_path, **{field: "Is it (2) or (3)?"})
    assert len(warnings) == 1 and "names a choice by its number (en)" in warnings[0]


def test_the_exam_key_must_be_true_or_false(tmp_path):
    from tutor.lessons import LessonError, load_lesson

    path = tmp_path / "mini-exam.yaml"
    path.write_text(EXAM_LESSON.format(exam="yes please", question="Q", hint="h",
                                       explain="(1) a (2) b (3) c"), encoding="utf-8")
    with pytest.raises(LessonError, match="exam: must be true or false"):
        load_lesson(path)
