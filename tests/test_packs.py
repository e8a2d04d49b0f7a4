"""Lesson packs (tutor/lessons/packs.py): lessons that an installed package provides through the
entry point group `perceptron_tutor.lessons`.

Most tests put a package and its `.dist-info` (METADATA, entry_points.txt: what pip writes) in a
folder on `sys.path`, which is all `importlib.metadata` reads. The last one builds a real pack
(pyproject.toml and two lessons), installs it with pip into a folder of its own (not this
environment, whose other tests must not see it), and runs the installed command over it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.lessons import discover, find_lesson
from tutor.lessons.packs import GROUP, installed_packs, package_folder
from tutor.lessons.scaffold import write_skeleton

REPO = Path(__file__).resolve().parent.parent


def lesson_text(lesson_id: str, title: str = "A pack lesson") -> str:
    """A lesson that passes check (the `new` skeleton), with `lesson_id` and an English title."""
    folder = Path(os.environ["PACK_SCRATCH"])
    path = write_skeleton(lesson_id, folder, "perceptron")
    text = path.read_text(encoding="utf-8").replace("My new lesson", title)
    path.unlink()
    return text


@pytest.fixture(autouse=True)
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACK_SCRATCH", str(tmp_path / "scratch"))
    (tmp_path / "scratch").mkdir()
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))


def fake_install(site: Path, dist: str, entry_points: dict[str, str],
                 packages: dict[str, dict[str, str]]) -> None:
    """What pip leaves in site-packages: the packages' files and the distribution's dist-info.
    Every package's __init__.py exits the process: finding a pack must not run its code."""
    for package, files in packages.items():
        folder = site.joinpath(*package.split("."))
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text("raise SystemExit('a pack was imported')\n")
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n")
    lines = "".join(f"{name} = {value}\n" for name, value in entry_points.items())
    (info / "entry_points.txt").write_text(f"[{GROUP}]\n{lines}", encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


def test_a_pack_s_lessons_are_found_with_its_name_and_none_of_its_code_runs(site: Path) -> None:
    fake_install(site, "demo-pack", {"demo": "demo_pack"}, {"demo_pack": {
        "lessons/one.yaml": lesson_text("pack-one", "First pack lesson"),
        "lessons/two.yml": lesson_text("pack-two"),
        "lessons/notes.txt": "not a lesson",
    }})
    packs, problems = installed_packs()
    assert problems == []
    assert [(p.name, p.distribution, p.folder) for p in packs] == [
        ("demo", "demo-pack 1.0", site / "demo_pack" / "lessons")]
    lessons, problems = discover()
    assert problems == []
    from_pack = {lesson.id: lesson.pack for lesson in lessons if lesson.pack is not None}
    assert from_pack == {"pack-one": "demo", "pack-two": "demo"}
    assert "and-gate" in {lesson.id for lesson in lessons}  # the built-in lessons are still there
    assert find_lesson("pack-one").title.get("en") == "First pack lesson"
    assert "demo_pack" not in sys.modules


def test_list_and_check_show_a_pack(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake_install(site, "demo-pack", {"demo": "demo_pack"}, {"demo_pack": {
        "lessons/one.yaml": lesson_text("pack-one")}})
    assert main(["list", "--json", "--lang", "en"]) == 0
    rows = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["pack-one"]["pack"] == "demo" and rows["and-gate"]["pack"] is None
    assert main(["list", "--lang", "ko"]) == 0  # piped: tab-separated, the folder column names it
    line = next(s for s in capsys.readouterr().out.splitlines() if s.startswith("pack-one\t"))
    assert line.endswith("\t레슨 팩 demo")
    assert main(["check", "pack-one", "--lang", "en"]) == 0  # by id, like a built-in lesson
    assert "checked 1 lesson file(s): 0 problem(s)" in capsys.readouterr().err


def test_a_pack_lesson_with_a_built_in_id_is_reported_naming_both_and_never_shadows(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_install(site, "copycat", {"copycat": "copycat"}, {"copycat": {
        "lessons/and-gate.yaml": lesson_text("and-gate", "Not the real AND gate")}})
    lessons, problems = discover()
    kept = next(lesson for lesson in lessons if lesson.id == "and-gate")
    assert kept.pack is None and kept.title.get("en") == "Training an AND gate"
    [clash] = [p for p in problems if p.field == "id"]
    assert "copycat" in clash.file and "and-gate.yaml" in clash.file
    assert "is also used by" in clash.message and "lessons/and-gate.yaml" in clash.message
    assert "lesson pack 'copycat'" in clash.message
    assert main(["list", "--lang", "en"]) == 1  # listed, with the clash printed
    assert "lesson pack 'copycat'" in capsys.readouterr().err


def test_broken_packs_are_problems_and_the_other_lessons_stay(site: Path) -> None:
    good = lesson_text("pack-good")
    fake_install(site, "many-packs", {
        "good": "good_pack",
        "nothing": "no_such_package",
        "attribute": "good_pack:lessons",
        "bare": "bare_pack",
        "broken": "broken_pack",
        "[red]x[/red]\x1b[2J": "nested.inner",
    }, {
        "good_pack": {"lessons/good.yaml": good},
        "bare_pack": {"README": "no lessons folder"},
        "broken_pack": {"lessons/bad.yaml": "format: 1\nid: [not, an, id]\n"},
        "nested.inner": {"lessons/deep.yaml": lesson_text("pack-deep")},
    })
    packs, problems = installed_packs()
    assert sorted(p.name for p in packs) == ["[red]x[/red][2J", "broken", "good"]  # ESC removed
    assert package_folder("nested.inner") == site / "nested" / "inner"
    text = "\n".join(str(p) for p in problems)
    assert "lesson pack 'nothing' (many-packs 1.0): names 'no_such_package'" in text
    assert "names 'good_pack:lessons'" in text
    assert "package 'bare_pack' has no lessons/ folder" in text
    lessons, problems = discover()
    ids = {lesson.id for lesson in lessons}
    assert {"pack-good", "pack-deep", "and-gate"} <= ids
    assert any("bad.yaml:2: id" in str(p) for p in problems), problems
    assert "good_pack" not in sys.modules and "nested" not in sys.modules


def test_the_menu_shows_a_pack_lesson_and_its_pack(site: Path) -> None:
    import asyncio

    from rich.console import Console
    from textual.widgets import OptionList

    from tutor.progress import MemoryStore
    from tutor.ui.app import create_app

    fake_install(site, "demo-pack", {"demo": "demo_pack"}, {"demo_pack": {
        "lessons/one.yaml": lesson_text("pack-one", "First pack lesson")}})
    app = create_app("en", [], MemoryStore())

    async def menu_text() -> str:
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            option = app.screen.query_one("#lessons", OptionList).get_option("pack-one")
            console = Console(width=100, record=True, file=io.StringIO())
            console.print(option.prompt)
            return console.export_text()

    shown = asyncio.run(menu_text())
    assert "First pack lesson" in shown and "from lesson pack demo" in shown


PACK_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "perceptron-tutor-demo-pack"
version = "0.1.0"

[project.entry-points."perceptron_tutor.lessons"]
demo = "demo_lessons"

[tool.hatch.build.targets.wheel]
packages = ["demo_lessons"]
"""


def test_a_pack_installed_with_pip_shows_in_list(tmp_path: Path) -> None:
    """The tiny pack of docs/lesson-format.md, built and installed by pip, then listed."""
    source = tmp_path / "pack"
    (source / "demo_lessons" / "lessons").mkdir(parents=True)
    (source / "pyproject.toml").write_text(PACK_PYPROJECT)
    (source / "demo_lessons" / "__init__.py").write_text("")
    for lesson_id in ("demo-first", "demo-second"):
        (source / "demo_lessons" / "lessons" / f"{lesson_id}.yaml").write_text(
            lesson_text(lesson_id), encoding="utf-8")
    target = tmp_path / "installed"
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=300,
    )
    assert pip.returncode == 0, pip.stderr
    assert (target / "demo_lessons" / "lessons" / "demo-first.yaml").is_file()
    env = {**os.environ, "PYTHONPATH": str(target)}
    listed = subprocess.run(
        [sys.executable, "-m", "tutor", "list", "--json"], capture_output=True, text=True,
        cwd=tmp_path, env=env, timeout=120,
    )
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert rows["demo-first"]["pack"] == rows["demo-second"]["pack"] == "demo"
    assert rows["and-gate"]["pack"] is None
    checked = subprocess.run(
        [sys.executable, "-m", "tutor", "check", "demo-second", "--lang", "en"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
