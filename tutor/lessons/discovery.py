"""Finding lessons: the built-in folder, the user's folder, `--lessons` folders, installed lesson
packs (tutor/lessons/packs.py); by id or path.

`walk` is the one order and the one rule for clashing ids, whatever a file is read into: a
`Lesson` here (`discover`), or the short record `perceptron-tutor list` shows
(tutor/lessons/listing.py). The format's modules load only when a file is read, so that a warm
`list` never loads them.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from tutor import limits
from tutor.lessons.files import LESSON_SUFFIXES, display_path, lesson_dirs, lesson_files
from tutor.lessons.packs import installed_packs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Protocol, TypeVar

    from tutor.lessons.lesson import Lesson
    from tutor.lessons.problems import Problem

    class Found(Protocol):
        """What `walk` and `id_clash` read of a lesson found: a `Lesson`, or what `list` shows."""

        id: str
        pack: str | None
        display_path: str
        order: float

    F = TypeVar("F", bound=Found)

__all__ = ["discover", "find_lesson", "id_clash", "lesson_dirs", "lesson_files", "source_of",
           "walk"]


def id_clash(lesson: F, first_of: dict[str, F]) -> Problem | None:
    """The problem of a lesson whose id an earlier lesson already has, else None.

    `first_of` remembers the first lesson found with each id, so that is the one a clash names
    (and the one `discover` keeps); `perceptron-tutor check` reports clashes the same way.
    """
    first = first_of.setdefault(lesson.id, lesson)
    if first is lesson:
        return None
    from tutor.lessons.problems import Problem

    message = f"lesson id '{lesson.id}' is also used by {source_of(first)}"
    if lesson.pack is not None:
        message += f"; this file is from lesson pack '{lesson.pack}'"
    return Problem(lesson.display_path, 0, "id", message)


def source_of(lesson: Found) -> str:
    """Where a lesson comes from, for a message: its file, and its pack if it has one."""
    if lesson.pack is None:
        return lesson.display_path
    return f"{lesson.display_path} (lesson pack '{lesson.pack}')"


def walk(extra_dirs: Sequence[Path | str],
         read: Callable[[Path], F]) -> tuple[list[F], list[Problem]]:
    """`read` of every lesson file found, sorted by order then id, and the problems met.

    Looked for in `lesson_dirs`, then in the installed lesson packs (last: a pack never hides a
    lesson of the tutor's, the learner's or a `--lessons` folder). A lesson id found in two files
    is a problem naming both; the first one found is kept. `read` raises LessonError for a file
    that is not a lesson; anything else it raises is a bug, reported as a problem of that file.
    """
    found: list[F] = []
    problems: list[Problem] = []
    by_id: dict[str, F] = {}
    sources: list[tuple[Path, str | None]] = [(folder, None) for folder in lesson_dirs(extra_dirs)]
    packs, pack_problems = installed_packs()
    problems.extend(pack_problems)
    sources.extend((pack.folder, pack.name) for pack in packs)
    for folder, pack in sources:
        if not folder.is_dir():
            from tutor.lessons.problems import Problem

            problems.append(Problem(str(folder), 0, "", "is not a folder of lessons"))
            continue
        for file in lesson_files(folder):
            try:
                lesson = read(file)
            except Exception as exc:
                from tutor.lessons.problems import LessonError, Problem

                if isinstance(exc, LessonError):
                    problems.extend(exc.problems)
                else:  # a bug met by one file must not hide every other lesson
                    problems.append(Problem(display_path(file), 0, "", f"could not be loaded "
                                            f"({type(exc).__name__}); please report this file"))
                continue
            lesson.pack = pack
            clash = id_clash(lesson, by_id)
            if clash is not None:
                problems.append(clash)
                continue
            found.append(lesson)
    found.sort(key=lambda lesson: (lesson.order, lesson.id))
    return found, problems


def discover(extra_dirs: Sequence[Path | str] = ()) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson found (`walk`, each file loaded as a `Lesson`), and the problems met."""
    from tutor.lessons.load import load_lesson

    return walk(extra_dirs, load_lesson)


def find_lesson(name: str, extra_dirs: Sequence[Path | str] = ()) -> Lesson:
    """A lesson by id, or by the path of its file."""
    from tutor.lessons.load import load_lesson
    from tutor.lessons.problems import LessonError, Problem, suggest

    p = Path(name)
    if p.suffix in LESSON_SUFFIXES or p.exists():
        if p.is_file():
            return load_lesson(p)
        raise LessonError([Problem(name, 0, "", "no such lesson file")])
    found = _find_by_id_line(name, extra_dirs)
    if found is not None:
        return found
    lessons, problems = discover(extra_dirs)
    for lesson in lessons:
        if lesson.id == name:
            return lesson
    dupes = [pr for pr in problems if pr.field == "id" and f"'{name}'" in pr.message]
    if dupes:
        raise LessonError(dupes)
    ids = [lesson.id for lesson in lessons]
    raise LessonError(
        [
            Problem(
                name,
                0,
                "",
                f"no lesson with this id{suggest(name, ids)}; known: {', '.join(ids) or 'none'}",
            )
        ]
    )


@cache
def _id_lines() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A top-level `id: some-id` line (a plain scalar, an optional comment after it), and any
    line that starts with `id:`."""
    from tutor.lessons.definitions import ID_RE

    return (re.compile(rf"^id:[ \t]+({ID_RE.strip('^$')})[ \t]*(?:#.*)?$", re.MULTILINE),
            re.compile(r"^id:", re.MULTILINE))


def _find_by_id_line(name: str, extra_dirs: Sequence[Path | str]) -> Lesson | None:
    """The lesson `find_lesson(name)` would find, by reading only the `id:` line of the files
    before it and parsing that one file; None when that is not certain (`discover` decides).

    `discover` keeps the first file, in folder and file order, that loads with an id; so this
    answers only when every file before the candidate shows one plain `id:` line that is not
    `name`, and the candidate shows `id: name` and loads with that id. A file whose `id` is
    written any other way (quoted, in a flow mapping, twice), or that cannot be read, leaves
    the answer to `discover`, as does a candidate that does not load.
    """
    from tutor.lessons.load import load_lesson

    id_line, any_id_line = _id_lines()
    for folder in lesson_dirs(extra_dirs):
        if not folder.is_dir():
            return None
        for file in lesson_files(folder):
            try:
                with file.open("rb") as f:
                    source = f.read(limits.MAX_FILE_BYTES + 1).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            if len(any_id_line.findall(source)) != 1:
                return None
            match = id_line.search(source)
            if match is None:
                return None
            if match.group(1) != name:
                continue
            try:
                lesson = load_lesson(file)
            except Exception:
                return None
            return lesson if lesson.id == name else None
    return None
