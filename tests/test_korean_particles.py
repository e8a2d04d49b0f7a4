"""와/과 after a Hangul syllable agree with its last sound, in every Korean text of the app."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# a syllable, an optional "(English name)", then 와 or 과 as a word's end
PARTICLE = re.compile(r"([가-힣])(\([^()\n]*\))?(와|과)(?=[\s,.)!?:])")
WORDS = {"초과", "효과", "사과", "교과"}  # words that end in 과, not the particle


def _ends_in_consonant(syllable: str) -> bool:
    return (ord(syllable) - 0xAC00) % 28 != 0


def test_wa_and_gwa_follow_the_last_sound():
    # "매컬럭(McCulloch)와 피츠" in history-keywords and "매컬럭와 피츠" in two exam questions
    files = [*sorted((ROOT / "lessons").glob("*.yaml")),
             *sorted((ROOT / "tutor" / "locales").glob("*.ko.toml")),
             ROOT / "tutor" / "glossary.toml"]
    wrong = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in PARTICLE.finditer(line):
                syllable, particle = m.group(1), m.group(3)
                if m.group(2) is None and syllable + particle in WORDS:
                    continue
                if (particle == "와") == _ends_in_consonant(syllable):
                    wrong.append(f"{path.name}:{number}: {m.group(0)}")
    assert not wrong, wrong


def test_no_text_says_silsu_ro_for_in_real_numbers():
    """실수로 reads "by mistake" before it reads "in real numbers": the round-off line said
    "실수로 계산하면 합은 0이고" (learner15); the lessons say 정확한 실수 산술로."""
    files = [*sorted((ROOT / "lessons").glob("*.yaml")),
             *sorted((ROOT / "tutor" / "locales").glob("*.ko.toml")),
             ROOT / "tutor" / "glossary.toml"]
    found = [f"{path.name}:{number}"
             for path in files
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"(?<![가-힣])실수로", line)]
    assert not found, found
