"""Lesson format v1: read YAML safely, validate it, fill placeholders from the engine, check it.

One concept per module (docs/lesson-format.md describes the format itself):

- `yaml_lines`: YAML parsed bounded and cleaned, with the line of every key;
- `definitions`: the format's keys, kinds, required keys, allowed values: the one source of truth;
- `reader`, `load`: validation driven by those definitions, into the records of `units`;
- `lesson`: a loaded lesson, its runs and its texts; `placeholders`: `{{…}}` in texts;
- `check`: replay and verify a lesson; `discovery`: find lessons in folders and packs, by id or
  path; `packs`: lesson packs installed as Python packages; `watch`: notice a save, reload;
- `schema`: the JSON Schema of the format, generated from `definitions`;
- `scaffold`: the skeleton `perceptron-tutor new` writes; `advice`: the warnings of `check`.

Every public name is importable from `tutor.lessons` itself.
"""

from __future__ import annotations

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
