"""What a learner's pass through the app at 80×24 turned up: each test pins one fix."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from textual.widgets import OptionList, Static

from tutor.progress import MemoryStore
from tutor.render import numbers as n
from tutor.ui.app import create_app
from tutor.ui.screens.lesson import Body, LessonScreen
from tutor.ui.widgets.column import Column
from tutor.ui.widgets.keybar import KeyBar, key_lines
from tutor.ui.widgets.preview import NextStep
from tutor.ui.widgets.question import REVEALED_MARK
from tutor.ui.widgets.steps import StepPanels
from tutor.ui.widgets.units import TrainingView

SIZE = (80, 24)


def training(app) -> TrainingView:
    assert isinstance(app.screen, LessonScreen)
    view = app.screen.view
    assert isinstance(view, TrainingView)
    return view


def shown_contents(app) -> list:
    """What every panel and section of the lesson screen shows."""
    contents = [static.content for static in app.screen.query(Static)
                if not isinstance(static, Column)]
    for column in app.screen.query(Column):
        contents += [column.shown(section.name) for section in column.sections]
    return contents


def previews_on_screen(app) -> int:
    """How many 'Next: step s of S' previews the lesson screen shows."""
    return len(previews(app))


async def test_step_zero_with_an_ask_shows_the_next_step_once(make_app):
    """tiny-linear asks before step 1: the ask's own preview, not a second one in the start
    panel below it (the and-gate of keras-linear and xor showed the same lines twice)."""
    app = make_app("tiny-linear")
    async with app.run_test(size=SIZE) as pilot:
        view = training(app)
        assert view.position == 0 and view.question() is not None
        assert previews_on_screen(app) == 1
        await pilot.press(*"0", "enter", "n", "g")  # answered; back at 0 it shows as left
        assert view.position == 0
        assert previews_on_screen(app) == 1


async def test_step_zero_without_an_ask_previews_step_one(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket")
        assert training(app).position == 0
        assert previews_on_screen(app) == 1


def test_keybar_breaks_only_between_pairs():
    """At 80 columns the walkthrough's keys take two lines; no label is split ('학습' / '끝')."""
    from tutor.i18n import t
    from tutor.ui.screens.lesson import TRAINING_KEYS

    for lang in ("ko", "en"):
        pairs = [(key, t(label, lang)) for key, label in TRAINING_KEYS]
        for width in (40, 60, 78, 118):
            lines = key_lines(pairs, width).plain.split("\n")
            assert all(cell_len(line.rstrip()) <= width for line in lines)
            joined = " ".join(line.strip() for line in lines)
            for key, label in pairs:
                assert f"{key}  {label}" in joined, (lang, width, label)
            for line in lines[1:]:
                first_key = line.strip().split("  ")[0]
                assert first_key in {key for key, _ in pairs}, (lang, width, line)


async def test_keybar_on_screen_keeps_labels_whole(make_app):
    app = make_app("tiny-perceptron", lang="ko")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket")
        bar = app.screen.query_one(KeyBar)
        await pilot.pause()
        assert bar.size.height == 2  # wrapped at 80 columns, between two pairs, nothing cut off
        assert str(bar.content).split("\n")[1].startswith(" G  학습 끝")
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        assert bar.size.height == 1 and "\n" not in str(bar.content)


def test_revealed_mark_is_one_cell_everywhere():
    """👁 is two cells in tmux and most terminals but one to Rich: the panel border broke."""
    import unicodedata

    assert cell_len(REVEALED_MARK) == 1
    assert unicodedata.east_asian_width(REVEALED_MARK) in ("N", "Na")


def test_answers_use_the_true_minus_and_the_panels_notation():
    assert n.answer(-1.0) == "−1"
    assert n.answer(1.0) == "1"
    assert n.answer(0.35) == "0.35"
    assert n.answer(-0.12337912) == "−0.123379"
    assert n.answer(5.551115123125783e-17) == "5.55e-17"  # as the sum panel writes k
    assert n.answer(0.5) == "0.5"


