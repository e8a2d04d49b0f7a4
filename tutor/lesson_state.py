"""What a learner has done in one lesson, and the rules both front ends follow (no UI).

The app's lesson screen (tutor/ui/screens/lesson.py) and the plain line mode (tutor/plain/session.py)
keep one `LessonState` each and ask it the same questions, so both mean the same thing:

* restored from the store: the current unit (see `tutor.resume`), every training unit's step
  (`unit_steps`, schema v3), every question's state replayed from the attempts, the skips;
* a question is *passed* when answered right, revealed, skipped on purpose, or behind a saved step;
  a passed question is never asked again and never stops `G`/`e`;
* a lesson is done when its last unit is reached and no question is open (answered or skipped).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tutor import exam, quiz
from tutor.resume import Resume, resume_point

if TYPE_CHECKING:
    from tutor.lessons import Ask, Lesson, Question, TrainingUnit
    from tutor.progress import Attempt, Store


def restored_states(lesson: Lesson, attempts: list[Attempt]) -> dict[str, quiz.QuestionState]:
    """Each question's state replayed from the recorded attempts (oldest first): attempts,
    hints seen, solved or revealed. Attempts at questions the lesson no longer has are ignored."""
    totals = {q.id: len(q.hints) for q in lesson.questions()}
    states: dict[str, quiz.QuestionState] = {}
    for attempt in attempts:
        total = totals.get(attempt.question_id)
        if total is None:
            continue
        state = states.get(attempt.question_id) or quiz.QuestionState(hints_total=total)
        if state.finished:
            continue
        state = (replace(state, revealed=True) if attempt.revealed
                 else state.answer(attempt.correct, attempt.answer))
        # hints_used is the count shown after the attempt (its own hint, and any asked for with
        # h before it): taken after the answer, which would otherwise add a hint of its own
        hints = max(state.hints_shown, min(total, attempt.hints_used))
        state = replace(state, hints_shown=hints)
        states[attempt.question_id] = state
    return states


def asks_before(unit: TrainingUnit, step: int) -> list[Ask]:
    """The asks to answer before step `step` (1-based) is revealed, in lesson order."""
    return [a for a in unit.asks if a.step == step]


def pending_ask(unit: TrainingUnit, position: int, passed: set[str]) -> Ask | None:
    """The ask that must be answered (or skipped) before step `position + 1` is revealed."""
    return next((a for a in asks_before(unit, position + 1) if a.id not in passed), None)


def stop_before_ask(unit: TrainingUnit, position: int, target: int, passed: set[str]) -> int:
    """Where a move forward from `position` to `target` (G, e) stops: before the first ask not
    passed, else at `target`. Passed asks (answered, revealed, skipped) never stop it.

    One pass over the unit's asks, not one look per step: G to the end of a 10^6-update run
    looked a million times (0.8 s) before the worker could start."""
    stops = [a.step - 1 for a in unit.asks if position < a.step <= target and a.id not in passed]
    return min(stops, default=max(position, target))


@dataclass
class LessonState:
    """One lesson's records for the sitting: unit shown, steps, question states, passed, skipped."""

    lesson: Lesson
    unit_index: int = 0
    positions: dict[str, int] = field(default_factory=dict)  # training unit id -> steps revealed
    states: dict[str, quiz.QuestionState] = field(default_factory=dict)  # question id -> state
    passed: set[str] = field(default_factory=set)  # answered right, revealed, skipped, or behind
    skipped: set[str] = field(default_factory=set)  # skipped on purpose, not answered since
    seed: int | None = None  # an exam's sitting: the seed its choices are shuffled with

    def restore(self, store: Store) -> Resume:
        """Fill from `store`: what the app and the plain mode both restore. Returns the resume
        point (so the caller can say that the unit moved or the training restarted)."""
        from tutor.lessons import TrainingUnit

        lesson = self.lesson
        self.seed = exam.sitting_seed(lesson, store)
        self.states = restored_states(lesson, store.attempts(lesson.id))
        self.passed = {qid for qid, state in self.states.items() if state.finished}
        known = {q.id for q in lesson.questions()}
        self.skipped = store.skipped(lesson.id) & known
        self.passed |= self.skipped
        training = {u.id: u for u in lesson.units if isinstance(u, TrainingUnit)}
        for unit_id, step in store.unit_steps(lesson.id).items():
            if unit_id in training:
                self.positions[unit_id] = min(step, lesson.run(unit_id).total_steps)
        point = resume_point(lesson, store.position(lesson.id))
        self.unit_index = point.index
        unit = lesson.units[point.index]
        if isinstance(unit, TrainingUnit):
            self.positions[unit.id] = point.step
        # an ask behind a unit's saved step was passed then (answered, revealed, or added to the
        # lesson since): not asked again
        for unit_id, step in self.positions.items():
            self.passed.update(a.id for a in training[unit_id].asks if a.step <= step)
        return point

    def answered(self, qid: str, state: quiz.QuestionState) -> None:
        """A question's state changed: finished (right or revealed) passes it and ends a skip."""
        self.states[qid] = state
        if state.finished:
            self.passed.add(qid)
            self.skipped.discard(qid)

    def skip(self, qid: str) -> None:
        """Skipped on purpose (the second `n`): passed, and kept as skipped."""
        self.skipped.add(qid)
        self.passed.add(qid)

    def move_to(self, index: int) -> int:
        """Go to unit `index` (0-based; clamped to the lesson): the table of contents' jump.
        Returns the unit index now current."""
        self.unit_index = max(0, min(index, len(self.lesson.units) - 1))
        return self.unit_index

    def choice_order(self, question: Question) -> tuple[int, ...] | None:
        """The order this sitting shows a choice question's choices in (`tutor.exam`); None: the
        lesson's order (not an exam, or not a choice question)."""
        from tutor.lessons import QuizUnit

        if self.seed is None or not isinstance(question, QuizUnit) or question.kind != "choice":
            return None
        return exam.choice_order(self.seed, question.id, len(question.choices))

    def open_questions(self) -> list[str]:
        """Ids of the questions neither finished (right or revealed) nor skipped, in order."""
        return [q.id for q in self.lesson.questions() if q.id not in self.passed]

    @property
    def at_last_unit(self) -> bool:
        return self.unit_index == len(self.lesson.units) - 1

    def done(self) -> bool:
        """Done when the last unit is reached and every question is answered or skipped."""
        return self.at_last_unit and not self.open_questions()


class LessonStateView:
    """The names the app's lesson screen and the plain session read, kept in one `LessonState`
    (`self.record`), so both modes see the same records by the same names."""

    record: LessonState

    @property
    def unit_index(self) -> int:
        return self.record.unit_index

    @unit_index.setter
    def unit_index(self, index: int) -> None:
        self.record.unit_index = index

    @property
    def positions(self) -> dict[str, int]:
        """Training unit id -> steps revealed."""
        return self.record.positions

    @property
    def states(self) -> dict[str, quiz.QuestionState]:
        return self.record.states

    @property
    def passed(self) -> set[str]:
        """Questions answered right, revealed, skipped, or behind a saved step."""
        return self.record.passed

    @property
    def skipped(self) -> set[str]:
        return self.record.skipped
