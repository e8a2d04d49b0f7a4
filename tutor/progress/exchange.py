"""Progress as a JSON-ready dict (`export`) and such a dict merged back in (`import_`).

The export holds every table of the db (`tutor.progress.schema.SECTIONS`), so that a learner can
move to another machine or keep a copy. An import is checked whole before anything is written
(`tutor.progress.validation`) and then merged in one transaction, so importing the same export twice
changes nothing and a bad file changes nothing at all.
"""

from __future__ import annotations

import json
import sqlite3

from tutor.progress.connection import Connected, guarded
from tutor.progress.positions import before_list
from tutor.progress.schema import (
    ATTEMPT_FIELDS,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    INSERT_ATTEMPT,
    SECTIONS,
)
from tutor.progress.validation import validate


class Exchange(Connected):
    """`export` and `import_` of a store."""

    @guarded
    def export(self) -> dict:
        return self._export()

    def _export(self) -> dict:
        conn = self._conn

        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

        def rows(table: str, order: str, bools: tuple[str, ...] = ()) -> list[dict]:
            """Every row of `table` as a dict with the fields an import expects (none when the
            table is not there: a read-only file of schema v1 or v2 has no v3 tables)."""
            if table not in tables:
                return []
            names = tuple(SECTIONS[table])
            out = []
            for row in conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY {order}"):
                item = dict(zip(names, row, strict=True))
                for name in bools:
                    item[name] = bool(item[name])
                out.append(item)
            return out

        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.now(),
            "lessons": [
                {**item, "units_before": before_list(item["units_before"])}
                for item in rows("lessons", "lesson_id", ("done",))
            ],
            "attempts": rows("attempts", "answered_at, id", ("correct", "revealed")),
            "sittings": rows("sittings", "started_at"),
            "review": rows("review", "lesson_id, question_id"),
            "unit_steps": rows("unit_steps", "lesson_id, unit_id"),
            "skips": rows("skips", "lesson_id, question_id"),
            "exam_seeds": rows("exam_seeds", "lesson_id"),
        }

    @guarded
    def import_(self, data: dict) -> None:
        """Merge an export into this store, all or nothing.

        Raises ProgressDataError (a localized sentence naming the bad field) before writing anything
        if the data is not valid. Merging: the newer position wins, completion is kept if either
        side has it, attempts and sittings already present are not doubled, the newer review
        entry wins, the newer step of a training unit wins, a skip keeps its latest time.
        Importing the same export twice changes nothing.
        """
        valid = validate(data, self.lang)
        with self._write() as conn:
            for item in valid["lessons"]:
                self._merge_lesson(conn, item)
            for a in valid["attempts"]:
                values = tuple(a[name] for name in ATTEMPT_FIELDS)
                exists = conn.execute(
                    "SELECT 1 FROM attempts WHERE lesson_id = ? AND question_id = ? AND answer = ?"
                    " AND correct = ? AND hints_used = ? AND revealed = ? AND answered_at = ?",
                    values,
                ).fetchone()
                if not exists:
                    conn.execute(INSERT_ATTEMPT, values)
            for s in valid["sittings"]:
                row = conn.execute(
                    "SELECT id, seconds FROM sittings WHERE lesson_id = ? AND started_at = ?",
                    (s["lesson_id"], s["started_at"]),
                ).fetchone()
                if row is None:
                    conn.execute(
                        "INSERT INTO sittings (lesson_id, started_at, last_at, seconds)"
                        " VALUES (?, ?, ?, ?)",
                        (s["lesson_id"], s["started_at"], s["last_at"], s["seconds"]),
                    )
                elif s["seconds"] > row[1]:
                    conn.execute(
                        "UPDATE sittings SET seconds = ?, last_at = max(last_at, ?) WHERE id = ?",
                        (s["seconds"], s["last_at"], row[0]),
                    )
            for r in valid["review"]:
                conn.execute(
                    "INSERT INTO review (lesson_id, question_id, box, due_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (lesson_id, question_id) DO UPDATE SET"
                    " box = excluded.box, due_at = excluded.due_at,"
                    " updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
                    (r["lesson_id"], r["question_id"], r["box"], r["due_at"], r["updated_at"]),
                )
            _merge_unit_steps(conn, valid["unit_steps"])
            _merge_skips(conn, valid["skips"])
            for e in valid["exam_seeds"]:  # the sitting started later wins
                conn.execute(
                    "INSERT INTO exam_seeds (lesson_id, seed, started_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (lesson_id) DO UPDATE SET seed = excluded.seed,"
                    " started_at = excluded.started_at WHERE excluded.started_at > started_at",
                    (e["lesson_id"], e["seed"], e["started_at"]),
                )

    @staticmethod
    def _merge_lesson(conn: sqlite3.Connection, item: dict) -> None:
        newer = "excluded.updated_at > updated_at AND excluded.unit_id IS NOT NULL"
        before = item.get("units_before")
        conn.execute(
            "INSERT INTO lessons (lesson_id, unit_id, step, updated_at, done, done_at, unit_index,"
            " units_before, fingerprint)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (lesson_id) DO UPDATE SET"
            f" unit_id = CASE WHEN {newer} THEN excluded.unit_id ELSE unit_id END,"
            f" step = CASE WHEN {newer} THEN excluded.step ELSE step END,"
            f" unit_index = CASE WHEN {newer} THEN excluded.unit_index ELSE unit_index END,"
            f" units_before = CASE WHEN {newer} THEN excluded.units_before ELSE units_before END,"
            f" fingerprint = CASE WHEN {newer} THEN excluded.fingerprint ELSE fingerprint END,"
            " updated_at = max(updated_at, excluded.updated_at),"
            " done = max(done, excluded.done),"
            " done_at = CASE WHEN done_at IS NULL THEN excluded.done_at"
            "   WHEN excluded.done_at IS NULL THEN done_at"
            "   ELSE min(done_at, excluded.done_at) END",
            (
                item["lesson_id"],
                item["unit_id"],
                item["step"],
                item["updated_at"],
                int(item["done"]),
                item["done_at"],
                item.get("unit_index"),
                json.dumps(list(before)) if before is not None else None,
                item.get("fingerprint"),
            ),
        )


def _merge_unit_steps(conn: sqlite3.Connection, items: list[dict]) -> None:
    """Imported training-unit steps (export v4): the one saved later wins; equal times keep ours."""
    for u in items:
        conn.execute(
            "INSERT INTO unit_steps (lesson_id, unit_id, step, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (lesson_id, unit_id) DO UPDATE SET step = excluded.step,"
            " updated_at = excluded.updated_at WHERE excluded.updated_at > updated_at",
            (u["lesson_id"], u["unit_id"], u["step"], u["updated_at"]),
        )


def _merge_skips(conn: sqlite3.Connection, items: list[dict]) -> None:
    """Imported skips (export v4): a skip known on either side is kept, at its latest time (an
    answer after that time still supersedes it, see `Store.skipped`)."""
    for s in items:
        conn.execute(
            "INSERT INTO skips (lesson_id, question_id, skipped_at) VALUES (?, ?, ?)"
            " ON CONFLICT (lesson_id, question_id) DO UPDATE SET"
            " skipped_at = max(skipped_at, excluded.skipped_at)",
            (s["lesson_id"], s["question_id"], s["skipped_at"]),
        )
