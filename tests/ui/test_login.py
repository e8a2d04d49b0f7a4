""""Who are you?" in a served session (tutor/ui/screens/login.py), driven with Pilot.

Keys typed ahead in one burst keep their order; a wrong PIN and an unknown name read the same;
attempts are bounded; two learners at once each see only their own progress.
"""

from __future__ import annotations

import json

from textual.widgets import Static

from tutor.accounts import Classroom
from tutor.progress import MemoryStore, open_store
from tutor.ui.app import create_app
from tutor.ui.screens.login import LoginScreen
from tutor.ui.screens.menu import MenuScreen

REFUSED = "That name and PIN do not match. Try again, or ask your teacher."


def served(folder, lang="en"):
    return create_app(lang, (), MemoryStore(), classroom_dir=folder)


async def settle(pilot, until, tries=100):
    for _ in range(tries):
        await pilot.pause(0.05)
        if until():
            return True
    return False


def message(app) -> str:
    screen = app.screen
    assert isinstance(screen, LoginScreen)
    return str(screen.message.render())


async def test_a_first_visit_typed_in_one_burst_opens_the_learners_own_store(tmp_path):
    app = served(tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        # everything at once, as a fast typist or one websocket packet delivers it; the keys
        # after the last Enter belong to the menu (open the second lesson)
        await pilot.press(*"Ada", "enter", *"2468", "tab", *"2468", "enter", "down", "enter")
        assert await settle(pilot, lambda: app.learner is not None and
                            type(app.screen).__name__ == "LessonScreen")
        assert app.learner.name == "Ada"
        assert app.store.path == app.learner.db_path  # the learner's own file
        assert app.screen.lesson.id == "and-gate"
    records = list((tmp_path / "class").glob("*.login"))
    assert [json.loads(p.read_text())["name"] for p in records] == ["Ada"]


async def test_typing_backspace_and_moving_between_fields(tmp_path):
    Classroom(tmp_path).register("Ada", "2468", "2468")
    app = served(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press(*"Adx", "backspace", "a", "down", *"2468")
        assert screen.fields["name"].value == "Ada"
        assert screen.fields["pin"].value == "2468"
        assert "2468" not in str(screen.fields["pin"].render())  # shown as dots
        await pilot.press("up", "ctrl+u", *"ADA", "enter", "enter")
        assert await settle(pilot, lambda: isinstance(app.screen, MenuScreen))
        assert app.learner.name == "Ada"  # as first chosen, whatever the case typed


async def test_a_wrong_pin_and_an_unknown_name_read_the_same(tmp_path, monkeypatch):
    monkeypatch.setattr("tutor.ui.screens.login.FAILURE_DELAY_SECONDS", 0.01)
    folder = tmp_path / "class"
    Classroom(folder).register("Ada", "2468", "2468")
    said = []
    for name in ("Ada", "Nobody"):
        app = served(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*name, "enter", *"9999", "enter")
            assert await settle(pilot, lambda app=app: "match" in message(app))
            said.append(message(app))
            assert isinstance(app.screen, LoginScreen)
            assert app.screen.fields["pin"].value == ""  # the PIN is not left on screen
    assert said == [REFUSED, REFUSED]
    # no progress file for a refusal; Ada's wrong PIN is counted (tutor.accounts NAME_FAILURES)
    assert sorted(p.suffix for p in folder.iterdir()) == [".fails", ".login"]


async def test_attempts_are_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr("tutor.ui.screens.login.FAILURE_DELAY_SECONDS", 0.01)
    monkeypatch.setattr("tutor.ui.screens.login.LEAVE_AFTER_SECONDS", 0.1)
    Classroom(tmp_path).register("Ada", "2468", "2468")
    app = served(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"Ada", "enter")
        for _ in range(4):
            await pilot.press(*"1111", "enter")
            assert await settle(pilot, lambda: "match" in message(app) and not app.screen.busy)
        await pilot.press(*"1111", "enter")
        assert await settle(pilot, lambda: "Too many" in message(app))
        await pilot.press(*"2468", "enter")  # the right PIN, too late: nothing is tried
        assert await settle(pilot, lambda: app.return_code == 1)
    assert app.learner is None


async def test_two_learners_at_once_see_only_their_own_progress(tmp_path):
    folder = tmp_path / "class"
    ada_app, bea_app = served(folder), served(folder)
    async with ada_app.run_test(size=(100, 30)) as ada, bea_app.run_test(size=(100, 30)) as bea:
        await ada.pause()
        await bea.pause()
        await ada.press(*"Ada", "enter", *"2468", "tab", *"2468", "enter")
        await bea.press(*"Bea", "enter", *"1357", "tab", *"1357", "enter")
        assert await settle(ada, lambda: ada_app.learner is not None)
        assert await settle(bea, lambda: bea_app.learner is not None)
        ada_app.store.record_attempt("and-gate", "first-output", "1", True, 0, False)
        ada_app.store.mark_done("perceptron")
        assert bea_app.store.summaries() == []
        assert bea_app.store.attempts() == []
        bea_app.store.record_attempt("or-gate", "q", "0", False, 0, False)
        assert [a.lesson_id for a in ada_app.store.attempts()] == ["and-gate"]
        assert ada_app.store.path != bea_app.store.path
    for name, lesson in (("Ada", "and-gate"), ("Bea", "or-gate")):
        learner = Classroom(folder).sign_in(name, "2468" if name == "Ada" else "1357")
        store = open_store(learner.db_path)
        assert [a.lesson_id for a in store.attempts()] == [lesson]
        store.close()


async def test_the_login_screen_in_korean(tmp_path):
    app = served(tmp_path, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "누구신가요?" in str(screen.query_one("#login-title", Static).render())
        await pilot.press(*"김철수", "enter", *"12", "enter")
        assert await settle(pilot, lambda: "4~12자리" in message(app))


async def test_a_pasted_name_goes_into_the_field(tmp_path):
    from textual import events

    app = served(tmp_path / "class")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.post_message(events.Paste("Ada Lovelace\nsecond line"))
        await pilot.pause(0.1)
        assert app.screen.fields["name"].value == "Ada Lovelace"
