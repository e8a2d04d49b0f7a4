"""The classroom commands: `serve` (the tutor in web browsers) and `class` (a teacher's table).

`serve` needs the optional extra `[serve]` (textual-serve and its aiohttp); without it the command
says how to install it and exits 2. `class` needs nothing beyond the tutor itself.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from tutor.i18n import t

COMMANDS = ("serve", "class")


def add_serve_commands(sub: Any, after: argparse.ArgumentParser, lang: str) -> None:
    formatter = argparse.RawDescriptionHelpFormatter
    p = sub.add_parser("serve", parents=[after], help=t("serve.help", lang),
                       description=t("serve.description", lang), formatter_class=formatter)
    p.add_argument("--host", default="127.0.0.1", help=t("serve.opt.host", lang))
    p.add_argument("--port", type=int, default=8000, help=t("serve.opt.port", lang))
    p.add_argument("--progress-dir", metavar="DIR", type=Path, default=None,
                   help=t("serve.opt.progress_dir", lang))
    p.add_argument("--max-sessions", metavar="N", type=int, default=None,
                   help=t("serve.opt.max_sessions", lang))
    p.set_defaults(handler=cmd_serve)
    p = sub.add_parser("class", parents=[after], help=t("class.help", lang),
                       description=t("class.description", lang), formatter_class=formatter)
    p.add_argument("dir", metavar="DIR", type=Path, help=t("class.opt.dir", lang))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help=t("class.opt.json", lang))
    how.add_argument("--csv", action="store_true", help=t("class.opt.csv", lang))
    p.set_defaults(handler=cmd_class)


def _fail(message: str) -> int:
    print(f"perceptron-tutor: {message}", file=sys.stderr)
    return 2


# ------------------------------------------------------------------------------------ serve


def cmd_serve(args: argparse.Namespace) -> int:
    lang = args.lang
    if not 1 <= args.port <= 65535:
        return _fail(t("serve.bad_port", lang, port=args.port))
    for folder in args.lessons:
        if not folder.is_dir():
            return _fail(t("cli.no_folder", lang, path=folder))
    from tutor import paths

    folder = (args.progress_dir or paths.serve_dir()).expanduser().absolute()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not folder.is_dir():
            raise NotADirectoryError(str(folder))
    except OSError as error:
        return _fail(t("serve.no_folder", lang, path=folder, reason=error.strerror or error))
    if args.max_sessions is not None and not 1 <= args.max_sessions <= 10_000:
        return _fail(t("serve.bad_max_sessions", lang, n=args.max_sessions))
    try:
        from tutor.serve import LOCAL_HOSTS, MAX_SESSIONS, serve
    except ImportError:
        return _fail(t("serve.missing", lang))
    if args.host not in LOCAL_HOSTS:
        print(t("serve.open_warning", lang, host=args.host), file=sys.stderr, flush=True)
    serve(args.host, args.port, folder, lang, [d.absolute() for d in args.lessons],
          args.max_sessions or MAX_SESSIONS)
    return 0


# ------------------------------------------------------------------------------------ class


def _score(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f}%"


def cmd_class(args: argparse.Namespace) -> int:
    from tutor.classroom import read_class

    lang = args.lang
    try:
        report = read_class(args.dir, lang)
    except NotADirectoryError:
        return _fail(t("class.not_folder", lang, path=args.dir))
    if args.json:
        out = {
            "learners": [
                {"learner": r.learner, "file": r.file, "lessons_done": r.done,
                 "lessons_in_progress": r.started, "answered": r.answered, "right": r.right,
                 "score": r.score, "problem": r.problem}
                for r in report.rows
            ],
            "missed": [
                {"lesson": m.lesson_id, "question": m.question_id, "learners": m.learners,
                 "wrong": m.wrong}
                for m in report.missed
            ],
        }
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["learner", "file", "lessons_done", "lessons_in_progress", "answered",
                         "right", "score", "problem"])
        for r in report.rows:
            writer.writerow([_csv_cell(r.learner), _csv_cell(r.file), r.done, r.started,
                             r.answered, r.right, "" if r.score is None else f"{r.score:.4f}",
                             _csv_cell(r.problem or "")])
    else:
        _print_tables(report, lang, args.dir)
    return 1 if report.problems else 0


def _csv_cell(text: str) -> str:
    """A cell a spreadsheet will not run: a leading = + - @ (a formula) gets a quote mark
    (OWASP, "CSV Injection")."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _print_tables(report: Any, lang: str, folder: Path) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    if not report.rows:
        console.print(Text(t("class.empty", lang, path=folder)))
        return
    table = Table(box=None, pad_edge=False)
    for key, right in (("learner", False), ("done", True), ("started", True),
                       ("answered", True), ("score", True), ("problem", False), ("file", False)):
        table.add_column(Text(t(f"class.col.{key}", lang)), justify="right" if right else "left",
                         overflow="fold")
    for r in report.rows:
        # Text, never markup: names and file names are other people's.
        cells = [r.learner, str(r.done), str(r.started), str(r.answered), _score(r.score),
                 r.problem or "", r.file]
        if r.problem is not None:
            cells[1:5] = ["-"] * 4
        table.add_row(*(Text(c) for c in cells))
    console.print(table)
    console.print()
    console.print(Text(t("class.missed.title", lang), style="bold"))
    if not report.missed:
        console.print(Text(t("class.missed.none", lang)))
    else:
        missed = Table(box=None, pad_edge=False)
        for key, right in (("question", False), ("learners", True), ("wrong", True)):
            missed.add_column(Text(t(f"class.missed.col.{key}", lang)),
                              justify="right" if right else "left", overflow="fold")
        for m in report.missed:
            missed.add_row(Text(f"{m.lesson_id} / {m.question_id}"), Text(str(m.learners)),
                           Text(str(m.wrong)))
        console.print(missed)
    learners = len(report.rows) - len(report.problems)
    console.print()
    console.print(Text(t("class.summary", lang, learners=learners, problems=len(report.problems))))
