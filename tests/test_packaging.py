"""A real (non-editable) install: build the wheel, install it, run it from another folder.

This catches what an editable install hides: lessons or message catalogs left out of the wheel,
a console script that points nowhere.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist), str(ROOT)], check=True, timeout=300)
    (wheel,) = dist.glob("perceptron_tutor-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    return wheel, target


def test_wheel_ships_lessons_and_catalogs(installed):
    wheel, _ = installed
    names = zipfile.ZipFile(wheel).namelist()
    assert "tutor/_lessons/and-gate.yaml" in names
    assert "tutor/locales/cli.ko.toml" in names and "tutor/locales/cli.en.toml" in names
    assert "tutor/ui/app.tcss" in names
    assert "tutor/plain/session.py" in names and "tutor/locales/plain.ko.toml" in names
    assert "tutor/lessons/lesson-v1.schema.json" in names  # `schema` prints it; editors read it
    lessons = {p.name for p in (ROOT / "lessons").glob("*.yaml")}
    assert {n.split("/")[-1] for n in names if n.startswith("tutor/_lessons/")} == lessons


def test_installed_command_finds_the_builtin_lessons_from_another_folder(installed, tmp_path):
    _, target = installed
    env = {**os.environ, "PYTHONPATH": str(target)}
    script = target / "bin" / "perceptron-tutor"
    r = subprocess.run([sys.executable, str(script), "list", "--json"], capture_output=True,
                       text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert "and-gate" in [row["id"] for row in rows]
    assert all(str(target) in row["path"] for row in rows)
    r = subprocess.run([sys.executable, "-c", "import tutor; print(tutor.__file__)"],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert r.stdout.startswith(str(target))
    r = subprocess.run([sys.executable, "-m", "tutor", "trace", "and-gate", "--json"],
                       capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "0.39999999999999997, 0.30000000000000004, 0.1" in r.stdout
