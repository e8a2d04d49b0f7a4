"""Hostile lessons and progress files through the real command (issue 9, "done when").

Every case runs `perceptron-tutor` as a subprocess, capped at 300 MB of address space and 5 s,
and must end with exit 0, 1 or 2, no traceback and no internal-error sentence, no ESC byte in
what it prints (piped, nothing of ours needs one), with the bad file lying in the user lessons
folder while `list` still lists and `trace and-gate` still runs, and with nothing that is not
ours changed. The corpus is tests/hostile/corpus.py; a hypothesis test mutates the built-in
lessons at random (bytes, tags, nesting, numbers, text) and holds them to the same rules.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hostile.corpus import DIVERGING, ESC, LESSONS, LOADABLE, MARKUP, as_bytes, lesson, q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.paths import builtin_lessons_dir

REPO = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "perceptron-tutor"
MEMORY_CAP = 300 * 2**20  # bytes of address space
TIME_CAP = 5.0  # seconds
CRASH_WORDS = ("Traceback", "internal error", "내부 오류")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


class Result:
    def __init__(self, args: Sequence[str], code: int, out: bytes, err: bytes) -> None:
        self.args, self.code, self.out, self.err = list(args), code, out, err

    @property
    def text(self) -> str:
        return (self.out + self.err).decode("utf-8", "replace")

    def check(self) -> Result:
        """The rules every run must keep, whatever the input."""
        assert self.code in (0, 1, 2), (self.args, self.code, self.text[-2000:])
        for word in CRASH_WORDS:
            assert word not in self.text, (self.args, self.text[-3000:])
        assert ESC.encode() not in self.out + self.err, (self.args, self.text[-2000:])
        assert b"\x9b" not in self.out + self.err and b"\x07" not in self.out + self.err
        return self


def run(home: Path, *args: str, stdin: bytes = b"", seconds: float = TIME_CAP) -> Result:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "OPENBLAS_NUM_THREADS": "1",
        "COLUMNS": "100",
    }
    try:
        p = subprocess.run([str(EXE), *args], input=stdin, capture_output=True, env=env,
                           cwd=home, timeout=seconds, preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{args} ran past {seconds} s")
    return Result(args, p.returncode, p.stdout, p.stderr)


def strict_json(line: bytes) -> Any:
    """One line parsed as RFC 8259 JSON: Python's json module also takes the bare `Infinity`
    and `NaN` that jq and JavaScript refuse."""
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON: {line[:300]!r}")
    return json.loads(line, parse_constant=refuse)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "data" / "perceptron-tutor" / "lessons").mkdir(parents=True)
    return tmp_path


def user_lessons(home: Path) -> Path:
    return home / "data" / "perceptron-tutor" / "lessons"


CACHE = Path(".cache") / "perceptron-tutor" / "parsed"  # ours: parsed lessons, as JSON


def ours(folder: Path, p: Path) -> bool:
    """Our own caches: parsed lessons (`*.json` entries only) and what `list` shows
    (`listed-*.json`, tutor/lessons/listing.py); anything else there counts as a change."""
    return p.suffix == ".json" and (p.parent == folder / CACHE or (
        p.parent == folder / CACHE.parent and p.name.startswith("listed-")))


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its digest, except our own caches (`ours`)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not ours(folder, p)}


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_a_hostile_lesson_is_a_problem_never_a_crash(home: Path, name: str) -> None:
    content = as_bytes(LESSONS[name])
    bad = user_lessons(home) / f"{name}.yaml"
    bad.write_bytes(content)
    before = tree_digest(home)
    checked = run(home, "check", str(bad)).check()
    # A problem or a cleaned string is reported with file:line (or file: for the file itself).
    if name not in ("markup-title", "markup-lone-close", "markup-everywhere",
                    "markdown-html-link", "plot-range-1e308", "plot-range-tiny", "mlp-rate-huge"):
        assert checked.code == 1 and f"{name}.yaml:" in checked.text, checked.text
    listed = run(home, "list").check()
    ids = [line.split("\t")[0] for line in listed.out.decode().splitlines()]
    assert "and-gate" in ids and "xor" in ids, listed.text
    if name not in LOADABLE:
        assert name in ids and "(broken)" in listed.out.decode(), listed.text  # listed as broken
    else:
        run(home, "trace", str(bad), "--json").check()
    assert tree_digest(home) == before  # not even the bad file was changed


@pytest.mark.parametrize("name", sorted(DIVERGING))
def test_a_diverging_run_is_stopped_and_explained(home: Path, name: str) -> None:
    bad = home / f"{name}.yaml"
    bad.write_bytes(as_bytes(LESSONS[name]))
    step = DIVERGING[name]
    checked = run(home, "check", str(bad)).check()
    assert checked.code == 1 and f"step {step}: the " in checked.text, checked.text
    assert "smaller learning_rate" in checked.text
    traced = run(home, "trace", str(bad), "--json").check()
    steps = [strict_json(line) for line in traced.out.splitlines() if b'"step"' in line]
    assert steps[-1]["step"] == step  # the trace ends with the step that diverged
    assert {"Infinity", "-Infinity", "NaN"} & set(map(str, steps[-1].values())), steps[-1]
    assert traced.code == 1 and f"step {step} gives a value that is not finite" in traced.text
    ko = run(home, "--lang", "ko", "trace", str(bad)).check()
    assert f"{step}단계의 값이 유한하지 않습니다" in ko.text, ko.text


@pytest.mark.parametrize("name", ["key-19k-twice", "key-19k-unknown"])
def test_a_long_key_is_quoted_bounded(home: Path, name: str) -> None:
    bad = home / f"{name}.yaml"
    bad.write_bytes(as_bytes(LESSONS[name]))
    for args in (["check", str(bad)], ["check", "--json", str(bad)], ["list"]):
        if args == ["list"]:
            (user_lessons(home) / bad.name).write_bytes(bad.read_bytes())
        result = run(home, *args).check()
        assert result.code == 1, result.text
        longest = max(len(line) for line in result.text.splitlines())
        assert longest < 1500, (args, longest)
        assert "more characters" in result.text


def test_a_plot_names_each_function_once(home: Path) -> None:
    """A repeated function is refused at load time: the chart draws every curve it is given."""
    bad = home / "plot.yaml"
    bad.write_bytes(as_bytes(LESSONS["plot-functions-3000"]))
    checked = run(home, "check", str(bad)).check()
    assert checked.code == 1, checked.text
    assert "plot.functions[1]: 'sigmoid' is listed twice" in checked.text, checked.text
    assert checked.text.count("listed twice") == 1, checked.text


def test_the_trainings_of_one_lesson_are_bounded_together(home: Path) -> None:
    bad = home / "many.yaml"
    bad.write_bytes(as_bytes(LESSONS["trainings-40-at-the-limit"]))
    checked = run(home, "check", str(bad)).check()
    assert checked.code == 1, checked.text
    # Three at 1,000,000 updates × 3 weights fit; the fourth passes 10,000,000.
    assert ("many.yaml:15: units[3].training: the lesson, up to this training, has 12,000,000"
            in checked.text), checked.text


def test_a_symlink_loop_in_the_lessons_folder_is_a_problem(home: Path) -> None:
    folder = user_lessons(home)
    (folder / "loop-a.yaml").symlink_to(folder / "loop-b.yaml")
    (folder / "loop-b.yaml").symlink_to(folder / "loop-a.yaml")
    (folder / "gone.yaml").symlink_to(home / "nowhere.yaml")
    listed = run(home, "list").check()
    assert listed.code == 1
    rows = {row.split("\t")[0]: row for row in listed.out.decode().splitlines()}
    assert "(broken)" in rows["loop-a"] and "symbolic links" in rows["loop-a"], rows
    assert "(broken)" in rows["loop-b"]
    assert "and-gate" in rows
    checked = run(home, "check", str(folder)).check()
    assert checked.code == 1 and "loop-a.yaml: cannot be read" in checked.text


def test_a_fifo_or_device_named_like_a_lesson_is_listed_as_broken(home: Path) -> None:
    """Never opened (a FIFO would block, /dev/zero never end), never skipped in silence."""
    folder = user_lessons(home)
    os.mkfifo(folder / "pipe.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "folder.yaml").mkdir()
    listed = run(home, "list", "--json").check()
    broken = {Path(e["path"]).name: e for e in json.loads(listed.out) if e["status"] == "broken"}
    assert sorted(broken) == ["pipe.yaml", "zero.yaml"], broken
    assert all("is not a regular file" in e["problem"] for e in broken.values()), broken
    run(home, "trace", "and-gate", "--json").check()


def test_check_at_the_update_limit_stays_in_memory(home: Path) -> None:
    """10^6 perceptron updates, the most a lesson may ask for, under the 300 MB cap (the time
    is measured in benchmarks/bench_engine.py, not asserted here)."""
    at_limit = home / "at-limit.yaml"
    at_limit.write_text(lesson(epochs="250000"), encoding="utf-8")
    checked = run(home, "check", str(at_limit), seconds=120).check()
    assert checked.code == 0, checked.text


def test_the_whole_corpus_in_one_folder_leaves_the_others_usable(home: Path) -> None:
    """Every hostile file at once in the user lessons folder: list shows each broken one, and
    the built-in lessons still open by id (trace finds them through the same folder walk)."""
    for name, content in LESSONS.items():
        data = as_bytes(content).replace(b"id: hostile", f"id: h-{len(name)}".encode())
        (user_lessons(home) / f"{name}.yaml").write_bytes(data)
    before = tree_digest(home)
    many = 3 * TIME_CAP  # sixty hostile files read at once (about 2 s alone)
    listed = run(home, "list", seconds=many).check()
    assert listed.code == 1
    rows = listed.out.decode().splitlines()
    broken = {row.split("\t")[0] for row in rows if "(broken)" in row}
    assert set(LESSONS) - LOADABLE <= broken, sorted(set(LESSONS) - LOADABLE - broken)
    ids = {row.split("\t")[0] for row in rows}
    assert {"and-gate", "xor", "perceptron"} <= ids
    traced = run(home, "trace", "and-gate", "--json", seconds=many).check()
    assert traced.code == 0 and traced.out.count(b'"type": "step"') == 12
    run(home, "check", str(user_lessons(home)), seconds=many).check()
    assert tree_digest(home) == before


def test_a_file_name_with_escape_sequences_is_shown_cleaned(home: Path) -> None:
    name = f"evil{ESC}]0;pwned\x07{ESC}[2K\u202e.yaml"
    (user_lessons(home) / name).write_bytes(as_bytes(LESSONS["esc-title"]))
    (user_lessons(home) / f"broken{ESC}[1;1H.yaml").write_bytes(b"format: 1\nid: [\n")
    for args in (["list"], ["check", str(user_lessons(home))], ["trace", "hostile"]):
        result = run(home, *args).check()
        assert "evil]0;pwned" in result.text or args[0] != "check", (args, result.text)
        assert "broken[1;1H" in result.text or args[0] == "trace", (args, result.text)
    checked = run(home, "check", str(user_lessons(home))).check()
    assert "the file name contains the control character U+001B (ESC)" in checked.text


def test_line_breaks_and_tabs_cannot_forge_a_row_of_list(home: Path) -> None:
    """A title, a problem (an unknown key) and a file name holding a newline and tabs stay in
    their one row: piped `list` prints one line per lesson, six cells each."""
    fake = "and-gate\tFAKE\t13\t1\t11\t/x"
    (user_lessons(home) / "title.yaml").write_text(lesson(id="forge", title=q("Real\n" + fake)))
    (user_lessons(home) / "key.yaml").write_text(
        lesson(id="keyed", extra=f"      seed: 1\n      {q('k' + chr(10) + fake)}: 1\n"))
    (user_lessons(home) / ("name\n" + fake.replace("/", "") + ".yaml")).write_text("[")
    listed = run(home, "list").check()
    rows = listed.out.decode().splitlines()
    assert all(len(row.split("\t")) == 6 for row in rows), rows
    assert [row.split("\t")[0] for row in rows].count("and-gate") == 1, rows
    builtin = len(list(builtin_lessons_dir().glob("*.yaml")))
    assert len(rows) == builtin + 3, rows  # every built-in lesson, and the three of this test


def test_markup_in_a_lesson_is_printed_literally(home: Path) -> None:
    (user_lessons(home) / "m.yaml").write_bytes(as_bytes(LESSONS["markup-title"]))
    out = run(home, "list").check().out.decode()
    assert MARKUP in out


def test_list_on_a_terminal_shows_markup_literally_and_no_escape_sequence_but_colour(
    home: Path,
) -> None:
    """Rich's table path (a terminal): markup stays text; no OSC (title, clipboard, link)."""
    import pty

    for name, case in (("m", "markup-title"), ("e", "esc-title"), ("b", "markup-lone-close")):
        content = as_bytes(LESSONS[case]).replace(b"id: hostile", b"id: " + name.encode())
        (user_lessons(home) / f"{name}.yaml").write_bytes(content)
    master, slave = pty.openpty()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / "data"), "XDG_STATE_HOME": str(home / "state"),
           "COLUMNS": "300", "LINES": "50", "TERM": "xterm-256color"}
    p = subprocess.Popen([str(EXE), "list"], stdout=slave, stderr=slave, env=env, cwd=home)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=TIME_CAP)
    os.close(master)
    raw = b"".join(chunks)
    assert p.returncode in (0, 1)
    assert b"\x1b]" not in raw  # no OSC: window title, clipboard (52), hyperlink (8)
    import re

    plain = re.sub(rb"\x1b\[[0-9;]*m", b"", raw).decode()
    assert "\x1b" not in plain  # only colour (SGR) sequences, nothing that moves the cursor
    assert "[bold red]x[/] [link=file:///etc/passwd]click[/link]" in plain
    assert "T ]0;pwned" in plain and "[/]" in plain


