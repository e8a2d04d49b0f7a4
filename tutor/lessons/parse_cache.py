"""A disk cache of parsed lesson files, so `list`, the menu and a lesson by id start without
composing YAML again (issue 10: start-up).

An entry is keyed on the SHA-256 of the file's bytes (not its name or time: an edit within the
same second, or a file copied elsewhere, can never be served stale) and on `VERSION`, which
changes whenever the parser's output could. It holds `yaml_lines.Parsed` as JSON (never pickle:
reading the cache runs no code), in the platform's user cache folder (`paths.cache_dir()`).

The cache is only a shortcut: an entry that cannot be read, is not valid JSON or does not decode
to the expected shapes is ignored and the file is parsed; writing is best effort (a read-only or
full disk only means no shortcut). Values JSON cannot hold exactly (a YAML timestamp, a huge
integer) make the file uncached. At most `MAX_ENTRIES` files are kept: past that, the least
recently written half is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any

from tutor import limits, paths
from tutor import text as untrusted
from tutor.lessons.files import read_regular
from tutor.lessons.yaml_lines import DEFAULT_PARSER, LineDict, LineList, Parsed

VERSION = 2  # bump when yaml_lines' output changes
MAX_ENTRIES = 256
# An entry bigger than this is neither written nor read (a file of MAX_FILE_BYTES parses to a
# few times its size in JSON; a link to /dev/zero in the cache folder must not be read forever).
MAX_ENTRY_BYTES = 8 * limits.MAX_FILE_BYTES


class _Unsupported(Exception):
    """A value JSON cannot carry exactly: the file is not cached."""


def _encode(value: Any) -> Any:
    if isinstance(value, LineDict):
        items = [[_encode(k), value.lines.get(k, value.line), _encode(v)] for k, v in value.items()]
        return {"m": value.line, "i": items}
    if isinstance(value, LineList):
        return {"s": value.line, "l": list(value.lines), "i": [_encode(v) for v in value]}
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        if abs(value) >= 2**53:
            raise _Unsupported
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return {"f": repr(value)}  # inf, -inf, nan: JSON has no such numbers
        return value
    raise _Unsupported


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "m" in value:
            out = LineDict()
            out.line = int(value["m"])
            out.lines = {}
            for key, line, item in value["i"]:
                k = _decode(key)
                out[k] = _decode(item)
                out.lines[k] = int(line)
            return out
        if "s" in value:
            seq = LineList(_decode(v) for v in value["i"])
            seq.line = int(value["s"])
            seq.lines = [int(n) for n in value["l"]]
            return seq
        return float(value["f"])
    if isinstance(value, str):
        if untrusted.first_unsafe(value) is not None:  # the parser cleans every string
            raise ValueError("not a cached value")
        return value
    if value is None or isinstance(value, bool | int | float):
        return value
    raise ValueError("not a cached value")


def _issues(items: Any) -> list[tuple[int, str]]:
    return [(int(line), str(message)) for line, message in items]


def _entry(raw: bytes) -> Path:
    digest = hashlib.sha256(raw).hexdigest()
    return paths.cache_dir() / "parsed" / f"v{VERSION}-{DEFAULT_PARSER}-{digest}.json"


def load(raw: bytes) -> Parsed | None:
    """The cached parse of a file whose bytes are `raw`, or None."""
    try:
        # not read_bytes(): an entry swapped for a FIFO would make every lesson wait forever
        entry = read_regular(_entry(raw), MAX_ENTRY_BYTES)
        if entry is None:
            return None
        doc = json.loads(entry)
        return Parsed(
            data=_decode(doc["data"]),
            errors=_issues(doc["errors"]),
            duplicates=[(int(line), _decode(key)) for line, key in doc["duplicates"]],
            cleaned=_issues(doc["cleaned"]),
        )
    except Exception:  # missing, unreadable, damaged or foreign: parse the file instead
        return None


def store(raw: bytes, parsed: Parsed) -> None:
    """Keep `parsed` for files whose bytes are `raw` (best effort, never raises)."""
    try:
        doc = {
            "data": _encode(parsed.data),
            "errors": parsed.errors,
            "duplicates": [[line, _encode(key)] for line, key in parsed.duplicates],
            "cleaned": parsed.cleaned,
        }
        text = json.dumps(doc, ensure_ascii=False, allow_nan=False)
        if len(text.encode("utf-8")) > MAX_ENTRY_BYTES:
            return
    except Exception:  # a value JSON cannot carry exactly (or anything unexpected): no shortcut
        return
    with contextlib.suppress(OSError):
        target = _entry(raw)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
        _prune(target.parent)


def _prune(folder: Path) -> None:
    entries = [p for p in folder.iterdir() if p.suffix == ".json"]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for old in entries[: len(entries) - MAX_ENTRIES // 2]:
        with contextlib.suppress(OSError):
            old.unlink()
