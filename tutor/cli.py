"""The `perceptron-tutor` command line.

`list`, `check` and `trace` never import textual (a test proves it), so they start fast and run
anywhere; only opening the app loads the UI. Exit status: 0 fine, 1 problems found, 2 usage error.
No Python traceback ever reaches the learner: unexpected errors are written to a crash log.

`list` with no option but `--json`, `--lessons DIR` and `--lang ko|en` (the way it is typed),
and `--version` alone, skip argparse and the other commands' modules (`_list_args`, issue 10:
start-up); any other command line goes through argparse. So this module imports no more at its
top than that path needs.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from pathlib import Path

from tutor import __version__
from tutor.cli_common import UsageError, print_problems
from tutor.i18n import LANGUAGES, detect_language, normalize_language, t

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import Any

COMMANDS = ("list", "check", "trace", "schema", "new", "play", "progress", "reset", "review", "export",
            "import", "serve", "class")


def _common_options(lang: str, *, after_command: bool = False) -> argparse.ArgumentParser:
    """--lessons and --lang. After a command they go to their own dests (`_merge_options` adds
    them to the ones given before it): argparse lets a subparser's values overwrite the main
    parser's, so `--lessons DIR list` would otherwise lose DIR to the subcommand's default."""
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lessons", metavar="DIR", action="append", type=Path,
        dest="lessons_after" if after_command else "lessons",
        default=argparse.SUPPRESS if after_command else [],
        help=t("cli.opt.lessons", lang),
    )
    common.add_argument(
        "--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
        dest="lang_after" if after_command else "lang", help=t("cli.opt.lang", lang)
    )
    return common


def _merge_options(args: argparse.Namespace) -> None:
    """Folders from before and after the command, in order; a --lang after the command wins."""
    args.lessons = [*getattr(args, "lessons", []), *getattr(args, "lessons_after", [])]
    if getattr(args, "lang_after", None):
        args.lang = args.lang_after


def build_parser(lang: str) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The parser for the commands, and the one for opening the app (`perceptron-tutor [LESSON]`)."""
    return build_command_parser(lang), build_app_parser(lang)


