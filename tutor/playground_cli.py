"""`perceptron-tutor play [PRESET] …`: the playground, in the app or without it.

With `--save ID` or `--trace` nothing is drawn: the setting built from the options is validated
by the lesson loader (the same messages as `check`), then saved as a lesson (the same text the
app's `s` writes: `tutor.playground.save.lesson_text`) or run and printed as `trace --json`
prints it. Without them the app opens on the playground. No Textual and no NumPy at import.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tutor.i18n import t
from tutor.text import clean

PRESET_NAMES = ("and", "or", "nand", "xor", "separable", "noisy", "circle")
"""`tutor.playground.presets.PRESETS`, named here so that building the parser of every command
does not import the playground (tests/test_playground.py keeps the two equal)."""

# Options that set a field of the setting, as (option, setting name); applied in this order
# (the model first: it decides which weights fit).
_FIELD_OPTIONS = (
    ("model", "model"),
    ("bias_mode", "bias_mode"),
    ("hidden", "hidden"),
    ("activation", "activation"),
    ("learning_rate", "learning_rate"),
    ("weights", "weights"),
    ("bias", "bias"),
    ("step_at_zero", "step_at_zero"),
    ("seed", "seed"),
    ("epochs", "epochs"),
    ("batch_size", "batch_size"),
)


def add_play_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                     lang: str) -> None:
    """Add `play` to `sub`; it sets `handler`."""
    p = sub.add_parser("play", parents=[common], help=t("play.cli.help", lang),
                       description=t("play.cli.description", lang),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(handler=cmd_play)
    p.add_argument("preset", nargs="?", default="and", choices=PRESET_NAMES, metavar="PRESET",
                   help=t("play.cli.preset", lang, presets=", ".join(PRESET_NAMES)))
    p.add_argument("--model", metavar="MODEL", help=t("play.cli.model", lang))
    p.add_argument("--learning-rate", "--eta", dest="learning_rate", metavar="η",
                   help=t("play.cli.learning_rate", lang))
    p.add_argument("--epochs", metavar="N", help=t("play.cli.epochs", lang))
    p.add_argument("--weights", nargs="+", metavar="W", help=t("play.cli.weights", lang))
    p.add_argument("--bias-mode", dest="bias_mode", metavar="MODE",
                   help=t("play.cli.bias_mode", lang))
    p.add_argument("--bias", metavar="B", help=t("play.cli.bias", lang))
    p.add_argument("--step-at-zero", dest="step_at_zero", metavar="Y",
                   help=t("play.cli.step_at_zero", lang))
    p.add_argument("--seed", metavar="N", help=t("play.cli.seed", lang))
    p.add_argument("--hidden", nargs="+", metavar="N", help=t("play.cli.hidden", lang))
    p.add_argument("--activation", metavar="NAME", help=t("play.cli.activation", lang))
    p.add_argument("--batch-size", dest="batch_size", metavar="N",
                   help=t("play.cli.batch_size", lang))
    p.add_argument("--save", metavar="ID", help=t("play.cli.save", lang))
    p.add_argument("--replace", action="store_true", help=t("play.cli.replace", lang))
    p.add_argument("--to", metavar="DIR", type=Path, default=None, help=t("play.cli.to", lang))
    p.add_argument("--trace", action="store_true", help=t("play.cli.trace", lang))


def setup_from_args(args: argparse.Namespace) -> tuple[Any, list[str]]:
    """The setting the options describe, and the messages of what is wrong with it
    (`field: message`, as `check` words them); the setting is None when a value could not even
    be read."""
    from tutor.playground.presets import preset_setup
    from tutor.playground.setup import SetupError, parse_value

    seed_typed = getattr(args, "seed", None)
    seed = 0
    if seed_typed is not None and seed_typed.strip().isdigit():
        seed = int(seed_typed.strip())  # the random presets draw their points from it too
    setup = preset_setup(args.preset, seed)
    for option, name in _FIELD_OPTIONS:
        raw = getattr(args, option, None)
        if raw is None:
            continue
        typed = "[" + ", ".join(raw) + "]" if isinstance(raw, list) else raw
        if name == "weights" and isinstance(raw, list) and raw == ["random"]:
            typed = "random"
        try:
            setup = setup.with_value(name, parse_value(name, typed))
        except SetupError as exc:
            return None, [f"{clean(exc.field)}: {clean(exc.message)}"]
    problems = setup.problems()
    return setup, [f"{p.field}: {p.message}" if p.field else p.message for p in problems]


def cmd_play(args: argparse.Namespace) -> int:
    lang = args.lang
    if args.save is None and not args.trace:
        return _play_in_app(args)
    setup, problems = setup_from_args(args)
    if problems or setup is None:
        for message in problems:
            print(f"play: {message}", file=sys.stderr)
        return 1
    if args.trace:
        from tutor.trace_cli import _json_trace

        bad = _json_trace("run", setup.config(), sys.stdout)
        if bad is not None:
            print(t("cli.trace.diverges", lang, unit="run", step=bad), file=sys.stderr)
        if args.save is None:
            return 1 if bad is not None else 0
    return _save(args, setup)


def _save(args: argparse.Namespace, setup: Any) -> int:
    from tutor import paths
    from tutor.lessons import discover
    from tutor.playground.save import SaveError, id_problem, save_lesson

    lang = args.lang
    lesson_id = args.save
    problem = id_problem(lesson_id)
    if problem is not None:
        print(f"play: --save: {problem}", file=sys.stderr)
        return 1
    folder = args.to if args.to is not None else paths.user_lessons_dir()
    target = (folder / f"{lesson_id}.yaml").resolve()
    lessons, _ = discover(args.lessons)
    others = [x for x in lessons if x.id == lesson_id and x.path.resolve() != target]
    if others:
        print(t("cli.new.id_taken", lang, id=lesson_id, path=others[0].display_path),
              file=sys.stderr)
        return 1
    try:
        path = save_lesson(setup, lesson_id, folder, replace=args.replace)
    except SaveError as exc:
        if exc.exists:
            print(t("play.cli.exists", lang, path=clean(str(folder / f"{lesson_id}.yaml"))),
                  file=sys.stderr)
        else:
            for line in [str(p) for p in exc.problems] or [str(exc)]:
                print(f"play: {line}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(t("cli.new.cannot_write", lang, path=clean(str(folder)),
                reason=exc.strerror or type(exc).__name__), file=sys.stderr)
        return 1
    print(path)
    print(t("play.cli.saved", lang, path=clean(str(path)), id=lesson_id), file=sys.stderr)
    return 0


def _play_in_app(args: argparse.Namespace) -> int:
    from tutor.lifeline import has_terminal

    lang = args.lang
    setup, problems = setup_from_args(args)
    if setup is None:
        for message in problems:
            print(f"play: {message}", file=sys.stderr)
        return 1
    if not has_terminal():
        print(t("play.cli.no_terminal", lang), file=sys.stderr)
        return 2
    from tutor.progress import open_store
    from tutor.ui.app import create_app
    from tutor.ui.lifeline import run_app

    store = open_store(lang=lang)
    try:
        app = create_app(lang, getattr(args, "lessons", []), store, start_playground=setup)
    except BaseException:
        store.close()
        raise
    return run_app(app, store)
