"""`perceptron-tutor progress|reset|review|export|import`: the progress store on the command line.

Kept apart from tutor/cli.py so that the storage layer owns its commands and strings; the CLI calls
`add_progress_commands` and then `args.handler(args)`. No textual here (except `review` on a
terminal, which opens the app's review screen): these commands must start fast and work without a
full-screen terminal. Every handler returns the exit status (0 fine,
1 failed, 2 usage) and never lets an exception out for a learner's mistake (bad file, bad JSON).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.i18n import t
from tutor.text import clean, clean_path

if TYPE_CHECKING:
    from tutor.progress import LessonSummary, Store

# tutor.progress (and sqlite3) load in the handlers: the CLI builds these commands' parsers for
# every command, and `list`, `check`, `trace` must not pay for the store.

YES_WORDS = {"y", "yes", "예", "네", "응", "ㅇ"}


def add_progress_commands(
    sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str
) -> None:
    """Add the five commands to `sub`; each sets `handler`, which takes the parsed args."""

    def add(name: str, handler: Any) -> argparse.ArgumentParser:
        parser = sub.add_parser(
            name,
            parents=[common],
            help=t(f"progress.cli.{name}.help", lang),
            description=t(f"progress.cli.{name}.help", lang),
        )
        parser.set_defaults(handler=handler)
        return parser

    p = add("progress", cmd_progress)
    p.add_argument("--json", action="store_true", help=t("progress.cli.opt.json", lang))
    p = add("reset", cmd_reset)
    p.add_argument("lesson", nargs="?", metavar="LESSON", help=t("progress.cli.reset.lesson", lang))
    p.add_argument("--all", action="store_true", help=t("progress.cli.reset.all", lang))
    p.add_argument("--yes", action="store_true", help=t("progress.cli.reset.yes", lang))
    p = add("review", cmd_review)
    p.add_argument("--json", action="store_true", help=t("progress.cli.opt.json", lang))
    p = add("export", cmd_export)
    p.add_argument(
        "file", nargs="?", metavar="FILE", type=Path, help=t("progress.cli.export.file", lang)
    )
    p = add("import", cmd_import)
    p.add_argument("file", metavar="FILE", type=Path, help=t("progress.cli.import.file", lang))


def _open(lang: str) -> Store:
    from tutor.progress import open_store

    store = open_store(lang=lang)
    if store.warning:
        print(store.warning, file=sys.stderr)
    return store


def _lesson_titles(extra_dirs: Sequence[Path], lang: str) -> dict[str, tuple[str, int]]:
    """id -> (title, number of questions) of every lesson that loads; {} if lessons cannot load.

    Progress must be viewable even when the lessons are broken, so any failure here only means
    the table has no titles.
    """
    try:
        from tutor.lessons import discover

        lessons, _ = discover(extra_dirs)
        return {lesson.id: (lesson.title.get(lang), len(lesson.questions())) for lesson in lessons}
    except Exception:
        return {}


# --- progress -------------------------------------------------------------------------------------


def _row(summary: LessonSummary, title: str, questions: int | None) -> dict[str, Any]:
    position = summary.position
    return {
        "id": summary.lesson_id,
        "title": title,
        "status": summary.status,
        "unit": position.unit_id if position else None,
        "step": position.step if position else None,
        "right": summary.right,
        "answered": summary.answered,
        "questions": questions,
        "seconds": round(summary.seconds, 1),
    }


def cmd_progress(args: argparse.Namespace) -> int:
    lang = args.lang
    store = _open(lang)
    try:
        catalog = _lesson_titles(getattr(args, "lessons", []), lang)
        summaries = {s.lesson_id: s for s in store.summaries()}
        ids = list(catalog) + sorted(set(summaries) - set(catalog))
        rows = []
        for lesson_id in ids:
            summary = summaries.get(lesson_id) or store.summary(lesson_id)
            title, questions = catalog.get(lesson_id, ("", None))
            rows.append(_row(summary, title, questions))
        from tutor.progress.review import due_entries

        due = len(due_entries(store, store.now()))
        saving, warning = store.saving, store.warning
    finally:
        store.close()
    if args.json:
        out = {"lessons": rows, "review_due": due, "saving": saving, "warning": warning}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print(t("progress.cli.progress.empty", lang))
        return 0
    _print_table(rows, lang)
    if due:
        print(t("progress.cli.progress.review_due", lang, n=due))
    return 0


def _cells(row: dict[str, Any], lang: str) -> list[str]:
    where = ""
    if row["unit"] is not None:
        where = t("progress.cli.position", lang, unit=row["unit"], step=row["step"])
    score = minutes = ""  # blank rather than "0/0" and "0 min" for lessons not yet tried
    if row["answered"]:
        score = t("progress.cli.score", lang, right=row["right"], answered=row["answered"])
        if row["questions"]:
            score = t("progress.cli.score_of", lang, score=score, total=row["questions"])
    if row["seconds"] >= 30:
        minutes = t("progress.cli.minutes", lang, n=round(row["seconds"] / 60))
    status = t(f"progress.status.{row['status']}", lang)
    # Ids come from the store, which an older version may have filled from an unchecked import.
    return [clean(str(cell)) for cell in (row["id"], row["title"], status, where, score, minutes)]


def _print_table(rows: list[dict[str, Any]], lang: str) -> None:
    columns = ("id", "title", "status", "position", "score", "time")
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False)
        for key in columns:
            table.add_column(Text(t(f"progress.cli.col.{key}", lang)), overflow="fold")
        for row in rows:
            table.add_row(*(Text(cell) for cell in _cells(row, lang)))  # text, never markup
        console = Console()
        console.print(table, width=max(console.width, 40))
    else:
        for row in rows:
            print("\t".join(_cells(row, lang)))


# --- reset ----------------------------------------------------------------------------------------


def _confirmed(question: str, lang: str) -> bool:
    if not sys.stdin.isatty():
        print(t("progress.cli.reset.need_yes", lang), file=sys.stderr)
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in YES_WORDS


def _known_lesson(lesson_id: str, args: argparse.Namespace) -> bool:
    """A lesson found now (built in, user folder, --lessons) or one with saved progress."""
    from tutor.lessons import discover

    lessons, _ = discover(getattr(args, "lessons", []))
    if any(lesson.id == lesson_id for lesson in lessons):
        return True
    store = _open(args.lang)
    try:
        return any(s.lesson_id == lesson_id for s in store.summaries())
    finally:
        store.close()


def cmd_reset(args: argparse.Namespace) -> int:
    lang = args.lang
    if bool(args.lesson) == bool(args.all):
        print(t("progress.cli.reset.usage", lang), file=sys.stderr)
        return 2
    target = None if args.all else args.lesson
    if target is not None and not _known_lesson(target, args):
        print(t("progress.cli.reset.unknown", lang, lesson=target), file=sys.stderr)
        return 1
    question = (
        t("progress.cli.reset.confirm_all", lang)
        if target is None
        else t("progress.cli.reset.confirm", lang, lesson=target)
    )
    if not args.yes and not _confirmed(question, lang):
        print(t("progress.cli.reset.cancelled", lang), file=sys.stderr)
        return 1
    store = _open(lang)
    try:
        store.reset(target)
        saving = store.saving
    finally:
        store.close()
    if not saving:
        return 1
    done = (
        t("progress.cli.reset.done_all", lang)
        if target is None
        else t("progress.cli.reset.done", lang, lesson=target)
    )
    print(done)
    return 0


# --- review ---------------------------------------------------------------------------------------


def cmd_review(args: argparse.Namespace) -> int:
    """On a terminal: the review screen of the app. With --json, or piped: the list of due ones."""
    lang = args.lang
    if not args.json and sys.stdin.isatty() and sys.stdout.isatty():
        return _review_in_app(args)
    store = _open(lang)
    try:
        now = store.now()
        from tutor.progress.review import due_entries, next_due

        due = due_entries(store, now)
        upcoming = next_due(store, now)
    finally:
        store.close()
    if args.json:
        out = {
            "due": [
                {"lesson_id": e.lesson_id, "question_id": e.question_id, "box": e.box} for e in due
            ],
            "next_due": upcoming,
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if due:
        print(t("progress.cli.review.due", lang, n=len(due)))
        for e in due:
            print(
                t(
                    "progress.cli.review.item",
                    lang,
                    lesson=clean(e.lesson_id),
                    question=clean(e.question_id),
                    box=e.box,
                )
            )
    elif upcoming is not None:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(upcoming))
        print(t("progress.cli.review.next", lang, when=when))
    else:
        print(t("progress.cli.review.none", lang))
    return 0


def _review_in_app(args: argparse.Namespace) -> int:
    from tutor.progress import open_store
    from tutor.ui.app import create_app  # only here: the other commands must start fast
    from tutor.ui.lifeline import run_app

    lang = args.lang
    store = open_store(lang=lang)  # the app shows store.warning itself
    try:
        app = create_app(lang, getattr(args, "lessons", []), store, start_review=True)
    except BaseException:
        store.close()
        raise
    return run_app(app, store)  # closes the store


# --- export and import ----------------------------------------------------------------------------


class NotARegularFile(OSError):
    """The export target exists and is not a regular file (a FIFO, a device, a folder …)."""


def _write_atomically(path: Path, text: str) -> None:
    """Write next to the target and rename, so an interrupted export never leaves half a file.

    Only a regular file is ever replaced: renaming over a FIFO or a device file (as root,
    /dev/null) would replace it. Raises NotARegularFile for anything else. A symbolic link is
    followed (the file it names is written, the link stays a link), and a file that is replaced
    keeps its permissions.
    """
    path = Path(os.path.realpath(path))
    mode: int | None = None
    try:
        st = os.stat(path)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISREG(st.st_mode):
            raise NotARegularFile(path)
        mode = stat.S_IMODE(st.st_mode)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def cmd_export(args: argparse.Namespace) -> int:
    lang = args.lang
    store = _open(lang)
    try:
        text = json.dumps(store.export(), ensure_ascii=False, indent=2) + "\n"
    finally:
        store.close()
    if args.file is None or str(args.file) == "-":
        sys.stdout.write(text)
        return 0
    try:
        _write_atomically(args.file, text)
    except NotARegularFile:
        print(t("progress.cli.export.not_regular", lang, path=clean_path(args.file)),
              file=sys.stderr)
        return 1
    except OSError as error:
        print(
            t("progress.cli.export.failed", lang, path=clean_path(args.file),
              error=error.strerror or error),
            file=sys.stderr,
        )
        return 1
    print(t("progress.cli.export.done", lang, path=clean_path(args.file)), file=sys.stderr)
    return 0


class _TooBig(Exception):
    pass


class _TooMany(Exception):
    pass


def _most_values(raw: bytes) -> int:
    """An upper bound of the values in a JSON text, counted on the bytes before parsing: every
    value but the first follows a `[`, a `,` or a `:` (those inside strings only add to the
    bound)."""
    return 1 + raw.count(b"[") + raw.count(b",") + raw.count(b":")


def _read_import(file: Path) -> str:
    """The text of an export, at most MAX_IMPORT_BYTES holding at most MAX_IMPORT_VALUES values
    (standard input for `-`)."""
    from tutor.progress import MAX_IMPORT_BYTES, MAX_IMPORT_VALUES

    if str(file) == "-":
        raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        if not stat.S_ISREG(os.stat(file).st_mode):  # a FIFO would block, a device never end
            raise NotARegularFile(file)
        with file.open("rb") as f:
            raw = f.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise _TooBig
    if _most_values(raw) > MAX_IMPORT_VALUES:
        raise _TooMany
    return raw.decode("utf-8-sig")  # a byte-order mark (Windows editors write one) is not JSON


class _DuplicateKey(ValueError):
    """A JSON object that gives one key twice: which value is meant is not ours to guess."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json's object_pairs_hook: the object as a dict, or _DuplicateKey for a key given twice
    (json.loads alone keeps the last value silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _bounded_int(digits: str) -> int:
    """JSON integers up to 30 digits (every bound of the store is far below); longer ones are
    refused before int() spends time on them."""
    if len(digits) > 30:
        raise ValueError("number too long")
    return int(digits)


def cmd_import(args: argparse.Namespace) -> int:
    from tutor.progress import MAX_IMPORT_BYTES, MAX_IMPORT_VALUES, ProgressDataError

    lang = args.lang
    shown = clean_path(args.file)
    try:
        text = _read_import(args.file)
    except NotARegularFile:
        print(t("progress.cli.import.not_regular", lang, path=shown), file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        print(t("progress.cli.import.unreadable", lang, path=shown, error=reason), file=sys.stderr)
        return 1
    except _TooBig:
        print(t("progress.cli.import.too_big", lang, path=shown, limit=f"{MAX_IMPORT_BYTES:,}"),
              file=sys.stderr)
        return 1
    except _TooMany:
        print(t("progress.cli.import.too_many", lang, path=shown,
                limit=f"{MAX_IMPORT_VALUES:,}"), file=sys.stderr)
        return 1
    try:
        data = json.loads(text, parse_int=_bounded_int, object_pairs_hook=_no_duplicate_keys)
    except _DuplicateKey as error:
        key = clean(error.key)
        key = key if len(key) <= 40 else key[:40] + "…"
        print(t("progress.cli.import.duplicate_key", lang, path=shown, key=key), file=sys.stderr)
        return 1
    except json.JSONDecodeError as error:
        print(t("progress.cli.import.not_json", lang, path=shown, line=error.lineno),
              file=sys.stderr)
        return 1
    except (ValueError, RecursionError):  # a 5000-digit number; nesting deeper than Python's stack
        print(t("progress.cli.import.too_deep", lang, path=shown), file=sys.stderr)
        return 1
    store = _open(lang)
    try:
        store.import_(data)
        saving = store.saving
    except ProgressDataError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        store.close()
    if not saving:
        return 1
    print(t("progress.cli.import.done", lang, path=shown), file=sys.stderr)
    return 0
