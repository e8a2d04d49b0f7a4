"""The message catalog for every user-facing string outside lessons, in Korean and English.

Catalogs are TOML files in `tutor/locales/`, named `<area>.<lang>.toml` (e.g. `ui.ko.toml`), so that
each layer keeps its own strings. A key must be unique across areas and exist in every language
(a test checks both). Values use `str.format` fields: `t("step_of", "en", i=1, n=12)`.

The language comes from `--lang`, else from LC_ALL / LC_MESSAGES / LANG (ko_* means Korean), else
English. The locale is only read from the variables, never set: SSH often forwards a locale such as
ko_KR.UTF-8 that the machine does not have, and that must not matter.
"""

from __future__ import annotations

import os
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

LANGUAGES = ("ko", "en")
DEFAULT_LANGUAGE = "en"


def normalize_language(value: str | None) -> str | None:
    """'ko', 'ko_KR.UTF-8', 'KO', 'en_US' -> 'ko' / 'en'; anything else -> None."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def detect_language(environ: Mapping[str, str] | None = None) -> str:
    """The first of LC_ALL, LC_MESSAGES, LANG that is set decides; C, POSIX and others: English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if value:
            return normalize_language(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _read(entry_name: str) -> dict[str, str]:
    """One catalog file of `tutor/locales`, as strings. (tomllib is imported here, not at the top:
    a command that prints no sentence, such as a piped `list`, never loads it.)"""
    import tomllib
    from importlib import resources

    data = tomllib.loads(resources.files("tutor.locales").joinpath(entry_name)
                         .read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every string of one language, merged from all `*.<lang>.toml` files."""
    from importlib import resources

    merged: dict[str, str] = {}
    for entry in sorted(resources.files("tutor.locales").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(f".{lang}.toml"):
            merged.update(_area(entry.name))
    return merged


@cache
def _area(entry_name: str) -> dict[str, str]:
    """One catalog file, read once per process; {} when there is no such file."""
    try:
        return _read(entry_name)
    except FileNotFoundError:
        return {}


def _lookup(key: str, lang: str) -> str | None:
    """`key` in `lang`: first in the file its area names (`cli.list.broken` -> cli.<lang>.toml),
    so that a command reads one small file, then in every file of the language. Keys are unique
    across files (tests/test_i18n checks), so the answer is the same either way."""
    text = _area(f"{key.partition('.')[0]}.{lang}.toml").get(key)
    return text if text is not None else catalog(lang).get(key)


def t(key: str, lang: str, /, **fields: object) -> str:
    """The string `key` in `lang`, formatted with `fields`; English, then the key, as fallbacks."""
    text = _lookup(key, lang)
    if text is None:
        text = _lookup(key, DEFAULT_LANGUAGE)
        if text is None:
            text = key
    return text.format(**fields) if fields else text
