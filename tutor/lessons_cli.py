"""`perceptron-tutor list|check|schema|new`: the commands of lesson authors and of `list`.

Kept apart from tutor/cli.py as progress_cli.py is: `add_lesson_commands` adds the parsers, each
sets `handler`, which takes the parsed args and returns the exit status (0 fine, 1 problems found;
a `UsageError` is status 2). No textual here, and the lesson format loads in the handlers only.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from tutor.cli_common import MIN_WIDTH, UsageError, print_problems
from tutor.i18n import t

TYPE_CHECKING = False
if TYPE_CHECKING:  # a warm `list` (tutor/cli.py's fast path) loads this module: no more than it needs
    import argparse
    from collections.abc import Callable, Sequence
    from typing import Any

    from tutor.working import WorkLine


def add_lesson_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                        lang: str) -> None:
    """Add `list`, `check`, `schema` and `new` to `sub`; `common` holds --lessons and --lang."""
    import argparse

    formatter = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("list", parents=[common], help=t("cli.list.help", lang),
                       description=t("cli.list.help", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.set_defaults(handler=lambda a: cmd_list(a.lessons, a.lang, as_json=a.json))
    p = sub.add_parser("check", parents=[common], help=t("cli.check.help", lang),
                       description=t("cli.check.description", lang), formatter_class=formatter)
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path, help=t("cli.check.paths", lang))
    p.add_argument("--json", action="store_true", help=t("cli.check.json", lang))
    p.add_argument("--watch", action="store_true", help=t("cli.check.watch", lang))
    p.set_defaults(handler=lambda a: cmd_check(a.paths, a.lessons, a.lang, as_json=a.json,
                                               watch=a.watch))
    p = sub.add_parser("schema", parents=[common], help=t("cli.schema.help", lang),
                       description=t("cli.schema.description", lang), formatter_class=formatter)
    p.set_defaults(handler=lambda a: cmd_schema())
    p = sub.add_parser("new", parents=[common], help=t("cli.new.help", lang),
                       description=t("cli.new.description", lang), formatter_class=formatter)
    p.add_argument("id", metavar="ID", help=t("cli.new.id", lang))
    p.add_argument("--model", choices=("perceptron", "linear", "mlp"), default="perceptron",
                   help=t("cli.new.model", lang))
    p.add_argument("--to", metavar="DIR", type=Path, default=None, help=t("cli.new.to", lang))
    p.set_defaults(handler=lambda a: cmd_new(a.id, a.model, a.to, a.lessons, a.lang))


# ------------------------------------------------------------------------------------ list


_LIST_COLUMNS = ("id", "title", "units", "trainings", "quizzes", "folder")  # in a terminal, or tabbed


_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")


def _cell(value: object) -> str:
    """A value as one tab-separated cell: tabs and line breaks (which a title, a problem or a
    file name may hold) become a space, so no lesson can add a row or a column of its own."""
    return _LINE_BREAKS.sub(" ", str(value))


def _shown(value: object) -> str:
    """A cell of `list`'s table: "-" for a count a broken file does not have."""
    return "-" if value is None else str(value)


