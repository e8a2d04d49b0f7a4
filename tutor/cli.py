"""The `perceptron-tutor` command line.

`list`, `check` and `trace` never import textual (a test proves it), so they start fast and run
anywhere; only opening the app loads the UI. Exit status: 0 fine, 1 problems found, 2 usage error.
No Python traceback ever reaches the learner: unexpected errors are written to a crash log.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from tutor import __version__
from tutor.i18n import LANGUAGES, detect_language, normalize_language, t
from tutor.working import WorkLine

COMMANDS = ("list", "check", "trace", "schema", "new", "play", "progress", "reset", "review", "export", "import")


class UsageError(Exception):
    """Wrong words on the command line: exit status 2."""


def _common_options(lang: str, *, after_command: bool = False) -> argparse.ArgumentParser:
    """--lessons and --lang. After a command they go to their own dests (`_merge_options` adds
    them to the ones given before it): argparse lets a subparser's values overwrite the main
    parser's, so `--lessons DIR list` would otherwise lose DIR to the subcommand's default."""
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
    common = _common_options(lang)
    after = _common_options(lang, after_command=True)
    formatter = argparse.RawDescriptionHelpFormatter
    app = argparse.ArgumentParser(
        prog="perceptron-tutor",
        description=t("cli.description", lang),
        epilog=t("cli.epilog", lang),
        parents=[common],
        formatter_class=formatter,
    )
    app.add_argument("lesson", nargs="?", metavar="LESSON", help=t("cli.arg.lesson", lang))
    app.add_argument("--plain", action="store_true", help=t("cli.opt.plain", lang))
    app.add_argument("--version", action="version", version=f"perceptron-tutor {__version__}")

    cmd = argparse.ArgumentParser(prog="perceptron-tutor", parents=[common],
                                  formatter_class=formatter)
    cmd.add_argument("--version", action="version", version=f"perceptron-tutor {__version__}")
    sub = cmd.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("list", parents=[after], help=t("cli.list.help", lang),
                       description=t("cli.list.help", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p = sub.add_parser("check", parents=[after], help=t("cli.check.help", lang),
                       description=t("cli.check.description", lang), formatter_class=formatter)
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path, help=t("cli.check.paths", lang))
    p.add_argument("--json", action="store_true", help=t("cli.check.json", lang))
    p = sub.add_parser("trace", parents=[after], help=t("cli.trace.help", lang),
                       description=t("cli.trace.description", lang), formatter_class=formatter)
    p.add_argument("lesson", metavar="LESSON", help=t("cli.arg.lesson", lang))
    p.add_argument("--unit", metavar="ID", help=t("cli.trace.unit", lang))
    p.add_argument("--json", action="store_true", help=t("cli.trace.json", lang))
    sub.add_parser("schema", parents=[after], help=t("cli.schema.help", lang),
                   description=t("cli.schema.description", lang), formatter_class=formatter)
    p = sub.add_parser("new", parents=[after], help=t("cli.new.help", lang),
                       description=t("cli.new.description", lang), formatter_class=formatter)
    p.add_argument("id", metavar="ID", help=t("cli.new.id", lang))
    p.add_argument("--model", choices=("perceptron", "linear", "mlp"), default="perceptron",
                   help=t("cli.new.model", lang))
    p.add_argument("--to", metavar="DIR", type=Path, default=None, help=t("cli.new.to", lang))
    from tutor.playground_cli import add_play_command

    add_play_command(sub, after, lang)
    try:
        from tutor.progress_cli import add_progress_commands
    except ImportError:
        pass
    else:
        add_progress_commands(sub, after, lang)
    for parser in (cmd, app):
        _localize(parser, lang)
    return cmd, app


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter with the 'usage:' prefix in the learner's language."""

    usage_prefix = "usage: "

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix or self.usage_prefix)


def _localize(parser: argparse.ArgumentParser, lang: str) -> None:
    """Headings and the built-in -h/--version help in `lang`, for a parser and its subcommands.

    argparse writes its own words in English; a Korean learner should read Korean help.
    """

    class Formatter(_HelpFormatter):
        usage_prefix = t("cli.usage", lang)

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


