"""What `list` keeps between runs (tutor/lessons/listing.py) never changes what it shows.

The reference is `discover`, which loads every file (with the per-process parse cache emptied,
since that one is keyed on size and change time). Files are edited in place keeping their size
and their change time, the case a cache keyed on file metadata would get wrong.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.corpus import LESSONS, as_bytes, lesson
from tutor import cli, paths
from tutor.lessons import discover, listing
from tutor.lessons import load as load_module
from tutor.lessons.listing import list_lessons
from tutor.paths import builtin_lessons_dir

BUILTIN = builtin_lessons_dir()


def listed(extra: list[Path]) -> tuple[list[tuple[object, ...]], list[object]]:
    found, problems = list_lessons(extra)
    return ([(x.id, x.title("en"), x.title("ko"), x.units, x.trainings, x.quizzes,
              list(x.languages), x.order, x.path, x.display_path, x.pack) for x in found],
            problems)


def reference(extra: list[Path]) -> tuple[list[tuple[object, ...]], list[object]]:
    load_module._PARSED.clear()
    lessons, problems = discover(extra)
    return ([(x.id, x.title.get("en"), x.title.get("ko"), len(x.units), len(x.trainings),
              len(x.questions()), list(x.languages), x.order, x.path, x.display_path, x.pack)
             for x in lessons], problems)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the loader reads, in order (list_lessons imports the loader when it needs it)."""
    seen: list[Path] = []
    real = load_module.load_lesson

    def counting(path, **kwargs):
        seen.append(Path(path))
        return real(path, **kwargs)

    monkeypatch.setattr(load_module, "load_lesson", counting)
    return seen


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Every hostile case of tests/hostile, copies of built-in lessons (their ids clash), a
    symlink loop, a dangling link, a FIFO, a folder named like a lesson, an ESC in a name."""
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, content in LESSONS.items():
        (folder / f"{name}.yaml").write_bytes(as_bytes(content))
    for name in ("and-gate", "xor"):
        (folder / f"copy-{name}.yml").write_bytes((BUILTIN / f"{name}.yaml").read_bytes())
    (folder / "loop-a.yaml").symlink_to(folder / "loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to(folder / "loop-a.yaml")
    (folder / "dangling.yaml").symlink_to(folder / "nowhere.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "esc\x1b[31m.yaml").write_bytes(as_bytes(lesson(id="esc")))
    return folder


def test_list_shows_what_discover_finds_cold_warm_and_warm_again(hostile: Path,
                                                                   loads: list[Path]):
    expected = reference([hostile])
    assert any(p.field == "id" and "also used by" in p.message for p in expected[1])
    assert len(expected[0]) > 14 and len(expected[1]) > 50  # the corpus was read
    loads.clear()
    assert listed([hostile]) == expected
    cold = list(loads)
    assert len(cold) == len(list(BUILTIN.glob("*.yaml"))) + len(list(hostile.iterdir())) - 1
    for _ in range(2):
        loads.clear()
        assert listed([hostile]) == expected
        assert not [p for p in loads if p.parent == BUILTIN]  # built-in lessons: from the cache
        assert set(loads) <= set(cold) and len(loads) < len(cold) // 4, loads


def write_keeping_stat(path: Path, content: bytes) -> None:
    """Write `content` over `path` and put its change time back: same size, same mtime."""
    before = path.stat()
    assert len(content) == before.st_size
    path.write_bytes(content)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def small(title: str, epochs: str = "2") -> bytes:
    return lesson(id="edited", title=f'"{title}"', epochs=epochs).encode()


@pytest.fixture
def no_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Only the folder under test: no built-in lessons (faster, and nothing else to see)."""
    empty = tmp_path / "no-builtin"
    empty.mkdir()
    monkeypatch.setattr(paths, "builtin_lessons_dir", lambda: empty)
    folder = tmp_path / "mine"
    folder.mkdir()
    return folder


def test_an_edited_title_is_shown_even_with_the_same_size_and_time(no_builtin: Path, capsys):
    path = no_builtin / "edited.yaml"
    path.write_bytes(small("Alpha"))
    assert listed([no_builtin])[0][0][1] == "Alpha"
    write_keeping_stat(path, small("Bravo"))
    assert listed([no_builtin])[0][0][1] == "Bravo"
    assert cli.main(["list", "--json", "--lessons", str(no_builtin)]) == 0
    assert [row["title"] for row in json.loads(capsys.readouterr().out)] == ["Bravo"]


