"""The walkthrough's title line: a training's title on one line, never wider than its bound."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tutor.ui.widgets.title import UNIT_TITLE_CELLS, TitleState, one_line


def test_a_short_title_is_kept_and_a_long_one_cut_with_an_ellipsis() -> None:
    assert one_line("AND gate\n\n  step   by step") == "AND gate step by step"
    assert one_line("x" * 60) == "x" * 60
    assert one_line("x" * 61) == "x" * 59 + "…"
    assert one_line("가" * 31) == "가" * 29 + "…"  # 58 cells + "…": a wide character is never split
    assert one_line("가" * 30) == "가" * 30  # exactly 60 cells


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=300))
def test_any_title_is_one_line_within_the_bound(title: str) -> None:
    short = one_line(title)
    assert "\n" not in short and cell_len(short) <= UNIT_TITLE_CELLS
    if cell_len(" ".join(title.split())) <= UNIT_TITLE_CELLS:
        assert short == " ".join(title.split())
    else:
        assert short.endswith("…")


def test_the_line_shows_the_cut_title_then_the_position() -> None:
    line = TitleState("en", "t" * 500, 3, 24, (), None).line().plain
    assert line == "t" * 59 + "…  3 of 24 steps done"
