"""Pilot tests of the exam review's shuffled choices and its score screen, the table of contents
(c) and the glossary (w): open, navigate, choose, dismiss."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.widgets import OptionList, Static

from tutor import exam, glossary
from tutor.lessons import QuizUnit, find_lesson
from tutor.progress import MemoryStore
from tutor.ui.app import create_app
from tutor.ui.dialogs.contents import ContentsScreen
from tutor.ui.screens.exam_score import ExamScoreScreen
from tutor.ui.screens.glossary import GlossaryScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.widgets.quiz_views import QuizView

SIZE = (80, 24)
EXAM = find_lesson("exam-review", ())
SEED = 12345


def exam_at(store: MemoryStore, unit_id: str, lang: str = "en"):
    store.save_exam_seed("exam-review", SEED)
    store.save_position("exam-review", unit_id, 0)
    return create_app(lang, [], store, start_lesson="exam-review")


def shown(qid: str, seed: int = SEED) -> int:
    question = EXAM.question(qid)
    assert isinstance(question, QuizUnit) and question.answer is not None
    return exam.shown_answer(exam.choice_order(seed, qid, len(question.choices)),
                             int(question.answer))


def lesson_choices(qid: str, order: tuple[int, ...], lang: str = "en") -> tuple[str, ...]:
    question = EXAM.question(qid)
    assert isinstance(question, QuizUnit)
    return tuple(question.choices[i].get(lang) for i in order)


def shown_text(widget: Static) -> str:
    """What a Static shows, as plain text (wide: no line breaks inside a sentence)."""
    console = Console(width=400, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


# -- the exam: shuffled choices


async def test_the_app_shows_the_sittings_order_and_the_right_answer_stays_right():
    store = MemoryStore()
    app = exam_at(store, "q-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        panel = screen.view.question()
        order = exam.choice_order(SEED, "q-perceptron", 4)
        assert panel.spec.choices == lesson_choices("q-perceptron", order)
        right = shown("q-perceptron")
        assert right != 4  # the lesson's answer is 4; this sitting shows it elsewhere
        await pilot.press(str(right))
        assert panel.state.solved
        assert store.attempts("exam-review")[-1].correct


async def test_the_lessons_own_answer_number_is_wrong_when_shuffled_away():
    store = MemoryStore()
    app = exam_at(store, "q-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        panel = app.screen.view.question()
        assert not panel.state.solved and panel.state.attempts == 1


async def test_a_new_sitting_stores_its_seed_and_a_restart_keeps_the_order():
    store = MemoryStore()
    store.save_position("exam-review", "q-bias", 0)
    app = create_app("en", [], store, start_lesson="exam-review")
    async with app.run_test(size=SIZE):
        first = app.screen.view.question().spec.choices
    seed = store.exam_seed("exam-review")
    assert seed is not None
    assert first == lesson_choices("q-bias", exam.choice_order(seed, "q-bias", 4))
    again = create_app("ko", [], store, start_lesson="exam-review")
    async with again.run_test(size=SIZE):
        assert again.screen.view.question().spec.choices == lesson_choices(
            "q-bias", exam.choice_order(seed, "q-bias", 4), "ko")


async def test_the_review_asks_an_exam_question_in_its_sittings_order():
    store = MemoryStore()
    store.save_exam_seed("exam-review", SEED)
    store.record_attempt("exam-review", "q-bias", "1", False, 0, False)  # into review, box 1
    app = create_app("en", [], store, start_review=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        view = screen.view
        assert isinstance(view, QuizView)
        order = exam.choice_order(SEED, "q-bias", 4)
        assert view.question().spec.choices == lesson_choices("q-bias", order)
        await pilot.press(str(shown("q-bias")))
        assert screen.right == 1


# -- the exam: the score at the end, retry


async def finish_exam(store: MemoryStore, lang: str = "en"):
    """All but the last two questions right, q-mse-compute wrong first; the last one answered
    right on screen, then n: the score screen."""
    for q in EXAM.questions()[:-2]:
        store.record_attempt("exam-review", q.id, str(shown(q.id)), True, 0, False)
    missed = EXAM.questions()[-2].id
    store.record_attempt("exam-review", missed, str(shown(missed) % 4 + 1), False, 1, False)
    store.record_attempt("exam-review", missed, str(shown(missed)), True, 1, False)
    return exam_at(store, "q-overfitting", lang)


async def test_n_at_the_end_shows_the_score_and_the_missed_question_r_retries_it():
    store = MemoryStore()
    app = await finish_exam(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(shown("q-overfitting")), "n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScoreScreen)
        assert screen.score is not None
        assert (screen.score.right, screen.score.total) == (39, 40)
        assert [m.question.id for m in screen.score.missed] == ["q-mse-compute"]
        text = shown_text(screen._text)
        assert "39 of 40 questions right at the first answer (98%)" in text
        assert "✗ 39. A model predicts 0.2 and 0.9" in text  # numbered as in the exam
        wrong = shown("q-mse-compute") % 4 + 1
        order = exam.choice_order(SEED, "q-mse-compute", 4)
        assert f"Your first answer: {wrong}. {lesson_choices('q-mse-compute', order)[wrong - 1]}" \
            in text
        assert "(1) " in text and "(4) " in text  # the explanation, a line per choice
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert [item.question.id for item in review.queue] == ["q-mse-compute"]
        assert review.view.question().spec.choices == lesson_choices("q-mse-compute", order)
        await pilot.press(str(shown("q-mse-compute")))
        assert review.right == 1
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.unit.id == "q-overfitting"


async def test_the_score_screen_follows_the_language():
    store = MemoryStore()
    app = await finish_exam(store, "ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(shown("q-overfitting")), "n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScoreScreen)
        assert "40문제 중 39문제" in shown_text(screen._text)
        await pilot.press("L")
        await pilot.pause()
        assert "39 of 40" in shown_text(screen._text)
        await pilot.press("w")  # the glossary from the score screen too
        await pilot.pause()
        assert isinstance(app.screen, GlossaryScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen


async def test_a_lesson_that_is_no_exam_has_no_score_screen(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        screen.show_unit(len(screen.lesson.units) - 1)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen is screen


# -- the table of contents


async def test_c_lists_the_units_and_enter_jumps_to_the_chosen_one():
    store = MemoryStore()
    store.save_position("and-gate", "and-rule", 3)
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        lesson_screen = app.screen
        assert isinstance(lesson_screen, LessonScreen)
        start = lesson_screen.unit_index
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContentsScreen)
        options = dialog.query_one(OptionList)
        assert options.option_count == len(lesson_screen.lesson.units)
        assert options.highlighted == start
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert app.screen is lesson_screen
        assert lesson_screen.unit_index == start + 2
        target = lesson_screen.lesson.units[start + 2]
        assert lesson_screen.unit.id == target.id
        saved = store.position("and-gate")
        assert saved is not None and saved.unit_id == target.id


async def test_c_then_escape_or_q_or_c_stays_where_the_learner_was():
    store = MemoryStore()
    store.save_position("and-gate", "and-rule", 3)
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        lesson_screen = app.screen
        start = lesson_screen.unit_index
        for close in ("escape", "q", "c"):
            await pilot.press("c", "down", close)
            await pilot.pause()
            assert app.screen is lesson_screen and lesson_screen.unit_index == start
        assert lesson_screen.positions["and-rule"] == 3  # the training kept its step


async def test_the_contents_mark_answered_and_skipped_questions(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "2")  # the choice question, right
        await pilot.press("right_square_bracket", "right_square_bracket")  # the numeric one
        await pilot.press("n", "n")  # warned, then skipped
        await pilot.press("c")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ContentsScreen)
        options = dialog.query_one(OptionList)
        texts = []
        for i in range(options.option_count):
            prompt = options.get_option_at_index(i).prompt
            row = [str(cell) for column in prompt.columns for cell in column.cells]
            texts.append(" ".join(row))
        assert "answered right" in texts[1]
        assert "skipped" in texts[3]
        await pilot.press("home", "enter")
        await pilot.pause()
        assert app.screen.unit_index == 0


# -- the glossary


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char)
    await pilot.pause()


async def test_w_in_the_menu_opens_the_glossary_and_typing_finds_a_term(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        everything = shown_text(screen._text)
        assert f"{len(glossary.terms())} terms" in everything  # every term of tutor/glossary.toml
        await type_text(pilot, "backpropagation")
        text = shown_text(screen._text)
        assert "backpropagation (오차 역전파)" in text and f"{len(glossary.terms())} terms" not in text
        assert "weight (가중치)" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)


async def test_w_in_a_lesson_opens_it_in_korean_and_korean_typing_finds_역전파():
    store = MemoryStore()
    app = create_app("ko", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        lesson_screen = app.screen
        start = lesson_screen.unit_index
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, GlossaryScreen)
        await type_text(pilot, "역전파")
        text = shown_text(screen._text)
        assert text.index("오차 역전파 (backpropagation)") < text.index("순전파 (forward pass)")
        assert "출력층에서 첫 층 쪽으로" in text  # the Korean meaning
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "없는말")
        assert "검색 결과가 없습니다" in shown_text(screen._text)
        await pilot.press("q", "n")  # typed into the search, not leaving or stepping
        assert app.screen is screen and lesson_screen.unit_index == start
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson_screen and lesson_screen.unit_index == start


QUERY_CHARS = "가나다오차역전파학습률 abcdefprstw-1０"


@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=QUERY_CHARS, max_size=12))
def test_whatever_is_typed_the_glossary_shows_what_the_search_finds(query):
    async def run() -> None:
        app = create_app("ko", [], MemoryStore())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("w")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, GlossaryScreen)
            await type_text(pilot, query)
            assert screen.query_text == query
            text = shown_text(screen._text)
            for term in glossary.search(query):
                assert term.name("ko") in text
            if not glossary.search(query):
                assert "검색 결과가 없습니다" in text
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MenuScreen)

    asyncio.run(run())


END_KEYS = ["n", "n", "r", "q", "escape", "1", "2", "3", "4", "w", "c", "L", "down", "up",
            "enter", "h", "right_square_bracket", "left_square_bracket", "question_mark"]


@settings(max_examples=8, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
@given(st.lists(st.sampled_from(END_KEYS), min_size=10, max_size=40))
def test_random_keys_at_the_end_of_the_exam_score_retry_and_back(keys):
    async def run() -> None:
        store = MemoryStore()
        app = await finish_exam(store)
        async with app.run_test(size=SIZE) as pilot:
            for key in keys:
                if isinstance(app.screen, MenuScreen):
                    break  # back at the menu (q there quits): the exam is left
                await pilot.press(key)
                await pilot.pause()
            assert app._exception is None
            lessons = [s for s in app.screen_stack if isinstance(s, LessonScreen)]
            if lessons:  # the store still agrees with the lesson screen
                saved = store.position("exam-review")
                assert saved is not None and saved.unit_id == lessons[-1].unit.id
            # the first answers are kept: retrying never changes the score
            score = exam.exam_score(EXAM, store.attempts("exam-review"), set())
            assert score.right >= 38

    asyncio.run(run())