def test_a_new_problem_is_shown_and_a_fixed_one_goes(no_builtin: Path, capsys):
    path = no_builtin / "edited.yaml"
    path.write_bytes(small("Alpha"))
    assert listed([no_builtin]) == reference([no_builtin])
    assert listed([no_builtin])[1] == []
    write_keeping_stat(path, small("Alpha", epochs="x"))
    found, problems = listed([no_builtin])
    assert found == [] and problems and all("epochs" in p.field for p in problems)
    assert (found, problems) == reference([no_builtin])
    assert cli.main(["list", "--json", "--lessons", str(no_builtin)]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert [(r["status"], r["problems"]) for r in rows] == [
        ("broken", [str(p) for p in problems])]
    write_keeping_stat(path, small("Alpha"))
    assert listed([no_builtin]) == reference([no_builtin])
    assert listed([no_builtin])[1] == []


VARIANTS = [small(title, epochs) for title in ("Alpha", "Bravo", "Gamma")
            for epochs in ("2", "3", "x", "-")]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(range(3)), st.sampled_from(VARIANTS)),
                      min_size=1, max_size=8))
def test_any_edits_in_place_list_as_a_fresh_load_would(no_builtin: Path, edits):
    """Three files edited in any order, each keeping its size and time: after every edit,
    `list` shows what loading every file shows (a stale record would show an old title, or
    hide or keep a problem)."""
    files = [no_builtin / f"f{i}.yaml" for i in range(3)]
    for f in files:
        f.write_bytes(VARIANTS[0])
    for which, content in edits:
        write_keeping_stat(files[which], content)
        assert listed([no_builtin]) == reference([no_builtin])


def cache_file() -> Path:
    (found,) = paths.cache_dir().glob("listed-*.json")
    return found


def damaged_records(doc: dict, damage: object) -> dict:
    doc["records"] = {key: damage for key in doc["records"]}
    return doc


