"""The glossary's data (tutor/glossary.toml): complete in both languages, searchable, and the one
source of docs/glossary.md's tables."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tutor import glossary

DOC = Path(__file__).resolve().parent.parent / "docs" / "glossary.md"
TERMS = glossary.terms()


def test_the_docs_tables_are_generated_from_the_data():
    text = DOC.read_text(encoding="utf-8")
    assert text.count(glossary.BEGIN) == 1 and text.count(glossary.END) == 1
    assert glossary.document(text) == text, (
        "docs/glossary.md differs from tutor/glossary.toml: run "
        "`python -m tutor.glossary docs/glossary.md`"
    )


def test_regenerating_the_doc_changes_only_the_tables(tmp_path):
    doc = tmp_path / "glossary.md"
    doc.write_text(f"# Head\n\n{glossary.BEGIN}\nold table\n{glossary.END}\n\n## Rules\n",
                   encoding="utf-8")
    assert glossary.main([str(doc)]) == 0
    text = doc.read_text(encoding="utf-8")
    assert text.startswith(f"# Head\n\n{glossary.BEGIN}\n\n## The perceptron / 퍼셉트론\n")
    assert text.endswith(f"{glossary.END}\n\n## Rules\n") and "old table" not in text
    assert "| 오차 역전파 | backpropagation |" in text


def test_every_term_has_both_names_and_both_meanings():
    assert len(TERMS) == 70
    assert len({t.ko for t in TERMS}) == len(TERMS) == len({t.en for t in TERMS})
    for term in TERMS:
        assert term.ko.strip() and term.en.strip()
        assert term.meaning["en"].strip() and term.meaning["ko"].strip()
        # 합니다체, as every Korean text of the tutor: no sentence ends in 한다 / 이다 / 된다
        assert "니다" in term.meaning["ko"], term.ko
        assert not re.search(r"(한다|이다|된다|있다|없다)[.)]", term.meaning["ko"]), term.ko
        assert "|" not in term.ko + term.en


def test_the_exam_terms_are_there_with_the_glossary_spelling():
    by_ko = {t.ko: t.en for t in TERMS}
    for ko, en in [("가중치", "weight"), ("편향", "bias"), ("학습률", "learning rate"),
                   ("에포크", "epoch"), ("오차 역전파", "backpropagation"), ("임계값", "threshold"),
                   ("목표값", "target")]:
        assert by_ko[ko] == en


def test_search_by_a_part_of_a_name_in_either_language_ignoring_case_and_spaces():
    assert glossary.search("역전파")[0].en == "backpropagation"
    assert glossary.search("오차역전파")[0].en == "backpropagation"
    assert glossary.search("BackProp")[0].ko == "오차 역전파"
    assert glossary.search("multi layer")[0].ko == "다층 퍼셉트론"
    assert glossary.search("") == list(TERMS)
    assert glossary.search("xyzzy 없음") == []


def test_names_come_before_meanings_in_the_results():
    found = [t.ko for t in glossary.search("역전파")]
    assert found[0] == "오차 역전파" and "순전파" in found[1:]  # 순전파 only mentions it


@given(st.sampled_from(TERMS), st.sampled_from(["ko", "en"]), st.data())
def test_any_piece_of_a_name_finds_its_term(term, lang, data):
    name = term.ko if lang == "ko" else term.en
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start + 1, len(name)))
    piece = name[start:end]
    if not piece.strip(" -"):
        return
    assert term in glossary.search(piece)
