"""Loading a lesson file: parse it (bounded, with line marks), then validate it against the
format's definitions (tutor/lessons/definitions.py), collecting every problem."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from tutor import limits
from tutor import text as untrusted
from tutor.lessons import parse_cache, yaml_lines
from tutor.lessons.definitions import (
    FORMAT_VERSION,
    FUNCTIONS,
    LESSON,
    MODELS,
    PLOT,
    UNIT_TYPES,
    VARIABLES,
)
from tutor.lessons.files import display_path as display_path  # its home; named here too
from tutor.lessons.lesson import Lesson
from tutor.lessons.problems import LessonError, Problem, shown_value, suggest
from tutor.lessons.questions import read_quiz
from tutor.lessons.reader import Reader
from tutor.lessons.trainings import read_training
from tutor.lessons.units import PlotUnit, QuizUnit, TextUnit, TrainingUnit, Unit
from tutor.lessons.yaml_lines import LineDict, LineList

# --------------------------------------------------------------------------------------------
# YAML: parsed once per file and process, bounded and cleaned (see tutor/lessons/yaml_lines.py)

_PARSED: dict[tuple[str, int, int], yaml_lines.Parsed] = {}


def _parse_file(path: Path, file: str) -> yaml_lines.Parsed:
    """The parsed file, from a per-process cache keyed on its path, size and change time."""
    try:
        st = path.stat()
    except OSError as exc:
        raise LessonError([Problem(file, 0, "", f"cannot be read: {exc.strerror}")]) from None
    if not stat.S_ISREG(st.st_mode):  # a FIFO would block, a device never end
        raise LessonError([Problem(file, 0, "", "is not a regular file")])
    if st.st_size > limits.MAX_FILE_BYTES:
        raise LessonError([Problem(file, 0, "", limits.limit_message(
            "the file", st.st_size, limits.MAX_FILE_BYTES, "bytes"))])
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    cached = _PARSED.get(key)
    if cached is not None:
        return cached
    try:
        with path.open("rb") as f:
            raw = f.read(limits.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise LessonError([Problem(file, 0, "", f"cannot be read: {exc.strerror}")]) from None
    if len(raw) > limits.MAX_FILE_BYTES:
        raise LessonError([Problem(file, 0, "", limits.limit_message(
            "the file", len(raw), limits.MAX_FILE_BYTES, "bytes"))])
    parsed = _parse_bytes(raw, file)
    for old in [k for k in _PARSED if k[0] == key[0]]:  # an earlier save of the file (--watch)
        del _PARSED[old]
    _PARSED[key] = parsed
    return parsed


def _parse_bytes(raw: bytes, file: str) -> yaml_lines.Parsed:
    """The parse of a file's bytes (at most `limits.MAX_FILE_BYTES`), from the disk cache
    (tutor/lessons/parse_cache.py) when it has them."""
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise LessonError([Problem(file, line, "", "is not UTF-8 text")]) from None
    parsed = parse_cache.load(raw)
    if parsed is None:
        parsed = yaml_lines.parse(source)
        parse_cache.store(raw, parsed)
    return parsed


# --------------------------------------------------------------------------------------------
# Units


def _read_plot(r: Reader, m: LineDict, path: str, position: int) -> PlotUnit | None:
    before = len(r.problems)
    r.keys(m, path, PLOT)
    uid = r.identifier(m["id"], m.line_of("id"), f"{path}.id") if "id" in m else f"plot-{position}"
    functions = m.get("functions")
    names: tuple[str, ...] = ()
    if isinstance(functions, str):
        functions = [functions]
    if isinstance(functions, list) and functions:
        seen: set[str] = set()
        for i, f in enumerate(functions):
            if f not in FUNCTIONS:
                r.error(
                    m.line_of("functions"),
                    f"{path}.functions[{i}]",
                    f"unknown function '{f}'{suggest(str(f), FUNCTIONS)}; "
                    f"choose from {', '.join(FUNCTIONS)}",
                )
            elif f in seen:  # each is drawn once: so a plot has at most len(FUNCTIONS) curves
                r.error(m.line_of("functions"), f"{path}.functions[{i}]",
                        f"'{f}' is listed twice; each function is drawn once")
                break  # one problem for 3,000 repeats
            else:
                seen.add(f)
        names = tuple(functions)
    elif "functions" in m:
        r.error(m.line_of("functions"), f"{path}.functions", "must list one or more functions")
    derivative = m.get("derivative", False)
    if not isinstance(derivative, bool):
        r.error(m.line_of("derivative"), f"{path}.derivative", "must be true or false")
    variable = m.get("variable", "z")
    if variable not in VARIABLES:
        r.error(m.line_of("variable"), f"{path}.variable", f"choose from {', '.join(VARIABLES)}")
    x_from = r.number(m.get("from", -6), m.line_of("from"), f"{path}.from")
    x_to = r.number(m.get("to", 6), m.line_of("to"), f"{path}.to")
    if x_from is not None and x_to is not None and x_from >= x_to:
        r.error(m.line_of("to"), f"{path}.to", "must be greater than `from`")
    caption = (
        r.text(m["caption"], m.line_of("caption"), f"{path}.caption") if "caption" in m else None
    )
    if len(r.problems) > before or uid is None or x_from is None or x_to is None:
        return None
    return PlotUnit(
        uid, names, bool(derivative), float(x_from), float(x_to), caption, m.line, str(variable)
    )


def _read_units(r: Reader, units: Any, line: int) -> tuple[Unit, ...]:
    if not isinstance(units, LineList) or not units:
        r.error(line, "units", "must be a non-empty list of units")
        return ()
    if len(units) > limits.MAX_UNITS:
        r.error(line, "units",
                f"has {len(units):,} units; the limit is {limits.MAX_UNITS:,} units")
        return ()
    out: list[Unit] = []
    # Predict questions may name a training unit anywhere in the lesson (before or after them).
    models: dict[str, str] = {
        body["id"]: body["model"]
        for item in units
        if isinstance(item, LineDict) and len(item) == 1
        for utype, body in item.items()
        if utype == "training" and isinstance(body, LineDict)
        and isinstance(body.get("id"), str) and body.get("model") in MODELS
    }
    broken: set[str] = set()
    seen: dict[str, int] = {}
    lesson_work = 0
    for i, item in enumerate(units):
        path = f"units[{i}]"
        iline = units.line_of(i)
        if not isinstance(item, LineDict) or len(item) != 1:
            r.error(
                iline,
                path,
                f"each unit is a mapping with one key naming its type: {', '.join(UNIT_TYPES)}",
            )
            continue
        ((utype, body),) = item.items()
        bline = item.line_of(utype)
        if utype not in UNIT_TYPES:
            r.error(
                bline,
                f"{path}.{utype}",
                f"unknown unit type{suggest(str(utype), UNIT_TYPES)}; "
                f"use one of {', '.join(UNIT_TYPES)}",
            )
            continue
        p = f"{path}.{utype}"
        unit: Unit | None = None
        if utype == "text":
            uid = f"text-{i + 1}"
            if isinstance(body, LineDict) and "id" in body:
                uid = r.identifier(body["id"], body.line_of("id"), f"{p}.id") or uid
            text = r.text(body, bline, p, allow_id=True)
            unit = TextUnit(uid, text, bline) if text else None
        else:
            m = r.mapping(body, bline, p)
            if m is None:
                continue
            if utype == "training":
                unit = read_training(r, m, p, i + 1)
                if unit is None and isinstance(m.get("id"), str):
                    broken.add(m["id"])  # already reported; questions on it need no 2nd message
            elif utype == "quiz":
                unit = read_quiz(r, m, p, models, broken)
            else:
                unit = _read_plot(r, m, p, i + 1)
        if unit is None:
            continue
        if unit.id in seen:
            r.error(bline, f"{p}.id", f"id '{unit.id}' is already used on line {seen[unit.id]}")
            continue
        seen[unit.id] = bline
        if isinstance(unit, TrainingUnit):
            c = unit.config
            lesson_work += limits.work(
                inputs=c.n_inputs, steps_per_epoch=c.steps_per_epoch, epochs=c.epochs,
                hidden=tuple(c.hidden) if c.model == "mlp" else None)
            if lesson_work > limits.MAX_LESSON_WORK:
                r.error(bline, p, limits.limit_message(
                    "the lesson, up to this training,", lesson_work,
                    limits.MAX_LESSON_WORK, "numbers to compute (updates × weights)"))
                break  # one problem; the trainings after it would only add to the sum
        out.append(unit)
    question_ids: dict[str, int] = {}
    for u in out:
        for q in u.asks if isinstance(u, TrainingUnit) else [u] if isinstance(u, QuizUnit) else []:
            if q.id in question_ids and q.id != u.id:
                r.error(
                    q.line,
                    f"{q.field}.id",
                    f"question id '{q.id}' is already used on line {question_ids[q.id]}",
                )
            question_ids.setdefault(q.id, q.line)
    return tuple(out)


def load_lesson(path: Path | str, *, shown_as: str | None = None,
                raw: bytes | None = None) -> Lesson:
    """Read and validate one lesson file; raise LessonError listing every problem.

    Never raises anything else for any file content. Strings from which unsafe characters were
    removed (see tutor/text.py) do not stop the lesson; they are kept in `Lesson.cleaned` and
    `check_lesson` reports them.

    `raw`: the file's bytes, already read from a regular file of at most
    `limits.MAX_FILE_BYTES` (tutor/lessons/listing.py keys its cache on the very bytes the
    lesson is made of); the file is then not read again.
    """
    path = Path(path)
    file = untrusted.clean(shown_as or display_path(path))
    parsed = _parse_file(path, file) if raw is None else _parse_bytes(raw, file)
    return _lesson_from(parsed, path, file, str(shown_as or path))


def load_lesson_source(source: str, path: Path, *, shown_as: str) -> Lesson:
    """A lesson from its text, not yet written to `path` (the playground validates a lesson it
    is about to save with the loader itself, so its messages are the format's own).

    Raises LessonError as `load_lesson` does; `shown_as` names the text in problems.
    """
    if len(source.encode("utf-8")) > limits.MAX_FILE_BYTES:
        raise LessonError([Problem(shown_as, 0, "", limits.limit_message(
            "the file", len(source.encode("utf-8")), limits.MAX_FILE_BYTES, "bytes"))])
    file = untrusted.clean(shown_as)
    return _lesson_from(yaml_lines.parse(source), Path(path), file, shown_as)


def _lesson_from(parsed: yaml_lines.Parsed, path: Path, file: str, name_shown: str) -> Lesson:
    r = Reader(file)
    cleaned = [Problem(file, line, "", message) for line, message in parsed.cleaned]
    name = untrusted.first_unsafe(name_shown)
    if name is not None:
        cleaned.insert(0, Problem(file, 0, "", "the file name " + untrusted.unsafe_message(name)))
    r.problems.extend(Problem(file, line, "", message) for line, message in parsed.errors)
    r.problems.extend(
        Problem(file, line, untrusted.clean(key), "this key is given twice; keep one")
        for line, key in parsed.duplicates
    )
    data = parsed.data
    if data is None and not r.problems:
        r.error(1, "", "the file is empty; a lesson starts with `format: 1`")
    if r.problems:
        raise LessonError(r.problems + cleaned)
    if not isinstance(data, LineDict):
        raise LessonError(
            [Problem(file, 1, "", "a lesson must be a mapping (format, id, title, units)"), *cleaned]
        )
    r.keys(data, "", LESSON)
    version = data.get("format")
    if "format" in data and (isinstance(version, bool) or version != FORMAT_VERSION):
        r.error(
            data.line_of("format"),
            "format",
            f"this tutor reads format {FORMAT_VERSION}, not {shown_value(data['format'])}",
        )
    lid = r.identifier(data["id"], data.line_of("id"), "id") if "id" in data else None
    title = r.text(data["title"], data.line_of("title"), "title") if "title" in data else None
    description = (
        r.text(data["description"], data.line_of("description"), "description")
        if "description" in data
        else None
    )
    order = r.number(data.get("order", 1000), data.line_of("order"), "order")
    minutes = (
        r.integer(data["minutes"], data.line_of("minutes"), "minutes", minimum=1)
        if "minutes" in data
        else None
    )
    exam = data.get("exam", False)
    if not isinstance(exam, bool):
        r.error(data.line_of("exam"), "exam", "must be true or false")
    units = _read_units(r, data.get("units"), data.line_of("units")) if "units" in data else ()
    if r.problems:
        raise LessonError(r.problems + cleaned)
    assert lid and title
    lesson = Lesson(lid, title, description, units, path, float(order or 0), minutes, file,
                    exam=exam is True)
    lesson.cleaned = cleaned
    return lesson

