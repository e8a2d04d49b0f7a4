"""Progress in the app: resume after leaving (a real SQLite store in tmp), a lesson changed since the
last visit, Ctrl+C, the menu's not-saving line, reset with confirmation, and review."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.widgets import OptionList, Static

from tutor.progress import SQLiteStore, open_store
from tutor.progress.review import RETIRED, due_questions
from tutor.ui.app import create_app
from tutor.ui.dialogs.confirm import ConfirmScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.widgets.quiz_views import AskView, QuizView
from tutor.ui.widgets.steps import StepPanels
from tutor.ui.widgets.units import TrainingView

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
SIZE = (80, 24)
LESSON = "tiny-perceptron"


def training(app) -> TrainingView:
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.view
    assert isinstance(view, TrainingView)
    return view


def as_text(renderable) -> str:
    console = Console(width=80, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(renderable)
    return console.export_text()


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


def menu_ids(app) -> list[str]:
    options = app.screen.query_one("#lessons", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


# --- resume -----------------------------------------------------------------------------------------


async def test_resume_after_leaving_shows_the_same_step_and_weights():
    store = open_store()
    assert isinstance(store, SQLiteStore)
    app = create_app("en", [FIXTURES], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")  # intro → quiz → training, step 1
        await pilot.press(*".1", "enter", "n")  # the ask before step 2, then step 2
        view = training(app)
        assert view.position == 2
        weights_then = as_text(app.screen.query_one(StepPanels).shown("weights"))
        await pilot.press("q")
    store.close()

    again = open_store()
    app = create_app("en", [FIXTURES], again, start_lesson=LESSON)
    async with app.run_test(size=SIZE):
        view = training(app)
        assert app.screen.unit_index == 2 and view.position == 2
        content = app.screen.query_one(StepPanels).shown("weights")
        assert content.record is view.run.record(1)
        assert as_text(content) == weights_then
        assert view.pending_ask() is None  # the ask behind the position is not asked again
        assert not notes(app)  # nothing changed: nothing to say
    again.close()


async def test_ctrl_c_quits_and_keeps_the_position():
    store = open_store()
    app = create_app("en", [FIXTURES], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0
    store.close()
    again = open_store()
    position = again.position(LESSON)
    assert (position.unit_id, position.step) == ("and-mini", 1)
    assert (position.index, position.before) == (2, ("intro", "q-choice"))
    again.close()


def changed_copy(folder: Path, old: str, new: str) -> Path:
    text = (FIXTURES / f"{LESSON}.yaml").read_text(encoding="utf-8")
    assert old in text
    folder.mkdir(exist_ok=True)
    (folder / f"{LESSON}.yaml").write_text(text.replace(old, new), encoding="utf-8")
    return folder


async def test_a_removed_unit_resumes_at_the_nearest_earlier_one(tmp_path, store):
    app = create_app("en", [FIXTURES], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("]", "]", "]")  # unit 4: q-numeric
        assert store.position(LESSON).unit_id == "q-numeric"
    # the new version lost the training and both quizzes after it
    text = (FIXTURES / f"{LESSON}.yaml").read_text(encoding="utf-8")
    start, end = text.index("  - training:"), text.index("  - plot:")
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / f"{LESSON}.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    app = create_app("en", [folder], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.unit.id == "q-choice"  # the nearest earlier unit that still exists
        assert notes(app) == [
            "This lesson changed since your last visit: you continue at unit 2 of 3."
        ]


async def test_a_changed_training_starts_at_step_0_and_says_so(tmp_path, store):
    app = create_app("ko", [FIXTURES], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")
        assert store.position(LESSON).step == 1
    folder = changed_copy(
        tmp_path / "edited", "weights: [0.3, 0.4, 0.1]", "weights: [0.2, 0.4, 0.1]"
    )
    app = create_app("ko", [folder], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE):
        view = training(app)
        assert view.position == 0
        assert notes(app) == ["지난번 이후 이 학습 과정이 바뀌어서 0단계부터 다시 시작합니다."]
    # an unchanged lesson with the same training resumes at its step, silently
    app = create_app("ko", [folder], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
    app = create_app("ko", [folder], store, start_lesson=LESSON)
    async with app.run_test(size=SIZE):
        assert training(app).position == 1 and not notes(app)


# --- menu -------------------------------------------------------------------------------------------


async def test_menu_says_quietly_that_progress_is_not_saved(store, only_fixture_lessons):
    app = create_app("en", [FIXTURES], store)  # a MemoryStore: saving is False
    async with app.run_test(size=SIZE) as pilot:
        line = app.screen.query_one("#menu-saving", Static)
        assert line.display and str(line.content) == "Progress is not being saved."
        await pilot.press("L")
        assert str(line.content) == "진행 상황이 저장되지 않고 있습니다."
    saving = open_store()
    app = create_app("en", [FIXTURES], saving)
    async with app.run_test(size=SIZE):
        assert not app.screen.query_one("#menu-saving", Static).display
    saving.close()


async def test_menu_shows_the_warning_once_and_answers_only_as_in_progress(
    store, only_fixture_lessons
):
    store.warning = "Progress cannot be saved in /nowhere."
    store.record_attempt(LESSON, "q-choice", "1", False, 0, False)  # answered, never positioned
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        menu = app.screen
        lesson = next(x for x in app.lessons if x.id == LESSON)
        status = str(menu.status_text(lesson))
        assert "in progress" in status and "0 of 1 answered right (of 4 questions)" in status
        await pilot.press("enter", "q")
        assert notes(app).count("Progress cannot be saved in /nowhere.") == 1


async def test_reset_one_lesson_asks_first(store, only_fixture_lessons):
    store.save_position(LESSON, "and-mini", 3)
    store.record_attempt(LESSON, "q-choice", "1", False, 0, False)
    store.mark_done("tiny-mlp")
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        assert menu_ids(app)[0] == LESSON
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Tiny perceptron" in str(app.screen.query_one("#confirm-question", Static).content)
        await pilot.press("enter")  # the focus starts on "Cancel"
        assert isinstance(app.screen, MenuScreen)
        assert store.summary(LESSON).status == "in_progress"
        await pilot.press("delete", "escape")
        assert store.summary(LESSON).status == "in_progress"
        await pilot.press("x", "y")
        assert isinstance(app.screen, MenuScreen)
        assert store.summary(LESSON).status == "not_started" and store.position(LESSON) is None
        assert due_questions(store, store.now()) == []
        assert store.summary("tiny-mlp").status == "done"  # only the selected lesson
        lesson = next(x for x in app.lessons if x.id == LESSON)
        assert "not started" in str(app.screen.status_text(lesson))
        assert "Progress in “Tiny perceptron” was reset." in notes(app)


async def test_reset_everything_asks_first(store, only_fixture_lessons):
    store.save_position(LESSON, "and-mini", 3)
    store.mark_done("tiny-mlp")
    app = create_app("ko", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("X")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert store.summaries() != []
        await pilot.press("X")
        await pilot.click("#confirm-yes")
        assert isinstance(app.screen, MenuScreen)
        assert store.summaries() == []
        assert "모든 진행 상황을 지웠습니다." in notes(app)


# --- review -----------------------------------------------------------------------------------------


def missed(store, *question_ids: str) -> None:
    for qid in question_ids:
        store.record_attempt(LESSON, qid, "0", False, 0, False)


async def test_review_wrong_gives_a_hint_right_moves_up_a_box(store, only_fixture_lessons):
    missed(store, "q-numeric")
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        assert "1 missed question(s) due" in str(app.screen.query_one("#menu-review").content)
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReviewScreen) and len(review.queue) == 1
        view = review.view
        assert isinstance(view, QuizView)
        panel = view.question()
        await pilot.press("n")  # not answered yet: stays
        assert review.current == 0
        await pilot.press(*"0.5", "enter")  # wrong
        assert panel.state.hints_shown == 1 and not panel.state.finished
        assert store.review_entry(LESSON, "q-numeric").box == 1
        final = next(x for x in app.lessons if x.id == LESSON).expected(panel_question(app))
        await pilot.press(*repr(final), "enter")
        assert panel.state.solved
        entry = store.review_entry(LESSON, "q-numeric")
        assert entry.box == 2 and entry.due_at > store.now()
        assert "Right! Box 2: back in 1 day(s)." in notes(app)
        await pilot.press("n")
        assert review.item is None
        summary = str(review.query(".review-summary").last(Static).content)
        assert "Review done: 1 answered right." in summary and "next review" in summary
        await pilot.press("q")
        assert isinstance(app.screen, MenuScreen)
        assert not app.screen.query_one("#menu-review").display


def panel_question(app):
    item = app.screen.item
    return item.question


async def test_review_asks_predictions_on_the_same_state(store, only_fixture_lessons):
    missed(store, "mini-net", "q-predict")
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        review = app.screen
        assert [i.question.id for i in review.queue] == ["mini-net", "q-predict"]
        lesson = review.item.lesson
        run = lesson.run("and-mini")
        view = review.view
        assert isinstance(view, AskView)
        assert view.query_one(StepPanels).position == 1  # the ask comes before step 2
        preview = view.query_one(".next-step", Static).content
        assert preview.record is run.record(1)
        await pilot.press(*".1", "enter", "n")
        view = review.view
        assert isinstance(view, QuizView)
        assert view.query_one(StepPanels).position == 3  # predict step 4: the state after 3
        assert view.query_one(".next-step", Static).content.record is run.record(3)
        # reveal (after the hint and a try): it comes back at the end with a fresh start
        await pilot.press("9", "enter", "r")
        assert view.question().state.revealed
        assert store.review_entry(LESSON, "q-predict").box == 1
        await pilot.press("n")
        assert review.item.question.id == "q-predict" and review.current == 2
        assert not review.view.question().state.attempts
        answer = lesson.expected(review.item.question)
        await pilot.press(*str(int(answer)), "enter", "n")
        assert review.item is None
        boxes = {e.question_id: e.box for e in store.review_entries()}
        assert boxes == {"mini-net": 2, "q-predict": 2}


async def test_review_retires_from_the_last_box_and_says_when_nothing_is_due(store):
    from tutor.progress.review import LAST_BOX, in_box

    store.put_review(in_box(LESSON, "q-choice", LAST_BOX, store.now() - 10 * 86_400))
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.press("2")
        assert store.review_entry(LESSON, "q-choice").box == RETIRED
        assert "Right! This question has left review." in notes(app)
        await pilot.press("n", "q", "r")
        summary = str(app.screen.query(".review-summary").last(Static).content)
        assert "Nothing to review now" in summary


async def test_review_command_opens_the_app_on_a_terminal(monkeypatch, capsys):
    from tutor import progress_cli
    from tutor.cli import main

    opened = []
    monkeypatch.setattr(progress_cli, "_review_in_app", lambda args: opened.append(args) or 0)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    assert main(["review", "--lang", "en"]) == 0 and len(opened) == 1
    assert main(["review", "--json", "--lang", "en"]) == 0 and len(opened) == 1
    assert '"due": []' in capsys.readouterr().out
