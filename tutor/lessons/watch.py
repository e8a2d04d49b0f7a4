"""Live reload for lesson authors: notice that a lesson file was saved, and load it again, checked.

Watching polls `os.stat` (no dependency, no thread of its own): a file's signature is its change
time in nanoseconds, its size and its inode, so an editor that writes in place and one that writes a
new file and renames it over the old (a new inode) are both noticed, on every file system, local or
not. The cost is one `stat` per file per look; callers look twice a second (`POLL_SECONDS`). A
folder is watched through the lesson files in it, so a lesson added or removed is noticed too.

`reload_lesson` is what both `check --watch` and the app's `--watch` do with a saved file: load it
(every problem of a broken edit, with `file:line: field: message`), then, if it loaded, `check` it
(replay, placeholders, answers) and, if that found nothing, the authors' warnings. Like `check`,
it never raises for any file content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor.lessons.advice import lesson_warnings
from tutor.lessons.check import check_lesson
from tutor.lessons.definitions import LESSON_SUFFIXES
from tutor.lessons.lesson import Lesson
from tutor.lessons.load import load_lesson
from tutor.lessons.problems import LessonError, Problem

POLL_SECONDS = 0.5

Signature = tuple[int, int, int] | None  # (st_mtime_ns, st_size, st_ino); None: cannot be read


def signature(path: Path) -> Signature:
    """What changes when `path` is saved; None when it is missing or cannot be looked at."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _snapshot(targets: Sequence[Path]) -> tuple[tuple[str, Signature], ...]:
    """Each watched file's signature; a folder stands for the lesson files in it."""
    out: list[tuple[str, Signature]] = []
    for target in targets:
        if target.is_dir():
            try:
                files = sorted(p for p in target.iterdir() if p.suffix in LESSON_SUFFIXES)
            except OSError:
                files = []
            out.extend((str(f), signature(f)) for f in files)
        else:
            out.append((str(target), signature(target)))
    return tuple(out)


class FileWatch:
    """Tells whether any of `targets` (files or folders of lessons) changed since the last look."""

    def __init__(self, targets: Sequence[Path]) -> None:
        self.targets = tuple(Path(t) for t in targets)
        self._last = _snapshot(self.targets)

    def changed(self) -> bool:
        """True once for each change seen (the first look after a save), else False."""
        now = _snapshot(self.targets)
        if now == self._last:
            return False
        self._last = now
        return True


@dataclass(frozen=True)
class Reloaded:
    """A lesson file loaded again: the lesson (None when the edit does not load) and what is wrong
    with it: the load's problems, else check's problems, else the authors' warnings."""

    lesson: Lesson | None
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity != "warning")


def reload_lesson(path: Path, *, shown_as: str | None = None) -> Reloaded:
    """Load and check the lesson file at `path` (named `shown_as` in problems, if given)."""
    try:
        lesson = load_lesson(path, shown_as=shown_as)
    except LessonError as exc:
        return Reloaded(None, tuple(exc.problems))
    problems = check_lesson(lesson)
    if not problems:
        problems = lesson_warnings(lesson)
    return Reloaded(lesson, tuple(problems))
