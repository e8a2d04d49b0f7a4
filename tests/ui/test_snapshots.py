"""SVG snapshots at 80×24 and 120×40, in English and Korean.

Update with `pytest tests/ui/test_snapshots.py --snapshot-update`, then look at every changed SVG
before committing it. The built-in and-gate lesson provides the textbook run; the menu uses only the
fixture lessons so that editing a built-in lesson does not change it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.i18n import t
from tutor.ui.app import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "lessons"

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
LANGS = ["en", "ko"]

pytestmark = [pytest.mark.parametrize("size", SIZES), pytest.mark.parametrize("lang", LANGS)]


def and_gate_at(store, step: int, lang: str):
    """The and-gate lesson opened in its training unit with `step` steps revealed."""
    store.save_position("and-gate", "and-rule", step)
    return create_app(lang, [], store, start_lesson="and-gate")


def and_gate_unit(store, unit_id: str, lang: str):
    store.save_position("and-gate", unit_id, 0)
    return create_app(lang, [], store, start_lesson="and-gate")


def test_menu(snap_compare, size, lang, store, only_fixture_lessons):
    store.save_position("tiny-perceptron", "and-mini", 3)
    store.mark_done("tiny-mlp")
    store.saving = True  # the usual menu; the not-saving line has its own test
    app = create_app(lang, [FIXTURES], store)
    assert snap_compare(app, terminal_size=size)


def test_step_without_update(snap_compare, size, lang, store):
    # step 3: x = (0, 1), k = −0.25 → y = 0 = t, nothing changes
    assert snap_compare(and_gate_at(store, 3, lang), terminal_size=size)


def test_step_with_update(snap_compare, size, lang, store):
    # step 2: x = (1, 0), k = 0.1 → y = 1 but t = 0: every weight of an active input moves
    assert snap_compare(and_gate_at(store, 2, lang), terminal_size=size)


def test_roundoff_step(snap_compare, size, lang, store):
    # step 6: k = −0.35 + 0.35000000000000003 = 5.55e-17 > 0, so y = 1: round-off decides
    assert snap_compare(and_gate_at(store, 6, lang), terminal_size=size)


def test_quiz_right(snap_compare, size, lang, store):
    app = and_gate_unit(store, "q-rule-direction", lang)
    assert snap_compare(app, terminal_size=size, press=["1"])


def test_quiz_wrong(snap_compare, size, lang, store):
    app = and_gate_unit(store, "q-rule-direction", lang)
    assert snap_compare(app, terminal_size=size, press=["2"])


def test_help(snap_compare, size, lang, store):
    assert snap_compare(and_gate_at(store, 1, lang), terminal_size=size, press=["question_mark"])


def lesson_at(store, lesson: str, unit_id: str, step: int, lang: str):
    """A built-in lesson opened in training unit `unit_id` with `step` steps revealed."""
    store.save_position(lesson, unit_id, step)
    return create_app(lang, [], store, start_lesson=lesson)


def test_predict_question(snap_compare, size, lang, store):
    # before step 6 of and-gate: the question with the sample and the weights it is about
    assert snap_compare(and_gate_at(store, 5, lang), terminal_size=size)


def test_linear_step(snap_compare, size, lang, store):
    # keras-linear, step 2 of the AND run: every prediction, error, gradient and weight
    assert snap_compare(lesson_at(store, "keras-linear", "and-keras", 2, lang), terminal_size=size)


def test_network_step(snap_compare, size, lang, store):
    # activations' five sigmoid hidden layers: every forward value and δ per sample, no "…"
    app = lesson_at(store, "activations", "deep-sigmoid", 1, lang)
    assert snap_compare(app, terminal_size=size, press=["pagedown"])


def test_playground(snap_compare, size, lang):
    """The playground on the AND preset after two steps: the data with the region, the run."""
    from tutor.playground.presets import preset_setup

    app = create_app(lang, [], None, start_playground=preset_setup("and"))
    assert snap_compare(app, terminal_size=size, press=["right", "right"])


def test_playground_settings(snap_compare, size, lang):
    """The playground's settings mode on XOR, switched to a network, with A/B on."""
    from tutor.playground.presets import preset_setup

    app = create_app(lang, [], None, start_playground=preset_setup("xor"))
    assert snap_compare(app, terminal_size=size,
                        press=["b", "tab", "tab", "right", "right", "down"])


