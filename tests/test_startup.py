"""Each command imports only what it uses (issue 10): what a fresh process has loaded after it.

`list` reads lesson files only: no NumPy (the engine loads when a run is needed), no sqlite3 (the
progress store), no Textual, and (piped) no Rich. `trace --json` needs the engine but neither the
store nor the screen. Measured in a real subprocess, so nothing this test run imported counts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

CODE = """
import io, json, sys
from contextlib import redirect_stdout
from tutor.cli import main
with redirect_stdout(io.StringIO()):
    rc = main(sys.argv[1:])
print(json.dumps([rc, sorted({m.split('.')[0] for m in sys.modules})]))
"""


def loaded_by(*args: str) -> tuple[int, set[str]]:
    r = subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, text=True,
                       cwd=ROOT, timeout=120)
    rc, modules = json.loads(r.stdout.splitlines()[-1])
    return rc, set(modules)


@pytest.mark.parametrize(
    ("args", "never"),
    [
        # no email either: importlib.metadata (which loads it) is read only when a lesson pack
        # may be installed (tutor/lessons/packs.py), and none is here
        (["list"], {"numpy", "sqlite3", "_sqlite3", "textual", "rich", "email"}),
        (["list", "--json"], {"numpy", "sqlite3", "_sqlite3", "textual", "rich"}),
        (["check", "lessons"], {"sqlite3", "_sqlite3", "textual"}),
        (["trace", "and-gate", "--json"], {"sqlite3", "_sqlite3", "textual", "rich"}),
    ],
)
def test_a_command_loads_only_what_it_uses(args, never):
    rc, modules = loaded_by(*args)
    assert rc == 0
    assert not modules & never, sorted(modules & never)


def test_the_check_can_see_what_is_loaded():
    """The same probe sees NumPy once a run is computed, so an empty answer above means something."""
    rc, modules = loaded_by("trace", "and-gate", "--json")
    assert rc == 0 and {"numpy", "yaml", "tutor"} <= modules


def test_the_menu_loads_no_engine_and_no_markdown_until_a_lesson_opens():
    """The app's first screen (the menu) needs neither NumPy nor a Markdown parser: what a fresh
    process has loaded once the app shows its menu, and again after a lesson is opened."""
    code = (
        "import asyncio, json, sys\n"
        "from tutor.ui.app import create_app\n"
        "def top():\n"
        "    return sorted({m.split('.')[0] for m in sys.modules})\n"
        "async def main():\n"
        "    app = create_app('en')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        menu = top()\n"
        "        await pilot.press('enter')\n"
        "        await pilot.pause()\n"
        "        print(json.dumps([menu, top(), type(app.screen).__name__]))\n"
        "asyncio.run(main())\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    menu, opened, screen = json.loads(r.stdout.splitlines()[-1])
    assert "textual" in menu and screen == "LessonScreen"
    assert not set(menu) & {"numpy", "markdown_it"}, sorted(set(menu) & {"numpy", "markdown_it"})
    assert {"numpy", "markdown_it"} <= set(opened)  # the probe sees them once they are needed


WARM = """
import io, json, sys
from contextlib import redirect_stdout
from tutor.cli import main
with redirect_stdout(io.StringIO()) as out:
    rc = main(sys.argv[1:])
print(json.dumps([rc, sorted(sys.modules), out.getvalue()]))
"""


def warm_list(*args: str) -> tuple[int, set[str], str]:
    """`list` in a fresh process after one `list` filled the cache (the conftest's XDG folders)."""
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", WARM, *args], capture_output=True, text=True,
                           cwd=ROOT, timeout=120)
        rc, modules, out = json.loads(r.stdout.splitlines()[-1])
    return rc, set(modules), out


# The format's modules (the YAML reader, the validation, the lesson), argparse, and what the
# fast path was made to avoid: none of it is needed to show what the cache holds.
WARM_NEVER = {"yaml", "argparse", "dataclasses", "inspect", "typing", "tomllib", "numpy",
              "sqlite3", "rich", "textual", "tutor.lessons.load", "tutor.lessons.lesson",
              "tutor.lessons.yaml_lines", "tutor.lessons.definitions",
              "tutor.lessons.placeholders", "tutor.lessons.problems", "tutor.lessons.check"}


@pytest.mark.parametrize("args", [["list"], ["list", "--json"],
                                  ["--lang", "ko", "list", "--lessons", "FOLDER", "--json"]])
def test_a_warm_list_loads_no_lesson_machinery(args, tmp_path):
    source = (ROOT / "lessons" / "and-gate.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(source.replace("\nid: and-gate\n", "\nid: mine\n"),
                                        encoding="utf-8")
    rc, modules, out = warm_list(*(str(tmp_path) if a == "FOLDER" else a for a in args))
    assert rc == 0 and "and-gate" in out
    assert "FOLDER" not in args or '"id": "mine"' in out
    assert "tutor.lessons.listing" in modules  # the probe sees the fast path itself
    assert not modules & WARM_NEVER, sorted(modules & WARM_NEVER)


def test_a_warm_list_of_a_broken_file_loads_the_problems_but_not_the_loader(tmp_path):
    """A broken file's problems come from the cache too: only `Problem` is built."""
    (tmp_path / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    rc, modules, out = warm_list("list", "--json", "--lessons", str(tmp_path))
    assert rc == 1 and '"status": "broken"' in out
    assert "tutor.lessons.problems" in modules
    assert not modules & {"yaml", "tutor.lessons.load", "tutor.lessons.lesson"}


TRAINING_ONLY = """\
format: 1
id: only-run
title: {en: "Only a run", ko: "실행만"}
description: {en: "test", ko: "테스트"}
units:
  - training:
      id: run
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.1
      epochs: 5
"""


def test_a_lesson_opened_on_a_training_loads_no_markdown_until_a_text_is_shown(tmp_path):
    """A lesson opened by id whose first unit is a walkthrough without a question paints without
    a Markdown parser (markdown-it) and without the backpropagation screen; they load when a
    text unit is shown (here: the next unit)."""
    (tmp_path / "only-run.yaml").write_text(
        TRAINING_ONLY + "  - text:\n      id: after\n      en: \"**done**\"\n      ko: \"**끝**\"\n",
        encoding="utf-8")
    code = (
        "import asyncio, json, sys\n"
        "from pathlib import Path\n"
        "from tutor.ui.app import create_app\n"
        "def top():\n"
        "    return sorted(m for m in sys.modules if m.split('.')[0] in ('markdown_it', 'tutor'))\n"
        "async def main():\n"
        f"    app = create_app('en', [Path({str(tmp_path)!r})], start_lesson='only-run')\n"
        "    async with app.run_test(size=(80, 24)) as pilot:\n"
        "        await pilot.pause()\n"
        "        first = top()\n"
        "        await pilot.press('right_square_bracket')\n"
        "        await pilot.pause()\n"
        "        print(json.dumps([first, [m.split('.')[0] for m in top()],\n"
        "                          type(app.screen.view).__name__]))\n"
        "asyncio.run(main())\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    first, after, view = json.loads(r.stdout.splitlines()[-1])
    assert "tutor.engine.run" in first  # the run is on screen
    never = {"markdown_it", "tutor.ui.widgets.question", "tutor.ui.screens.backprop"}
    assert not set(first) & never, sorted(set(first) & never)
    assert view == "TextView" and "markdown_it" in after