DAMAGES = {
    "not JSON": lambda raw: b"{not json",
    "empty": lambda raw: b"",
    "a list": lambda raw: b"[]",
    "no records": lambda raw: json.dumps({"code": json.loads(raw)["code"]}).encode(),
    "records of numbers": lambda raw: json.dumps(damaged_records(json.loads(raw), 7)).encode(),
    "short records": lambda raw: json.dumps(damaged_records(json.loads(raw), ["id"])).encode(),
    "counts as text": lambda raw: json.dumps(damaged_records(
        json.loads(raw), ["x", {"en": "t", "ko": "t"}, "1", 1, 1, ["en"], 1.0])).encode(),
    "a language too many": lambda raw: json.dumps(damaged_records(
        json.loads(raw), ["x", {"en": "t", "ko": "t"}, 1, 1, 1, ["en", "fr"], 1.0])).encode(),
    "no problems": lambda raw: json.dumps(damaged_records(
        json.loads(raw), {"problems": []})).encode(),
    "a problem without a line": lambda raw: json.dumps(damaged_records(
        json.loads(raw), {"problems": [["1", "f", "m", "error"]]})).encode(),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_cache_is_ignored(hostile: Path, loads: list[Path], damage: str):
    expected = reference([hostile])
    loads.clear()
    assert listed([hostile]) == expected
    cold = len(loads)
    file = cache_file()
    file.write_bytes(DAMAGES[damage](file.read_bytes()))
    loads.clear()
    assert listed([hostile]) == expected
    assert len(loads) == cold  # every file loaded again
    loads.clear()
    assert listed([hostile]) == expected  # written again, good as new
    assert len(loads) < cold // 4


def test_records_made_by_other_code_are_not_used(no_builtin: Path, loads: list[Path]):
    """A module of the tutor (or of PyYAML) that changed since the records were made: the
    records could say what the old code said, so none is used, and new ones are written."""
    path = no_builtin / "edited.yaml"
    path.write_bytes(small("Alpha"))
    listed([no_builtin])
    file = cache_file()
    doc = json.loads(file.read_bytes())
    assert any(name.endswith(os.path.join("tutor", "lessons", "load.py")) for name in doc["code"])
    assert any(os.sep + "yaml" + os.sep in name for name in doc["code"])
    for record in doc["records"].values():
        record[1] = {"en": "Forged", "ko": "Forged"}
    first = next(iter(doc["code"]))
    doc["code"][first][0] += 1  # as if that module had been edited
    file.write_text(json.dumps(doc), encoding="utf-8")
    loads.clear()
    assert listed([no_builtin])[0][0][1] == "Alpha"
    assert loads == [path]
    assert "Forged" not in file.read_text(encoding="utf-8")


def test_the_cache_keeps_this_runs_files_and_at_most_max_records_more(
        no_builtin: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(listing, "MAX_RECORDS", 3)
    other = no_builtin.parent / "other"
    other.mkdir()
    for i in range(5):
        (no_builtin / f"a{i}.yaml").write_bytes(small(f"Alph{i}"))
    for i in range(2):
        (other / f"b{i}.yaml").write_bytes(small(f"Brav{i}"))
    listed([no_builtin])
    assert len(json.loads(cache_file().read_bytes())["records"]) == 5  # all of this run's
    listed([other])
    assert len(json.loads(cache_file().read_bytes())["records"]) == 3  # 2 of this run, 1 older


# --- the command line's own reading of `list` (tutor/cli.py: `_list_args`) ------------------

TOKENS = ["list", "list", "--json", "--lessons", "--lang", "ko", "en", "fr", "d1", "d2", "-x",
          "--lessons=d3", "--lang=ko", "--lang=en", "--lang=", "--lessons=", "--js", "--", "-h",
          "check", "--version", "--lessons=-d", "list=x"]


@settings(max_examples=400, deadline=None)
@given(argv=st.lists(st.sampled_from(TOKENS), max_size=7))
def test_the_fast_reading_of_list_is_what_argparse_makes_of_it(argv: list[str]):
    fast = cli._list_args(argv)
    if fast is None:
        return
    slow = cli._parse(argv)
    assert not isinstance(slow, int), argv  # argparse takes it too, without an error
    assert (slow.command, slow.lessons, slow.lang, slow.json) == (
        fast.command, fast.lessons, fast.lang, fast.json), argv


@pytest.mark.parametrize("argv", [
    ["list"], ["list", "--json"], ["--lang", "ko", "list"], ["list", "--lang=en", "--json"],
    ["--lessons", "a", "list", "--lessons", "b"], ["list", "--lessons=a", "--lang", "ko"],
])
def test_the_ways_list_is_typed_take_the_fast_reading(argv: list[str]):
    fast = cli._list_args(argv)
    assert fast is not None
    slow = cli._parse(argv)
    assert not isinstance(slow, int)
    assert (slow.lessons, slow.lang, slow.json) == (fast.lessons, fast.lang, fast.json)


def test_version_alone_prints_what_argparse_prints(capsys):
    assert cli.main(["--version"]) == 0
    fast = capsys.readouterr()
    assert cli._parse(["--version"]) == 0  # argparse's own version action
    assert capsys.readouterr() == fast
    assert fast.out.startswith("perceptron-tutor ") and fast.err == ""


def test_a_file_with_too_many_problems_to_keep_is_loaded_every_time(no_builtin: Path,
                                                                    loads: list[Path]):
    path = no_builtin / "many.yaml"
    keys = "".join(f"unknown_key_{i}: {i}\n" for i in range(400))
    path.write_text(lesson(id="many") + keys, encoding="utf-8")
    expected = reference([no_builtin])
    assert len(expected[1]) >= 400
    for _ in range(2):
        loads.clear()
        assert listed([no_builtin]) == expected
        assert loads == [path]
    assert list(paths.cache_dir().glob("listed-*.json")) == []  # nothing else was to keep


def test_a_cache_that_cannot_be_written_changes_nothing(no_builtin: Path):
    (no_builtin / "one.yaml").write_bytes(small("Alpha"))
    listed([no_builtin])
    file = cache_file()
    file.unlink()
    file.mkdir()  # the cache file's name is taken by a folder: nothing can be written there
    for _ in range(2):
        assert listed([no_builtin]) == reference([no_builtin])
    assert file.is_dir() and [p.name for p in file.parent.iterdir() if p.name.startswith(".")] == []


def test_a_file_swapped_for_a_fifo_after_its_look_is_not_waited_on(no_builtin: Path,
                                                                   monkeypatch: pytest.MonkeyPatch):
    """Between the look (`os.stat`) and the open, the file became a FIFO: `list` must not wait
    for a writer that never comes; the loader then says what the file is."""
    path = no_builtin / "swapped.yaml"
    path.write_bytes(small("Alpha"))
    regular = os.stat(path)
    path.unlink()
    os.mkfifo(path)
    real_stat = os.stat
    monkeypatch.setattr(listing.os, "stat",
                        lambda p, *a, **k: regular if Path(p) == path else real_stat(p, *a, **k))
    assert listing._read_bytes(path) is None


def listed_within(extra: list[Path], fifo: Path | None = None, seconds: float = 20.0):
    """`listed(extra)` in a thread; fails if it has not returned within `seconds` (then a
    writer is opened on `fifo` and closed, so that a read waiting on it ends)."""
    import threading

    out: list[object] = []
    worker = threading.Thread(target=lambda: out.append(listed(extra)), daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive() and fifo is not None:
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(seconds)
        pytest.fail(f"list waited on the FIFO {fifo}")
    assert out, "list did not return"
    return out[0]


@pytest.mark.parametrize("swap", ["fifo", "link to /dev/zero", "link loop"])
def test_a_cache_file_that_is_no_regular_file_is_not_read(no_builtin: Path, swap: str):
    """The cache file itself replaced by a FIFO (opening it would wait for a writer forever),
    a link to an endless device or a link loop: `list` shows what loading shows, at once."""
    (no_builtin / "one.yaml").write_bytes(small("Alpha"))
    expected = reference([no_builtin])
    assert listed([no_builtin]) == expected
    file = cache_file()
    file.unlink()
    if swap == "fifo":
        os.mkfifo(file)
    elif swap == "link loop":
        file.symlink_to(file)
    else:
        file.symlink_to("/dev/zero")
    assert listed_within([no_builtin], fifo=file if swap == "fifo" else None) == expected


def test_a_parsed_entry_that_is_a_fifo_is_not_waited_on(no_builtin: Path):
    """The same for the parse cache that a cold `list` (and every lesson opened) reads."""
    path = no_builtin / "one.yaml"
    path.write_bytes(small("Alpha"))
    expected = reference([no_builtin])
    listed([no_builtin])
    from tutor.lessons import parse_cache

    entry = parse_cache._entry(path.read_bytes())
    assert entry.is_file()
    entry.unlink()
    os.mkfifo(entry)
    cache_file().unlink()  # a cold list: the file is loaded, which reads the parse cache
    load_module._PARSED.clear()
    assert listed_within([no_builtin], fifo=entry) == expected


ESCAPES = "\x1b]0;owned\x07\x1b[2J\r\x9b31m\u202e"


@pytest.mark.parametrize("where", ["id", "title", "problem field", "problem message"])
def test_a_hand_edited_record_cannot_bring_escapes_past_the_cleaning(no_builtin: Path,
                                                                     where: str):
    """The loader cleans every string it reads (tutor/text.py); a record of the cache is what
    `list` prints, so one holding ESC, CR, C1 or a bidi override is not used: the file is
    loaded again and shown cleaned, as without a cache."""
    good = no_builtin / "good.yaml"
    good.write_bytes(small("Alpha"))
    bad = no_builtin / "bad.yaml"
    bad.write_bytes(small("Alpha", epochs="x"))
    expected = reference([no_builtin])
    assert listed([no_builtin]) == expected
    file = cache_file()
    doc = json.loads(file.read_bytes())
    for record in doc["records"].values():
        if isinstance(record, list) and where == "id":
            record[0] = "edited" + ESCAPES
        elif isinstance(record, list) and where == "title":
            record[1] = {lang: "Alpha" + ESCAPES for lang in record[1]}
        elif isinstance(record, dict):
            for problem in record["problems"]:
                problem[1 if where == "problem field" else 2] += ESCAPES
    file.write_text(json.dumps(doc), encoding="utf-8")
    assert listed([no_builtin]) == expected