async def test_home_scrolls_back_to_the_start_panel(make_app):
    app = make_app("tiny-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        body = app.screen.query_one(Body)
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("home")  # scrolls only: the run stays where it is (g restarts it)
        await pilot.pause()
        assert training(app).position == 1 and body.scroll_y == 0


async def test_an_ask_answered_before_leaving_is_not_asked_again(make_app, store):
    """Answer the ask before step 2, quit before pressing →, come back: → shows step 2."""
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")
        view = training(app)
        assert view.position == 1 and view.question().spec.qid == "mini-net"
        await pilot.press(*".1", "enter")
        assert view.question().state.solved
        await pilot.press("q")
    again = make_app("tiny-perceptron")
    async with again.run_test(size=SIZE) as pilot:
        view = training(again)
        # shown as answered (never asked again): one → moves past it to step 2
        assert view.position == 1 and view.question().finished
        await pilot.press("n")
        assert view.position == 2


async def test_an_ask_answered_wrong_before_leaving_is_asked_again(make_app, store):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "right_square_bracket", "n")
        await pilot.press(*"5", "enter", "q")
    again = make_app("tiny-perceptron")
    async with again.run_test(size=SIZE) as pilot:
        view = training(again)
        assert view.position == 1 and view.question() is not None
        await pilot.press("n")
        assert view.position == 1


async def test_network_start_speaks_of_the_data_and_the_plot_of_hidden_lines(make_app):

    app = make_app("tiny-mlp")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            if type(app.screen.view).__name__ == "TrainingView":
                break
            await pilot.press("right_square_bracket")
        import io

        from rich.console import Console

        console = Console(width=78, file=io.StringIO(), no_color=True)
        console.print(app.screen.query_one(StepPanels).shown("head"))
        assert "data the first step uses" in " ".join(console.file.getvalue().split())
        assert app.screen.query_one(StepPanels).section("plot").title == "Hidden units' lines"


@pytest.mark.parametrize("width", [72, 77, 98])
async def test_menu_lines_measured_at_the_width_they_are_drawn_at(width):
    """Back from a lesson, the menu measured each option before its scrollbar came back: a
    status that wrapped at the narrower width lost its last line at 80×24 in tmux
    ('… 푼 4문제 중 4문제 정답 (전체' and '13문제)' gone). The built-in lessons hit it at these
    widths with no progress at all."""
    app = create_app("ko", (), MemoryStore())
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        options = app.screen.query_one("#lessons", OptionList)
        measured = dict(options._heights)
        options._clear_caches()  # measure again at the width the options are drawn at now
        assert dict(options._heights) == measured


def previews(app) -> list[NextStep]:
    found: list[NextStep] = []
    for content in shown_contents(app):
        if isinstance(content, NextStep):
            found.append(content)
        elif hasattr(content, "renderables"):  # the start panel's Group
            found += [r for r in content.renderables if isinstance(r, NextStep)]
    return found


@pytest.mark.parametrize(
    ("lesson", "keys"),
    [("tiny-perceptron", ("n", "right_square_bracket")), ("tiny-linear", ()), ("tiny-mlp", ())],
)
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_preview_shows_the_learning_rate(make_app, lesson, keys, lang):
    """and-gate asks 'w₀ after the update = ?' before step 2; η = 0.05 was on no line of the
    80×24 screen (only, unnamed, in the last step's table below the fold)."""
    from rich.console import Console

    app = make_app(lesson, lang=lang)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)  # into the training unit
        await pilot.pause()
        shown = previews(app)
        assert shown
        for preview in shown:
            console = Console(width=76, record=True, color_system=None)
            console.print(preview)
            text = console.export_text()
            head = text.splitlines()[0]
            assert f"η = {n.num(preview.record.learning_rate)}" in head, text
            assert cell_len(head.rstrip()) <= 76


