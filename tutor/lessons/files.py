"""Lesson files on disk: what a lesson file is called, where they are looked for, how a path is
shown. Light on purpose (standard library, `tutor.paths` and `tutor.text` only): a warm
`perceptron-tutor list` (tutor/lessons/listing.py) needs these and not the format itself."""

from __future__ import annotations

import os
import stat
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


def read_regular(path: Path | str, limit: int) -> bytes | None:
    """The bytes of `path` when it is a regular file of at most `limit` bytes (a symlink to
    one too), else None: a FIFO, a device, a folder, a missing or unreadable file, a bigger one.

    Looked at before it is opened (a device is never opened), then opened without waiting and
    looked at again, so that a file swapped for a FIFO in between cannot make a read hang, and
    never more than `limit` + 1 bytes are read (a link to /dev/zero is no regular file)."""
    try:
        if not _small_regular(os.stat(path), limit):
            return None
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (OSError, ValueError):
        return None
    try:
        if not _small_regular(os.fstat(fd), limit):
            return None
        with open(fd, "rb", closefd=False) as f:
            raw = f.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return raw if len(raw) <= limit else None


def _small_regular(st: os.stat_result, limit: int) -> bool:
    return stat.S_ISREG(st.st_mode) and st.st_size <= limit
