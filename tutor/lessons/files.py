"""Lesson files on disk: what a lesson file is called, where they are looked for, how a path is
shown. Light on purpose (standard library, `tutor.paths` and `tutor.text` only): a warm
`perceptron-tutor list` (tutor/lessons/listing.py) needs these and not the format itself."""

from __future__ import annotations

from pathlib import Path

from tutor import paths
from tutor import text as untrusted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

LESSON_SUFFIXES = (".yaml", ".yml")


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


def display_path(path: Path) -> str:
    """A path as the learner would type it: relative to the current folder when inside it.

    Cleaned of unsafe characters (tutor/text.py): file names come from other people too.
    """
    try:
        return untrusted.clean(str(path.resolve().relative_to(Path.cwd().resolve())))
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        return untrusted.clean(str(path))
