"""Where the learner is: the current unit and step of each lesson, every training unit's step, done.

A position names its unit by id (stable across lesson edits) and keeps where that unit stood when
it was saved, so that an edited lesson resumes sensibly (`tutor.resume` decides how).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tutor.limits import MAX_SEED
from tutor.progress.connection import Sittings, guarded
from tutor.progress.records import Position


class Positions(Sittings):
    """Positions (table `lessons`) and training-unit steps (table `unit_steps`)."""

    @guarded
    def position(self, lesson_id: str) -> Position | None:
        row = self._conn.execute(
            "SELECT unit_id, step, unit_index, units_before, fingerprint FROM lessons"
            " WHERE lesson_id = ? AND unit_id IS NOT NULL",
            (lesson_id,),
        ).fetchone()
        return position_from_row(row) if row else None

    @guarded
    def save_position(
        self,
        lesson_id: str,
        unit_id: str,
        step: int,
        *,
        index: int | None = None,
        before: Sequence[str] = (),
        fingerprint: str | None = None,
    ) -> None:
        """Save where the learner is; `index`, `before` and `fingerprint` see `Position`."""
        if step < 0:
            raise ValueError(f"step must be >= 0, not {step}")
        now = self.now()
        before_json = json.dumps(list(before)) if index is not None or before else None
        with self._write() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson_id, unit_id, step, updated_at, unit_index,"
                " units_before, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET unit_id = excluded.unit_id,"
                " step = excluded.step, updated_at = excluded.updated_at,"
                " unit_index = excluded.unit_index, units_before = excluded.units_before,"
                " fingerprint = excluded.fingerprint",
                (lesson_id, unit_id, step, now, index, before_json, fingerprint),
            )
            self._touch(conn, lesson_id, now)

    @guarded
    def mark_done(self, lesson_id: str) -> None:
        """Completion is kept (with the first time it happened) even if the lesson is redone."""
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO lessons (lesson_id, updated_at, done, done_at) VALUES (?, ?, 1, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET done = 1,"
                " done_at = coalesce(done_at, excluded.done_at)",
                (lesson_id, now, now),
            )
            self._touch(conn, lesson_id, now)

    @guarded
    def save_unit_step(self, lesson_id: str, unit_id: str, step: int) -> None:
        """Keep how many steps of training unit `unit_id` are revealed (>= 0)."""
        if step < 0:
            raise ValueError(f"step must be >= 0, not {step}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO unit_steps (lesson_id, unit_id, step, updated_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (lesson_id, unit_id) DO UPDATE SET step = excluded.step,"
                " updated_at = excluded.updated_at",
                (lesson_id, unit_id, step, now),
            )

    @guarded
    def unit_steps(self, lesson_id: str) -> dict[str, int]:
        """Training unit id -> steps revealed, for every unit of the lesson that was stepped."""
        rows = self._conn.execute(
            "SELECT unit_id, step FROM unit_steps WHERE lesson_id = ?", (lesson_id,)
        ).fetchall()
        return {str(r[0]): max(0, int(r[1])) for r in rows}

    @guarded
    def exam_seed(self, lesson_id: str) -> int | None:
        """The seed of the lesson's exam sitting, if one was started (and not reset since)."""
        row = self._conn.execute(
            "SELECT seed FROM exam_seeds WHERE lesson_id = ?", (lesson_id,)
        ).fetchone()
        return int(row[0]) if row else None

    @guarded
    def save_exam_seed(self, lesson_id: str, seed: int) -> None:
        """Start an exam sitting with `seed` (0 ≤ seed ≤ 2³¹ − 1), replacing any earlier one."""
        if not 0 <= seed <= MAX_SEED:
            raise ValueError(f"seed must be between 0 and {MAX_SEED}, not {seed}")
        now = self.now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO exam_seeds (lesson_id, seed, started_at) VALUES (?, ?, ?)"
                " ON CONFLICT (lesson_id) DO UPDATE SET seed = excluded.seed,"
                " started_at = excluded.started_at",
                (lesson_id, seed, now),
            )

    @guarded
    def last_lesson(self) -> str | None:
        """The lesson not yet done that the learner was in most recently, if any."""
        row = self._conn.execute(
            "SELECT lesson_id FROM lessons WHERE done = 0 AND unit_id IS NOT NULL"
            " ORDER BY updated_at DESC LIMIT 1"
        ).fetchone()
        return str(row[0]) if row else None


def before_list(text: str | None) -> list[str] | None:
    """The stored JSON list of unit ids; None when absent or unreadable (then it is unknown)."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return value


def position_from_row(row: Sequence[Any]) -> Position:
    """A Position from (unit_id, step, unit_index, units_before, fingerprint)."""
    unit_id, step, index, before, fingerprint = row
    return Position(
        unit_id,
        int(step),
        int(index) if index is not None else None,
        tuple(before_list(before) or ()),
        fingerprint,
    )