def main(argv: Sequence[str] | None = None) -> int:
    _safe_streams()
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language_from_argv(argv) or detect_language()
    cmd_parser, app_parser = build_parser(lang)
    first = _first_positional(argv)
    try:
        if first in COMMANDS:
            args = cmd_parser.parse_args(argv)
        else:
            args = app_parser.parse_args(argv)
            args.command = None
    except SystemExit as exc:  # argparse: --help / --version exit 0, usage errors exit 2
        return int(exc.code or 0)
    _merge_options(args)
    args.lang = getattr(args, "lang", None) or lang
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


def _crash(lang: str) -> int:
    from tutor.crash import crash_message

    print(crash_message(lang), file=sys.stderr)
    return 1


def _dispatch(args: argparse.Namespace) -> int:
    if args.command is None:
        return _open_app(args)
    if args.command == "list":
        return cmd_list(args.lessons, args.lang, as_json=args.json)
    if args.command == "check":
        return cmd_check(args.paths, args.lessons, args.lang, as_json=args.json)
    if args.command == "trace":
        return cmd_trace(args.lesson, args.lessons, args.lang, unit=args.unit, as_json=args.json)
    if args.command == "schema":
        return cmd_schema()
    if args.command == "new":
        return cmd_new(args.id, args.model, args.to, args.lessons, args.lang)
    return args.handler(args)


def _print_problems(problems: Sequence[Any], out: TextIO | None = None) -> None:
    for p in problems:
        print(str(p), file=out or sys.stderr)


# ------------------------------------------------------------------------------------ list


_LIST_COLUMNS = ("id", "title", "units", "trainings", "quizzes", "folder")  # in a terminal, or tabbed
_MIN_WIDTH = 40
LESSON_SUFFIXES = (".yaml", ".yml")


_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")


def _cell(value: object) -> str:
    """A value as one tab-separated cell: tabs and line breaks (which a title, a problem or a
    file name may hold) become a space, so no lesson can add a row or a column of its own."""
    return _LINE_BREAKS.sub(" ", str(value))


def _shown(value: object) -> str:
    """A cell of `list`'s table: "-" for a count a broken file does not have."""
    return "-" if value is None else str(value)


def cmd_list(extra_dirs: Sequence[Path], lang: str, *, as_json: bool) -> int:
    from tutor.lessons import discover

    lessons, problems = discover(extra_dirs)
    rows: list[dict[str, object]] = [
        {
            "id": lesson.id,
            "title": lesson.title.get(lang),
            "path": str(lesson.path),
            "folder": str(lesson.path.parent),
            "status": "ok",
            "units": len(lesson.units),
            "trainings": len(lesson.trainings),
            "quizzes": len(lesson.questions()),
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
            "path": file, "folder": str(Path(file).parent), "status": "broken",
            "problem": str(first), "problems": [str(p) for p in found],
            "units": None, "trainings": None, "quizzes": None, "languages": [],
        })
    if as_json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        _print_problems(problems)
        return 1 if problems else 0
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
        if console.width < _MIN_WIDTH:  # COLUMNS=5: wrap in the terminal rather than print blanks
            console = Console(width=_MIN_WIDTH)
        console.print(table)
    else:
        for row in rows:
            print("\t".join(_cell(_shown(row[k])) for k in _LIST_COLUMNS))
    _print_problems(problems)
    return 1 if problems else 0


# ----------------------------------------------------------------------------------- check


def _labelled(line: WorkLine, lesson_id: str) -> Callable[[str], WorkLine]:
    """For check_lesson: the work line, labelled with the lesson and the unit being run."""

    def for_unit(unit_id: str) -> WorkLine:
        line.label = f"{lesson_id} · {unit_id}"
        return line

    return for_unit


def cmd_check(targets: Sequence[Path], extra_dirs: Sequence[Path], lang: str, *,
              as_json: bool = False) -> int:
    """Problems (exit 1) and warnings (shown, exit 0) of lesson files, folders or lesson ids."""
    from tutor.lessons import (
        ID_PATTERN,
        Lesson,
        LessonError,
        Problem,
        check_lesson,
        display_path,
        find_lesson,
        id_clash,
        lesson_files,
        load_lesson,
    )
    from tutor.lessons.advice import lesson_warnings

    files: list[Path] = []
    problems: list[Problem] = []
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
        _print_problems(problems, sys.stdout)
    summary = t("cli.check.summary", lang, files=len(files), problems=len(errors))
    warnings = len(problems) - len(errors)
    if warnings:
        summary += t("cli.check.warnings", lang, warnings=warnings)
    print(summary, file=sys.stderr)
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


# ----------------------------------------------------------------------------------- trace


