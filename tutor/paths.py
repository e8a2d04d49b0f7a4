"""Every path the tutor reads or writes, in one place.

User data follows the platform's conventions through platformdirs (on Linux: XDG_DATA_HOME,
XDG_CONFIG_HOME, XDG_STATE_HOME), so tests isolate themselves by pointing those at a temp folder.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "perceptron-tutor"
_PACKAGE_DIR = Path(__file__).resolve().parent


def builtin_lessons_dir() -> Path:
    """The built-in lessons: inside the installed package, or `lessons/` in a source checkout."""
    installed = _PACKAGE_DIR / "_lessons"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "lessons"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """What can be thrown away and made again (parsed lesson files)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def user_lessons_dir() -> Path:
    """Lessons a learner drops in here are found without `--lessons`."""
    return data_dir() / "lessons"


def progress_db() -> Path:
    return data_dir() / "progress.db"


def serve_dir() -> Path:
    """`serve`'s progress folder when `--progress-dir` is not given: one file per learner."""
    return data_dir() / "serve"
