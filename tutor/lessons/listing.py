"""What `perceptron-tutor list` shows of each lesson file, kept between runs (issue 10: start-up).

A warm `list` reads and hashes every lesson file and builds no lesson: what it shows of a file
(`Listed`: id, titles, counts, languages, order; or the problems of a broken file) is kept in one
JSON file in the user cache folder, under the SHA-256 of everything that record is made from:

- the file's bytes: the very bytes that are hashed are the ones loaded on a miss
  (`load_lesson(raw=...)`), so an edit, even within the same second and of the same size, is a
  new key, and an edited file's old title or old problems can never be shown;
- the path as given and as shown (a file name is checked, and problems name the file);
- `VERSION`, and the cache file is per installation (the package's folder, `sys.prefix`, the
  Python version). The cache file also holds the size and change time of every module of the
  tutor and of PyYAML that was loaded when its records were made: if any of them has changed or
  is gone (a new version, an edited checkout), no record of it is used.

The cache is only a shortcut, never trusted more than the file: it is JSON (reading it runs no
code), every record is checked for its shapes and a record that is not as expected is a miss;
a record is kept only when reading it back gives exactly what the loader gave (so a problem
whose message the loader bounded, say, is loaded every time instead); writing is best effort
(a temporary file, then an atomic replace). What is not a regular file of at most
`limits.MAX_FILE_BYTES` that can be read (a FIFO, a symlink loop, a device) is loaded every time,
for the loader's own message, as is a file whose loading raises anything but LessonError.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from hashlib import sha256
from pathlib import Path

from tutor import limits, paths
from tutor import text as untrusted
from tutor.i18n import DEFAULT_LANGUAGE, LANGUAGES
from tutor.lessons.discovery import walk
from tutor.lessons.files import display_path, read_regular

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from tutor.lessons.lesson import Lesson
    from tutor.lessons.problems import Problem

VERSION = 1  # bump when what a record holds, or how it is made, changes
MAX_RECORDS = 512  # files remembered; past that, the ones not listed in this run go first
MAX_RECORD_BYTES = 16_000  # a file with more problems than fit here is loaded every time
MAX_CACHE_BYTES = MAX_RECORDS * MAX_RECORD_BYTES  # a cache file bigger than this is not read
_CODE_PACKAGES = ("tutor", "yaml")  # whose loaded modules made the records


class Listed:
    """One lesson as `list` shows it. `titles` has the title in every language of
    `tutor.i18n.LANGUAGES`, as `Text.get` gives it; `pack` is set by `walk`."""

    __slots__ = ("display_path", "id", "languages", "order", "pack", "path", "quizzes", "titles",
                 "trainings", "units")

    def __init__(self, path: Path, display_path: str, id: str, titles: dict[str, str],
                 units: int, trainings: int, quizzes: int, languages: list[str],
                 order: float) -> None:
        self.path = path
        self.display_path = display_path
        self.id = id
        self.titles = titles
        self.units = units
        self.trainings = trainings
        self.quizzes = quizzes
        self.languages = languages
        self.order = order
        self.pack: str | None = None

    def title(self, lang: str) -> str:
        return self.titles.get(lang, self.titles[DEFAULT_LANGUAGE])

    def fields(self) -> list[Any]:
        """What a record of the cache holds (the path and the pack are not the file's)."""
        return [self.id, self.titles, self.units, self.trainings, self.quizzes, self.languages,
                self.order]


def list_lessons(extra_dirs: Sequence[Path | str] = ()) -> tuple[list[Listed], list[Problem]]:
    """What `discover(extra_dirs)` finds, as `Listed` records, with the same problems in the
    same order; each file's record from the cache when it holds one for these bytes."""
    cache = _Cache(_cache_file())
    try:
        return walk(extra_dirs, cache.read)
    finally:
        cache.save()


def _cache_file() -> Path:
    """One file per installation: two venvs sharing a home folder never share records."""
    install = sha256("\0".join((str(Path(__file__).resolve().parent.parent), sys.prefix,
                                sys.version)).encode("utf-8", "surrogatepass")).hexdigest()
    return paths.cache_dir() / f"listed-v{VERSION}-{install[:16]}.json"


def _read_bytes(path: Path) -> bytes | None:
    """The bytes of a regular file of at most `limits.MAX_FILE_BYTES`, else None (the loader
    then reads it, and says what is wrong with it in its own words). See `read_regular`."""
    return read_regular(path, limits.MAX_FILE_BYTES)


def _key(path: Path, shown: str, raw: bytes) -> str:
    digest = sha256(f"v{VERSION}\0".encode())
    digest.update(os.fsencode(path) + b"\0" + shown.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _code_stamp(files: Sequence[str]) -> dict[str, list[int]] | None:
    """[size, change time in ns] of each file, or None if one cannot be read."""
    stamp: dict[str, list[int]] = {}
    for file in files:
        try:
            st = os.stat(file)
        except (OSError, ValueError):
            return None
        stamp[file] = [st.st_size, st.st_mtime_ns]
    return stamp


def _loaded_code() -> list[str]:
    """The files of every module of `_CODE_PACKAGES` loaded in this process."""
    files = []
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in _CODE_PACKAGES:
            file = getattr(module, "__file__", None)
            if isinstance(file, str):
                files.append(file)
    return sorted(files)


def _listed(record: Any, path: Path, shown: str) -> Listed:
    """A record of the cache as `Listed`; ValueError, TypeError or KeyError if it is not one."""
    lid, titles, units, trainings, quizzes, languages, order = record
    if not (isinstance(lid, str) and isinstance(titles, dict)
            and set(titles) == set(LANGUAGES) and all(isinstance(v, str) for v in titles.values())
            and all(type(n) is int for n in (units, trainings, quizzes))
            and isinstance(languages, list) and all(lang in LANGUAGES for lang in languages)
            and type(order) is float and _clean(lid, *titles.values())):
        raise ValueError("not a record")
    return Listed(path, shown, lid, titles, units, trainings, quizzes, languages, order)


def _clean(*strings: str) -> bool:
    """True when no string holds what the loader would have removed (tutor/text.py): a record
    is text shown on the terminal, and a hand-edited cache must not bring an escape sequence
    past the one cleaning boundary."""
    return all(untrusted.first_unsafe(s) is None for s in strings)


def _problems(record: Any, shown: str) -> list[Problem]:
    """A broken file's record of the cache as its problems; ValueError etc. if it is not one."""
    from tutor.lessons.problems import Problem

    out = []
    for line, field, message, severity in record:
        if not (type(line) is int and isinstance(field, str) and isinstance(message, str)
                and severity in ("error", "warning") and _clean(field, message)):
            raise ValueError("not a record")
        out.append(Problem(shown, line, field, message, severity))
    if not out:
        raise ValueError("a broken file has problems")
    return out


class _Cache:
    """The records of one cache file: read once, written back once if something was added."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.records: dict[str, Any] = {}
        self.code: dict[str, list[int]] = {}
        self.used: dict[str, Any] = {}
        self.added = False
        try:
            # not open(): the cache file swapped for a FIFO would make `list` wait forever
            raw = read_regular(file, MAX_CACHE_BYTES)
            if raw is None:
                return
            doc = json.loads(raw)
            code = doc["code"]
            records = doc["records"]
            if (isinstance(code, dict) and isinstance(records, dict)
                    and _code_stamp(list(code)) == code):
                self.code, self.records = code, records
        except Exception:  # missing, damaged, too big, foreign, or made by other code
            pass

    def read(self, path: Path) -> Listed:
        """`path`'s record: from the cache, else loaded (and kept). Raises LessonError with the
        file's problems when it is not a lesson, as `load_lesson` does."""
        raw = _read_bytes(path)
        if raw is None:  # not something to read: loaded every time, never kept
            from tutor.lessons.load import load_lesson

            return _from_lesson(load_lesson(path), path)
        shown = display_path(path)
        key = _key(path, shown, raw)
        record = self.records.get(key)
        if record is not None:
            try:
                found = _decode(record, path, shown)
            except Exception:  # damaged or foreign: load the file instead
                pass
            else:
                self.used[key] = record
                if isinstance(found, Listed):
                    return found
                from tutor.lessons.problems import LessonError

                raise LessonError(found)
        return self._load(path, shown, key, raw)

    def _load(self, path: Path, shown: str, key: str, raw: bytes) -> Listed:
        """Load the lesson from `raw`, and keep its record if reading it back gives the same."""
        from tutor.lessons.load import load_lesson
        from tutor.lessons.problems import LessonError

        try:
            listed = _from_lesson(load_lesson(path, raw=raw), path)
        except LessonError as exc:
            self._keep(key, {"problems": [[p.line, p.field, p.message, p.severity]
                                          for p in exc.problems]},
                       exc.problems, path, shown)
            raise
        self._keep(key, listed.fields(), listed, path, shown)
        return listed

    def _keep(self, key: str, record: Any, original: Listed | list[Problem], path: Path,
              shown: str) -> None:
        with contextlib.suppress(Exception):
            text = json.dumps(record)
            if len(text) > MAX_RECORD_BYTES:
                return
            again = _decode(json.loads(text), path, shown)
            if isinstance(original, Listed):
                same = (isinstance(again, Listed) and again.fields() == original.fields()
                        and original.display_path == shown)
            else:
                same = again == original
            if same:
                self.used[key] = record
                self.added = True

    def save(self) -> None:
        """Write the records used in this run, then older ones up to `MAX_RECORDS` (best
        effort: a read-only or full disk only means no shortcut next time)."""
        if not self.added:
            return
        code = _code_stamp(_loaded_code())
        if code is None:
            return
        records = dict(self.used)
        for key, record in self.records.items():
            if len(records) >= MAX_RECORDS:
                break
            records.setdefault(key, record)
        temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"code": {**self.code, **code}, "records": records}),
                                 encoding="utf-8")
            os.replace(temporary, self.file)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                temporary.unlink()


def _decode(record: Any, path: Path, shown: str) -> Listed | list[Problem]:
    """A record of the cache: a lesson's (a list) or a broken file's (a mapping)."""
    if isinstance(record, dict):
        return _problems(record["problems"], shown)
    return _listed(record, path, shown)


def _from_lesson(lesson: Lesson, path: Path) -> Listed:
    return Listed(path, lesson.display_path, lesson.id, {lang: lesson.title.get(lang) for lang in LANGUAGES},
                  len(lesson.units), len(lesson.trainings), len(lesson.questions()),
                  list(lesson.languages), float(lesson.order))
