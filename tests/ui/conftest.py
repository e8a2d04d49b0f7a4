"""Shared pieces of the UI tests: isolated user folders, fixture lessons, a store that remembers."""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from tutor.progress import MemoryStore
from tutor.ui.app import TutorApp, create_app

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (Textual's pilot) without an async pytest plugin."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        names = pyfuncitem._fixtureinfo.argnames
        asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
        return True
    return None


@pytest.fixture(autouse=True)
def isolated_ui_state(tmp_path, monkeypatch):
    """Never read or write the real user's progress, config or lessons."""
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        folder = tmp_path / var.lower()
        folder.mkdir()
        monkeypatch.setenv(var, str(folder))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


class RecordingStore(MemoryStore):
    """A MemoryStore that also keeps every call, so tests can assert on what was saved."""

    def __init__(self, warning: str | None = None) -> None:
        super().__init__()
        self.warning = warning
        self.recorded: list[tuple] = []  # every record_attempt call (`attempts()` is the store's)
        self.saved: list[tuple[str, str, int]] = []
        self.done: list[str] = []

    def save_position(self, lesson_id: str, unit_id: str, step: int, **where) -> None:
        self.saved.append((lesson_id, unit_id, step))
        super().save_position(lesson_id, unit_id, step, **where)

    def record_attempt(self, lesson_id, question_id, answer, correct, hints_used, revealed):
        self.recorded.append((lesson_id, question_id, answer, correct, hints_used, revealed))
        super().record_attempt(lesson_id, question_id, answer, correct, hints_used, revealed)

    def mark_done(self, lesson_id: str) -> None:
        self.done.append(lesson_id)
        super().mark_done(lesson_id)


@pytest.fixture
def store() -> RecordingStore:
    return RecordingStore()


@pytest.fixture
def only_fixture_lessons(monkeypatch):
    """Hide the built-in lessons so that menus hold only the fixtures (stable snapshots)."""
    empty = FIXTURES.parent / "no-builtin"
    monkeypatch.setattr("tutor.paths.builtin_lessons_dir", lambda: empty)


@pytest.fixture
def make_app(store):
    """make_app(lesson=None, lang="en", store=None) -> a TutorApp over the fixture lessons."""

    def make(
        lesson: str | None = None, lang: str = "en", store_: MemoryStore | None = None
    ) -> TutorApp:
        return create_app(
            lang, [FIXTURES], store_ if store_ is not None else store, start_lesson=lesson
        )

    return make
