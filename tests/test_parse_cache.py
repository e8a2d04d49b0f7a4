"""The disk cache of parsed lesson files (tutor/lessons/parse_cache.py): a shortcut that never
changes what a file means. Every file reads the same from the cache as from the parser."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.hostile.corpus import LESSONS
from tutor.lessons import LessonError, parse_cache, yaml_lines
from tutor.lessons import load as load_module
from tutor.lessons.check import check_lesson
from tutor.paths import builtin_lessons_dir

BUILTIN = sorted(builtin_lessons_dir().glob("*.yaml"))


def same(a, b) -> bool:
    """Equal values, the same types, and the same line of every key and item."""
    if type(a) is not type(b):
        return False
    if isinstance(a, yaml_lines.LineDict):
        return (
            a.line == b.line
            and list(a) == list(b)
            and all(a.line_of(k) == b.line_of(k) and same(a[k], b[k]) for k in a)
        )
    if isinstance(a, yaml_lines.LineList):
        return a.line == b.line and a.lines == b.lines and len(a) == len(b) and all(
            same(x, y) for x, y in zip(a, b, strict=True)
        )
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b and (not isinstance(a, float) or math.copysign(1, a) == math.copysign(1, b))


def round_trip(raw: bytes) -> tuple[yaml_lines.Parsed, yaml_lines.Parsed | None]:
    parsed = yaml_lines.parse(raw.decode("utf-8", errors="replace"))
    parse_cache.store(raw, parsed)
    return parsed, parse_cache.load(raw)


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_every_builtin_lesson_reads_the_same_from_the_cache(path: Path):
    parsed, cached = round_trip(path.read_bytes())
    assert cached is not None
    assert same(parsed.data, cached.data)
    assert (cached.errors, cached.duplicates, cached.cleaned) == (
        parsed.errors, parsed.duplicates, parsed.cleaned)


def test_every_hostile_file_reads_the_same_from_the_cache_or_is_not_cached():
    cached_count = 0
    for name, text in LESSONS.items():
        raw = text.encode("utf-8", errors="surrogatepass") if isinstance(text, str) else text
        parsed, cached = round_trip(raw)
        if cached is None:
            continue
        cached_count += 1
        assert same(parsed.data, cached.data), name
        assert (cached.errors, cached.duplicates, cached.cleaned) == (
            parsed.errors, parsed.duplicates, parsed.cleaned), name
    assert cached_count > len(LESSONS) // 2


def outcome(path: Path) -> tuple:
    """What loading and checking the file says, as text."""
    try:
        lesson = load_module.load_lesson(path)
    except LessonError as exc:
        return ("error", [str(p) for p in exc.problems])
    return ("ok", lesson.id, [str(p) for p in check_lesson(lesson)])


def test_check_says_the_same_before_and_after_the_cache(tmp_path: Path):
    for name, text in list(LESSONS.items())[:40]:
        path = tmp_path / "lesson.yaml"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass") if isinstance(text, str)
                         else text)
        load_module._PARSED.clear()
        first = outcome(path)
        load_module._PARSED.clear()  # the second time from the disk cache
        assert outcome(path) == first, name


def test_non_finite_floats_and_large_integers():
    raw = b"a: .inf\nb: -.inf\nc: .nan\nd: -0.0\ne: 123456789012345678901234567890\n"
    parsed = yaml_lines.parse(raw.decode())
    parse_cache.store(raw, parsed)
    assert parse_cache.load(raw) is None  # the huge integer: not cached
    raw = raw.replace(b"123456789012345678901234567890", b"7")
    parsed, cached = round_trip(raw)
    assert cached is not None and same(parsed.data, cached.data)


@pytest.mark.parametrize("damage", [b"", b"{", b"[1, 2]", b'{"data": {"m": "x"}}', b"\xff\xfe"])
def test_a_damaged_entry_is_ignored_and_the_file_parsed(tmp_path: Path, damage: bytes):
    path = BUILTIN[0]
    raw = path.read_bytes()
    parse_cache.store(raw, yaml_lines.parse(raw.decode()))
    parse_cache._entry(raw).write_bytes(damage)
    assert parse_cache.load(raw) is None
    load_module._PARSED.clear()
    lesson = load_module.load_lesson(path)
    assert lesson.id == path.stem


def test_the_cache_is_keyed_on_the_bytes_not_the_name(tmp_path: Path):
    path = tmp_path / "x.yaml"
    path.write_bytes(BUILTIN[0].read_bytes())
    load_module._PARSED.clear()
    first = load_module.load_lesson(path)
    path.write_bytes(BUILTIN[0].read_bytes().replace(b"id: ", b"id: x", 1))
    load_module._PARSED.clear()
    assert load_module.load_lesson(path).id == "x" + first.id


def test_an_entry_that_is_a_fifo_is_not_waited_on():
    """An entry swapped for a FIFO (reading it would wait for a writer forever): no shortcut,
    the file is parsed, at once."""
    import os
    import threading

    raw = BUILTIN[0].read_bytes()
    parse_cache.store(raw, yaml_lines.parse(raw.decode()))
    entry = parse_cache._entry(raw)
    entry.unlink()
    os.mkfifo(entry)
    out: list[object] = []
    worker = threading.Thread(target=lambda: out.append(parse_cache.load(raw)), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        os.close(os.open(entry, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(20)
        pytest.fail("the parse cache waited on its entry")
    assert out == [None]


def test_an_entry_linked_to_an_endless_device_is_not_read_whole(tmp_path: Path):
    """An entry that is a link to /dev/zero: read whole, it would take all memory. In a child
    process limited to 1 GB of address space, so that a failure is a MemoryError, not the
    machine's memory; the child's peak
    memory shows how much it read."""
    import os
    import resource
    import subprocess
    import sys

    raw = BUILTIN[0].read_bytes()
    parse_cache.store(raw, yaml_lines.parse(raw.decode()))
    entry = parse_cache._entry(raw)
    entry.unlink()
    entry.symlink_to("/dev/zero")
    code = ("import resource, sys; from tutor.lessons import parse_cache; "
            "print(parse_cache.load(open(sys.argv[1], 'rb').read()), "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    done = subprocess.run([sys.executable, "-c", code, str(BUILTIN[0])], capture_output=True,
                          text=True, timeout=120, preexec_fn=limit, env=os.environ.copy())
    assert done.returncode == 0, done.stderr[-500:]
    result, peak_mb = done.stdout.split()
    assert result == "None"
    assert int(peak_mb) < 300  # MAX_ENTRY_BYTES (8 MB) read at most, not 1 GB of zeros


def test_an_entry_holding_what_the_parser_cleans_is_not_used():
    """The parser cleans every string (ESC, CR, C1, bidi overrides); an entry edited to hold one
    is not a parse of any file: it is ignored, and the file is parsed and cleaned again."""
    import json

    raw = BUILTIN[0].read_bytes()
    parse_cache.store(raw, yaml_lines.parse(raw.decode()))
    entry = parse_cache._entry(raw)
    doc = json.loads(entry.read_bytes())
    items = doc["data"]["i"]
    key_at = next(i for i, (k, _, v) in enumerate(items) if k == "id")
    items[key_at][2] = "x\x1b[2J\x9d0;owned\x07"
    entry.write_text(json.dumps(doc), encoding="utf-8")
    assert parse_cache.load(raw) is None
    load_module._PARSED.clear()
    assert load_module.load_lesson(BUILTIN[0]).id == BUILTIN[0].stem
