"""The app's screens with a hostile lesson: markup and escapes show as written, nothing crashes.

The lesson puts Rich/Textual markup (an action link `[@click=app.quit]`, `[bold red]`, a lone
`[/]`), escape sequences, raw HTML and a link to a local file into every text it has, plus a
plot over −1e308 … 1e308. The menu, the lesson screen (every unit), the quiz, the reset
notification and a store warning whose path holds `[/]` are walked with the Pilot.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Markdown, OptionList, Static
from textual.widgets._toast import Toast

from tutor.progress import MemoryStore, open_store
from tutor.ui.app import create_app
from tutor.ui.dialogs.confirm import ConfirmScreen
from tutor.ui.screens.lesson import LessonScreen

SIZE = (100, 30)
ACTION = "[@click=app.quit]quit[/]"
RED = "[bold red]red[/]"
LINK = "[link=file:///etc/passwd]click[/link]"

HOSTILE = f"""\
format: 1
id: hostile
title: "{ACTION} {RED} [/] T \\e]0;pwned\\a"
description: "{LINK} [/]"
units:
  - text: "# {RED}\\n\\n<b>html</b> [local](file:///etc/passwd) <http://example.com> [web](https://example.com) {ACTION} \\e[2K"
  - training:
      id: t
      title: "{RED} [/]"
      model: perceptron
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 0, 0, 1]
      bias_input: -1
      weights: [0.3, 0.4, 0.1]
      learning_rate: 0.05
      epochs: 2
  - quiz:
      id: q
      kind: choice
      question: "{RED} [/]?"
      choices: ["{ACTION}", "[/] \\x9b2J"]
      answer: 1
      hints: ["{RED}"]
      explain: "{LINK}"
  - plot:
      functions: [sigmoid, relu, linear]
      from: -1.0e+308
      to: 1.0e+308
      caption: "{RED}"
"""


def write_lesson(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def plain(widget: Static) -> str:
    """What a Static shows, as plain text (its Rich renderable drawn, or its Textual content)."""
    from textual.content import Content

    shown = widget.content
    if isinstance(shown, str | Content):
        return str(shown)
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(shown)
    return console.export_text()


def toasts(app) -> list[str]:
    """The text each notification toast on screen renders (plain: markup would be gone)."""
    return [str(t.render()) for t in app.screen.query(Toast)]


async def test_menu_and_reset_notification_show_markup_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "lessons"
    write_lesson(folder)
    store = MemoryStore()
    store.save_position("hostile", "t", 1)
    app = create_app("en", [folder], store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        options = app.screen.query_one("#lessons", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        index = ids.index("hostile")
        prompt = options.get_option_at_index(index).prompt
        console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
        console.print(prompt)
        shown = console.export_text()
        assert ACTION in shown and RED in shown and LINK in shown and "T ]0;pwned" in shown
        assert "\x1b" not in shown
        options.highlighted = index
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmScreen)
        question = plain(app.screen.query_one("#confirm-question", Static))
        assert ACTION in question
        await pilot.press("y")
        await pilot.pause(0.2)
        assert app.is_running and store.position("hostile") is None
        shown_toasts = toasts(app)
        assert any(ACTION in t and RED in t for t in shown_toasts), shown_toasts
        for toast in app.screen.query(Toast):  # a click on the notification opens no action
            await pilot.click(toast)
        await pilot.pause()
        assert app.is_running


async def test_every_unit_of_a_hostile_lesson_shows_its_text_as_written(tmp_path: Path) -> None:
    path = write_lesson(tmp_path / "lessons")
    app = create_app("en", [], MemoryStore(), start_lesson=str(path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        head = plain(screen.query_one("#lesson-head", Static))
        assert ACTION in head and "[/]" in head
        md = screen.query_one(Markdown)
        blocks = [block.render() for block in md.query("*")]
        rendered = " ".join(str(b) for b in blocks)
        assert "<b>html</b>" in rendered  # raw HTML is shown as written, not dropped or obeyed
        assert "[local](file:///etc/passwd)" in rendered and "<http://example.com>" in rendered
        assert "[web](https://example.com)" in rendered  # no link: the characters as written
        assert ACTION in rendered and RED in rendered
        for block in blocks:  # nothing clickable: no @click or link in any span
            for span in getattr(block, "spans", []):
                style = str(span.style)
                assert "@click" not in style and "link" not in style, style
        for _ in range(6):  # the training: steps, the plot of the decision line
            await pilot.press("n")
        await pilot.press("G")
        await pilot.press("right_square_bracket")  # the quiz
        await pilot.pause()
        texts = " ".join(plain(w) for w in app.screen.query(Static) if w.display)
        assert "[/] 2J" in texts or "[/]" in texts
        await pilot.press("1", "enter")
        await pilot.press("right_square_bracket")  # the plot over −1e308 … 1e308
        await pilot.pause()
        assert app.is_running
        await pilot.press("right_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.is_running


async def test_a_store_warning_with_markup_in_its_path_starts_the_app(
    tmp_path: Path, monkeypatch
) -> None:
    data = tmp_path / "[/]" / "[bold]data"
    db = data / "perceptron-tutor" / "progress.db"
    db.parent.mkdir(parents=True)
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE other (x)")
    conn.commit()
    conn.close()
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    store = open_store()
    assert store.warning and "[/]" in store.warning
    app = create_app("en", [], store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.2)
        assert app.is_running
        assert any("[/]" in t and "[bold]data" in t for t in toasts(app)), toasts(app)
    store.close()


DIVERGING = """\
format: 1
id: diverging
title: "Diverging"
units:
  - training:
      id: t
      model: {model}
      inputs: [[1.0e+300, 0], [0, -1.0e+300], [1, 1], [0, 0]]
      targets: [1, 0, 0, 1]
      learning_rate: 1.0e+300
      epochs: 3
{extra}
"""


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's overflow notes: the point here
async def test_a_diverging_run_draws_infinity_and_nan_without_a_crash(tmp_path: Path) -> None:
    for model, extra in (("linear", "      dtype: float64\n      seed: 1"),
                         ("perceptron", "      seed: 1"),
                         # linear units: a saturated sigmoid's slope is exactly 0 (as it
                         # should be), so sigmoid units never diverge; linear ones overflow
                         ("mlp", "      hidden: [2]\n      seed: 1\n      activation: linear"
                                 "\n      output_activation: linear")):
        path = tmp_path / f"{model}.yaml"
        path.write_text(DIVERGING.format(model=model, extra=extra), encoding="utf-8")
        app = create_app("en", [], MemoryStore(), start_lesson=str(path))
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(4):
                await pilot.press("n")
            await pilot.press("G")
            await pilot.pause()
            assert app.is_running, model
            shown = " ".join(plain(w) for w in app.screen.query(Static) if w.display)
            if model != "perceptron":
                assert "∞" in shown or "NaN" in shown, (model, shown[:2000])
                assert "the run has diverged and stops here" in shown, (model, shown[:2000])


OR_AT_0_7 = """\
format: 1
id: or-07
title: "OR at 0.7"
units:
  - training:
      id: t
      model: linear
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 1]
      weights: [0.36941334, -0.81861128]
      learning_rate: 0.7
      epochs: 2000
