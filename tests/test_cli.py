"""The command line, in-process (fast) and as a real process (what a learner runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_IDS = ["perceptron", "and-gate", "or-gate", "gradient-descent", "keras-linear",
               "learning-rate", "why-nonlinear", "xor", "backprop", "activations",
               "output-layers", "epochs-batches", "history-keywords", "exam-review"]


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120)


def trace_json(capsys, *args):
    assert main(["trace", *args, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_trace_and_gate_prints_the_twelve_textbook_steps(capsys):
    objs = trace_json(capsys, "and-gate", "--unit", "and-rule")
    steps = [o for o in objs if o["type"] == "step"]
    epochs = [o for o in objs if o["type"] == "epoch"]
    assert len(steps) == 12 and len(epochs) == 3
    numbered = [(e, i) for e in (1, 2, 3) for i in range(1, 5)]  # samples from 1, as on screen
    assert [(s["epoch"], s["sample"]) for s in steps] == numbered
    assert steps[-1]["weights_after"] == [0.39999999999999997, 0.30000000000000004, 0.1]
    assert steps[5]["net"] == 5.551115123125783e-17 and steps[5]["roundoff"] is True
    assert steps[1]["weights_before"] == [0.3, 0.4, 0.1]
    assert steps[1]["weights_after"] == [0.35, 0.35000000000000003, 0.1]
    assert [e["errors"] for e in epochs] == [1, 1, 0]
    assert epochs[-1]["weights"] == [0.39999999999999997, 0.30000000000000004, 0.1]
    for key in ("unit", "epoch", "sample", "x", "target", "net", "output", "error",
                "weights_before", "weights_after"):
        assert key in steps[0]


def test_trace_keras_linear_gives_the_notes_or_numbers(capsys):
    objs = trace_json(capsys, "keras-linear")
    finals = {}
    for o in objs:
        if o["type"] == "epoch":
            finals[o["unit"]] = o
    match = [o for o in finals.values()
             if abs(o["weights"][0] - 0.47819105) < 3e-7 and abs(o["weights"][1] - 0.38128167) < 3e-7
             and abs(o["bias"] - 0.33334246) < 3e-7]
    assert match, "no unit of keras-linear ends at the notes' OR weights"
    step = next(o for o in objs if o["type"] == "step")
    assert step["sample"] is None and len(step["x"]) == 4
    assert {"loss", "bias_before", "bias_after"} <= step.keys()


def test_trace_unknown_unit_is_a_usage_error(capsys):
    assert main(["trace", "and-gate", "--unit", "nope"]) == 2
    assert "and-rule" in capsys.readouterr().err


def test_trace_unknown_lesson_suggests_the_right_id(capsys):
    assert main(["trace", "and-gat"]) == 1
    assert "did you mean 'and-gate'?" in capsys.readouterr().err


def test_list_json_shows_the_builtin_lessons_in_order(capsys):
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == BUILTIN_IDS
    for r in rows:
        assert set(r) >= {"id", "title", "path", "units", "trainings", "quizzes", "languages"}
        assert set(r["languages"]) == {"ko", "en"}
        assert r["quizzes"] >= 3


def test_list_titles_follow_the_language(capsys):
    main(["list", "--json", "--lang", "ko"])
    ko = {r["id"]: r["title"] for r in json.loads(capsys.readouterr().out)}
    main(["list", "--json", "--lang", "en"])
    en = {r["id"]: r["title"] for r in json.loads(capsys.readouterr().out)}
    assert ko["and-gate"] != en["and-gate"]


def test_check_builtin_lessons_is_clean(capsys):
    assert main(["check", str(ROOT / "lessons")]) == 0
    # No problem; warnings for authors (tests/test_check_advice.py) do not fail the check.
    assert all(": warning: " in line for line in capsys.readouterr().out.splitlines())


def test_check_reports_file_line_field_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text(
        "format: 1\nid: bad\ntitle: Bad\nunits:\n  - text: hi\n  - training:\n      id: t\n"
        "      model: perceptron\n      inputs: [[0]]\n      targets: [1]\n      weights: [0]\n"
        "      learning_rate: 0\n      epochs: 1\n", encoding="utf-8")
    assert main(["check", "bad.yaml"]) == 1
    out = capsys.readouterr().out
    assert out == "bad.yaml:12: units[1].training.learning_rate: must be a positive number\n"


def test_check_missing_path_is_a_usage_error(capsys):
    assert main(["check", "no/such/file.yaml"]) == 2


def test_extra_lessons_folder_and_duplicate_id(tmp_path, capsys):
    (tmp_path / "copy.yaml").write_text(
        (ROOT / "lessons" / "and-gate.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["list", "--json", "--lessons", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "lesson id 'and-gate' is also used by" in captured.err
    assert "copy.yaml" in captured.err


def test_help_and_version_as_a_real_process():
    r = run_cli("--help")
    assert r.returncode == 0 and "trace" in r.stdout and "--lessons" in r.stdout
    r = run_cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("perceptron-tutor ")
    r = run_cli("trace", "--help")
    assert r.returncode == 0 and "--json" in r.stdout


def test_korean_from_an_uninstalled_locale_does_not_crash():
    # SSH forwards LANG=ko_KR.UTF-8 to machines without that locale: read it, never set it.
    r = run_cli("--help", env={"LANG": "ko_KR.UTF-8", "LC_ALL": ""})
    assert r.returncode == 0, r.stderr
    assert "레슨" in r.stdout
    r = run_cli("--help", env={"LC_ALL": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"})
    assert "레슨" in r.stdout
    r = run_cli("--help", env={"LANG": "ko_KR.UTF-8"}, )
    r_en = run_cli("--help", "--lang", "en", env={"LANG": "ko_KR.UTF-8"})
    assert "레슨" not in r_en.stdout


def test_usage_error_exits_2_without_traceback():
    r = run_cli("list", "--bogus")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_trace_piped_is_plain_text():
    r = run_cli("trace", "and-gate", "--unit", "and-rule")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert len([ln for ln in lines if "\tstep " in ln]) == 12
    assert "weights_after=[0.39999999999999997, 0.30000000000000004, 0.1]" in lines[-2]
    assert "\x1b[" not in r.stdout


def test_trace_into_a_closed_pipe_is_quiet():
    p = subprocess.Popen([sys.executable, "-m", "tutor", "trace", "xor", "--json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert p.stdout is not None
    p.stdout.readline()
    p.stdout.close()
    _, err = p.communicate(timeout=120)
    assert b"Traceback" not in err
    assert p.returncode == 0


@pytest.mark.parametrize("args", [["list"], ["check", "lessons"], ["trace", "and-gate"]])
def test_non_ui_commands_never_import_textual(args):
    code = (
        "import sys; from tutor.cli import main; rc = main(sys.argv[1:]);"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual');"
        "assert not bad, bad; sys.exit(rc)"
    )
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr


GLOBAL_OPTION_COMMANDS = [
    ["list", "--json"],
    ["check", "lessons/and-gate.yaml"],
    ["trace", "and-gate", "--json"],
    ["progress", "--json"],
    ["review", "--json"],
    ["export"],
]


@pytest.mark.parametrize("command", GLOBAL_OPTION_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_work_before_or_after_every_command(command, where, tmp_path, monkeypatch):
    """--lessons and --lang mean the same on either side of the command (argparse let the
    subcommand's defaults overwrite what came before it)."""
    from tutor.cli import _merge_options, build_parser

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    options = ["--lessons", str(tmp_path / "a"), "--lang", "ko"]
    argv = [*options, *command] if where == "before" else [*command, *options]
    cmd, _ = build_parser("en")
    args = cmd.parse_args(argv)
    _merge_options(args)
    assert args.lessons == [tmp_path / "a"] and args.lang == "ko"
    both = cmd.parse_args(["--lessons", "x", *command, "--lessons", "y"])
    _merge_options(both)
    assert [str(p) for p in both.lessons] == ["x", "y"]


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_missing_lessons_folder_is_reported_in_either_order(where, capsys):
    argv = ["--lessons", "/nonexistent", "list"] if where == "before" else [
        "list", "--lessons", "/nonexistent"]
    main(argv)
    assert "/nonexistent" in capsys.readouterr().err


def test_reset_of_an_unknown_lesson_is_an_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["reset", "nosuch", "--yes"]) == 1
    assert "nosuch" in capsys.readouterr().err
    assert main(["reset", "and-gate", "--yes"]) == 0  # a lesson that exists: fine


