"""`perceptron-tutor new`: a skeleton that passes `check` and the schema, written safely."""

from __future__ import annotations

import jsonschema
import pytest
import yaml

from tutor import paths
from tutor.cli import main
from tutor.lessons import check_lesson, find_lesson, load_lesson
from tutor.lessons.advice import lesson_warnings
from tutor.lessons.schema import SCHEMA_FILE, lesson_schema, schema_text


@pytest.mark.parametrize("model", ["perceptron", "linear", "mlp"])
def test_new_then_check_round_trips(model, capsys):
    assert main(["new", f"my-{model}", "--model", model]) == 0
    path = paths.user_lessons_dir() / f"my-{model}.yaml"
    assert capsys.readouterr().out.strip() == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE.name}"
    lesson = load_lesson(path)
    assert check_lesson(lesson) == []
    assert lesson_warnings(lesson) == []  # nor a warning for authors
    assert lesson.languages == ("ko", "en")
    assert {u.kind for u in lesson.units} == {"text", "training", "plot", "choice", "numeric",
                                              "predict"}
    assert lesson.trainings[0].config.model == model and lesson.trainings[0].asks
    jsonschema.validate(yaml.safe_load(text), lesson_schema())
    assert (path.parent / SCHEMA_FILE.name).read_text(encoding="utf-8") == schema_text()
    # The tutor finds it without --lessons, and `check` by path says it is clean.
    assert find_lesson(f"my-{model}").path == path
    assert main(["check", str(path)]) == 0


def test_new_never_overwrites(tmp_path, capsys):
    mine = tmp_path / "mine.yaml"
    mine.write_text("my own work\n", encoding="utf-8")
    (tmp_path / SCHEMA_FILE.name).write_text("{}", encoding="utf-8")
    assert main(["new", "mine", "--to", str(tmp_path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == "my own work\n"
    assert main(["new", "other", "--to", str(tmp_path)]) == 0
    assert (tmp_path / SCHEMA_FILE.name).read_text(encoding="utf-8") == "{}"  # left alone


def test_new_refuses_a_link_where_the_file_would_go(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep\n", encoding="utf-8")
    (tmp_path / "linked.yaml").symlink_to(target)
    assert main(["new", "linked", "--to", str(tmp_path)]) == 1
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_new_refuses_an_id_a_lesson_already_has(capsys):
    assert main(["new", "and-gate"]) == 1
    assert "and-gate" in capsys.readouterr().err
    assert not (paths.user_lessons_dir() / "and-gate.yaml").exists()


@pytest.mark.parametrize("bad", ["../escape", "a/b", "Upper", "-dash", "", "a\n", "a b",
                                 "x" * 65, "a\x1b[31mred", "café", "/etc/passwd", "."])
def test_new_refuses_an_id_that_is_not_a_safe_file_name(bad, tmp_path, capsys):
    assert main(["new", bad, "--to", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    # An id that starts with '-' reads as an option: argparse's usage error, also status 2.
    assert ("not a usable lesson id" in err) != bad.startswith("-")
    assert not (tmp_path / "out").exists()
    assert not paths.user_lessons_dir().exists()


def test_new_in_korean(tmp_path, capsys):
    assert main(["--lang", "ko", "new", "ko-lesson", "--to", str(tmp_path)]) == 0
    assert "perceptron-tutor check" in capsys.readouterr().err
    assert main(["--lang", "ko", "new", "ko-lesson", "--to", str(tmp_path)]) == 1
    assert "이미 있습니다" in capsys.readouterr().err


def test_new_into_a_folder_that_cannot_be_made_says_so(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    assert main(["new", "x", "--to", str(blocker / "sub")]) == 1
    assert "cannot write into" in capsys.readouterr().err
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_new_takes_the_common_options_before_or_after_the_command(tmp_path, capsys):
    # --lessons before the command is not lost to the subcommand's defaults: the id is taken.
    (tmp_path / "taken.yaml").write_text(
        "format: 1\nid: taken\ntitle: T\nunits:\n  - text: hi\n", encoding="utf-8")
    assert main(["--lessons", str(tmp_path), "new", "taken"]) == 1
    assert main(["new", "taken", "--lessons", str(tmp_path)]) == 1
    assert main(["new", "fresh", "--lang", "ko", "--to", str(tmp_path)]) == 0
    assert "만들었습니다" in capsys.readouterr().err
