"""Live reload (`perceptron-tutor --watch LESSON`, and R): the screen follows a saved edit, keeps
the learner at the same unit and step, and shows a broken edit's problems over the last good
version. The lesson file is edited on disk while the app runs, as an author's editor would."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from ui_waiting import until

from tutor.lessons.scaffold import write_skeleton
from tutor.progress import MemoryStore
from tutor.ui.app import create_app
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.reload import ProblemsPanel
from tutor.ui.widgets.units import TrainingView

SIZE = (100, 32)


def skeleton(tmp_path: Path) -> Path:
    """The lesson `new` writes: intro text, training `run` (an ask before step 2), quizzes, plot."""
    return write_skeleton("demo", tmp_path / "lessons", "perceptron")


def save(path: Path, text: str) -> None:
    """Write as an editor does, and make sure the change time moves even on a coarse clock."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        stamp = time.time_ns() + 1_000_000_000
        import os

        os.utime(path, ns=(stamp, stamp))


def panel_text(screen: LessonScreen) -> str:
    content = screen.query_one(ProblemsPanel).content
    return content.plain if isinstance(content, Text) else str(content)


def head_text(screen: LessonScreen) -> str:
    from textual.widgets import Static

    content = screen.query_one("#lesson-head", Static).content
    return content.plain if isinstance(content, Text) else str(content)


async def open_at_step_1(pilot) -> LessonScreen:
    """Go to the training unit and reveal its first step."""
    screen = pilot.app.screen
    assert isinstance(screen, LessonScreen)
    await pilot.press("n")  # intro -> training
    await pilot.press("n")  # step 1 (step 2 waits for its question)
    assert screen.unit.id == "run" and screen.positions["run"] == 1
    return screen


async def test_a_saved_edit_is_on_screen_at_the_same_unit_and_step(tmp_path: Path) -> None:
    path = skeleton(tmp_path)
    store = MemoryStore()
    app = create_app("en", [], store, start_lesson=str(path), watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at_step_1(pilot)
        old = screen.lesson
        assert "My new lesson" in head_text(screen)
        save(path, path.read_text(encoding="utf-8").replace("My new lesson", "Edited title"))
        await until(pilot, lambda: screen.lesson is not old)
        assert "Edited title" in head_text(screen)
        assert screen.unit.id == "run" and screen.positions["run"] == 1
        view = screen.view
        assert isinstance(view, TrainingView) and view.lesson is screen.lesson
        assert view.position == 1
        assert not screen.query_one(ProblemsPanel).has_class("-shown")
        # and the learner goes on from there
        await pilot.press("n")
        assert screen.view is not None and screen.view.question() is not None  # step 2's ask


async def test_a_broken_edit_shows_its_problems_and_keeps_the_last_good_version(
    tmp_path: Path,
) -> None:
    path = skeleton(tmp_path)
    good = path.read_text(encoding="utf-8")
    app = create_app("en", [], MemoryStore(), start_lesson=str(path), watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at_step_1(pilot)
        old, old_view = screen.lesson, screen.view
        panel = screen.query_one(ProblemsPanel)
        # learning_rate must be a number; an unknown key whose name is markup is shown as written
        broken = good.replace("learning_rate: 0.05", "learning_rate: fast\n      \"[red]x[/red]\": 1")
        line = next(i for i, text in enumerate(broken.splitlines(), 1) if "learning_rate" in text)
        save(path, broken)
        await until(pilot, lambda: panel.has_class("-shown"))
        shown = panel_text(screen)
        assert "last version that loaded stays on screen" in shown
        assert f"{old.display_path}:{line}: " in shown and "learning_rate" in shown
        assert "[red]x[/red]" in shown  # text, not markup
        assert screen.lesson is old and screen.view is old_view  # still the last good version
        assert screen.unit.id == "run" and screen.positions["run"] == 1
        await pilot.press("p")  # and still usable
        assert screen.positions["run"] == 0
        await pilot.press("n")
        # the author fixes the file: the panel goes, the edit is on screen
        save(path, good.replace("My new lesson", "Fixed"))
        await until(pilot, lambda: screen.lesson is not old)
        assert not panel.has_class("-shown")
        assert "Fixed" in head_text(screen)
        assert screen.unit.id == "run" and screen.positions["run"] == 1


async def test_an_edit_that_check_faults_is_shown_with_its_problem(tmp_path: Path) -> None:
    """An edit that loads but that check contradicts (a wrong answer) is shown, its problem over it."""
    path = skeleton(tmp_path)
    app = create_app("ko", [], MemoryStore(), start_lesson=str(path), watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, LessonScreen)
        old = screen.lesson
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("answer_from: run.final.weights_after[1]",
                                "answer_from: run.final.weights_after[1]\n      answer: 99"))
        await until(pilot, lambda: screen.lesson is not old)
        shown = panel_text(screen)
        assert "check가 찾은 문제 1개" in shown
        assert "answer: is 99" in shown


async def test_a_changed_training_starts_again_and_a_removed_unit_moves_back(
    tmp_path: Path,
) -> None:
    path = skeleton(tmp_path)
    text = path.read_text(encoding="utf-8")
    app = create_app("en", [], MemoryStore(), start_lesson=str(path), watch=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_at_step_1(pilot)
        old = screen.lesson
        save(path, text.replace("weights: [0.3, 0.4, 0.1]", "weights: [0.2, 0.4, 0.1]"))
        await until(pilot, lambda: screen.lesson is not old)
        assert screen.unit.id == "run" and screen.positions["run"] == 0  # a new run: step 0
        await pilot.press("n", "n", "n")  # out of the training: step 1, then its question
        old = screen.lesson
        await pilot.press("right_square_bracket")  # the next unit, the choice quiz
        assert screen.unit.id == "which-rule"
        start = text.index("  - quiz:\n      id: which-rule")
        end = text.index("  - quiz:\n      id: final-value")
        save(path, text[:start] + text[end:])  # the unit the learner is on is deleted
        await until(pilot, lambda: screen.lesson is not old)
        assert screen.unit.id == "run"  # the nearest earlier unit that is still there


async def test_R_reloads_without_watch(tmp_path: Path) -> None:
    path = skeleton(tmp_path)
    app = create_app("en", [], MemoryStore(), start_lesson=str(path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at_step_1(pilot)
        old = screen.lesson
        save(path, path.read_text(encoding="utf-8").replace("My new lesson", "By hand"))
        await pilot.pause(1.2)  # no watch: nothing happens by itself
        assert screen.lesson is old
        await pilot.press("R")
        await until(pilot, lambda: screen.lesson is not old)
        assert "By hand" in head_text(screen) and screen.positions["run"] == 1


async def test_a_lesson_file_that_disappears_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = skeleton(tmp_path)
    app = create_app("en", [], MemoryStore(), start_lesson=str(path), watch=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at_step_1(pilot)
        old = screen.lesson
        path.unlink()
        panel = screen.query_one(ProblemsPanel)
        await until(pilot, lambda: panel.has_class("-shown"))
        assert "cannot be read" in panel_text(screen) and screen.lesson is old
        path.write_text("", encoding="utf-8")  # an editor's empty first write
        await until(pilot, lambda: "cannot be read" not in panel_text(screen))
        assert screen.lesson is old