def cmd_list(extra_dirs: Sequence[Path], lang: str, *, as_json: bool) -> int:
    """Every lesson found, with its counts, and every broken file with its problems.

    What is shown of each file comes from tutor/lessons/listing.py, which keeps it between runs
    (keyed on the file's bytes), so a warm `list` builds no lesson."""
    from tutor.lessons.files import LESSON_SUFFIXES
    from tutor.lessons.listing import list_lessons

    lessons, problems = list_lessons(extra_dirs)
    rows: list[dict[str, object]] = [
        {
            "id": lesson.id,
            "title": lesson.title(lang),
            "path": str(lesson.path),
            "folder": str(lesson.path.parent),
            "status": "ok",
            "pack": lesson.pack,  # the lesson pack it came from, or None
            "units": lesson.units,
            "trainings": lesson.trainings,
            "quizzes": lesson.quizzes,
            "languages": list(lesson.languages),
        }
        for lesson in lessons
    ]
    # A file that did not load is listed too, as broken, with its first problem (in the table)
    # and all of them (in JSON), each as `file:line: field: message`.
    loaded = {lesson.display_path for lesson in lessons}
    broken: dict[str, list[Any]] = {}
    for p in problems:
        if p.file not in loaded and p.file.endswith(LESSON_SUFFIXES):
            broken.setdefault(p.file, []).append(p)
    for file, found in broken.items():
        first = found[0]
        where = f"{first.line}: " if first.line else ""
        what = f"{first.field}: {first.message}" if first.field else first.message
        rows.append({
            "id": Path(file).stem, "title": t("cli.list.broken", lang, problem=where + what),
            "path": file, "folder": str(Path(file).parent), "status": "broken", "pack": None,
            "problem": str(first), "problems": [str(p) for p in found],
            "units": None, "trainings": None, "quizzes": None, "languages": [],
        })
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        print_problems(problems)
        return 1 if problems else 0
    for row in rows:  # the folder column of a pack's lesson names the pack
        if row.get("pack") is not None:
            row["folder"] = t("cli.list.pack", lang, name=row["pack"])
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(box=None, pad_edge=False)
        for key in _LIST_COLUMNS:
            table.add_column(Text(t(f"cli.list.col.{key}", lang)),
                             justify="right" if key in ("units", "trainings", "quizzes") else "left",
                             overflow="fold", no_wrap=key == "id")
        for row in rows:
            # Text, never markup: a title is whatever a lesson's author wrote.
            table.add_row(*(Text(_shown(row[k])) for k in _LIST_COLUMNS))
        console = Console()
        if console.width < MIN_WIDTH:  # COLUMNS=5: wrap in the terminal rather than print blanks
            console = Console(width=MIN_WIDTH)
        console.print(table)
    else:
        for row in rows:
            print("\t".join(_cell(_shown(row[k])) for k in _LIST_COLUMNS))
    print_problems(problems)
    return 1 if problems else 0


# ----------------------------------------------------------------------------------- check


def _labelled(line: WorkLine, lesson_id: str) -> Callable[[str], WorkLine]:
    """For check_lesson: the work line, labelled with the lesson and the unit being run."""

    def for_unit(unit_id: str) -> WorkLine:
        line.label = f"{lesson_id} · {unit_id}"
        return line

    return for_unit


def cmd_check(targets: Sequence[Path], extra_dirs: Sequence[Path], lang: str, *,
              as_json: bool = False, watch: bool = False) -> int:
    """Problems (exit 1) and warnings (shown, exit 0) of lesson files, folders or lesson ids.

    With `watch`, check again each time one of them is saved, until Ctrl+C; the status is then
    the last check's.
    """
    if not watch:
        return _check_once(targets, extra_dirs, lang, as_json=as_json)
    from tutor.lessons.watch import POLL_SECONDS, FileWatch

    def watch_from_now() -> tuple[int, FileWatch]:
        # the files as they are before a check reads them: a save made while it runs (or just
        # after "watching" is printed) is a change; taken after, it was the new normal and the
        # save was never checked (the watch test waited for ever 1 run in 4)
        files = _lesson_paths(targets, extra_dirs, lang, [])
        watched = [*files, *(target for target in targets if target.is_dir())]
        return len(files), FileWatch(watched)

    count, seen = watch_from_now()
    status = _check_once(targets, extra_dirs, lang, as_json=as_json)
    try:
        while True:
            print(t("cli.check.watching", lang, files=count), file=sys.stderr)
            while not seen.changed():
                time.sleep(POLL_SECONDS)
            print(t("cli.check.changed", lang, time=time.strftime("%H:%M:%S")), file=sys.stderr)
            count, seen = watch_from_now()
            status = _check_once(targets, extra_dirs, lang, as_json=as_json)
    except KeyboardInterrupt:
        return status