# --- progress files ---------------------------------------------------------------------------


def _progress_db(home: Path) -> Path:
    return home / "data" / "perceptron-tutor" / "progress.db"


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


PROGRESS_FILES = {
    "foreign-sqlite": _foreign_sqlite,
    "foreign-sqlite-app-id": lambda p: (_foreign_sqlite(p), _set_app_id(p, 42)),
    "fifo": lambda p: os.mkfifo(p),
}


def _set_app_id(path: Path, value: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {value}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("name", sorted(PROGRESS_FILES))
def test_a_progress_path_that_is_not_ours_is_left_alone(home: Path, name: str) -> None:
    db = _progress_db(home)
    PROGRESS_FILES[name](db)
    before = tree_digest(home)
    kind = os.lstat(db).st_mode
    for args in (["progress"], ["export", "-"], ["review"], ["reset", "--all", "--yes"]):
        result = run(home, *args).check()
        assert "not a perceptron-tutor progress file" in result.text, (args, result.text)
    assert tree_digest(home) == before and os.lstat(db).st_mode == kind
    assert sorted(p.name for p in db.parent.iterdir()) == ["lessons", "progress.db"]


IMPORTS = {
    "time-1e300": {"lessons": [{"lesson_id": "l", "unit_id": "u", "step": 1,
                                "updated_at": 1e300, "done": False, "done_at": None}]},
    "step-1e20": {"lessons": [{"lesson_id": "l", "unit_id": "u", "step": 1e20,
                               "updated_at": 1.0, "done": False, "done_at": None}]},
    "id-esc": {"attempts": [{"lesson_id": "l\x1b]0;x\x07", "question_id": "q", "answer": "1",
                             "correct": True, "hints_used": 0, "revealed": False,
                             "answered_at": 1.0}]},
    # A lone surrogate (a JSON escape) cannot be stored as SQLite text: UnicodeEncodeError.
    "id-surrogate": {"lessons": [{"lesson_id": "l", "unit_id": "\ud800", "step": 1,
                                  "updated_at": 1.0, "done": False, "done_at": None}]},
    "answer-markup": {"attempts": [{"lesson_id": "l", "question_id": "q", "answer": "[/]\x9b",
                                    "correct": True, "hints_used": 0, "revealed": False,
                                    "answered_at": 1.0}]},
}


@pytest.mark.parametrize("name", [*sorted(IMPORTS), "deep", "digits", "binary", "huge-list",
                                  "empty-lists-49mb"])
def test_a_hostile_import_is_refused_with_a_field_message(home: Path, name: str) -> None:
    file = home / "in.json"
    if name == "deep":
        file.write_text("[" * 200_000 + "]" * 200_000)
    elif name == "digits":
        file.write_text('{"format": "perceptron-tutor-progress", "version": 1' + "0" * 5000 + "}")
    elif name == "binary":
        file.write_bytes(bytes(range(256)) * 10)
    elif name == "empty-lists-49mb":  # under the byte limit: 16 million lists, over 1 GB parsed
        file.write_text('{"format": "perceptron-tutor-progress", "version": 4, "lessons": ['
                        + ",".join(["[]"] * 16_000_000) + "]}")
    elif name == "huge-list":
        file.write_text(json.dumps({"format": "perceptron-tutor-progress", "version": 2,
                                    "sittings": [1] * 200_000}))
    else:
        file.write_text(json.dumps({"format": "perceptron-tutor-progress", "version": 2,
                                    **IMPORTS[name]}))
    result = run(home, "import", str(file)).check()
    assert result.code == 1 and result.err.count(b"\n") == 1, result.text
    exported = json.loads(run(home, "export", "-").check().out)
    assert exported["lessons"] == [] and exported["attempts"] == []


# --- random mutations of the built-in lessons ---------------------------------------------------

BUILTIN = sorted((REPO / "lessons").glob("*.yaml"))
HOSTILE_NUMBERS = ["1.0e+308", "-1.0e+308", ".inf", "-.inf", ".nan", "0", "-1", "5.0e-324",
                   "1" * 400, "9" * 5000, "10000000", "!!float abc", "0x7fffffffffffffffff",
                   "1_000_000_000_000"]
HOSTILE_TEXT = [ESC + "]0;pwned\x07", "\x9b2J", "\u202e", "[/]", "[bold red]x",
                "[@click=app.quit]q[/]", "{{sigmoid(0):>999999999}}", "{{nope.final.x}}",
                "\x7f", "\\e[2K", "\\x9b", "<b>", "[l](file:///etc/passwd)"]
TAGS = ["!!float ", "!!int ", "!!binary ", "!!set ", "!!omap ", "!!python/object:os.system ",
        "!!timestamp ", "!!str ", "!!null ", "!!bool ", "!custom "]


@st.composite
def mutated_lesson(draw: st.DrawFn) -> bytes:
    path = draw(st.sampled_from(BUILTIN))
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["bytes", "tag", "nesting", "number", "text", "alias"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if kind == "bytes":
            raw = bytearray(line.encode("utf-8"))
            pos = draw(st.integers(0, len(raw)))
            raw[pos:pos + draw(st.integers(0, 3))] = draw(st.binary(min_size=1, max_size=4))
            lines[i] = raw.decode("utf-8", "surrogateescape")
        elif ": " in line:
            key, _, value = line.partition(": ")
            if kind == "tag":
                value = draw(st.sampled_from(TAGS)) + value
            elif kind == "nesting":
                depth = draw(st.sampled_from([2, 50, 65, 500, 3000]))
                value = "[" * depth + value.strip() + "]" * depth + "\n"
            elif kind == "number":
                value = draw(st.sampled_from(HOSTILE_NUMBERS)) + "\n"
            elif kind == "text":
                value = '"' + draw(st.sampled_from(HOSTILE_TEXT)) + value.strip().strip('"') + '"\n'
            else:
                value = "*nowhere\n" if draw(st.booleans()) else "&a [*a]\n"
            lines[i] = key + ": " + value
    return "".join(lines).encode("utf-8", "surrogateescape")


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(content=mutated_lesson())
def test_randomly_mutated_lessons_never_crash(tmp_path_factory: pytest.TempPathFactory,
                                              content: bytes) -> None:
    home = tmp_path_factory.mktemp("mut")
    folder = user_lessons(home)
    folder.mkdir(parents=True)
    bad = folder / "mutated.yaml"
    bad.write_bytes(content)
    run(home, "check", str(bad)).check()
    listed = run(home, "list").check()
    ids = [line.split("\t")[0] for line in listed.out.decode().splitlines()]
    assert "xor" in ids  # the other lessons still list (and-gate may be the mutated one's id)
    if random.Random(content).random() < 0.3:  # some traces too, reproducibly per example
        run(home, "trace", str(bad), "--json").check()
    assert bad.read_bytes() == content
    shutil.rmtree(home)


# --- smaller items of the issue -----------------------------------------------------------------


def test_a_narrow_terminal_lists_readable_rows(home: Path) -> None:
    import pty
    import re

    master, slave = pty.openpty()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "LANG": "C.UTF-8",
           "XDG_DATA_HOME": str(home / "data"), "COLUMNS": "5", "LINES": "20"}
    p = subprocess.Popen([str(EXE), "list"], stdout=slave, stderr=slave, env=env, cwd=home)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=TIME_CAP)
    os.close(master)
    text = re.sub(r"\x1b\[[0-9;]*m", "", b"".join(chunks).decode())
    lines = [line for line in text.splitlines() if line.strip()]
    assert p.returncode == 0 and any(line.startswith("and-gate") for line in lines), text
    assert len(lines) >= 8 and all(line.strip() for line in lines[:8])


def test_help_in_korean_on_an_ascii_stream_has_no_traceback(home: Path) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "PYTHONIOENCODING": "ascii"}
    p = subprocess.run([str(EXE), "--help", "--lang", "ko"], capture_output=True, env=env,
                       timeout=TIME_CAP)
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert b"\\uc0ac" in p.stdout  # the Korean words as escapes, not an error


def test_a_diverging_trace_says_so_without_numpy_warnings(home: Path) -> None:
    bad = user_lessons(home) / "div.yaml"
    bad.write_bytes(as_bytes(LESSONS["rate-1e308-diverges"]))
    result = run(home, "trace", str(bad)).check()
    assert result.code == 1
    err = result.err.decode()
    assert "RuntimeWarning" not in err and "site-packages" not in err
    assert "not finite" in err and "learning_rate" in err


def test_the_crash_sentence_says_when_the_log_could_not_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor import crash
    from tutor.i18n import t

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(crash.paths, "state_dir", lambda: blocker / "state")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        message = crash.crash_message("en")
    assert message == t("cli.crash_unlogged", "en", folder=str(blocker / "state"))
    assert "written to -" not in message