"""


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_notes_or_gate_at_eta_0_7_stops_at_its_diverging_step(
    tmp_path: Path, lang: str
) -> None:
    from tutor.i18n import t
    from tutor.ui.widgets.units import TrainingView

    path = tmp_path / "or-07.yaml"
    path.write_text(OR_AT_0_7, encoding="utf-8")
    store = MemoryStore()
    store.save_position("or-07", "t", 1500)  # saved past the end: resumes at the last step
    app = create_app(lang, [], store, start_lesson=str(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("G")
        await pilot.pause()
        view = app.screen.query_one(TrainingView)
        run = view.run
        assert run.divergence is not None and run.divergence.what == "loss"
        assert view.position == run.total_steps == run.divergence.step + 1 < 2000
        shown = " ".join(plain(w) for w in app.screen.query(Static) if w.display)
        assert t("ui.training.diverged", lang) in shown
        assert t("render.header.diverged", lang) in shown
        await pilot.press("n")  # past the end: the next unit (none), no step 213
        await pilot.pause()
        assert app.is_running


async def test_the_app_opens_and_gate_and_its_menu_with_the_whole_corpus_in_the_user_folder(
    tmp_path: Path, monkeypatch
) -> None:
    """`perceptron-tutor and-gate` with every hostile file in the user lessons folder."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from hostile.corpus import LESSONS, as_bytes

    data = tmp_path / "data"
    folder = data / "perceptron-tutor" / "lessons"
    folder.mkdir(parents=True)
    for name, content in LESSONS.items():
        body = as_bytes(content).replace(b"id: hostile", f"id: h-{len(name)}".encode())
        (folder / f"{name}.yaml").write_bytes(body)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    app = create_app("en", [], MemoryStore(), start_lesson="and-gate")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "and-gate"
        await pilot.press("n", "n", "q")
        await pilot.pause()
        assert app.is_running is False or not isinstance(app.screen, LessonScreen)
    app = create_app("ko", [], MemoryStore())
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        ids = {lesson.id for lesson in app.lessons}
        assert {"and-gate", "xor"} <= ids
        assert len(app.problems) >= 40  # every broken file is a problem, none stopped the others
        problems = plain(app.screen.query_one("#menu-problems", Static))
        assert problems.strip()


