"""Unexpected errors: the traceback goes to a crash log, the learner gets one calm sentence."""

from __future__ import annotations

import datetime
import traceback

from tutor import paths
from tutor.i18n import t
from tutor.text import clean_path


def write_crash_log() -> str | None:
    """Append the exception being handled to `<state dir>/crash.log`; its path, or None if unwritable."""
    log = paths.state_dir() / "crash.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n")
            f.write(traceback.format_exc())
            f.write("\n")
    except OSError:
        return None
    return clean_path(log)


def crash_message(lang: str) -> str:
    """Log the exception being handled and say so in one sentence (or that it could not be)."""
    log = write_crash_log()
    if log is None:
        return t("cli.crash_unlogged", lang, folder=clean_path(paths.state_dir()))
    return t("cli.crash", lang, log=log)
