"""What the learner answered: attempts, skips, the scores drawn from them, and the review boxes.

Every attempt is kept. A wrong or revealed answer, or a skip, also puts the question into review
box 1 in the same transaction (the rules are `tutor.progress.review`), so a miss is never recorded
without entering review.
"""

from __future__ import annotations

import sqlite3

from tutor.progress.connection import Sittings, guarded
from tutor.progress.positions import position_from_row
from tutor.progress.records import Attempt, LessonSummary
from tutor.progress.review import ReviewEntry, after_miss
from tutor.progress.schema import INSERT_ATTEMPT


class Answers(Sittings):
    """Attempts (table `attempts`), skips (`skips`), summaries, and review boxes (`review`)."""

    @guarded
    def record_attempt(
        self,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        hints_used: int,
        revealed: bool,
    ) -> None:
        """Every attempt is kept; a wrong or revealed one also puts the question in review box 1."""
        if hints_used < 0:
            raise ValueError(f"hints_used must be >= 0, not {hints_used}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                INSERT_ATTEMPT,
                (lesson_id, question_id, answer, int(correct), hints_used, int(revealed), now),
            )
            if revealed or not correct:
                self._put_review(conn, after_miss(lesson_id, question_id, now))
            self._touch(conn, lesson_id, now)

    @guarded
    def attempts(self, lesson_id: str | None = None) -> list[Attempt]:
        """Attempts in the order they were made (one lesson, or all)."""
        sql = (
            "SELECT lesson_id, question_id, answer, correct, hints_used, revealed, answered_at"
            " FROM attempts"
        )
        params: tuple[str, ...] = ()
        if lesson_id is not None:
            sql += " WHERE lesson_id = ?"
            params = (lesson_id,)
        rows = self._conn.execute(sql + " ORDER BY answered_at, id", params).fetchall()
        return [
            Attempt(r[0], r[1], r[2], bool(r[3]), int(r[4]), bool(r[5]), float(r[6])) for r in rows
        ]

    @guarded
    def record_skip(self, lesson_id: str, question_id: str) -> None:
        """The learner skipped a question on purpose: kept, and offered in review (box 1)."""
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO skips (lesson_id, question_id, skipped_at) VALUES (?, ?, ?)"
                " ON CONFLICT (lesson_id, question_id) DO UPDATE SET skipped_at = excluded.skipped_at",
                (lesson_id, question_id, now),
            )
            self._put_review(conn, after_miss(lesson_id, question_id, now))
            self._touch(conn, lesson_id, now)

    @guarded
    def skipped(self, lesson_id: str) -> set[str]:
        """Questions skipped and not answered right or revealed since (a later answer wins)."""
        rows = self._conn.execute(
            "SELECT s.question_id FROM skips s WHERE s.lesson_id = ? AND NOT EXISTS ("
            " SELECT 1 FROM attempts a WHERE a.lesson_id = s.lesson_id"
            " AND a.question_id = s.question_id AND a.answered_at >= s.skipped_at"
            " AND (a.correct = 1 OR a.revealed = 1))",
            (lesson_id,),
        ).fetchall()
        return {str(r[0]) for r in rows}

    @guarded
    def summary(self, lesson_id: str) -> LessonSummary:
        """Scores: the latest attempt at a question decides; a revealed solution is never right.
        A question skipped and not answered right or revealed since (`skipped`) is counted as
        skipped only, not also as answered: each question counts once."""
        conn = self._conn
        lesson = conn.execute(
            "SELECT unit_id, step, unit_index, units_before, fingerprint, done FROM lessons"
            " WHERE lesson_id = ?",
            (lesson_id,),
        ).fetchone()
        latest: dict[str, bool] = {}
        for question_id, correct, revealed in conn.execute(
            "SELECT question_id, correct, revealed FROM attempts WHERE lesson_id = ?"
            " ORDER BY answered_at, id",
            (lesson_id,),
        ):
            latest[question_id] = bool(correct) and not revealed
        for question_id in self.skipped(lesson_id):
            latest.pop(question_id, None)
        seconds, sittings = conn.execute(
            "SELECT coalesce(sum(seconds), 0), count(*) FROM sittings WHERE lesson_id = ?",
            (lesson_id,),
        ).fetchone()
        position = position_from_row(lesson[:5]) if lesson and lesson[0] is not None else None
        if lesson and lesson[5]:
            status = "done"
        elif lesson or latest or sittings:
            status = "in_progress"
        else:
            status = "not_started"
        right = sum(latest.values())
        return LessonSummary(lesson_id, status, position, right, len(latest), float(seconds))

    @guarded
    def summaries(self) -> list[LessonSummary]:
        """Every lesson the learner has touched, by id (lessons never opened are not listed)."""
        rows = self._conn.execute(
            "SELECT lesson_id FROM lessons UNION SELECT lesson_id FROM attempts"
            " UNION SELECT lesson_id FROM sittings ORDER BY 1"
        ).fetchall()
        return [self.summary(row[0]) for row in rows]

    # -- review boxes (rules in tutor.progress.review)

    @staticmethod
    def _put_review(conn: sqlite3.Connection, entry: ReviewEntry) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO review (lesson_id, question_id, box, due_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (entry.lesson_id, entry.question_id, entry.box, entry.due_at, entry.updated_at),
        )

    @guarded
    def put_review(self, entry: ReviewEntry) -> None:
        with self._write() as conn:
            self._put_review(conn, entry)

    @guarded
    def review_entries(self) -> list[ReviewEntry]:
        rows = self._conn.execute(
            "SELECT lesson_id, question_id, box, due_at, updated_at FROM review"
            " ORDER BY lesson_id, question_id"
        ).fetchall()
        return [ReviewEntry(r[0], r[1], int(r[2]), float(r[3]), float(r[4])) for r in rows]

    @guarded
    def review_entry(self, lesson_id: str, question_id: str) -> ReviewEntry | None:
        row = self._conn.execute(
            "SELECT box, due_at, updated_at FROM review WHERE lesson_id = ? AND question_id = ?",
            (lesson_id, question_id),
        ).fetchone()
        if row is None:
            return None
        return ReviewEntry(lesson_id, question_id, int(row[0]), float(row[1]), float(row[2]))
