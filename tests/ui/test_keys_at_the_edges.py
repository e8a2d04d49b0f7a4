"""Keys at the two edges of a session: while the first screen mounts, and after the decision to
leave (Ctrl+C, a closed terminal) with keys still queued.

The crash the breaker saw (`MountError: Can't mount widget(s) before Body(id='unit-body') is
mounted`, 1 in 21 tmux runs of `and-gate` with `L n n` 0.6 s after start) came from the second
edge: its loop closed the tmux server (SIGHUP) while the slow, loaded app still had the keys
queued. Once `App.exit` is called Textual reports every widget as detached, so the `n` that
mounted the next unit failed, and the app ended with the internal-error sentence and status 1
instead of 129. These tests post the keys straight into the queues, so the order is exact.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from tutor.ui.app import TutorApp, create_app
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.screens.menu import MenuScreen
from tutor.ui.screens.review import ReviewScreen
from tutor.ui.widgets.units import TrainingView

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"
SIZE = (80, 24)
LESSON = "tiny-perceptron"


def key(name: str) -> events.Key:
    character = name if len(name) == 1 else {"enter": "\r", "space": " "}.get(name)
    return events.Key(name, character)


async def burst(pilot, *names: str) -> None:
    """Post `names` into the app's queue in one go, as a terminal delivers a burst (Pilot's
    `press` waits after each key, which hides the order problems), then let them settle."""
    for name in names:
        pilot.app.post_message(key(name))
    await pilot.pause()
    await pilot.pause()


async def test_keys_after_ctrl_c_in_one_burst_are_dropped(make_app):
    """Ctrl+C then `n n L` in one burst (the unit is a text: `n` mounts the next unit)."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for name in ("ctrl+c", "n", "n", "L", "n"):
            app.post_message(key(name))
        await pilot.pause()
    assert app.return_code == 0 and app.lang == "en"


async def test_keys_queued_on_the_lesson_when_the_terminal_closes(make_app, store):
    """SIGHUP (the lifeline calls `exit(None, 129)`) while keys wait in the screen's own queue."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        saved = len(store.saved)
        app.exit(None, 129)
        for name in ("n", "n", "L", "right_square_bracket", "space"):
            screen.post_message(key(name))
        screen.post_message(events.Paste("0.5\n"))
        await pilot.pause()
    assert app.return_code == 129
    assert len(store.saved) == saved  # nothing acted on: the position is the one left


async def test_keys_queued_on_the_menu_when_ctrl_c_comes(store, only_fixture_lessons):
    """Enter (open a lesson) and `r` (review) already queued on the menu's list, then Ctrl+C."""
    store.record_attempt(LESSON, "q-numeric", "0", False, 0, False)  # a review is due
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        focused = app.focused
        assert focused is not None
        app.exit()
        for name in ("enter", "r", "down", "enter"):
            focused.post_message(key(name))
        await pilot.pause()
    assert app.return_code == 0


async def test_a_play_tick_after_the_decision_to_leave_stops_playing(make_app):
    """The next step (1 of the AND run) brings an ask, whose panel a tick would mount."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "right_square_bracket")
        view = app.screen.view
        assert isinstance(view, TrainingView) and view.position == 0
        await pilot.press("space")
        assert view.playing
        app.exit()
        view._tick()  # the timer's next tick, after exit was called
        assert not view.playing and view.position == 0


class EarlyKeys(TutorApp):
    """Posts keys from the app's `on_mount`, right after the first screens are pushed: they reach
    a screen whose compose and mount have not run yet."""

    CSS_PATH = str(Path(__file__).parents[2] / "tutor" / "ui" / "app.tcss")
    early: tuple[str, ...] = ()

    def on_mount(self) -> None:
        super().on_mount()
        for name in self.early:
            self.post_message(key(name))


def early_app(store, keys: tuple[str, ...], *, lesson: str | None = None, review: bool = False):
    from tutor.lessons import find_lesson

    app = EarlyKeys(
        "en",
        [FIXTURES],
        store,
        find_lesson(lesson, (FIXTURES,)) if lesson else None,
        review,
    )
    app.early = keys
    return app


async def test_keys_before_the_lesson_screen_mounts_are_handled_in_order(store):
    """`n ] n`: unit 1 → 2 → 3 (training) → its first step, as if pressed after start."""
    app = early_app(store, ("n", "right_square_bracket", "n"), lesson=LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 2
        view = screen.view
        assert isinstance(view, TrainingView) and view.position == 1


async def test_keys_before_the_review_screen_mounts_are_handled_in_order(store):
    store.record_attempt(LESSON, "q-choice", "1", False, 0, False)
    app = early_app(store, ("2", "n"), review=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert screen.right == 1 and screen.item is None  # answered right, then moved on


async def test_keys_before_the_menu_mounts_are_handled_in_order(store, only_fixture_lessons):
    """`L` then Enter before the menu is mounted: Korean, and the lesson opens."""
    app = early_app(store, ("L", "enter"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == LESSON
        assert app.lang == "ko" and screen.view is not None


async def test_keys_right_behind_the_key_that_closes_the_help_reach_the_lesson(make_app):
    """`? ` then `q n n` in one burst: the help is still the top screen when the app hands it the
    `n`s, and they were lost (the breaker: `q ] ]` left the lesson on its first unit)."""
    from tutor.ui.dialogs.help import HelpScreen

    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 0
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await burst(pilot, "q", "n", "n")
        # both n's came: the first to the choice quiz (unit 1), the second warns it skips it
        assert app.screen is screen and screen.unit_index == 1
        panel = screen.view.question()
        assert panel is not None and panel.skip_warned
        await pilot.press("question_mark")
        await burst(pilot, "escape", "q")  # a q behind an Esc: the lesson's q (to the menu)
        assert isinstance(app.screen, MenuScreen)


async def test_keys_right_behind_a_choice_in_the_contents_reach_the_lesson(make_app):
    """`c`, then `↓ enter p` in one burst: the unit chosen, then `p` from there."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 0
        await pilot.press("c")
        assert app.screen is not screen
        await burst(pilot, "down", "down", "enter", "p")
        assert app.screen is screen and screen.unit_index == 1  # to unit 2, then back one
        await pilot.press("c")
        await burst(pilot, "q", "n")
        assert app.screen is screen and screen.view.question().skip_warned


