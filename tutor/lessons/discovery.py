"""Finding lessons: the built-in folder, the user's folder, `--lessons` folders, installed lesson
packs (tutor/lessons/packs.py); by id or path."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from tutor import limits, paths
from tutor.lessons.definitions import ID_RE, LESSON_SUFFIXES
from tutor.lessons.lesson import Lesson
from tutor.lessons.load import display_path, load_lesson
from tutor.lessons.packs import installed_packs
from tutor.lessons.problems import LessonError, Problem, suggest


def lesson_dirs(extra: Sequence[Path | str] = ()) -> list[Path]:
    """Where lessons are looked for: built-in, the user folder, then `--lessons` folders."""
    dirs = [paths.builtin_lessons_dir()]
    user = paths.user_lessons_dir()
    if user.is_dir():
        dirs.append(user)
    dirs.extend(Path(d) for d in extra)
    return dirs


def lesson_files(folder: Path) -> list[Path]:
    """The lesson files of a folder, sorted; [] for a folder that cannot be read.

    Anything else named like a lesson is listed too, so that loading it reports why it cannot
    be read rather than it being skipped silently: a link that leads nowhere (a loop of links, a
    missing target), a FIFO, a device or a link to one. A folder named like a lesson is not a
    lesson file.
    """
    try:
        return sorted(p for p in folder.iterdir()
                      if p.suffix in LESSON_SUFFIXES and not p.is_dir())
    except OSError:
        return []


def id_clash(lesson: Lesson, first_of: dict[str, Lesson]) -> Problem | None:
    """The problem of a lesson whose id an earlier lesson already has, else None.

    `first_of` remembers the first lesson found with each id, so that is the one a clash names
    (and the one `discover` keeps); `perceptron-tutor check` reports clashes the same way.
    """
    first = first_of.setdefault(lesson.id, lesson)
    if first is lesson:
        return None
    message = f"lesson id '{lesson.id}' is also used by {source_of(first)}"
    if lesson.pack is not None:
        message += f"; this file is from lesson pack '{lesson.pack}'"
    return Problem(lesson.display_path, 0, "id", message)


def source_of(lesson: Lesson) -> str:
    """Where a lesson comes from, for a message: its file, and its pack if it has one."""
    if lesson.pack is None:
        return lesson.display_path
    return f"{lesson.display_path} (lesson pack '{lesson.pack}')"


def discover(extra_dirs: Sequence[Path | str] = ()) -> tuple[list[Lesson], list[Problem]]:
    """Every lesson found, sorted by order then id, and the problems met on the way.

    Looked for in `lesson_dirs`, then in the installed lesson packs (last: a pack never hides a
    lesson of the tutor's, the learner's or a `--lessons` folder). A lesson id found in two files
    is a problem naming both; the first one found is kept.
    """
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    by_id: dict[str, Lesson] = {}
    sources: list[tuple[Path, str | None]] = [(folder, None) for folder in lesson_dirs(extra_dirs)]
    packs, pack_problems = installed_packs()
    problems.extend(pack_problems)
    sources.extend((pack.folder, pack.name) for pack in packs)
    for folder, pack in sources:
        if not folder.is_dir():
            problems.append(Problem(str(folder), 0, "", "is not a folder of lessons"))
            continue
        for file in lesson_files(folder):
            try:
                lesson = load_lesson(file)
            except LessonError as exc:
                problems.extend(exc.problems)
                continue
            except Exception as exc:  # a bug met by one file must not hide every other lesson
                problems.append(Problem(display_path(file), 0, "", f"could not be loaded "
                                        f"({type(exc).__name__}); please report this file"))
                continue
            lesson.pack = pack
            clash = id_clash(lesson, by_id)
            if clash is not None:
                problems.append(clash)
                continue
            lessons.append(lesson)
    lessons.sort(key=lambda lesson: (lesson.order, lesson.id))
    return lessons, problems


def find_lesson(name: str, extra_dirs: Sequence[Path | str] = ()) -> Lesson:
    """A lesson by id, or by the path of its file."""
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


# a top-level `id: some-id` line (a plain scalar, an optional comment after it)
_ID_LINE = re.compile(rf"^id:[ \t]+({ID_RE.strip('^$')})[ \t]*(?:#.*)?$", re.MULTILINE)
_ANY_ID_LINE = re.compile(r"^id:", re.MULTILINE)


def _find_by_id_line(name: str, extra_dirs: Sequence[Path | str]) -> Lesson | None:
    """The lesson `find_lesson(name)` would find, by reading only the `id:` line of the files
    before it and parsing that one file; None when that is not certain (`discover` decides).

    `discover` keeps the first file, in folder and file order, that loads with an id; so this
    answers only when every file before the candidate shows one plain `id:` line that is not
    `name`, and the candidate shows `id: name` and loads with that id. A file whose `id` is
    written any other way (quoted, in a flow mapping, twice), or that cannot be read, leaves
    the answer to `discover`, as does a candidate that does not load.
    """
    for folder in lesson_dirs(extra_dirs):
        if not folder.is_dir():
            return None
        for file in lesson_files(folder):
            try:
                with file.open("rb") as f:
                    source = f.read(limits.MAX_FILE_BYTES + 1).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            if len(_ANY_ID_LINE.findall(source)) != 1:
                return None
            match = _ID_LINE.search(source)
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