def step_json(unit: str, rec: Any) -> dict[str, Any]:
    """One step as a JSON-able dict with the keys documented in the README. Samples are numbered
    from 1, as the screens number them."""
    base: dict[str, Any] = {"type": "step", "unit": unit, "step": rec.index + 1, "epoch": rec.epoch}
    if rec.model == "perceptron":
        base.update(
            sample=rec.sample + 1, x=list(rec.x), inputs=list(rec.inputs), target=rec.target,
            net=rec.net, output=rec.output, error=rec.error,
            weights_before=list(rec.weights_before), weights_after=list(rec.weights_after),
            delta=list(rec.delta),
        )
        if rec.bias_before is not None:
            base.update(bias_before=rec.bias_before, bias_after=rec.bias_after)
        base["roundoff"] = rec.net_is_roundoff
    elif rec.model == "linear":
        base.update(
            sample=None if rec.sample is None else rec.sample + 1, batch=rec.batch,
            samples=[s + 1 for s in rec.samples],
            x=[list(r) for r in rec.x], target=list(rec.targets), net=list(rec.outputs),
            output=list(rec.outputs), error=list(rec.errors), residual=list(rec.residuals),
            loss=rec.loss,
            grad_weights=list(rec.grad_weights), grad_bias=rec.grad_bias,
            weights_before=list(rec.weights_before), weights_after=list(rec.weights_after),
            bias_before=rec.bias_before, bias_after=rec.bias_after,
        )
    else:
        base.update(
            sample=None if rec.sample is None else rec.sample + 1, batch=rec.batch,
            samples=[s + 1 for s in rec.samples],
            x=[list(r) for r in rec.x], target=_outputs(rec.targets),
            hidden=_lists(rec.hidden), output=_outputs(rec.outputs), error=_outputs(rec.errors),
            residual=_outputs(rec.residuals), loss=rec.loss,
            z=_lists(rec.z), a=_lists(rec.a), delta=_lists(rec.deltas),
            grad_weights=_lists(rec.grad_weights), grad_biases=_lists(rec.grad_biases),
            weights_before=_lists(rec.weights_before),
            weights_after=_lists(rec.weights_after), bias_before=_lists(rec.biases_before),
            bias_after=_lists(rec.biases_after),
        )
    return base


def epoch_json(unit: str, ep: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "epoch", "unit": unit, "epoch": ep.epoch}
    if ep.loss is not None:
        out["loss"] = ep.loss
    if ep.accuracy is not None:
        out["acc"] = ep.accuracy
    if ep.errors is not None:
        out["errors"] = ep.errors
    out["updates"] = ep.updates
    if ep.misclassified is not None:
        out["misclassified"] = ep.misclassified
    out["weights"] = _lists(ep.weights)
    if ep.bias is not None:
        out["bias"] = _lists(ep.bias)
    return out


def _outputs(rows: Any) -> list[Any]:
    """A network's per-sample output values: one number per sample for one output unit, else
    one list per sample."""
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return _lists(rows)


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


def cmd_trace(name: str, extra_dirs: Sequence[Path], lang: str, *, unit: str | None,
              as_json: bool) -> int:
    from tutor.lessons import LessonError, find_lesson, first_non_finite

    try:
        lesson = find_lesson(name, extra_dirs)
    except LessonError as exc:
        _print_problems(exc.problems)
        return 1
    trainings = lesson.trainings
    if unit is not None:
        trainings = tuple(u for u in trainings if u.id == unit)
        if not trainings:
            ids = ", ".join(u.id for u in lesson.trainings) or "-"
            raise UsageError(t("cli.trace.no_unit", lang, unit=unit, lesson=lesson.id, ids=ids))
    if not trainings:
        print(t("cli.trace.none", lang, lesson=lesson.id), file=sys.stderr)
        return 0
    pretty = not as_json and sys.stdout.isatty()
    diverged = False
    for tu in trainings:
        if pretty:
            from rich.console import Console
            from rich.text import Text

            from tutor.lessons import first_non_finite
            from tutor.render import TraceTable

            run = lesson.run(tu.id)
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                run.compute(progress=line)
            console = Console()
            if console.width < _MIN_WIDTH:
                console = Console(width=_MIN_WIDTH)
            console.rule(Text(f"{lesson.id} · {tu.id}"))
            console.print(TraceTable(run.run_to_end(), lang))
            bad = first_non_finite(run)
        elif as_json:
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                bad = _json_trace(tu.id, tu.config, sys.stdout, line)
        else:
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                bad = _plain_trace(tu.id, tu.config, sys.stdout, line)
        if bad is not None:  # ∞ or NaN was printed as such; say why, once
            print(t("cli.trace.diverges", lang, unit=tu.id, step=bad), file=sys.stderr)
            diverged = True
    return 1 if diverged else 0