def test_list_json_lists_broken_files_with_their_problems_and_a_status(tmp_path, capsys):
    (tmp_path / "good.yaml").write_text(
        (ROOT / "lessons" / "and-gate.yaml").read_text(encoding="utf-8").replace(
            "id: and-gate", "id: good-one", 1), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("format: 1\nid: bad\ntitle: [unclosed\n", encoding="utf-8")
    (tmp_path / "nul.yaml").write_bytes(b"format: 1\nid: nul\x00\n")
    (tmp_path / "loop-a.yaml").symlink_to(tmp_path / "loop-b.yaml")
    (tmp_path / "loop-b.yaml").symlink_to(tmp_path / "loop-a.yaml")
    assert main(["list", "--json", "--lessons", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    rows = {r["id"]: r for r in json.loads(captured.out)}
    assert rows["good-one"]["status"] == "ok" and rows["good-one"]["units"] > 0
    for stem in ("bad", "nul", "loop-a", "loop-b"):
        row = rows[stem]
        assert row["status"] == "broken" and row["units"] is None, row
        assert row["problem"] == row["problems"][0]
        assert row["problem"].startswith(f"{row['path']}:"), row
        assert row["problem"] in captured.err  # and on stderr, as every problem
    assert rows["bad"]["problem"].startswith(rows["bad"]["path"] + ":4: not valid YAML")
    assert "symbolic links" in rows["loop-a"]["problem"]
    assert all(r["status"] == "ok" for r in rows.values() if r["id"] in BUILTIN_IDS)
    # the table shows the same broken rows, a "-" for their counts
    assert main(["list", "--lessons", str(tmp_path)]) == 1
    table = capsys.readouterr().out.splitlines()
    loop_row = next(line for line in table if line.startswith("loop-a\t"))
    assert loop_row.split("\t")[2:5] == ["-", "-", "-"]
    assert "symbolic links" in loop_row
