"""The plain mode's strings: both languages, every key used exists, every key defined is used."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from tutor.i18n import catalog

ROOT = Path(__file__).resolve().parent.parent.parent
LOCALES = ROOT / "tutor" / "locales"


def source() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tutor" / "plain").glob("*.py"))


def test_plain_catalogs_have_the_same_keys_and_prefix_and_all_are_used():
    en = tomllib.loads((LOCALES / "plain.en.toml").read_text(encoding="utf-8"))
    ko = tomllib.loads((LOCALES / "plain.ko.toml").read_text(encoding="utf-8"))
    assert set(en) == set(ko)
    assert all(key.startswith("plain.") for key in en)
    used = set(re.findall(r"\"(plain\.[a-z0-9_.]+)\"", source()))
    assert used == set(en), (used - set(en), set(en) - used)


def test_every_key_the_plain_mode_borrows_exists_in_both_languages():
    borrowed = set(re.findall(r"\"((?:ui|render)\.[a-z0-9_.]+)\"", source()))
    assert borrowed
    for lang in ("en", "ko"):
        assert borrowed <= set(catalog(lang)), borrowed - set(catalog(lang))


def test_the_same_fields_in_both_languages():
    en = tomllib.loads((LOCALES / "plain.en.toml").read_text(encoding="utf-8"))
    ko = tomllib.loads((LOCALES / "plain.ko.toml").read_text(encoding="utf-8"))
    for key, text in en.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", ko[key])), key
