"""The walkthrough's title line: a training's title on one line, never wider than its bound."""

from __future__ import annotations

from io import StringIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tutor.i18n import t
from tutor.ui.widgets.title import (
    MIN_TITLE_CELLS,
    UNIT_TITLE_CELLS,
    TitleLine,
    TitleState,
    one_line,
)


def test_a_short_title_is_kept_and_a_long_one_cut_with_an_ellipsis() -> None:
    assert one_line("AND gate\n\n  step   by step") == "AND gate step by step"
    assert one_line("x" * 60) == "x" * 60
    assert one_line("x" * 61) == "x" * 59 + "…"
    assert one_line("가" * 31) == "가" * 29 + "…"  # 58 cells + "…": a wide character is never split
    assert one_line("가" * 30) == "가" * 30  # exactly 60 cells


def test_zero_width_characters_do_not_push_the_cut_past_the_bound() -> None:
    # Rich's set_cell_size miscounts a prefix of zero-width joiners: it gave 61 cells here
    for title in ("\u200d" * 100 + "가" * 100, "\u200b" * 80 + "a" * 100,
                  "a" * 30 + "\u200d" * 200 + "b" * 100, "e\u0301" * 100):
        short = one_line(title)
        assert cell_len(short) <= UNIT_TITLE_CELLS and short.endswith("…"), repr(short)
        assert not short[:-1].endswith(("\u200d", " "))  # no dangling joiner before the "…"
    assert one_line("\u200d" * 100 + "가" * 100) == "\u200d" * 100 + "가" * 29 + "…"


_TRICKY = st.sampled_from(["\u200d", "\u200b", "\u0301", "가", "👨", "\ufe0f", " ", "a"])


@given(st.lists(_TRICKY, max_size=200).map("".join))
def test_titles_of_joiners_combining_marks_and_wide_characters_stay_within_the_bound(
        title: str) -> None:
    short = one_line(title)
    assert cell_len(short) <= UNIT_TITLE_CELLS
    if cell_len(" ".join(title.split())) > UNIT_TITLE_CELLS:
        assert short.endswith("…") and " ".join(title.split()).startswith(short[:-1])


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


def test_given_a_width_the_title_gives_way_so_the_prompt_stays_on_the_line() -> None:
    # at 80 columns the line has 76 cells; the Korean prompt after a 60-cell title took 96
    title = "XOR, 은닉 뉴런이 시그모이드인 같은 신경망"
    state = TitleState("ko", title, 12, 24, (), "12")
    assert state.line().cell_len == 96  # without a width: the whole title, as before
    line = state.line(76)
    assert line.cell_len <= 76 and line.plain.endswith("(0–24, enter): 12▏")
    assert line.plain.startswith("XOR, 은닉") and "…  24단계 중 12단계 진행" in line.plain
    assert TitleState("ko", title, 12, 24, (), None).line(76).plain == (
        title + "  24단계 중 12단계 진행")  # the prompt closed: the whole title again
    # no room left for even MIN_TITLE_CELLS: the title is left out, the rest kept whole
    narrow = state.line(52)
    assert narrow.plain == "24단계 중 12단계 진행  이동할 단계 (0–24, enter): 12▏"
    assert narrow.cell_len + 2 + MIN_TITLE_CELLS > 52


@given(st.text(max_size=120), st.integers(0, 10**6), st.integers(1, 10**6),
       st.sampled_from(["ko", "en"]), st.one_of(st.none(), st.text("0123456789", max_size=7)),
       st.integers(50, 200))
def test_the_title_line_is_one_row_wherever_the_rest_fits(title, position, total, lang, goto, width):
    state = TitleState(lang, title, min(position, total), total, ("finished",), goto)
    console = Console(file=StringIO(), width=width, color_system=None, legacy_windows=False)
    lines = console.render_lines(TitleLine(state), console.options, pad=False)
    if TitleState(lang, None, min(position, total), total, ("finished",), goto).line().cell_len <= width:
        assert len(lines) == 1


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("status", [("finished",), ("playing", 0.02), ("playing", 2.0),
                                    ("computing", 123_456, 1_000_000)])
def test_the_prompt_takes_the_status_s_place_when_both_do_not_fit_80_columns(lang, status):
    # at the end of the perceptron lesson's 4-step run, ':' 2 made '4단계 중 4단계 진행  ■ 학습 끝:
    # →를 누르면 다음으로  이동할 단계 (0–4,⏎enter): 2▏' (85 cells): two rows, and the panel kept
    # the blank second row for the rest of the unit after Enter
    for total in (4, 12, 500, 10_000, 1_000_000):
        state = TitleState(lang, "손으로 출력 계산하기", total, total, status, str(total))
        line = state.line(76)
        assert line.cell_len <= 76, line.plain
        assert t("ui.training.position", lang, p=total, n=total) in line.plain
        assert line.plain.endswith(f"(0–{total}, enter): {total}▏")
        closed = TitleState(lang, "손으로 출력 계산하기", total, total, status, None).line(76)
        if status[0] != "computing":  # without the prompt the status shows, as before
            assert closed.cell_len <= 76 and ("■" in closed.plain or "▶" in closed.plain)
