"""The message catalog (tutor/i18n.py): `t` reads the one file a key's area names first, so the
keys must be unique across files, and that shortcut must give what the whole catalog gives."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tutor import i18n
from tutor.i18n import LANGUAGES, catalog, t

LOCALES = Path(__file__).resolve().parent.parent / "tutor" / "locales"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_key_is_defined_in_one_file_only(lang: str):
    counts = Counter(key for path in sorted(LOCALES.glob(f"*.{lang}.toml"))
                     for key in tomllib.loads(path.read_text(encoding="utf-8")))
    assert len(counts) > 500  # the files were read
    assert [key for key, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_t_gives_what_the_whole_catalog_holds(lang: str):
    every = catalog(lang)
    keys = [key for key in every if "{" not in every[key]]
    assert keys and all(t(key, lang) == every[key] for key in keys)
    # a key outside its area's file (the serve file holds `class.*`) is still found
    assert any(not key.startswith("serve.") for key in i18n._area(f"serve.{lang}.toml"))
    assert t("class.col.learner", lang) == every["class.col.learner"]


def test_an_unknown_key_falls_back_to_english_then_to_itself():
    assert t("no.such.key", "ko") == "no.such.key"
    assert t("cli.list.col.id", "fr") == catalog("en")["cli.list.col.id"]
