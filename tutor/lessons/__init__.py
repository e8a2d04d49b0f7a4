"""Lesson format v1: read YAML safely, validate it, fill placeholders from the engine, check it.

One concept per module (docs/lesson-format.md describes the format itself):

- `yaml_lines`: YAML parsed bounded and cleaned, with the line of every key;
- `definitions`: the format's keys, kinds, required keys, allowed values: the one source of truth;
- `reader`, `load`: validation driven by those definitions, into the records of `units`;
- `lesson`: a loaded lesson, its runs and its texts; `placeholders`: `{{…}}` in texts;
- `check`: replay and verify a lesson; `discovery`: find lessons in folders and packs, by id or
  path; `packs`: lesson packs installed as Python packages; `watch`: notice a save, reload;
- `files`: lesson files on disk (their suffixes, the folders looked in, how a path is shown);
  `listing`: what `perceptron-tutor list` shows of each file, kept between runs;
- `schema`: the JSON Schema of the format, generated from `definitions`;
- `scaffold`: the skeleton `perceptron-tutor new` writes; `advice`: the warnings of `check`.

Every public name is importable from `tutor.lessons` itself (loaded on first use).
"""

from __future__ import annotations

# The names load on first use (PEP 562), so that importing one light module of the package (what
# a warm `perceptron-tutor list` reads: tutor/lessons/listing.py) does not load the whole format.
_WHERE = {
    "check_lesson": "check", "first_non_finite": "check",
    "DEFAULT_TOLERANCE": "definitions", "FORMAT_VERSION": "definitions",
    "FUNCTIONS": "definitions", "ID_PATTERN": "definitions", "LESSON_SUFFIXES": "definitions",
    "PREDICTABLE": "definitions", "QUIZ_KINDS": "definitions", "UNIT_TYPES": "definitions",
    "discover": "discovery", "find_lesson": "discovery", "id_clash": "discovery",
    "lesson_dirs": "discovery", "lesson_files": "discovery",
    "Lesson": "lesson",
    "display_path": "load", "load_lesson": "load", "load_lesson_source": "load",
    "PLACEHOLDER": "placeholders", "PlaceholderError": "placeholders", "evaluate": "placeholders",
    "format_limit_problem": "placeholders", "format_placeholder": "placeholders",
    "format_value": "placeholders",
    "LessonError": "problems", "Problem": "problems",
    "Ask": "units", "PlotUnit": "units", "Question": "units", "QuizUnit": "units",
    "Text": "units", "TextUnit": "units", "TrainingUnit": "units", "Unit": "units",
}

TYPE_CHECKING = False
if TYPE_CHECKING:
    from tutor.lessons.check import check_lesson, first_non_finite
    from tutor.lessons.definitions import (
        DEFAULT_TOLERANCE,
        FORMAT_VERSION,
        FUNCTIONS,
        ID_PATTERN,
        LESSON_SUFFIXES,
        PREDICTABLE,
        QUIZ_KINDS,
        UNIT_TYPES,
    )
    from tutor.lessons.discovery import discover, find_lesson, id_clash, lesson_dirs, lesson_files
    from tutor.lessons.lesson import Lesson
    from tutor.lessons.load import display_path, load_lesson, load_lesson_source
    from tutor.lessons.placeholders import (
        PLACEHOLDER,
        PlaceholderError,
        evaluate,
        format_limit_problem,
        format_placeholder,
        format_value,
    )
    from tutor.lessons.problems import LessonError, Problem
    from tutor.lessons.units import (
        Ask,
        PlotUnit,
        Question,
        QuizUnit,
        Text,
        TextUnit,
        TrainingUnit,
        Unit,
    )


def __getattr__(name: str) -> object:
    """A public name, imported from its module the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor.lessons' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"tutor.lessons.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_TOLERANCE",
    "FORMAT_VERSION",
    "FUNCTIONS",
    "ID_PATTERN",
    "LESSON_SUFFIXES",
    "PLACEHOLDER",
    "PREDICTABLE",
    "QUIZ_KINDS",
    "UNIT_TYPES",
    "Ask",
    "Lesson",
    "LessonError",
    "PlaceholderError",
    "PlotUnit",
    "Problem",
    "Question",
    "QuizUnit",
    "Text",
    "TextUnit",
    "TrainingUnit",
    "Unit",
    "check_lesson",
    "discover",
    "display_path",
    "evaluate",
    "find_lesson",
    "first_non_finite",
    "format_limit_problem",
    "format_placeholder",
    "format_value",
    "id_clash",
    "lesson_dirs",
    "lesson_files",
    "load_lesson",
    "load_lesson_source",
]