async def test_keys_right_behind_the_key_that_opens_the_contents_reach_it(make_app):
    """`c ↓ ↓ enter` in one burst (learner15, tmux): the ↓s came before the contents had its
    list, the first was lost (and an enter as early chose nothing), so it went one unit short."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 0
        await burst(pilot, "c", "down", "down", "enter")
        assert app.screen is screen and screen.unit_index == 2
        await burst(pilot, "c", "up", "enter")
        assert app.screen is screen and screen.unit_index == 1


async def test_letters_right_behind_the_key_that_opens_the_glossary_are_searched(make_app):
    """`w` then `backprop` in one burst (learner15, tmux): the `b` came before the search box had
    the focus, and the glossary searched for "ackprop"."""
    from tutor.ui.screens.glossary import GlossaryScreen

    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await burst(pilot, "w", "b", "a", "c", "k")
        glossary = app.screen
        assert isinstance(glossary, GlossaryScreen) and glossary.query_text == "back"


async def test_letters_right_behind_w_in_the_menu_are_searched(make_app, only_fixture_lessons):
    """`w` then `back` in one burst on the menu (learner15, tmux; 역전파 too): the letters were
    queued on the menu's list before the glossary opened, and all of them were lost."""
    from tutor.ui.screens.glossary import GlossaryScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        await burst(pilot, "w", "b", "a", "c", "k")
        glossary = app.screen
        assert isinstance(glossary, GlossaryScreen) and glossary.query_text == "back"
        await pilot.press("w")  # in the search box, a w is a letter (the menu's w is not on top)
        assert app.screen is glossary and glossary.query_text == "backw"


async def test_end_and_home_in_the_contents_come_before_the_enter_behind_them(make_app):
    """`c`, then `end enter`: Enter is run as it arrives, End (the list's own key) only later,
    so the unit chosen was the one already highlighted; `home`, `pagedown`, `pageup` the same."""
    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        last = len(screen.lesson.units) - 1
        await pilot.press("c")
        await burst(pilot, "end", "enter")
        assert app.screen is screen and screen.unit_index == last
        await pilot.press("c")
        await burst(pilot, "home", "enter")
        assert app.screen is screen and screen.unit_index == 0
        await pilot.press("c")
        await burst(pilot, "pagedown", "enter")
        assert app.screen is screen and screen.unit_index > 0
        await pilot.press("c")
        await burst(pilot, "pageup", "enter")
        assert app.screen is screen and screen.unit_index == 0


async def test_keys_right_behind_the_esc_that_closes_the_glossary_reach_the_lesson(make_app):
    """`w`, then `x esc n n` in one burst: the Esc closed the glossary only after it had bubbled
    up to the app, by when both n were typed into the (closed) search box."""
    from tutor.ui.screens.glossary import GlossaryScreen

    app = make_app(LESSON)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.unit_index == 0
        await pilot.press("w")
        assert isinstance(app.screen, GlossaryScreen)
        await burst(pilot, "x", "escape", "n", "n")
        assert app.screen is screen and screen.unit_index == 1 and screen.view.question().skip_warned


async def test_a_burst_of_unit_changes_mounts_few_units_and_ends_on_the_right_one(monkeypatch):
    """`]` ten times and `[` four times in one burst: the lesson ends on unit 6, as key by key,
    and the body mounts a unit only when the one mounting has finished, the newest asked for
    (it mounted all 14: a tmux burst of 300 such keys held 2,993 widgets at once)."""
    from tutor.ui.screens.base import Body

    mounts: list[str] = []
    real = Body.mount

    def counting(self, *widgets, **kwargs):
        mounts.extend(type(w).__name__ for w in widgets)
        return real(self, *widgets, **kwargs)

    monkeypatch.setattr(Body, "mount", counting)
    app = create_app("en", start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and len(screen.lesson.units) > 10
        mounts.clear()
        for name in ["right_square_bracket"] * 10 + ["left_square_bracket"] * 4:
            app.post_message(events.Key(name, "]" if name.startswith("right") else "["))
        for _ in range(20):
            await pilot.pause(0.05)
        assert screen.unit_index == 6
        shown = screen.view
        assert shown is not None and shown.is_attached and shown.display
        assert [child for child in screen.query_one(Body).children] == [shown]
        assert len(mounts) <= 4, mounts
