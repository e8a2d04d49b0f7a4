"""`find_lesson(id)` reads the `id:` line of the files before the one it opens instead of parsing
every lesson (issue 10: start-up); whatever the files, it finds what `discover` finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lessons import LessonError, discover, discovery, find_lesson

GOOD = (Path(__file__).parent / "ui" / "fixtures" / "lessons" / "tiny-perceptron.yaml").read_text(
    encoding="utf-8"
)


def lesson(folder: Path, file: str, lesson_id: str, id_line: str | None = None) -> Path:
    """`GOOD` as lesson `lesson_id`, its id written as `id_line` (default: `id: lesson_id`)."""
    text = GOOD.replace("id: tiny-perceptron", id_line or f"id: {lesson_id}", 1)
    path = folder / file
    path.write_text(text, encoding="utf-8")
    return path


def by_discover(name: str, dirs: list[Path]) -> Path | None:
    found = [x.path for x in discover(dirs)[0] if x.id == name]
    return found[0] if found else None


@pytest.fixture
def folders(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    monkeypatch.setattr("tutor.paths.user_lessons_dir", lambda: tmp_path / "none")
    return a, b


def test_a_plain_id_line_opens_one_file_without_discover(folders, monkeypatch):
    a, b = folders
    lesson(a, "one.yaml", "one")
    target = lesson(b, "two.yaml", "two  # a comment")
    monkeypatch.setattr(discovery, "discover", lambda *_: pytest.fail("discover was called"))
    assert find_lesson("two", [a, b]).path == target
    assert find_lesson("perceptron", []).id == "perceptron"  # the built-ins


@pytest.mark.parametrize(
    "earlier",
    [
        'id: "two"',  # quoted: the same id, which `discover` finds first
        "id: two\nid: two",  # twice (a duplicate key)
        "{id: two}",  # not a line of its own
        "id: two\r",  # CRLF
    ],
)
def test_an_unusual_id_line_leaves_the_answer_to_discover(folders, earlier):
    a, b = folders
    lesson(a, "one.yaml", "x", id_line=earlier)
    lesson(b, "two.yaml", "two")
    found = by_discover("two", [a, b])
    try:
        assert find_lesson("two", [a, b]).path == found
    except LessonError:
        assert found is None


def test_a_broken_first_file_with_the_id_gives_the_next_one_as_discover_does(folders):
    a, b = folders
    (a / "one.yaml").write_text("format: 1\nid: two\nunits: 3\n", encoding="utf-8")
    target = lesson(b, "two.yaml", "two")
    assert by_discover("two", [a, b]) == target
    assert find_lesson("two", [a, b]).path == target


def test_the_first_of_two_files_with_the_id_wins_as_in_discover(folders):
    a, b = folders
    first = lesson(a, "zz.yaml", "two")
    lesson(b, "aa.yaml", "two")
    assert by_discover("two", [a, b]) == first
    assert find_lesson("two", [a, b]).path == first


def test_an_unknown_id_still_lists_the_known_ones(folders):
    a, _ = folders
    lesson(a, "one.yaml", "one")
    with pytest.raises(LessonError) as err:
        find_lesson("onne", [a])
    assert "did you mean 'one'?" in str(err.value)
