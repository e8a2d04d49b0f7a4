"""The plain mode's driver: a lesson as lines of text, one command per input line.

It follows the app's lesson screen rule for rule, through the same `tutor.lesson_state.LessonState`
(tutor/ui/screens/lesson.py keeps one too): the same resume point and per-unit steps, the same
asks blocking a step until they are answered or skipped (`n` once warns, `n` again skips and
records the skip), the same done rule (last unit reached, every question answered or skipped), the
same position and unit step saved after every move and every answer recorded as the app records
it. So a learner can leave the app and go on here, or the other way round, at the same unit and
step, with the same questions open.

Commands: n p e G g ] [ l h r q help, a choice's number or a number to answer; `glossary [words]`;
at the end of an exam its score and missed questions, and `retry` to ask those again
(tutor/plain/exam.py).
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from tutor import quiz
from tutor.i18n import t
from tutor.lesson_state import LessonState, LessonStateView, pending_ask, stop_before_ask
from tutor.lessons import Ask, Lesson, PlotUnit, QuizUnit, TextUnit, TrainingUnit
from tutor.lifeline import STATUS_HANGUP
from tutor.plain import describe, questions
from tutor.plain import exam as plain_exam
from tutor.plain.console import HELP, QUIT, Console
from tutor.plain.menu import choose_lesson
from tutor.plain.text import clean, plain_markdown
from tutor.progress import Store
from tutor.resume import place


class LessonSession(LessonStateView):
    """One lesson: the unit shown, training positions, question states, what the store keeps."""

    def __init__(self, lesson: Lesson, store: Store, lang: str, console: Console) -> None:
        self.lesson = lesson
        self.store = store
        self.lang = lang
        self.io = console
        self.record = LessonState(lesson)  # the records and rules shared with the app
        self.touched: set[str] = set()  # questions answered, hinted or revealed this sitting
        self.acknowledged: set[str] = set()  # answered asks moved past (cleared on every move)
        self.skip_warned: str | None = None  # the question `n` last said it would skip
        self._done_said = False
        self._warned: str | None = None
        self.retry: plain_exam.Retry | None = None  # an exam's missed questions asked again

    # -- opening

    def open(self) -> None:
        lesson, lang = self.lesson, self.lang
        self.io.say(t("plain.lesson.open", lang, title=lesson.render(lesson.title, lang),
                      n=len(lesson.units)))
        self._restore()
        self.show_unit(self.unit_index)

    def _restore(self) -> None:
        """Resume where the learner was, in this mode or in the app (see tutor.lesson_state)."""
        point = self.record.restore(self.store)
        if point.restarted:
            self.io.say(t("ui.resume.restarted", self.lang))
        elif point.moved:
            self.io.say(t("ui.resume.moved", self.lang, i=point.index + 1,
                          n=len(self.lesson.units)))

    # -- the unit shown

    @property
    def unit(self) -> TextUnit | PlotUnit | TrainingUnit | QuizUnit:
        return self.lesson.units[self.unit_index]

    def show_unit(self, index: int) -> None:
        self.unit_index = max(0, min(index, len(self.lesson.units) - 1))
        self.acknowledged.clear()
        self.skip_warned = None
        self._save()  # saved before it is shown: what the learner sees is already kept
        unit, lang = self.unit, self.lang
        self.io.say("", t("plain.unit.head", lang, i=self.unit_index + 1,
                          n=len(self.lesson.units), kind=t(f"ui.unit.{unit.kind}", lang)))
        if isinstance(unit, TextUnit):
            self.io.say(plain_markdown(self.lesson.render(unit.body, lang)))
        elif isinstance(unit, PlotUnit):
            self.io.say(*describe.plot(unit, lang))
            if unit.caption is not None:
                self.io.say(plain_markdown(self.lesson.render(unit.caption, lang)))
        elif isinstance(unit, TrainingUnit):
            self.show_position()
        else:
            self.io.say(t(f"ui.quiz.kind.{unit.kind}", lang))
            if unit.kind == "predict" and unit.training and unit.step:
                run = self.lesson.run(unit.training)
                step = max(1, run.reach(unit.step))  # a run that diverged ends earlier
                self.io.say(*describe.preview(run, run.record(step - 1), lang))
            self.io.say(*questions.show(self._spec(unit), self._state(unit), lang))
        self._check_done()

    def _spec(self, question: Ask | QuizUnit) -> questions.Spec:
        return questions.spec(self.lesson, question, self.lang,
                              order=self.record.choice_order(question))

    def _state(self, question: Ask | QuizUnit) -> quiz.QuestionState:
        return self.states.get(question.id) or quiz.QuestionState(len(question.hints))

    def _save(self) -> None:
        unit = self.unit
        step = self.positions.get(unit.id, 0) if isinstance(unit, TrainingUnit) else 0
        where = place(self.lesson, self.unit_index)
        self.store.save_position(self.lesson.id, unit.id, step, index=where.index,
                                 before=where.before, fingerprint=where.fingerprint)
        if isinstance(unit, TrainingUnit):
            self.store.save_unit_step(self.lesson.id, unit.id, step)
        self._report_store()

    def _report_store(self) -> None:
        warning = self.store.warning
        if warning and warning != self._warned:
            self._warned = warning
            self.io.say(warning)

    # -- training: the same rules as the app's TrainingView

    @property
    def position(self) -> int:
        return self.positions.get(self.unit.id, 0)

    def _asks_before(self, step: int) -> list[Ask]:
        unit = self.unit
        return [a for a in unit.asks if a.step == step] if isinstance(unit, TrainingUnit) else []

    def pending_ask(self, position: int | None = None) -> Ask | None:
        """The ask that must be answered (or skipped) before step `position + 1` is revealed."""
        unit = self.unit
        if not isinstance(unit, TrainingUnit):
            return None
        return pending_ask(unit, self.position if position is None else position, self.passed)

    def shown_ask(self) -> Ask | None:
        """The ask printed: the first not passed, or one answered this sitting until the learner
        moves on (an ask finished in an earlier sitting is not printed again)."""
        for ask in self._asks_before(self.position + 1):
            if ask.id in self.acknowledged:
                continue
            if ask.id not in self.passed or ask.id in self.touched:
                return ask
        return None

    def show_position(self) -> None:
        unit, lang = self.unit, self.lang
        assert isinstance(unit, TrainingUnit)
        run = self.lesson.run(unit.id)
        p = self.positions[unit.id] = run.reach(self.position)
        head = t("plain.position", lang, p=p, n=run.total_steps)
        if unit.title is not None:
            head = self.lesson.render(unit.title, lang) + ". " + head
        self.io.say(head)
        ask = self.shown_ask()
        if p == 0:
            self.io.say(*describe.start(run, lang, with_preview=ask is None))
        else:
            self.io.say(*describe.step(run, p, lang))
        if ask is not None:
            self.show_ask(ask)
        elif p >= run.total_steps and run.divergence is not None:
            self.io.say(t("ui.training.diverged", lang))
        elif p >= run.total_steps:
            self.io.say(t("plain.finished", lang))

    def show_ask(self, ask: Ask, *, preview: bool = True) -> None:
        """An ask, with the preview of the step it comes before (unless it was just printed for
        the ask before it)."""
        run = self.lesson.run(ask.training)
        self.io.say(t("plain.ask.head", self.lang, step=ask.step))
        if preview:
            self.io.say(*describe.preview(run, run.record(self.position), self.lang))
        self.io.say(*questions.show(self._spec(ask), self._state(ask), self.lang))

    def _go(self, position: int) -> None:
        # A run that diverges ends at its diverging step: the position stops there.
        position = self.lesson.run(self.unit.id).reach(position)
        self.positions[self.unit.id] = position
        self.acknowledged.clear()
        self.skip_warned = None
        self._save()
        self.show_position()

    def _step_next(self) -> bool:
        """One step on; False when the run is over (the caller moves to the next unit)."""
        run = self.lesson.run(self.unit.id)
        if self.position >= run.total_steps:
            return False
        shown = self.shown_ask()
        if shown is not None and shown.id in self.passed:
            self.acknowledged.add(shown.id)
            if (following := self.shown_ask()) is not None:
                self.show_ask(following, preview=False)  # the preview is just above
                return True
        if self.pending_ask() is not None:
            self.io.say(t("ui.ask.first", self.lang))
            return True
        self._go(self.position + 1)
        return True

    def _go_to(self, target: int) -> None:
        """Forward to `target`, stopping before any ask not yet answered or skipped."""
        unit = self.unit
        assert isinstance(unit, TrainingUnit)
        run = self.lesson.run(unit.id)
        target = max(0, min(target, run.total_steps))
        p = stop_before_ask(unit, self.position, target, self.passed)
        if p != self.position:
            self._go(p)
        if p < target:
            self.io.say(t("ui.ask.first", self.lang))

    # -- commands

    def handle(self, command: str) -> bool:
        """Do one command; False when the learner quits."""
        if command in QUIT:
            return False
        word, _, rest = command.partition(" ")
        if command in HELP:
            self.io.say(t("plain.help", self.lang))
        elif word in ("glossary", "용어집"):
            self.io.say(*plain_exam.glossary_lines(rest, self.lang))
        elif word == "contents":
            self._contents(rest.strip())
        elif command == "retry":
            self._start_retry()
        elif self.retry is not None and self.retry.question is not None and (
            command in ("n", "h", "r") or quiz.parse_number(command) is not None
        ):
            self.io.say(*self.retry.handle(command, self.lang))
            self._report_store()
        elif command == "n":
            if self._skip_or_warn():
                return True
            if not (isinstance(self.unit, TrainingUnit) and self._step_next()):
                self.next_unit()
        elif command == "p":
            if isinstance(self.unit, TrainingUnit) and self.position > 0:
                self._go(self.position - 1)
            else:
                self.previous_unit()
        elif command == "]":
            self.next_unit()
        elif command == "[":
            self.previous_unit()
        elif command == "l":
            self.show_unit(self.unit_index)
        elif command in ("e", "G", "g"):
            self._training_command(command)
        elif command in ("h", "r"):
            self._question_command(command)
        elif command:
            self._answer(command)
        return True

    def _skip_or_warn(self) -> bool:
        """`n` on an unanswered question, as the app's: the first time say that `n` again skips
        it (True: stay); the second time record the skip (False: move on)."""
        question = self._question()
        if question is None or self._state(question).finished:
            return False
        if self.skip_warned != question.id:
            self.skip_warned = question.id
            self.io.say(t("ui.quiz.skip_warning", self.lang))
            return True
        self.skip_warned = None
        self.record.skip(question.id)
        self.store.record_skip(self.lesson.id, question.id)
        self._report_store()
        self._check_done()
        if isinstance(question, Ask):
            # moved past, as past an answered ask: the next ask of this step, if any, is shown
            self.acknowledged.add(question.id)
            if (following := self.shown_ask()) is not None:
                self.show_ask(following, preview=False)  # the preview is just above
                return True
        return False

    def next_unit(self) -> None:
        if self.unit_index + 1 < len(self.lesson.units):
            self.show_unit(self.unit_index + 1)
            return
        left = self.record.open_questions()
        if left:
            self.io.say(t("ui.lesson.open_questions", self.lang, n=len(left)))
        else:
            self._check_done(again=True)
        if self.lesson.exam:  # the end of an exam: its score and the missed questions
            score, lines = plain_exam.score_lines(self.record, self.store, self.lang)
            self.io.say("", *lines)
            if score.missed:
                self.io.say("", t("plain.exam.retry", self.lang))

    def _contents(self, number: str) -> None:
        """`contents`: the units with their marks; `contents N`: go to unit N (1-based)."""
        if not number:
            self.io.say(*plain_exam.contents_lines(self.record, self.lang))
            return
        n = len(self.lesson.units)
        if not number.isdigit() or not 1 <= int(number) <= n:
            self.io.say(t("plain.contents.range", self.lang, text=number, n=n))
            return
        self.show_unit(self.record.move_to(int(number) - 1))

    def _start_retry(self) -> None:
        """`retry`: the exam's missed questions asked again, one at a time (n goes on)."""
        if not self.lesson.exam:
            self.io.say(t("plain.retry.no_exam", self.lang))
            return
        score, _ = plain_exam.score_lines(self.record, self.store, self.lang)
        if not score.missed:
            self.io.say(t("ui.exam.all_right", self.lang))
            return
        missed = [m.question for m in score.missed]
        self.retry = plain_exam.Retry(self.record, self.store, missed)
        self.io.say(*self.retry.show(self.lang))

    def _check_done(self, *, again: bool = False) -> None:
        """As the app: done when the last unit is reached and every question is answered or
        skipped; said once when it happens (and again for `n` at the end)."""
        if not self.record.done():
            return
        if self.store.summary(self.lesson.id).status != "done":
            self.store.mark_done(self.lesson.id)
            self._report_store()
        if again or not self._done_said:
            self._done_said = True
            self.io.say(t("plain.lesson.done", self.lang))

    def previous_unit(self) -> None:
        if self.unit_index > 0:
            self.show_unit(self.unit_index - 1)
        else:
            self.io.say(t("plain.lesson.first", self.lang))

    def _training_command(self, command: str) -> None:
        unit = self.unit
        if not isinstance(unit, TrainingUnit):
            self.io.say(t("plain.only_training", self.lang))
            return
        run = self.lesson.run(unit.id)
        if command == "g":
            self._go(0)
        elif command == "G":
            self._go_to(run.total_steps)
        elif self.position < run.total_steps:
            self._go_to(run.epoch_end(self.position) + 1)

    def _question(self) -> Ask | QuizUnit | None:
        unit = self.unit
        if isinstance(unit, QuizUnit):
            return unit
        return self.shown_ask() if isinstance(unit, TrainingUnit) else None

    def _question_command(self, command: str) -> None:
        question = self._question()
        if question is None:
            self.io.say(t("plain.nothing_to_answer", self.lang))
            return
        do = questions.hint if command == "h" else questions.reveal
        self._apply(question, do(self._spec(question), self._state(question), self.lang))

    def _answer(self, text: str) -> None:
        question = self._question()
        if question is None:
            key = "plain.nothing_to_answer" if quiz.parse_number(text) is not None else "plain.unknown"
            self.io.say(t(key, self.lang, text=text))
            return
        spec = self._spec(question)
        if spec.kind == "numeric" and quiz.parse_number(text) is None and text.isalpha():
            self.io.say(t("plain.unknown", self.lang, text=text))
            return
        self._apply(question, questions.answer(spec, self._state(question), text, self.lang))

    def _apply(self, question: Ask | QuizUnit, reply: questions.Reply) -> None:
        self.io.say(*reply.lines)
        if reply.state == self._state(question) and reply.attempt is None:
            return
        self.record.answered(question.id, reply.state)
        self.touched.add(question.id)
        if reply.attempt is not None:
            self.skip_warned = None  # after an answer, `n` warns again before it skips
            given, correct, revealed = reply.attempt
            self.store.record_attempt(self.lesson.id, question.id, given, correct,
                                      reply.state.hints_shown, revealed)
            self._report_store()
        self._check_done()