async def test_resume_at_a_step_with_several_asks_starts_at_the_first_open_one(store):
    """and-gate asks four questions before step 2: answer two, quit, come back at the third."""
    app = create_app("en", [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        while not isinstance(screen.view, TrainingView):
            await pilot.press("right_square_bracket")
        await pilot.press("n")
        view = training(app)
        lesson = screen.lesson
        for qid in ("first-output", "first-error"):
            panel = view.question()
            assert panel is not None and panel.spec.qid == qid
            await pilot.press(*repr(lesson.expected(lesson.question(qid))), "enter")
            assert panel.state.solved
            await pilot.press("n")
        assert view.question().spec.qid == "first-update-w0"
    again = create_app("en", [], store, start_lesson="and-gate")
    async with again.run_test(size=SIZE) as pilot:
        view = training(again)
        assert view.position == 1
        panel = view.question()
        assert panel is not None and panel.spec.qid == "first-update-w0" and not panel.finished


async def test_entering_a_unit_never_paints_an_empty_body(store):
    """Every frame painted while moving through and-gate's text, quiz and training units shows
    a unit in the body: the new view replaces the old in one frame, once it is mounted."""
    app = create_app("ko", [], store, start_lesson="and-gate")
    frames: list[list[tuple[str, int]]] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        display = app._display

        def spy(painted, renderable) -> None:
            if painted is screen and renderable is not None:
                body = screen.query_one(Body)
                frames.append([(type(c).__name__, c.region.height) for c in body.children if c.display])
            display(painted, renderable)

        app._display = spy
        for _ in range(4):  # text → text → quiz → training → quiz
            await pilot.press("right_square_bracket")
            await pilot.pause()
        await pilot.press("left_square_bracket", "right_square_bracket")  # two in one burst
        await pilot.pause()
    assert len(frames) >= 5
    blank = [f for f in frames if not any(height > 0 for _, height in f)]
    assert not blank, frames
    assert any(name == "TrainingView" for f in frames for name, _ in f)


def screen_lines(app) -> list[str]:
    """The screen as a terminal of the app's size shows it, one string a line."""
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_round_off_step_keeps_the_weight_table_in_view_at_80x24(store, lang):
    """and-gate step 6 (k = 5.55e-17): its explanation and all three weight rows fit."""
    app = create_app(lang, [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        while not isinstance(screen.view, TrainingView):
            await pilot.press("right_square_bracket")
        view = training(app)
        view.passed.update(ask.id for ask in view.unit.asks)  # answered: no ask in the way
        view.jump(6)
        await pilot.pause()
        lines = screen_lines(app)
    assert len(lines) == 24
    assert any("5.551115123125783e-17" in line for line in lines)
    for row in ("w₀ = θ", "w₁ ", "w₂ "):
        assert any(line.strip().startswith(row) and "→" in line for line in lines), (row, lines)


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_lesson_done_head_stays_on_one_line_at_80_columns(store, lang):
    app = create_app(lang, [], store, start_lesson="and-gate")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        for question in screen.lesson.questions():
            screen.record.skip(question.id)
        screen.show_unit(len(screen.lesson.units) - 1)
        await pilot.pause()
        head = screen.query_one("#lesson-head", Static)
        lines = screen_lines(app)
    assert "✓" in str(head.content)
    assert "✓" in lines[0] and "13" in lines[0], lines[:3]
    assert ("메뉴" if lang == "ko" else "menu") in lines[0], lines[:3]  # its end too: not wrapped


async def test_the_highlighted_choice_is_marked_without_colour(make_app, monkeypatch):
    """NO_COLOR (and 256 colours, where the highlight is faint): ↑ ↓ move a › mark too."""
    from tutor.ui.widgets.question import CURSOR_MARK

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # the choice quiz: the first choice is highlighted
        first = [line for line in screen_lines(app) if CURSOR_MARK + "1." in line]
        await pilot.press("down", "down", "down")  # stops at the last choice
        lines = screen_lines(app)
        last = [line for line in lines if CURSOR_MARK + "3." in line]
        marks = [line for line in lines if CURSOR_MARK.strip() in line]
        await pilot.press("enter")  # choice 3: wrong; the mark stays where it was
        await pilot.press("up", "enter")  # choice 2: right, finished: no cursor any more
        done = [line for line in screen_lines(app) if CURSOR_MARK.strip() in line]
    assert len(first) == 1 and len(last) == 1 and len(marks) == 1
    assert done == []


async def test_the_key_bar_offers_only_what_works_once_a_quiz_is_answered(make_app):
    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")  # the choice quiz
        bar = app.screen.query_one(KeyBar)
        before = [key for key, _ in bar.pairs]
        await pilot.press("2")  # right
        after = [key for key, _ in bar.pairs]
        await pilot.press("p", "n")  # back to it: still answered
        again = [key for key, _ in bar.pairs]
    assert {"1-9", "h", "r"} <= set(before)
    assert not {"1-9", "h", "r"} & set(after) and "→ n" in after
    assert again == after


async def test_the_review_key_bar_offers_only_next_once_answered(store, only_fixture_lessons):
    from tests.ui.conftest import FIXTURES

    store.record_attempt("tiny-perceptron", "q-choice", "1", False, 0, False)
    app = create_app("en", [FIXTURES], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        bar = app.screen.query_one(KeyBar)
        before = [key for key, _ in bar.pairs]
        await pilot.press("2")
        after = [key for key, _ in bar.pairs]
    assert {"1-9", "h", "r"} <= set(before)
    assert not {"1-9", "h", "r"} & set(after) and "→ n" in after


async def test_a_skipped_question_says_so_when_met_again(make_app, store):
    from tutor.ui.widgets.question import SKIPPED_MARK

    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n")  # the choice quiz, skipped on purpose
        screen = app.screen
        assert screen.unit_index == 2
        await pilot.press("p")
        feedback = str(screen.view.question()._feedback.content)
        await pilot.press("n")  # one n goes on past it again
        index = screen.unit_index
    assert feedback.startswith(SKIPPED_MARK + " skipped") and index == 2
    again = make_app("tiny-perceptron", lang="ko")
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        lines = screen_lines(again)
    assert any(SKIPPED_MARK + " 건너뜀" in line for line in lines)


async def test_switching_language_in_help_shows_no_toast_over_it(make_app):
    from tutor.ui.dialogs.help import HelpScreen

    app = make_app("tiny-perceptron")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")  # on the lesson: the toast says so
        on_lesson = len(app._notifications)
        app.clear_notifications()
        await pilot.press("question_mark", "L")
        assert isinstance(app.screen, HelpScreen) and app.lang == "en"
        in_help = len(app._notifications)
        lines = screen_lines(app)
    assert on_lesson == 1 and in_help == 0
    assert any("esc" in line.lower() for line in lines[-4:])  # the help's footer shows


OPERATORS = "=<>≠≤≥×+−←→·"


@pytest.mark.parametrize("width", [79, 80, 120])  # 80 columns with and without a scrollbar
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_lesson_prose_never_breaks_a_line_inside_an_expression(lang, width):
    """Every text unit of every built-in lesson, wrapped as the lesson body wraps it: no line
    ends with an operator or starts with one ("k >⏎0이면", "θ⏎= w₀")."""
    from pathlib import Path

    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll

    from tutor.lessons import TextUnit, load_lesson
    from tutor.ui.widgets.markdown import EXPRESSION_SPACE, LessonMarkdown

    class Prose(App[None]):
        CSS = """
        VerticalScroll { padding: 0 1; scrollbar-size-vertical: 1; }
        LessonMarkdown { margin: 0; padding: 0; max-width: 100; }
        """

        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield LessonMarkdown("")

    lessons = [load_lesson(p) for p in sorted(Path("lessons").glob("*.yaml"))]
    ends = re.compile(rf"(?:^|\s)[{OPERATORS}]$")
    starts = re.compile(rf"^[{OPERATORS.replace('→', '')}](?:\s|$)")  # "→ [..]" lists may
    broken: list[tuple[str, str, str]] = []
    texts = 0
    app = Prose()
    async with app.run_test(size=(width, 200)) as pilot:
        markdown = app.query_one(LessonMarkdown)
        for lesson in lessons:
            for unit in lesson.units:
                if not isinstance(unit, TextUnit):
                    continue
                texts += 1
                await markdown.update(lesson.render(unit.body, lang))
                await pilot.pause()
                for line in screen_lines(app):
                    line = line.replace(EXPRESSION_SPACE, " ").strip()
                    if ends.search(line) or starts.search(line):
                        broken.append((lesson.id, unit.id, line))
    assert texts > 20
    assert broken == []
