"""An import checked field by field before anything is written, and bounded to what the store holds.

Imported progress comes from other people (a file a teacher or another machine wrote): every field
must have its kind (`tutor.progress.schema.SECTIONS`), every text is clean and within a limit, every
number finite and within what can be shown. The first problem becomes one localized sentence
(`ProgressDataError`) naming the field, e.g. `attempts[3].answered_at`.
"""

from __future__ import annotations

import math

from tutor.i18n import t
from tutor.limits import MAX_SEED
from tutor.progress.records import ProgressDataError
from tutor.progress.review import LAST_BOX
from tutor.progress.schema import EXPORT_FORMAT, EXPORT_VERSION, SECTIONS
from tutor.text import clean_path, first_unsafe

# Bounds of what an import may bring, so that everything stored can be shown and computed with:
MAX_ID_CHARS = 200
MAX_TEXT_CHARS = 10_000
MAX_IDS = 1_000  # units before a position
MAX_COUNT = 10**9  # steps, hints, unit indices
MAX_TIME = 253_402_300_799.0  # 9999-12-31 23:59:59 UTC: the last second time.localtime can show
MAX_ITEMS = 100_000  # rows per section
MAX_IMPORT_BYTES = 50_000_000
# Values (numbers, strings, lists, objects) in one import: each costs Python 24 to 64 bytes
# however short it is written, so 50 MB of `[],` would be 16 million lists, over 1 GB.
# Six sections of MAX_ITEMS rows with a few fields each stay inside.
MAX_IMPORT_VALUES = 1_000_000


def _text_ok(value: object, limit: int) -> bool:
    """Text within `limit` characters, without control characters (ESC …, see tutor/text.py)."""
    return isinstance(value, str) and len(value) <= limit and first_unsafe(value) is None


def _kind_ok(kind: str, value: object) -> bool:
    if kind.endswith("?"):
        return value is None or _kind_ok(kind[:-1], value)
    if kind == "id":
        return _text_ok(value, MAX_ID_CHARS) and str(value).strip() != ""
    if kind == "text":
        return _text_ok(value, MAX_TEXT_CHARS)
    if kind == "ids":
        return (isinstance(value, list) and len(value) <= MAX_IDS
                and all(_kind_ok("id", v) for v in value))
    if kind == "bool":
        return isinstance(value, bool)
    # A bool is an int to Python, but never a count, a box, a seed or a time.
    if kind in ("count", "box", "seed"):
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        return 0 <= value <= {"count": MAX_COUNT, "box": LAST_BOX, "seed": MAX_SEED}[kind]
    if kind == "time":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        return math.isfinite(value) and 0 <= value <= MAX_TIME
    raise AssertionError(kind)


def validate(data: object, lang: str) -> dict[str, list[dict]]:
    """Check every field before anything is written; the first problem becomes the error."""

    def fail(key: str, **fields: object) -> ProgressDataError:
        return ProgressDataError(t(key, lang, **fields))

    def bad_field(where: str, kind: str) -> ProgressDataError:
        """`where` is not a `kind` (a kind of SECTIONS, or list or object)."""
        expected = t(f"progress.import.expected.{kind.rstrip('?')}", lang)
        return fail("progress.import.bad_field", where=where, expected=expected)

    if not isinstance(data, dict):
        raise fail("progress.import.not_object")
    if data.get("format") != EXPORT_FORMAT:
        found = data.get("format")
        shown = repr(found) if isinstance(found, str | int | float | bool | None) else "?"
        raise fail("progress.import.wrong_format", found=clean_path(shown[:60]))
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise bad_field("version", "count")
    if version > EXPORT_VERSION:
        raise fail("progress.import.newer", found=version, supported=EXPORT_VERSION)
    out: dict[str, list[dict]] = {}
    for section, fields in SECTIONS.items():
        items = data.get(section, [])
        if not isinstance(items, list) or len(items) > MAX_ITEMS:
            raise bad_field(section, "list")
        for i, item in enumerate(items):
            where = f"{section}[{i}]"
            if not isinstance(item, dict):
                raise bad_field(where, "object")
            for name, kind in fields.items():
                if name not in item and not kind.endswith("?"):
                    raise fail("progress.import.missing", where=f"{where}.{name}")
                if not _kind_ok(kind, item.get(name)):
                    raise bad_field(f"{where}.{name}", kind)
        out[section] = [{name: item.get(name) for name in fields} for item in items]
    return out