def build_app_parser(lang: str) -> argparse.ArgumentParser:
    """The parser for opening the app (`perceptron-tutor [LESSON]`): the whole command line when
    its first word is no command. It needs none of the commands' parsers or modules (building
    them all took about 20 ms of every start of the app, issue 10)."""
    import argparse

    app = argparse.ArgumentParser(
        prog="perceptron-tutor",
        description=t("cli.description", lang),
        epilog=t("cli.epilog", lang),
        parents=[_common_options(lang)],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    app.add_argument("lesson", nargs="?", metavar="LESSON", help=t("cli.arg.lesson", lang))
    app.add_argument("--plain", action="store_true", help=t("cli.opt.plain", lang))
    app.add_argument("--watch", action="store_true", help=t("cli.opt.watch", lang))
    # what `serve` runs for each browser connection (tutor/serve.py); not for learners to type
    app.add_argument("--serve-session", metavar="DIR", type=Path, default=None,
                     help=argparse.SUPPRESS)
    app.add_argument("--version", action="version", version=f"perceptron-tutor {__version__}")
    _localize(app, lang)
    return app


def build_command_parser(lang: str) -> argparse.ArgumentParser:
    """The parser for the commands (`perceptron-tutor COMMAND ...`), each with its own options."""
    import argparse

    from tutor.lessons_cli import add_lesson_commands
    from tutor.trace_cli import add_trace_command

    after = _common_options(lang, after_command=True)
    cmd = argparse.ArgumentParser(prog="perceptron-tutor", parents=[_common_options(lang)],
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    cmd.add_argument("--version", action="version", version=f"perceptron-tutor {__version__}")
    sub = cmd.add_subparsers(dest="command", metavar="COMMAND")
    add_lesson_commands(sub, after, lang)
    add_trace_command(sub, after, lang)
    from tutor.playground_cli import add_play_command

    add_play_command(sub, after, lang)
    try:
        from tutor.progress_cli import add_progress_commands
    except ImportError:
        pass
    else:
        add_progress_commands(sub, after, lang)
    from tutor.serve_cli import add_serve_commands

    add_serve_commands(sub, after, lang)
    _localize(cmd, lang)
    return cmd


def _localize(parser: argparse.ArgumentParser, lang: str) -> None:
    """Headings and the built-in -h/--version help in `lang`, for a parser and its subcommands.

    argparse writes its own words in English; a Korean learner should read Korean help: the
    formatter is argparse's with the 'usage:' prefix in the learner's language.
    """
    import argparse

    usage_prefix = t("cli.usage", lang)

    class Formatter(argparse.RawDescriptionHelpFormatter):
        def add_usage(self, usage: str | None, actions: Any, groups: Any,
                      prefix: str | None = None) -> None:
            super().add_usage(usage, actions, groups, prefix or usage_prefix)

    parser.formatter_class = Formatter
    parser._positionals.title = t("cli.positionals", lang)
    parser._optionals.title = t("cli.options", lang)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = t("cli.opt.help", lang)
        elif isinstance(action, argparse._VersionAction):
            action.help = t("cli.opt.version", lang)
        elif isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _localize(sub, lang)


def _language_from_argv(argv: Sequence[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalize_language(argv[i + 1])
        if arg.startswith("--lang="):
            return normalize_language(arg.split("=", 1)[1])
    return None


def _first_positional(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--lessons", "--lang"):
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg
    return None


def _safe_streams() -> None:
    """Never a UnicodeEncodeError: on an ASCII-only stream (PYTHONIOENCODING=ascii) Korean help
    comes out as escapes instead of a traceback. NumPy's RuntimeWarnings (overflow in a diverging
    run) are reported by the tutor in words, not as warnings with site-packages paths."""
    import warnings

    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(Exception):
                reconfigure(errors="backslashreplace")
    warnings.filterwarnings("ignore", category=RuntimeWarning)


def _list_args(argv: Sequence[str]) -> Any:
    """What argparse makes of `argv` when it is `list` with only `--json` (after it),
    `--lessons DIR` and `--lang ko|en` (before or after it, also as `--opt=value`); None for
    anything else, which goes to argparse (help, a mistake, an abbreviation, a value that starts
    with '-'). As argparse does: folders in the order given, the last `--lang` wins."""
    from types import SimpleNamespace

    seen_list = as_json = False
    lessons: list[Path] = []
    lang: str | None = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=")
        if arg == "list" and not seen_list:
            seen_list = True
        elif arg == "--json" and seen_list:
            as_json = True
        elif name in ("--lessons", "--lang"):
            if not eq:
                if i + 1 >= len(argv):
                    return None
                i += 1
                value = argv[i]
            if not value or value.startswith("-"):
                return None
            if name == "--lessons":
                lessons.append(Path(value))
            elif value in LANGUAGES:
                lang = value
            else:
                return None
        else:
            return None
        i += 1
    if not seen_list:
        return None

    def handler(args: Any) -> int:
        from tutor.lessons_cli import cmd_list

        return cmd_list(args.lessons, args.lang, as_json=args.json)

    return SimpleNamespace(command="list", lessons=lessons, lang=lang or detect_language(),
                           json=as_json, handler=handler)


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:  # what argparse's version action prints, without building parsers
        print(f"perceptron-tutor {__version__}")
        return 0
    args = _list_args(argv)
    if args is not None or _first_positional(argv) in COMMANDS:
        return _run(argv, args)
    # On the way to the app: no automatic garbage collection until its first frame is on the
    # screen (tutor.ui.heap: about 50 ms of a lesson's first paint went to collections).
    gc.disable()
    try:
        return _run(argv, args)
    finally:
        gc.enable()


def _run(argv: list[str], args: Any) -> int:
    """The command (`args`, or argv through argparse when None), its errors as exit statuses."""
    if args is None:
        args = _parse(argv)
        if isinstance(args, int):
            return args
    try:
        return _dispatch(args)
    except UsageError as exc:
        print(f"perceptron-tutor: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl+C: 128 + SIGINT, as tutor/lifeline.py counts a signal
        print("\n" + t("cli.interrupted", args.lang), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `perceptron-tutor trace ... | head`: the reader left; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:
        return _crash(args.lang)


def _parse(argv: list[str]) -> argparse.Namespace | int:
    """The command line through argparse, or the exit status when it ends there (--help and
    --version: 0, a usage error: 2)."""
    lang = _language_from_argv(argv) or detect_language()
    try:
        if _first_positional(argv) in COMMANDS:
            args = build_command_parser(lang).parse_args(argv)
        else:
            args = build_app_parser(lang).parse_args(argv)
            args.command = None
    except SystemExit as exc:  # argparse: --help / --version exit 0, usage errors exit 2
        return int(exc.code or 0)
    _merge_options(args)
    args.lang = getattr(args, "lang", None) or lang
    return args


def _crash(lang: str) -> int:
    from tutor.crash import crash_message

    print(crash_message(lang), file=sys.stderr)
    return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return _open_app(args)
    return args.handler(args)


# ------------------------------------------------------------------------------------- app


def wants_plain(plain: bool, lesson: str | None, *, terminal: bool,
                environ: Any = None) -> bool:
    """Plain line mode: asked for (`--plain`), or a terminal that cannot show the app
    (`TERM=dumb`), or a lesson opened without a terminal for the app (`terminal`: stdin, stdout
    and stderr all terminals, `tutor.lifeline.has_terminal`), as in a pipe. Without a lesson and
    without a terminal the app's one sentence (exit 2) points to `--plain` instead."""
    env = os.environ if environ is None else environ
    if plain or env.get("TERM") == "dumb":
        return True
    return lesson is not None and not terminal


def _open_plain(args: argparse.Namespace) -> int:
    from tutor.lifeline import STATUS_ERROR, Lifeline
    from tutor.plain.session import run_plain
    from tutor.progress import open_store

    gc.enable()  # a session of its own, not the app's first frame (see `main`)
    for stream in (sys.stdin, sys.stdout):  # undecodable bytes never end the session
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")
    store = open_store(lang=args.lang)
    lifeline = Lifeline()  # SIGHUP/SIGTERM: the store closed, the process gone within 2 s
    lifeline.add_closer(store.close)
    try:
        status = run_plain(args.lang, args.lessons, store, args.lesson, sys.stdin, sys.stdout,
                           leaving=lifeline.signalled)
    except SystemExit as exc:  # a signal: its status was decided by `lifeline.signalled`
        return lifeline.finish(int(exc.code or 0))
    except BaseException:
        lifeline.leaving(STATUS_ERROR)
        lifeline.close()
        raise
    return lifeline.finish(status)


def _open_app(args: argparse.Namespace) -> int:
    """The full-screen app; it needs a terminal, and ends when the learner leaves or the terminal
    goes away (see `tutor.ui.lifeline.run_app`)."""
    for folder in args.lessons:
        if not folder.is_dir():
            raise UsageError(t("cli.no_folder", args.lang, path=folder))
    watch = getattr(args, "watch", False)
    if watch and (args.lesson is None or getattr(args, "plain", False)):
        raise UsageError(t("cli.watch.needs_lesson", args.lang))
    if getattr(args, "serve_session", None) is not None:
        return _open_served(args)
    from tutor.lifeline import has_terminal

    terminal = has_terminal()
    if wants_plain(getattr(args, "plain", False), args.lesson, terminal=terminal):
        return _open_plain(args)
    if not terminal:
        raise UsageError(t("cli.no_terminal", args.lang))
    from tutor.lessons import LessonError
    from tutor.progress import open_store
    from tutor.ui.app import create_app
    from tutor.ui.lifeline import run_app

    store = open_store(lang=args.lang)
    try:
        app = create_app(lang=args.lang, lessons_dirs=args.lessons, store=store,
                         start_lesson=args.lesson, watch=watch)
    except LessonError as exc:
        store.close()
        print_problems(exc.problems)
        return 1
    except BaseException:
        store.close()
        raise
    return run_app(app, store)


def _open_served(args: argparse.Namespace) -> int:
    """One browser's session under `serve` (textual-serve's WebDriver on pipes, no terminal):
    "who are you?", then that learner's own progress in the folder (tutor.accounts)."""
    from tutor.progress import MemoryStore
    from tutor.ui.app import create_app
    from tutor.ui.lifeline import run_app

    store = MemoryStore(lang=args.lang)  # nobody's progress until a learner signs in
    app = create_app(lang=args.lang, lessons_dirs=args.lessons, store=store,
                     classroom_dir=args.serve_session)
    return run_app(app, store)