def run_lesson(lesson: Lesson, store: Store, lang: str, console: Console) -> bool:
    """Open `lesson` and take commands until q (True) or the end of input (False)."""
    session = LessonSession(lesson, store, lang, console)
    session.open()
    while True:
        command = console.ask()
        if command is None:
            return False
        if not session.handle(command):
            return True


def _exit_on_hangup(leaving: Callable[[int], int] | None) -> Callable[[], None]:
    """SIGHUP (terminal closed) and SIGTERM end the session through SystemExit, so the store is
    closed on the way out. `leaving(signum)` (a `tutor.lifeline.Lifeline`'s `signalled`) is told
    first and gives the status. Returns a function that restores the previous handlers."""

    def leave(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(leaving(signum) if leaving is not None else 128 + signum)

    previous = {}
    for signum in (signal.SIGHUP, signal.SIGTERM):
        with contextlib.suppress(ValueError, OSError):  # not the main thread: leave them be
            previous[signum] = signal.signal(signum, leave)

    def restore() -> None:
        for signum, handler in previous.items():
            signal.signal(signum, handler)

    return restore


def run_plain(lang: str, lessons_dirs: Sequence[Path], store: Store, start_lesson: str | None,
              inp: TextIO, out: TextIO, *, leaving: Callable[[int], int] | None = None) -> int:
    """The whole plain session: `start_lesson` (an id or a path) or the lesson list first.

    Returns the exit status: 0 (q or end of input), 1 when the lesson cannot be loaded (its
    problems go to stderr as `file:line: field: message`), 129 when the terminal went away (a
    read or write failed with an OSError such as EIO). SIGHUP and SIGTERM raise SystemExit with
    `leaving(signum)` (default 128 + signal). Every line read is one command; none raises.
    """
    restore = _exit_on_hangup(leaving)
    try:
        return _session(lang, lessons_dirs, store, start_lesson, Console(inp, out))
    except BrokenPipeError:
        raise  # the reader left: `cli.main` ends quietly with 0, as for `trace | head`
    except OSError:
        return STATUS_HANGUP  # 129: the terminal went away
    finally:
        restore()


def _session(lang: str, lessons_dirs: Sequence[Path], store: Store, start_lesson: str | None,
             console: Console) -> int:
    from tutor.lessons import LessonError, discover, find_lesson

    if start_lesson is not None:
        try:
            lesson = find_lesson(start_lesson, tuple(lessons_dirs))
        except LessonError as exc:
            for problem in exc.problems:
                print(clean(str(problem)), file=sys.stderr)
            return 1
        run_lesson(lesson, store, lang, console)
        console.say(t("plain.bye", lang))
        return 0
    lessons, problems = discover(tuple(lessons_dirs))
    if problems:
        console.say(t("plain.menu.problems", lang, n=len(problems)))
    if not lessons:
        console.say(t("plain.menu.empty", lang))
        return 0
    while (chosen := choose_lesson(lessons, store, lang, console)) is not None:
        if not run_lesson(chosen, store, lang, console):
            break
        console.say("")
    console.say(t("plain.bye", lang))
    return 0