def test_contents(snap_compare, size, lang, store):
    # and-gate in its training at step 3: the first quiz answered, every unit with its marks
    store.record_attempt("and-gate", "q-rule-direction", "1", True, 0, False)
    assert snap_compare(and_gate_at(store, 3, lang), terminal_size=size, press=["c"])


def test_glossary(snap_compare, size, lang, store):
    # opened from a lesson, searched by typing: the term first, then those that mention it
    query = "역전파" if lang == "ko" else "backprop"
    assert snap_compare(and_gate_at(store, 1, lang), terminal_size=size, press=["w", *query])


def test_exam_score(snap_compare, size, lang, store):
    # the exam's end: a wrong first answer, a revealed solution and a skip, the rest right
    from tutor import exam
    from tutor.lessons import find_lesson

    lesson = find_lesson("exam-review", ())
    store.save_exam_seed("exam-review", 12345)

    def shown(question) -> int:
        order = exam.choice_order(12345, question.id, len(question.choices))
        return exam.shown_answer(order, int(question.answer))

    *before, last = lesson.questions()
    for question in before:
        if question.id == "q-bias":
            store.record_attempt("exam-review", question.id, str(shown(question) % 4 + 1), False,
                                 1, False)
        elif question.id == "q-x0":
            store.record_attempt("exam-review", question.id, "", False, 2, True)
        elif question.id == "q-xor-fix":
            store.record_skip("exam-review", question.id)
        else:
            store.record_attempt("exam-review", question.id, str(shown(question)), True, 0, False)
    store.save_position("exam-review", last.id, 0)
    app = create_app(lang, [], store, start_lesson="exam-review")
    assert snap_compare(app, terminal_size=size, press=[str(shown(last)), "n"])


def test_loss_curve_step(snap_compare, size, lang, store):
    # gradient-descent, η = 1.1, after step 3: w zigzags across the bottom at 2 (0 → 4.4 → −0.88
    # → 5.06) and climbs the parabola; the slope and the way down are said under the chart
    assert snap_compare(lesson_at(store, "gradient-descent", "gd-large", 3, lang),
                        terminal_size=size)


def test_backprop_hidden_delta(snap_compare, size, lang, store):
    # the backprop lesson after update 1, `b`, then stage 5 of 9: each hidden δ as
    # (Σ δ·w) · f′(z) with every number of the worked example filled in
    app = lesson_at(store, "backprop", "classic", 1, lang)
    assert snap_compare(app, terminal_size=size, press=["b", "n", "n", "n", "n"])


def test_backprop_update(snap_compare, size, lang, store):
    # stage 8 of 9: each output-layer weight before → after with ▲/▼, the fixed biases
    app = lesson_at(store, "backprop", "classic", 1, lang)
    assert snap_compare(app, terminal_size=size, press=["b", *["n"] * 7])


def test_broken_edit_under_watch(snap_compare, size, lang, store, tmp_path, monkeypatch):
    """A saved edit that does not load: its problems over the last good version (--watch, R)."""
    from tutor.lessons.scaffold import write_skeleton

    monkeypatch.chdir(tmp_path)  # problems name the file as `demo.yaml`
    path = write_skeleton("demo", tmp_path, "perceptron")
    # on the text unit: a training's plot redraws once more after the problems panel comes up,
    # sooner or later depending on the machine (a race left for issue 11's next pass), so the
    # snapshot shows the panel over a unit that draws once
    store.save_position("demo", "intro", 0)
    app = create_app(lang, [], store, start_lesson=str(path), watch=True)
    good = path.read_text(encoding="utf-8")

    async def break_it(pilot) -> None:
        path.write_text(good.replace("learning_rate: 0.05", "learning_rate: fast")
                        .replace("epochs: 3", "epochs: 0"), encoding="utf-8")
        await pilot.press("R")
        for _ in range(100):
            await pilot.pause(0.05)
            if app.screen.query_one("#reload-problems").has_class("-shown"):
                break
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=break_it)


def test_login(snap_compare, size, lang, store, tmp_path):
    """A served session's first screen: a name typed, a PIN too short, its message."""
    app = create_app(lang, [], store, classroom_dir=tmp_path / "class")

    async def type_a_short_pin(pilot):
        await pilot.press(*("김철수" if lang == "ko" else "Kim"), "enter", "1", "2", "enter")
        for _ in range(100):
            await pilot.pause(0.05)
            if str(app.screen.message.render()) not in ("", t("serve.login.checking", lang)):
                break

    assert snap_compare(app, terminal_size=size, run_before=type_a_short_pin)
