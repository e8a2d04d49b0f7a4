"""The tutor's terms in Korean and English, from one data file (tutor/glossary.toml).

The glossary screen (tutor/ui/screens/glossary.py), the plain mode's `glossary` command and the
tables of docs/glossary.md all come from that file: `python -m tutor.glossary docs/glossary.md`
writes the tables between the doc's `<!-- glossary:begin -->` and `<!-- glossary:end -->`
marks (the prose around them is written by hand), and tests/test_glossary.py fails when the doc
and the data differ. Standard library only (tomllib).
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from tutor.i18n import LANGUAGES

BEGIN = "<!-- glossary:begin (generated from tutor/glossary.toml by `python -m tutor.glossary docs/glossary.md`; edit the data, not these tables) -->"
END = "<!-- glossary:end -->"


@dataclass(frozen=True)
class Term:
    """One term: its Korean and English names and what it means, in both languages."""

    ko: str
    en: str
    meaning: dict[str, str]  # language -> one or two sentences
    section: int  # index into `sections()`

    def name(self, lang: str) -> str:
        """'가중치 (weight)' in Korean, 'weight (가중치)' in English."""
        return f"{self.ko} ({self.en})" if lang == "ko" else f"{self.en} ({self.ko})"


@dataclass(frozen=True)
class Section:
    title: dict[str, str]  # language -> title
    terms: tuple[Term, ...]


@cache
def sections() -> tuple[Section, ...]:
    """Every section of the glossary, its terms in the file's order. Raises ValueError when the
    file lacks a field (a test reads it, so a broken file never ships)."""
    data = tomllib.loads(resources.files("tutor").joinpath("glossary.toml").read_text("utf-8"))
    out: list[Section] = []
    for i, section in enumerate(data["sections"]):
        terms = []
        for item in section["terms"]:
            meaning = {lang: str(item[f"meaning_{lang}"]) for lang in LANGUAGES}
            terms.append(Term(str(item["ko"]), str(item["en"]), meaning, i))
        out.append(Section({lang: str(section[lang]) for lang in LANGUAGES}, tuple(terms)))
    return tuple(out)


def terms() -> tuple[Term, ...]:
    return tuple(term for section in sections() for term in section.terms)


def _folded(text: str) -> str:
    """For matching: case folded, spaces and hyphens left out ("오차역전파", "multi layer")."""
    return "".join(c for c in text.casefold() if not c.isspace() and c != "-")


def search(query: str) -> list[Term]:
    """The terms `query` occurs in, in either language: first those whose name holds it, then
    those whose meaning does (each in glossary order). An empty query gives every term."""
    q = _folded(query)
    if not q:
        return list(terms())
    named = [term for term in terms() if q in _folded(term.ko) or q in _folded(term.en)]
    meant = [
        term for term in terms()
        if term not in named and any(q in _folded(m) for m in term.meaning.values())
    ]
    return named + meant


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_tables() -> str:
    """The doc's tables: a heading per section, a row per term (Korean, English, both meanings)."""
    lines: list[str] = []
    for section in sections():
        lines += [f"## {section.title['en']} / {section.title['ko']}", ""]
        lines += ["| Korean | English | Meaning | 뜻 |", "|---|---|---|---|"]
        for term in section.terms:
            cells = (term.ko, term.en, term.meaning["en"], term.meaning["ko"])
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def document(current: str) -> str:
    """`current` (the doc's text) with the tables between the marks generated anew."""
    start, end = current.index(BEGIN), current.index(END)
    return current[: start + len(BEGIN)] + "\n\n" + markdown_tables() + "\n" + current[end:]


def main(argv: list[str]) -> int:
    """`python -m tutor.glossary DOC`: write DOC's tables from the data (0), or say what's wrong."""
    if len(argv) != 1:
        print("usage: python -m tutor.glossary docs/glossary.md", file=sys.stderr)
        return 2
    path = Path(argv[0])
    text = path.read_text(encoding="utf-8")
    path.write_text(document(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
