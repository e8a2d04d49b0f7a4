"""The bounded, cleaning YAML loader: both parsers (libyaml and pure Python) give the same data,
the same line marks and the same messages, and every hostile input ends in a problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor import limits
from tutor.lessons import LessonError, check_lesson, load_lesson
from tutor.lessons import yaml_lines as lesson_yaml

PARSERS = sorted(lesson_yaml.LOADERS)
BUILTIN = sorted((Path(__file__).resolve().parent.parent / "lessons").glob("*.yaml"))


def test_libyaml_is_used_when_installed():
    import yaml

    assert bool(yaml.__with_libyaml__) == lesson_yaml.HAS_LIBYAML
    assert ("c" if yaml.__with_libyaml__ else "python") == lesson_yaml.DEFAULT_PARSER
    assert "python" in lesson_yaml.LOADERS


def _lines(x):
    if isinstance(x, lesson_yaml.LineDict):
        return [x.line, dict(x.lines), *(_lines(v) for v in x.values())]
    if isinstance(x, lesson_yaml.LineList):
        return [x.line, list(x.lines), *(_lines(v) for v in x)]
    return x


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_both_parsers_agree_on_every_builtin_lesson(path):
    source = path.read_text(encoding="utf-8")
    results = [lesson_yaml.parse(source, parser=p) for p in PARSERS]
    for r in results:
        assert r.errors == [] and r.duplicates == [] and r.cleaned == []
    assert all(_lines(r.data) == _lines(results[0].data) for r in results)


def _bomb(levels: int = 9) -> str:
    out = 'a0: &a0 ["x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, levels):
        out += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return out


LIMIT_VALUES = f"{limits.MAX_NODES:,} values"
DEEP = f"nested deeper than the limit of {limits.MAX_DEPTH} levels"

# (source, expected line, a phrase of the expected message)
ERRORS = [
    ("a: \x1b]0;pwned\x07\n", 1, "U+001B (ESC), which a YAML file cannot hold"),
    ("a: 1\nb: x\x00y\n", 2, "U+0000 (NUL)"),
    ("a: !!float abc\n", 1, "cannot read this value"),
    ("a: 1\nb: " + "9" * 5000 + "\n", 2, "this number has 5,000 characters; the limit is 100"),
    ("a: " + "1" * 401 + ".5\n", 1, "this number has 403 characters"),
    ("[" * 5000 + "]" * 5000, 1, DEEP),
    ("- " * 5000 + "x\n", 1, DEEP),
    ("{a: " * 3000 + "1" + "}" * 3000, 1, DEEP),
    (_bomb(), 6, LIMIT_VALUES),
    ("a: &a [*a]\n", 1, "refers to a list or mapping it is inside of"),
    ("a: *nowhere\n", 1, "is not defined above"),
    ("--- 1\n--- 2\n", 2, "one YAML document"),
    ("a: !!python/object/apply:os.system [ls]\n", 1, "could not determine a constructor"),
    ("a: !!timestamp xx\n", 1, "not a valid timestamp"),
    ("a: 2001-13-45\n", 1, "month must be in 1..12"),
    ("a: [\n", 2, "not valid YAML"),
    ("a: " + "x" * (limits.MAX_TEXT_CHARS + 1) + "\n", 1, "this text has 20,001 characters"),
    ("a: |\n" + "  x\n" * (limits.MAX_TEXT_LINES + 5), 1, "this text has 406 lines"),
]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(("source", "line", "phrase"), ERRORS, ids=range(len(ERRORS)))
def test_hostile_yaml_is_a_problem_with_its_line(parser, source, line, phrase):
    r = lesson_yaml.parse(source, parser=parser)
    assert r.data is None
    assert len(r.errors) == 1, r.errors
    assert r.errors[0][0] == line
    assert phrase in r.errors[0][1]


@pytest.mark.parametrize("source", [s for s, _, _ in ERRORS], ids=range(len(ERRORS)))
def test_both_parsers_give_the_same_message(source):
    results = {p: lesson_yaml.parse(source, parser=p).errors for p in PARSERS}
    assert len({repr(v) for v in results.values()}) == 1, results


@pytest.mark.parametrize("parser", PARSERS)
def test_escape_sequences_in_strings_are_removed_and_reported(parser):
    source = ('title: "T \\e]0;pwned\\a"\n'
              'k\u202e: 1\n'
              '"key\\e[2K": "\\x9b1;1H\\x7fok\\r"\n'
              'tabbed: "a\\tb\\nc"\n')
    r = lesson_yaml.parse(source, parser=parser)
    assert r.errors == []
    assert r.data == {"title": "T ]0;pwned", "k": 1, "key[2K": "1;1Hok", "tabbed": "a\tb\nc"}
    assert [line for line, _ in r.cleaned] == [1, 2, 3, 3]
    assert "U+001B (ESC)" in r.cleaned[0][1]


@pytest.mark.parametrize("parser", PARSERS)
def test_merge_keys_are_not_duplicates(parser):
    source = ("base: &base {learning_rate: 0.1, epochs: 3}\n"
              "run:\n  <<: *base\n  epochs: 5\n"
              "twice:\n  a: 1\n  a: 2\n")
    r = lesson_yaml.parse(source, parser=parser)
    assert r.errors == []
    assert r.data["run"] == {"learning_rate": 0.1, "epochs": 5}
    assert r.duplicates == [(7, "a")]


@pytest.mark.parametrize("parser", PARSERS)
def test_a_bomb_is_refused_without_expanding_it(parser):
    import resource
    import time

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.process_time()
    r = lesson_yaml.parse(_bomb(12), parser=parser)  # 9**12 ≈ 2.8e11 values if expanded
    assert r.errors and LIMIT_VALUES in r.errors[0][1]
    assert time.process_time() - start < 2  # generous: refusing it costs milliseconds
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB


# ----------------------------------------------------------------------------- via load_lesson

LESSON = """\
format: 1
id: small
title: {title}
units:
  - text: "{text}"
  - training:
      id: t
      model: {model}
      inputs: {inputs}
      targets: {targets}
      learning_rate: 0.1
      epochs: {epochs}
      seed: 1
{extra}"""


def _write(tmp_path: Path, name: str = "small.yaml", **kw: str) -> Path:
    values = {"title": "Small", "text": "Hello", "model": "perceptron",
              "inputs": "[[0, 0], [1, 1]]", "targets": "[0, 1]", "epochs": "2", "extra": ""}
    values.update(kw)
    p = tmp_path / name
    p.write_text(LESSON.format(**values), encoding="utf-8")
    return p


def _problems(path: Path) -> list[str]:
    with pytest.raises(LessonError) as exc:
        load_lesson(path)
    return [str(p) for p in exc.value.problems]


def test_a_cleaned_lesson_loads_and_check_reports_each_string(tmp_path):
    p = _write(tmp_path, title='"T \\e]0;pwned\\a"', text="a\\x9bb\\u202ec")
    lesson = load_lesson(p)
    assert lesson.title.get("en") == "T ]0;pwned"
    problems = [str(x) for x in check_lesson(lesson)]
    assert len(problems) == 2
    assert problems[0].startswith(f"{lesson.display_path}:3: contains the control character "
                                  "U+001B (ESC)")
    assert ":5: " in problems[1] and "U+009B" in problems[1]


def test_a_file_name_with_escapes_is_cleaned_and_reported(tmp_path):
    p = _write(tmp_path, name="a\x1b]0;x\x07.yaml")
    lesson = load_lesson(p)
    assert "\x1b" not in lesson.display_path and "\x07" not in lesson.display_path
    problems = [str(x) for x in check_lesson(lesson)]
    assert any("the file name contains the control character U+001B (ESC)" in x
               for x in problems)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"epochs": "10000000"}, "2 steps per epoch × 10,000,000 epochs has 20,000,000 updates; "
                                 "the limit is 1,000,000 updates"),
        ({"epochs": "200000", "inputs": "[[" + ", ".join(["0"] * 50) + "], ["
          + ", ".join(["1"] * 50) + "]]"},
         "400,000 updates × 51 weights has 20,400,000 numbers to compute; the limit is "
         "10,000,000"),
        ({"inputs": "[" + ", ".join(["[0]"] * 10_001) + "]",
          "targets": "[" + ", ".join(["0"] * 10_001) + "]"},
         "the training has 10,001 samples; the limit is 10,000 samples"),
        ({"inputs": "[[" + ", ".join(["0"] * 101) + "]]", "targets": "[0]"},
         "each sample has 101 inputs; the limit is 100 inputs"),
        ({"model": "mlp", "extra": "      hidden: [10000]\n"},
         "the network has 40,001 weights and biases; the limit is 10,000"),
        ({"model": "mlp", "extra": "      hidden: [" + ", ".join(["1"] * 1000) + "]\n"},
         "the network has 1,000 hidden layers; the limit is 8 hidden layers"),
        ({"text": "{{sigmoid(0):>1000000000}}"},
         "{{sigmoid(0):>1000000000}}: the width or precision 1000000000 is past the limit of 100"),
        ({"text": "{{sigmoid(0):.200f}}"}, "the width or precision 200 is past the limit"),
        ({"epochs": "1e400"}, "epochs: must be a whole number"),
        ({"epochs": "1" * 101}, ":12: this number has 101 characters; the limit is 100"),
    ],
    ids=["updates", "work", "samples", "inputs", "units", "layers", "width", "precision",
         "inf-epochs", "huge-int"],
)
def test_limits_are_enforced_at_load_time_with_the_value_and_limit(tmp_path, kw, message):
    if "hidden" in kw.get("extra", "") and "10000" in kw["extra"]:
        kw = {**kw, "epochs": "1"}
    problems = _problems(_write(tmp_path, **kw))
    assert any(message in p for p in problems), problems


def _table(columns: int, rows: int) -> str:
    """A Markdown table as a YAML double-quoted text (rows of `columns` cells)."""
    return "\\n".join(["|a" * columns + "|", "|-" * columns + "|"] + ["|b" * columns + "|"] * rows)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (_table(100, 29), 3_000),  # 6,464 characters: 13 s in the app's Markdown before
        (_table(3000, 1), 6_000),  # three lines
        ("- x\\n" * 101, 101),  # each list item is a widget: 400 of them took 7 s
        ("# h\\n" * 60 + "> q\\n" * 60, 120),
    ],
    ids=["table-100x30", "table-3000-columns", "list-101", "headings-and-quotes"],
)
def test_a_text_of_too_many_markdown_parts_is_refused(tmp_path, text, parts):
    # Every table cell, list item, heading and quoted line becomes widgets in the app, whose
    # layout grows with their number (and faster): within the character and line limits, such a
    # text froze the lesson for seconds on opening it and on every resize.
    problems = _problems(_write(tmp_path, text=text))
    assert problems == [f"{tmp_path / 'small.yaml'}:5: this text has {parts:,} Markdown parts "
                        "(table cells, list items, headings, quoted lines); the limit is 100"]


def test_markdown_parts_up_to_the_limit_load_and_code_is_not_counted(tmp_path):
    fence = "```\\n" + "|a|b|c|d|\\n" * 50 + "```\\n"  # code: one block, however many bars
    text = _table(10, 8) + "\\n\\n" + "- x\\n" * 10 + fence
    assert load_lesson(_write(tmp_path, text=text)).id == "small"


def test_a_file_past_one_megabyte_is_refused_unread(tmp_path):
    p = tmp_path / "big.yaml"
    with p.open("w") as f:
        f.write("format: 1\n#" + "x" * limits.MAX_FILE_BYTES + "\n")
    assert _problems(p) == [
        f"{p}: the file has {limits.MAX_FILE_BYTES + 12:,} bytes; the limit is 1,000,000 bytes"
    ]


def test_not_utf8_names_its_line(tmp_path):
    p = tmp_path / "latin.yaml"
    p.write_bytes(b"format: 1\nid: x\ntitle: caf\xe9\n")
    assert _problems(p) == [f"{p}:3: is not UTF-8 text"]


def test_each_file_is_parsed_once_per_process(tmp_path, monkeypatch):
    from tutor.lessons import load

    calls: list[int] = []
    real = lesson_yaml.parse
    monkeypatch.setattr(lesson_yaml, "parse", lambda s, **kw: calls.append(1) or real(s, **kw))
    p = _write(tmp_path)
    load._PARSED.clear()
    load_lesson(p)
    load_lesson(p)
    assert len(calls) == 1
    os.utime(p, ns=(0, 0))  # touched, the same bytes: read again, parsed from the disk cache
    load_lesson(p)
    assert len(calls) == 1
    p.write_text(p.read_text(encoding="utf-8") + "# changed\n", encoding="utf-8")
    load_lesson(p)  # changed bytes are parsed again
    assert len(calls) == 2


def test_float32_runs_refuse_numbers_float32_cannot_hold(tmp_path):
    p = _write(tmp_path, model="linear", extra="      weights: [1.0e+308, 0]\n")
    problems = _problems(p)
    assert any(":14: units[1].training.weights[0]: is 1e+308, beyond what float32 holds" in x
               for x in problems), problems


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # one bar a row is a two-column table too: 782 cells, not one counted
        ("a|b\\n-|-\\n" + "x|y\\n" * 390, 782),
        # four spaces before ``` make indented code of one line, not a fence: the table after
        # it was taken for code and not counted (903 cells)
        ("    ```\\n|a|b|c|\\n|-|-|-|\\n" + "|1|2|3|\\n" * 300, 903),
        # ~~~ does not close a ``` fence, nor the end of a list item a fence inside it
        ("- a\\n  ```\\n\\n" + "- x\\n" * 120, 121),
        ("T\\n=\\n\\n" * 130, 130),  # setext headings (a line of = or - under the text)
    ],
    ids=["one-bar-table", "indented-fence", "fence-in-a-list-item", "setext-headings"],
)
def test_markdown_parts_are_counted_as_the_app_parses_them(tmp_path, text, parts):
    problems = _problems(_write(tmp_path, text=text))
    assert problems == [f"{tmp_path / 'small.yaml'}:5: this text has {parts:,} Markdown parts "
                        "(table cells, list items, headings, quoted lines); the limit is 100"]


_MARKDOWNISH = st.text(st.sampled_from(list("-*+#=>|`~ 1.)ax\n\t")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(_MARKDOWNISH)
def test_the_bound_counted_without_parsing_is_never_below_the_parts(text):
    # the loader parses a text only when the bound is over the limit (the menu imports no
    # markdown-it for ordinary lessons): a bound below the real count would let a text through
    assert limits.markdown_parts(text) <= limits.markdown_parts_bound(text)
