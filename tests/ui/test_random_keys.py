"""Random keys through every built-in lesson at 80×24: bursts, single presses, resizes, `L`, `?`,
answers (typed, some in full-width digits), hints, leaving to the menu and coming back, the
contents (`c`, enter jumps) and the glossary (`w`, keys typed into its search until esc), and in
the exam review its score screen and retry (`r` there).

Hypothesis draws the batches, derandomized (a fixed seed), so a failure replays as it happened.
After every batch: no exception and the app still running, every position within its run, no
answered question unanswered again, and the progress store agreeing with the screen (where it is,
every training unit's step, every answer and skip).

`RANDOM_KEYS` (environment) sets the keys per lesson; CI runs the default, 2,000 per lesson.
"""

from __future__ import annotations

import asyncio
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual import events

from tutor.lessons import find_lesson
from tutor.paths import builtin_lessons_dir
from tutor.progress import MemoryStore
from tutor.ui.app import TutorApp
from tutor.ui.screens.lesson import LessonScreen, restored_states
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.widgets.units import TrainingView

KEYS_PER_LESSON = int(os.environ.get("RANDOM_KEYS", "2000"))
BATCHES_PER_EXAMPLE = 80  # one app run; examples are run until the lesson has its keys

COMMAND_KEYS = [
    "n", "n", "n", "right", "p", "left", "e", "G", "g", "home", "end", "h", "h", "r",
    "1", "2", "3", "9", "0", "full_stop", "minus", "backspace", "enter", "space", "plus",
    "up", "down", "pagedown", "right_square_bracket", "left_square_bracket", "L",
    "question_mark", "escape", "q", "colon", "c", "w", "b", "R",
]  # fmt: skip
CHARACTERS = {
    "full_stop": ".", "minus": "-", "plus": "+", "question_mark": "?", "space": " ", "colon": ":",
}  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789.-/", "０１２３４５６７８９．－／")

batch = st.one_of(
    st.tuples(st.just("burst"), st.lists(st.sampled_from(COMMAND_KEYS), min_size=2, max_size=16)),
    st.tuples(st.just("press"), st.lists(st.sampled_from(COMMAND_KEYS), min_size=1, max_size=1)),
    st.tuples(st.just("answer"), st.sampled_from(["right", "right", "wide", "wrong"])),
    st.tuples(st.just("resize"), st.sampled_from([(80, 24), (120, 40), (100, 30), (60, 20)])),
)

LESSONS = sorted(path.stem for path in builtin_lessons_dir().glob("*.yaml"))


def send(app: TutorApp, keys: list[str]) -> None:
    """Queue `keys` at once, as a terminal delivers a burst or a paste (no waiting between)."""
    for key in keys:
        char = CHARACTERS.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]


def answer_keys(screen: LessonScreen, how: str) -> list[str]:
    """The keys that answer the question on screen: right, right in full-width, or wrong."""
    view = screen.view
    panel = view.question() if view is not None else None
    if panel is None or panel.finished:
        return []
    spec = panel.spec
    if spec.kind == "choice":
        right = int(spec.expected)
        number = right if how != "wrong" else (right % len(spec.choices)) + 1
        return [str(number)]
    text = spec.solution.replace("−", "-") if how != "wrong" else "12345"
    if how == "wide":
        text = text.translate(FULL_WIDTH)
    return [*text, "enter"]


def lesson_screen(app: TutorApp) -> LessonScreen | None:
    found = [s for s in app.screen_stack if isinstance(s, LessonScreen)]
    return found[-1] if found else None


def check(
    app: TutorApp, store: MemoryStore, before: dict[str, bool], lesson_id: str
) -> dict[str, bool]:
    """The invariants; returns the finished questions now (to compare with the next batch)."""
    assert app._exception is None and app.is_running
    screen = lesson_screen(app)
    if screen is None or not screen.is_mounted:
        return before  # (a lesson opened again restores its records when it mounts)
    lesson = screen.lesson
    if lesson.id != lesson_id:  # another lesson, opened from the menu: its own records
        return before
    for unit_id, step in screen.positions.items():
        assert 0 <= step <= lesson.run(unit_id).total_steps
    view = screen.view
    if isinstance(view, TrainingView):
        assert 0 <= view.position <= view.total
        assert screen.positions.get(view.unit.id, 0) == view.position
    finished = {qid: s.finished for qid, s in screen.states.items()}
    for qid, was in before.items():
        assert finished.get(qid, False) or not was, f"{qid} was answered and is open again"
    # the store agrees with the screen
    saved = store.position(lesson.id)
    assert saved is not None and saved.unit_id == screen.unit.id
    assert saved.step == screen.positions.get(screen.unit.id, 0)
    steps = store.unit_steps(lesson.id)
    for unit_id, step in steps.items():
        assert step == screen.positions.get(unit_id, 0), unit_id
    replayed = restored_states(lesson, store.attempts(lesson.id))
    for qid, state in screen.states.items():
        if state.attempts or state.revealed:
            assert replayed[qid].finished == state.finished, qid
            assert replayed[qid].attempts == state.attempts, qid
    assert store.skipped(lesson.id) == screen.skipped
    return finished


async def drive(lesson_id: str, batches: list[tuple]) -> int:
    """Run one app through `batches`; returns the number of keys sent."""
    store = MemoryStore()
    lesson = find_lesson(lesson_id, ())
    app = TutorApp("en", [], store, lesson)
    sent = 0
    async with app.run_test(size=(80, 24)) as pilot:
        finished: dict[str, bool] = {}
        for kind, arg in batches:
            screen = lesson_screen(app)
            if screen is None:  # back at the menu: open the lesson again (a resume)
                app.push_screen(LessonScreen(lesson))
                await pilot.pause()
                continue
            if screen.lesson.id != lesson_id:  # the menu opened another one: back (not counted)
                app.pop_screen()
                await pilot.pause()
                continue
            if kind == "resize":
                await pilot.resize_terminal(*arg)
                continue
            keys = answer_keys(screen, arg) if kind == "answer" else arg
            send(app, keys)
            sent += len(keys)
            await pilot.pause()
            finished = check(app, store, finished, lesson_id)
    return sent


@pytest.mark.parametrize("lesson_id", LESSONS)
def test_random_keys_never_break_the_walkthrough(lesson_id, monkeypatch):
    # `q q` in a burst: back to the menu, then quit there (as it should). The test is about the
    # lesson, so here the menu's quit stays in the app and the next batch opens the lesson again.
    monkeypatch.setattr(MenuScreen, "action_quit", lambda self: None)
    total = 0

    @settings(
        derandomize=True,
        database=None,
        deadline=None,
        max_examples=max(1, KEYS_PER_LESSON // 100),  # about 250 keys each: enough to spare
        suppress_health_check=list(HealthCheck),
        # no shrinking: each example is a whole app run, and shrinking one took minutes; the
        # derandomized example itself replays exactly
        phases=[Phase.explicit, Phase.generate],
    )
    @given(st.lists(batch, min_size=BATCHES_PER_EXAMPLE, max_size=BATCHES_PER_EXAMPLE))
    def run(batches):
        nonlocal total
        if total >= KEYS_PER_LESSON:
            return  # enough keys for this lesson: the remaining examples are no-ops
        total += asyncio.run(drive(lesson_id, batches))

    run()
    assert total >= KEYS_PER_LESSON