def _finite(rec: Any) -> bool:
    """False when a step's net or loss, or a weight after it, is ∞ or NaN (the run diverged)."""
    for name in ("net", "loss"):
        v = getattr(rec, name, None)
        if isinstance(v, float) and not math.isfinite(v):
            return False
    weights = rec.weights_after
    if weights and isinstance(weights[0], tuple):  # a network: matrices
        weights = [v for matrix in weights for row in matrix for v in row]
    return all(math.isfinite(v) for v in weights)


def _json_trace(unit: str, config: Any, out: TextIO, progress: Any = None) -> int | None:
    """One JSON line per step, each epoch's line after its last step, written as computed:
    nothing of the run is kept (engine `Run.stream`). The first step (1-based) that holds ∞ or
    NaN, or None."""
    from tutor.engine.records import EpochRecord
    from tutor.engine.run import MODEL_CLASSES, Run

    # One encoder for every line: json.dumps(..., ensure_ascii=False) would build a new one per
    # call; the bytes are the same. Strict: a diverged step's ∞ or NaN is no JSON number.
    strict = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    def encode(obj: dict[str, Any]) -> str:
        try:
            return strict(obj)
        except ValueError:  # only on a step or epoch that holds ∞ or NaN
            return strict(_finite_json(obj))

    write = out.write
    bad = None
    total = MODEL_CLASSES[config.model].steps_per_epoch_of(config) * config.epochs
    for rec in Run.stream(config):
        if isinstance(rec, EpochRecord):
            write(encode(epoch_json(unit, rec)) + "\n")
        else:
            write(encode(step_json(unit, rec)) + "\n")
            if bad is None and not _finite(rec):
                bad = rec.index + 1
            if progress is not None and rec.index % PROGRESS_EVERY == 0:
                progress(rec.index, total)
    return bad


def _finite_json(value: Any) -> Any:
    """`value` with every float that is ∞ or NaN written as the string "Infinity", "-Infinity"
    or "NaN", as Protocol Buffers' JSON mapping writes them: Python's bare `Infinity` and `NaN`
    are not JSON (RFC 8259, section 6), and jq or JavaScript's JSON.parse refuse the line."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_json(v) for v in value]
    return value


PROGRESS_EVERY = 4096  # steps of a streamed trace between two looks at the work line


def _fmt(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return repr(value) if isinstance(value, float) else str(value)


_PLAIN_KEYS = ("epoch", "sample", "x", "target", "net", "output", "error", "loss",
               "weights_after", "bias_after")


def _plain_trace(unit: str, config: Any, out: TextIO, progress: Any = None) -> int | None:
    """The piped table: one tab-separated line per step and per epoch, written as computed.
    The first step (1-based) that holds ∞ or NaN, or None."""
    from tutor.engine.records import EpochRecord
    from tutor.engine.run import MODEL_CLASSES, Run

    bad = None
    total = MODEL_CLASSES[config.model].steps_per_epoch_of(config) * config.epochs
    for rec in Run.stream(config):
        if isinstance(rec, EpochRecord):
            summary = epoch_json(unit, rec)
            out.write(unit + "\tepoch " + str(rec.epoch) + "\t" + "\t".join(
                f"{k}={_fmt(v)}" for k, v in summary.items() if k not in ("type", "unit", "epoch"))
                + "\n")
        else:
            d = step_json(unit, rec)
            out.write(unit + "\tstep " + str(d["step"]) + "\t" + "\t".join(
                f"{k}={_fmt(d[k])}" for k in _PLAIN_KEYS if k in d and d[k] is not None) + "\n")
            if bad is None and not _finite(rec):
                bad = rec.index + 1
            if progress is not None and rec.index % PROGRESS_EVERY == 0:
                progress(rec.index, total)
    return bad


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
                         start_lesson=args.lesson)
    except LessonError as exc:
        store.close()
        _print_problems(exc.problems)
        return 1
    except BaseException:
        store.close()
        raise
    return run_app(app, store)
