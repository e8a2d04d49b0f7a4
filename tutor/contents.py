"""A lesson's table of contents (no UI): each unit's number, title, kind and where the learner
stands in it, read from a `LessonState`. The app's contents dialog (tutor/ui/dialogs/contents.py)
shows these entries; choosing one moves the lesson there through `LessonState.move_to`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.lessons import PlotUnit, QuizUnit, TextUnit, TrainingUnit

if TYPE_CHECKING:
    from tutor.lesson_state import LessonState
    from tutor.lessons import Lesson, Unit

TITLE_CHARS = 70  # a title longer than this is cut, with "…"


@dataclass(frozen=True)
class Entry:
    """One unit in the contents. `status`: for a question "right", "revealed", "skipped",
    "tried" (answered wrong, not finished) or "open"; for a training "done" when every step is
    shown, else "steps" (with `step` of `total`); "" for text and plots."""

    index: int  # 0-based, as LessonState.unit_index
    title: str  # one line of plain text
    kind: str  # text | plot | training | quiz
    status: str
    current: bool
    step: int = 0
    total: int = 0
    questions_open: int = 0  # a training's asks neither answered nor skipped


def _first_line(text: str) -> str:
    """The first paragraph's first sentence (a heading's text), in one line, cut at TITLE_CHARS."""
    from tutor.plain.text import plain_markdown  # Markdown marks removed, as the plain mode does

    paragraph: list[str] = []
    for line in plain_markdown(text).splitlines():
        line = line.strip()
        if not line:
            if paragraph:
                break
            continue
        if line.startswith("#"):
            if paragraph:
                break
            paragraph = [line.lstrip("#").strip()]
            break
        paragraph.append(line)
    title = " ".join(paragraph)
    for end in (". ", "? ", "! ", "다. ", ": "):
        cut = title.find(end)
        if 0 < cut < TITLE_CHARS:
            title = title[: cut + len(end)].strip()
            break
    title = title.rstrip(":")
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def unit_title(lesson: Lesson, unit: Unit, lang: str) -> str:
    """A one-line title: a text's first heading or line, a training's title, a question's first
    line, a plot's caption (else its functions); the unit's id when there is nothing else."""
    text = ""
    if isinstance(unit, TextUnit):
        text = lesson.render(unit.body, lang)
    elif isinstance(unit, TrainingUnit) and unit.title is not None:
        text = lesson.render(unit.title, lang)
    elif isinstance(unit, QuizUnit):
        text = lesson.render(unit.question, lang)
    elif isinstance(unit, PlotUnit):
        text = lesson.render(unit.caption, lang) if unit.caption else ", ".join(unit.functions)
    return _first_line(text) or unit.id


def contents(record: LessonState, lang: str) -> list[Entry]:
    """Every unit of the lesson, in order, with where the learner stands in it."""
    lesson = record.lesson
    out: list[Entry] = []
    for index, unit in enumerate(lesson.units):
        title = unit_title(lesson, unit, lang)
        current = index == record.unit_index
        if isinstance(unit, QuizUnit):
            state = record.states.get(unit.id)
            if state is not None and state.solved:
                status = "right"
            elif state is not None and state.revealed:
                status = "revealed"
            elif unit.id in record.skipped:
                status = "skipped"
            elif state is not None and state.attempts:
                status = "tried"
            else:
                status = "open"
            out.append(Entry(index, title, unit.kind, status, current))
        elif isinstance(unit, TrainingUnit):
            total = lesson.run(unit.id).total_steps
            step = record.positions.get(unit.id, 0)
            left = sum(1 for a in unit.asks if a.id not in record.passed)
            status = "done" if step >= total else "steps"
            out.append(Entry(index, title, unit.kind, status, current, step, total, left))
        else:
            out.append(Entry(index, title, unit.kind, "", current))
    return out
