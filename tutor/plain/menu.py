"""The numbered list of lessons the plain mode starts with when no lesson is named."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.i18n import t
from tutor.lessons import Lesson
from tutor.plain.console import HELP, QUIT, Console
from tutor.progress import Store


def choose_lesson(lessons: Sequence[Lesson], store: Store, lang: str,
                  console: Console) -> Lesson | None:
    """The numbered list of lessons; the one typed (number or id), or None for q or EOF."""
    console.say(t("plain.menu.title", lang))
    for i, lesson in enumerate(lessons, 1):
        title = lesson.render(lesson.title, lang)
        if lesson.pack is not None:  # installed from a lesson pack: say which
            title += " (" + t("ui.menu.pack", lang, name=lesson.pack) + ")"
        console.say(t("plain.menu.item", lang, i=i, title=title, id=lesson.id,
                      status=_status(lesson, store, lang)))
    console.say(t("plain.menu.ask", lang))
    while True:
        text = console.ask()
        if text is None or text in QUIT:
            return None
        if text in HELP or not text:
            console.say(t("plain.menu.ask", lang))
            continue
        by_id = {lesson.id: lesson for lesson in lessons}
        if text in by_id:
            return by_id[text]
        if text.isdecimal() and 1 <= int(text) <= len(lessons):
            return lessons[int(text) - 1]
        console.say(t("plain.menu.unknown", lang, text=text, n=len(lessons)))


def _status(lesson: Lesson, store: Store, lang: str) -> str:
    """As the app's menu says it: where the learner stopped, and how many questions were skipped."""
    status = _where(lesson, store, lang)
    skipped = len(store.skipped(lesson.id))
    return status + ", " + t("ui.menu.skipped", lang, n=skipped) if skipped else status


def _where(lesson: Lesson, store: Store, lang: str) -> str:
    summary = store.summary(lesson.id)
    if summary.status == "done":
        return t("ui.menu.done", lang)
    pos = summary.position
    if summary.status == "in_progress" and pos is not None:
        ids = [u.id for u in lesson.units]
        i = ids.index(pos.unit_id) + 1 if pos.unit_id in ids else 1
        if pos.step:
            return t("ui.menu.stopped_step", lang, i=i, n=len(ids), s=pos.step)
        return t("ui.menu.stopped", lang, i=i, n=len(ids))
    return t("ui.menu.not_started", lang)