def _lesson_paths(targets: Sequence[Path], extra_dirs: Sequence[Path], lang: str,
                  problems: list[Any]) -> list[Path]:
    """The lesson files that `targets` (files, folders, lesson ids) name; what cannot be found
    goes to `problems`. Raises UsageError for a target that is none of these."""
    from tutor.lessons import (
        ID_PATTERN,
        LessonError,
        Problem,
        display_path,
        find_lesson,
        lesson_files,
    )

    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = lesson_files(target)
            if not found:
                problems.append(Problem(display_path(target), 0, "", t("cli.check.empty", lang)))
            files.extend(found)
        elif target.is_file():
            files.append(target)
        elif ID_PATTERN.fullmatch(str(target)):  # a lesson id: built-in, user folder, --lessons
            try:
                files.append(find_lesson(str(target), extra_dirs).path)
            except LessonError as exc:
                problems.extend(exc.problems)
        else:
            raise UsageError(t("cli.check.missing", lang, path=target))
    return files


def _check_once(targets: Sequence[Path], extra_dirs: Sequence[Path], lang: str, *,
                as_json: bool) -> int:
    from tutor.lessons import Lesson, LessonError, Problem, check_lesson, id_clash, load_lesson
    from tutor.lessons.advice import lesson_warnings
    from tutor.working import WorkLine

    problems: list[Problem] = []
    files = _lesson_paths(targets, extra_dirs, lang, problems)
    first_of: dict[str, Lesson] = {}
    for file in files:
        try:
            lesson = load_lesson(file)
        except LessonError as exc:
            problems.extend(exc.problems)
            continue
        clash = id_clash(lesson, first_of)
        if clash is not None:
            problems.append(clash)
        with WorkLine(lesson.id, lang) as line:
            replayed = check_lesson(lesson, _labelled(line, lesson.id))
        problems.extend(replayed)
        if not replayed:
            problems.extend(lesson_warnings(lesson))
    errors = [p for p in problems if p.severity != "warning"]
    if as_json:
        json.dump([p.as_json() for p in problems], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_problems(problems, sys.stdout)
    summary = t("cli.check.summary", lang, files=len(files), problems=len(errors))
    warnings = len(problems) - len(errors)
    if warnings:
        summary += t("cli.check.warnings", lang, warnings=warnings)
    print(summary, file=sys.stderr)
    sys.stdout.flush()
    return 1 if errors else 0


# ---------------------------------------------------------------------------------- schema


def cmd_schema() -> int:
    """Print the JSON Schema of the lesson format (the file the package ships)."""
    from tutor.lessons.schema import schema_text

    sys.stdout.write(schema_text())
    return 0


# ------------------------------------------------------------------------------------- new


def cmd_new(lesson_id: str, model: str, folder: Path | None, extra_dirs: Sequence[Path],
            lang: str) -> int:
    """Write a lesson skeleton into the user lessons folder (or `folder`); never overwrite."""
    from tutor import paths
    from tutor import text as untrusted
    from tutor.lessons import discover
    from tutor.lessons.scaffold import MAX_ID_CHARS, ScaffoldError, id_problem, write_skeleton

    shown = untrusted.clean(lesson_id)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    if id_problem(lesson_id) is not None:
        raise UsageError(t("cli.new.bad_id", lang, id=shown, max=MAX_ID_CHARS))
    lessons, _ = discover(extra_dirs)
    same = [lesson for lesson in lessons if lesson.id == lesson_id]
    if same:
        print(t("cli.new.id_taken", lang, id=lesson_id, path=same[0].display_path),
              file=sys.stderr)
        return 1
    target = folder if folder is not None else paths.user_lessons_dir()
    try:
        path = write_skeleton(lesson_id, target, model)
    except ScaffoldError:
        print(t("cli.new.exists", lang, path=untrusted.clean(str(target / f"{lesson_id}.yaml"))),
              file=sys.stderr)
        return 1
    except OSError as exc:
        print(t("cli.new.cannot_write", lang, path=untrusted.clean(str(target)),
                reason=exc.strerror or type(exc).__name__), file=sys.stderr)
        return 1
    print(path)
    print(t("cli.new.done", lang, path=untrusted.clean(str(path))), file=sys.stderr)
    return 0