AT_LIMIT = """\
format: 1
id: at-limit
title: "At the limit"
units:
  - training:
      id: t
      model: linear
      inputs: [[0, 0], [1, 0], [0, 1], [1, 1]]
      targets: [0, 1, 1, 1]
      weights: [0.1, 0.2]
      learning_rate: 0.01
      batch_size: 1
      epochs: 250000
"""


async def _wait_for_workers(app) -> None:
    for worker in list(app.workers):
        await worker.wait()


async def test_a_long_run_computes_in_a_worker_with_progress_and_q_stops_it(
    tmp_path: Path,
) -> None:
    """G on a run of 10^6 linear updates (seconds of work): the title shows how far it is,
    keys stay live, q leaves the lesson at once and the worker stops without a trace."""
    from tutor.ui.widgets.units import TrainingView

    path = tmp_path / "at-limit.yaml"
    path.write_text(AT_LIMIT, encoding="utf-8")
    store = MemoryStore()
    app = create_app("en", [], store, start_lesson=str(path))
    async with app.run_test(size=SIZE) as pilot:
        view = app.screen.query_one(TrainingView)
        await pilot.press("G")
        await pilot.pause(0.3)
        assert view.computing is not None, "a long run is computed in a worker"
        title = plain(view.query_one("#training-title", Static))
        assert "computing:" in title and "of 1,000,000 steps" in title, title
        assert view.position == 0
        computed = view.run.computed
        assert 0 < computed < 1_000_000
        await pilot.press("n", "g")  # moves wait for the worker: no second computation
        assert view.position == 0 and view.computing is not None
        await pilot.press("q")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, LessonScreen)
        await _wait_for_workers(app)
        stopped_at = view.run.computed
        await pilot.pause(0.2)
        assert view.run.computed == stopped_at < 1_000_000  # it stopped, nothing goes on
        assert app.is_running
        assert store.position("at-limit") is None or store.position("at-limit").step == 0


async def test_a_worker_that_finishes_moves_to_its_target(tmp_path: Path) -> None:
    from tutor.ui.widgets import units
    from tutor.ui.widgets.units import TrainingView

    path = tmp_path / "at-limit.yaml"
    path.write_text(AT_LIMIT.replace("epochs: 250000", "epochs: 5000"), encoding="utf-8")
    app = create_app("ko", [], MemoryStore(), start_lesson=str(path))
    units_at_once = units.AT_ONCE_SECONDS
    units.AT_ONCE_SECONDS = 0.0  # every computation goes to the worker
    try:
        async with app.run_test(size=SIZE) as pilot:
            view = app.screen.query_one(TrainingView)
            await pilot.press("G")
            await pilot.pause(0.05)
            await _wait_for_workers(app)
            await pilot.pause(0.1)
            assert view.computing is None
            assert view.position == view.run.total_steps == 20_000
            title = plain(view.query_one("#training-title", Static))
            assert "20000" in title.replace(",", "") and "계산 중" not in title, title
    finally:
        units.AT_ONCE_SECONDS = units_at_once


async def test_a_title_of_twenty_thousand_characters_keeps_the_steps_on_screen(tmp_path: Path) -> None:
    """The longest title the format takes (limits.MAX_TEXT_CHARS), Korean: the lesson's head and
    the training's title line stay short, and the step panels start on the first screen."""
    from rich.cells import cell_len

    from tutor import limits
    from tutor.ui.widgets.title import UNIT_TITLE_CELLS

    long = ("아주 긴 제목 " * limits.MAX_TEXT_CHARS)[: limits.MAX_TEXT_CHARS]
    training = HOSTILE.split("  - training:\n", 1)[1].split("  - quiz:", 1)[0]
    training = training.replace('title: "[bold red]red[/] [/]"', f'title: "{long}"')
    path = tmp_path / "long.yaml"
    path.write_text(f'format: 1\nid: long\ntitle: "{long}"\nunits:\n  - training:\n{training}',
                    encoding="utf-8")
    app = create_app("ko", [], MemoryStore(), start_lesson=str(path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
        screen = app.screen
        assert isinstance(screen, LessonScreen), screen
        title = screen.query_one("#training-title")
        assert len(title.render_line(0).text.strip()) > 0
        assert title.region.height <= 2, title.region
        assert screen.query_one("#lesson-head").region.height <= 2
        panels = screen.query_one("#step-left")
        assert panels.region.y < 24 - 2 and panels.region.height > 0  # above the key bar
        shown = " ".join(title.render_line(y).text.strip() for y in range(title.region.height))
        cut = shown.index("…")  # the title, cut; then where the run is, in full
        assert cell_len(shown[:cut]) <= UNIT_TITLE_CELLS and shown.startswith("아주 긴 제목")
        assert "8단계 중 0단계 진행" in shown[cut:], shown
