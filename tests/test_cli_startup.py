"""What the command line does on the way to the app (issue 10, first paint of a lesson by id):
it builds only the app's parser, and no garbage collection runs until the app's first frame."""

from __future__ import annotations

import contextlib
import gc
import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import cli
from tutor.i18n import detect_language

ROOT = Path(__file__).resolve().parent.parent


def reference_parse(argv: list[str]) -> object:
    """`cli._parse` as it was before the app path built its parser alone: every command's parser
    and the app's built, then the one the first word chooses."""
    lang = cli._language_from_argv(argv) or detect_language()
    cmd_parser, app_parser = cli.build_parser(lang)
    try:
        if cli._first_positional(argv) in cli.COMMANDS:
            args = cmd_parser.parse_args(argv)
        else:
            args = app_parser.parse_args(argv)
            args.command = None
    except SystemExit as exc:
        return int(exc.code or 0)
    cli._merge_options(args)
    args.lang = getattr(args, "lang", None) or lang
    return args


def outcome(parse: object, argv: list[str]) -> tuple[object, str, str]:
    """What `parse(argv)` returns (a namespace's fields, or an exit status) and prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        result = parse(list(argv))  # type: ignore[operator]
    if isinstance(result, int):
        return result, out.getvalue(), err.getvalue()
    # a command's handler is a function made with its parser: the same code, another object
    fields = {k: getattr(v, "__code__", v) for k, v in vars(result).items()}
    return fields, out.getvalue(), err.getvalue()


ARGVS = [
    [], ["--help"], ["-h"], ["--lang", "ko", "--help"], ["--help", "--lang=ko"],
    ["and-gate"], ["and-gate", "--lang", "ko"], ["--lessons", "d", "and-gate", "--lessons", "e"],
    ["and-gate", "--bogus"], ["--lang", "fr"], ["a", "b"], ["--lessons"], ["--watch", "xor"],
    ["--pl", "and-gate"], ["--plain", "--lang", "ko", "and-gate"], ["--version", "x"],
    ["--serve-session"], ["--serve-session", "d"], ["-x"], ["lst"], ["--", "list"],
    *([command, "--help"] for command in cli.COMMANDS),
    *(["--lang", "ko", command, "-h"] for command in cli.COMMANDS),
    ["trace"], ["list", "--bogus"], ["check"], ["new"], ["reset", "--lang", "ko"],
]


@pytest.mark.parametrize("argv", ARGVS, ids=" ".join)
def test_help_errors_and_exit_statuses_are_what_the_whole_parser_gave(argv, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert outcome(cli._parse, argv) == outcome(reference_parse, argv)


TOKENS = ["and-gate", "xor", "--lang", "ko", "en", "fr", "--lessons", "d1", "--plain", "--watch",
          "--help", "-h", "--version", "--serve-session", "-x", "--lang=ko", "--pl", "--",
          "list", "trace", "--json", "check", "play", "--unit", "serve"]


@settings(max_examples=150, deadline=None)
@given(argv=st.lists(st.sampled_from(TOKENS), max_size=6))
def test_any_command_line_parses_and_prints_as_with_the_whole_parser(argv: list[str]):
    assert outcome(cli._parse, argv) == outcome(reference_parse, argv)


def test_opening_the_app_loads_no_other_commands_module():
    code = (
        "import sys; from tutor import cli; cli._parse(['and-gate', '--lang', 'ko']);"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('tutor.'))))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    loaded = set(r.stdout.split())
    assert "tutor.i18n" in loaded  # the check can fail: the parser did run
    assert not loaded & {"tutor.lessons_cli", "tutor.trace_cli", "tutor.playground_cli",
                         "tutor.progress_cli", "tutor.serve_cli"}


# --- garbage collection on the way to the app (tutor.ui.heap) -------------------------------


@pytest.fixture
def collector_on():
    """Whatever a test does, the collector is on and nothing frozen after it."""
    yield
    gc.enable()
    gc.unfreeze()


@pytest.mark.parametrize("argv", [["--help"], ["--bogus"], ["--lang", "ko", "-h"], ["list"],
                                  ["trace", "and-gate", "--json"]])
def test_the_collector_is_on_after_every_command_line(argv, collector_on, capsys):
    assert gc.isenabled()
    cli.main(argv)
    assert gc.isenabled()


def test_the_plain_mode_runs_with_the_collector_on(tmp_path):
    """`--plain` is a session of its own: the collector is on for all of it. (A process of its
    own: the plain mode's lifeline ends the process when a thread it does not own is alive.)"""
    code = (
        "import gc, sys; import tutor.plain.session as s; from tutor import cli;"
        "s.run_plain = lambda *a, **k: print('collector', gc.isenabled()) or 0;"
        "sys.exit(cli.main(['--plain', 'and-gate']))"
    )
    env = {"XDG_DATA_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "collector True\n"


def test_on_the_way_to_the_app_the_collector_is_off(collector_on, monkeypatch):
    """From the command line to the app's first frame, no collection (the app turns it on)."""
    seen: list[bool] = []

    def open_app(args: object) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "_open_app", open_app)
    assert cli.main(["and-gate", "--lang", "en"]) == 0
    assert seen == [False]
    assert gc.isenabled()
