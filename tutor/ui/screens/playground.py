"""The playground screen: the learner's data on a grid, the settings, and the walkthrough's own
panels for the run they make; a second run (B) beside it to compare; save it as a lesson.

Three modes, switched with Tab: **run** (the walkthrough's keys: → ← space e G g), **data** (the
arrows move a cursor over the grid; 1 / 0 put a sample of that target there, x removes it, f
flips it) and **settings** (↑ ↓ choose a field; Enter types a new value, ← → step through a
field's choices). A change that the lesson loader refuses is not made: its message is shown, the
run stays as it was. Every run comes from the engine (`tutor.engine.run.Run`); this screen only
turns records into renderables.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Static

from tutor.engine.run import Run
from tutor.i18n import t
from tutor.lessons.definitions import ACTIVATIONS, MODELS
from tutor.playground.setup import BIAS_MODES, SETTINGS, Setup, SetupError, parse_value
from tutor.render.playground import Comparison, DataPlot, SettingsView, last_value
from tutor.ui.heap import SettlesHeap
from tutor.ui.screens.playground_save import SaveAsLesson
from tutor.ui.widgets.keybar import KeyBar, Keys
from tutor.ui.widgets.sized import Panel, Sized
from tutor.ui.widgets.steps import StepPanels
from tutor.ui.widgets.units import SPEEDS

if TYPE_CHECKING:
    from tutor.engine.records import StepRecord

MODES = ("run", "data", "settings")
PLAY_SPEED = 4
"""Where playing starts in the walkthrough's SPEEDS (0.1 s a step); + and − move along them."""
CHOICES: dict[str, tuple[object, ...]] = {
    "model": MODELS,
    "activation": ACTIVATIONS,
    "bias_mode": BIAS_MODES,
    "step_at_zero": (0, 1),
}
B_ETA = "b_learning_rate"
"""The settings row of run B's learning rate (shown while A/B is on)."""
B_FACTOR = 10.0
"""Run B starts with A's setting and η × 10 (the learning-rate lesson's 0.05 against 0.5)."""


class PlaygroundScreen(SettlesHeap, SaveAsLesson):
    KEYS_RUN: ClassVar[dict[str, str]] = {
        "right": "next", "n": "next", "left": "previous", "p": "previous",
        "space": "play", "plus": "speed(1)", "equals_sign": "speed(1)", "minus": "speed(-1)",
        "e": "epoch_end", "G": "run_end", "end": "run_end",
        "g": "restart", "home": "restart", "b": "compare", "s": "save",
    }
    KEYS_DATA: ClassVar[dict[str, str]] = {
        "up": "cursor(0,1)", "down": "cursor(0,-1)", "left": "cursor(-1,0)",
        "right": "cursor(1,0)", "1": "put(1)", "0": "put(0)", "x": "remove",
        "delete": "remove", "f": "flip", "space": "flip",
    }
    KEYS_SETTINGS: ClassVar[dict[str, str]] = {
        "up": "select(-1)", "down": "select(1)", "enter": "edit", "left": "cycle(-1)",
        "right": "cycle(1)",
    }
    KEYS_ALL: ClassVar[dict[str, str]] = {
        "tab": "mode(1)", "shift+tab": "mode(-1)", "q": "back", "escape": "back",
        "L": "app.switch_language", "question_mark": "app.help",
    }

    def __init__(self, setup: Setup, *, quit_on_back: bool = False) -> None:
        super().__init__()
        self.quit_on_back = quit_on_back
        self.setup = setup
        self.setup_b: Setup | None = None
        self.mode = "run"
        self.cursor = (setup.data.grid.size // 2, setup.data.grid.size // 2)
        self.selected = 0
        self.problems: list[str] = []
        self.message: str | None = None
        self.position = 0
        self.run = Run(setup.config())
        self.run_b: Run | None = None
        self._timer: Timer | None = None
        self.speed = PLAY_SPEED  # index into SPEEDS
        self._head = Static(id="play-head")
        self._data = Sized(id="play-data", classes="panel")
        self._settings = Panel(id="play-settings", classes="panel")
        self._right = Vertical(id="play-right")
        self._panels = StepPanels(self.run, 0, self.lang_now, id="panels")
        self._compare = Panel(id="play-compare", classes="panel")
        self._status = Static(id="play-status")
        self._keys = KeyBar(id="keybar")

    @property
    def lang_now(self) -> str:
        return self.app.lang if self.is_attached else "en"  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- compose and show

    def compose(self) -> ComposeResult:
        yield self._head
        with VerticalScroll(id="play-body"), Vertical(id="play-main"):
            with Vertical(id="play-left"):
                yield self._data
                yield self._settings
            with self._right:
                yield self._status
                yield self._compare
                yield self._panels
        yield self._keys

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda _lang: self._show_all(), init=False)
        self._show_all()

    def _show_all(self) -> None:
        lang = self.lang
        self._show_head()
        self._data.border_title = t("play.panel.data", lang)
        self._settings.border_title = t("play.panel.settings", lang)
        self._compare.border_title = t("play.panel.compare", lang)
        self._show_data()
        self._show_settings()
        self._panels.show(self.position, lang)
        self._show_compare()
        self._show_status()
        self._show_keys()

    def _show_head(self) -> None:
        s, lang = self.setup, self.lang
        head = Text(t("play.title", lang), style="bold")
        head.append(f"  {s.preset} · {t('play.model.' + s.model, lang)} · η = {s.shown('learning_rate')}")
        head.append("  [" + t(f"play.mode.{self.mode}", lang) + "]", style="bold")
        self._head.update(head)

    def _record(self) -> StepRecord:
        return self.run.record(max(0, self.position - 1))

    def _show_data(self) -> None:
        setup, rec, lang = self.setup, self._record(), self.lang
        cursor = self.cursor if self.mode == "data" else None
        before = self.position == 0
        config = self.run.config

        def factory(width: int, height: int) -> DataPlot:
            return DataPlot(setup.data, config, rec, cursor, lang, width, height, before=before)

        self._data.set_factory(factory, (id(self.run), self.position, cursor, lang))

    def _setting_rows(self) -> list[tuple[str, str]]:
        rows = []
        for name in self._visible_settings():
            if name == B_ETA and self.setup_b is not None:
                value = self.setup_b.shown("learning_rate")
            else:
                value = self.setup.shown(name)
            if name in ("model", "bias_mode", "activation"):
                # the learner's word, then the format's (as `--model mlp` takes it) when it differs
                said = t(f"play.{name}.{value}", self.lang)
                value = said if said == value else f"{said} ({value})"
            rows.append((t(f"play.field.{name}", self.lang), value))
        return rows

    def _visible_settings(self) -> list[str]:
        names = [s.name for s in SETTINGS if self.setup.applies(s.name)]
        return [*names, B_ETA] if self.setup_b is not None else names

    def on_resize(self) -> None:
        self._settings.display = self._settings_shown()

    def _settings_shown(self) -> bool:
        """From 120 columns the settings sit under the plot; narrower, only in settings mode
        (so that at 80×24 the run's panels follow the plot)."""
        return self.mode == "settings" or self.app.size.width >= 120

    def _show_settings(self) -> None:
        self._settings.display = self._settings_shown()
        self.selected = min(self.selected, len(self._visible_settings()) - 1)
        self._settings.update(SettingsView(self._setting_rows(), self.selected,
                                           self.mode == "settings", self.problems, self.lang))
        self._settings_in_view()

    def _settings_in_view(self) -> None:
        """At 80×24 the settings panel follows a 12-row plot: its last rows and a refused value's
        ✗ line fell below the fold, so a bad value looked like a key that did nothing."""
        if self.mode == "settings" and self._settings.display and self.is_current:
            # after the refresh that lays the panel out at its new height (one more for a ✗ line)
            self.call_after_refresh(self.call_after_refresh, self._settings.scroll_visible,
                                    animate=False)

    def on_screen_resume(self) -> None:
        # a value typed in the prompt is judged while the prompt is still on top
        self._settings_in_view()

    def _show_compare(self) -> None:
        run_b, setup_b = self.run_b, self.setup_b
        self._compare.display = run_b is not None
        if run_b is None or setup_b is None:
            return
        epochs = self.position // self.run.steps_per_epoch
        done_a = self.run.epochs_done()[:epochs] if epochs else ()
        stop_b = min(epochs, setup_b.epochs if isinstance(setup_b.epochs, int) else 0)
        if stop_b:
            run_b.record(min(run_b.total_steps, stop_b * run_b.steps_per_epoch) - 1)
        done_b = run_b.epochs_done()[:stop_b] if stop_b else ()
        lang = self.lang
        self._compare.update(Comparison(
            f"A · η = {self.setup.shown('learning_rate')}", done_a, self.run.config.epochs,
            f"B · η = {setup_b.shown('learning_rate')}", done_b, run_b.config.epochs, lang))

    def _show_status(self) -> None:
        lang = self.lang
        epochs = self.position // self.run.steps_per_epoch
        done = self.run.epochs_done()[:epochs] if epochs else ()
        line = Text(t("play.status.step", lang, i=self.position, n=self.run.planned_steps,
                      e=epochs, m=self.run.config.epochs))
        value = last_value(done)
        if value is not None:
            key = "play.status.errors" if self.run.config.model == "perceptron" else "play.status.loss"
            line.append("  " + t(key, lang, v=f"{value:.4g}"))
        if self.playing:
            line.append("  ▶ " + t("play.status.playing", lang,
                                   n=f"{1 / SPEEDS[self.speed]:g}"))
        if self.message:
            line.append("\n" + self.message, style="bold")
        self._status.update(line)

    def _show_keys(self) -> None:
        keys: Keys
        if self.mode == "run":
            keys = (("→ ←", "play.key.step"), ("space", "play.key.play"), ("+ -", "play.key.speed"),
                    ("e", "play.key.epoch"),
                    ("G", "play.key.end"), ("g", "play.key.restart"), ("b", "play.key.compare"),
                    ("s", "play.key.save"), ("Tab", "play.key.mode"), ("q", "play.key.back"))
        elif self.mode == "data":
            keys = (("↑↓←→", "play.key.cursor"), ("1 0", "play.key.put"),
                    ("x", "play.key.remove"), ("f", "play.key.flip"), ("Tab", "play.key.mode"),
                    ("q", "play.key.back"))
        else:
            keys = (("↑↓", "play.key.select"), ("Enter", "play.key.edit"),
                    ("← →", "play.key.cycle"), ("Tab", "play.key.mode"), ("q", "play.key.back"))
        self._keys.show_keys(keys, self.lang)

    # ---------------------------------------------------------------- keys

    async def on_key(self, event: events.Key) -> None:
        """Every key, in order: the mode's own keys, then those of every mode."""
        if self.app.screen is not self:
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        table = {"run": self.KEYS_RUN, "data": self.KEYS_DATA,
                 "settings": self.KEYS_SETTINGS}[self.mode]
        action = table.get(event.key) or self.KEYS_ALL.get(event.key)
        if action is None:
            return
        event.stop()
        await self.run_action(action)

    def action_mode(self, delta: int) -> None:
        self.mode = MODES[(MODES.index(self.mode) + delta) % len(MODES)]
        if self.mode != "run":
            self._pause()
        self.message = None
        for panel in (self._data, self._settings):  # the cursor line comes and goes with the mode
            panel.forget_height()
        self._show_all()
        if self.mode == "settings":
            self.call_after_refresh(self._bring_settings_into_view)

    def _bring_settings_into_view(self) -> None:
        if self._settings.is_attached:
            self.query_one("#play-body", VerticalScroll).scroll_to_widget(
                self._settings, animate=False)

    def action_back(self) -> None:
        if self.app.screen is not self:
            return
        if self.mode != "run":
            self.action_mode(-MODES.index(self.mode))
            return
        self._pause()
        if self.quit_on_back or len(self.app.screen_stack) < 2:
            self.app.exit()
        else:
            self.app.pop_screen()

    # -- run mode

    @property
    def playing(self) -> bool:
        return self._timer is not None

    def _go(self, position: int) -> None:
        """Show `position` (clamped). A run that diverges ends with the step whose numbers are ∞
        or NaN (the engine stops there): reaching it pauses and says why."""
        position = self.run.reach(position)
        self.message = None
        divergence = self.run.divergence
        if divergence is not None and position == self.run.total_steps:
            self._pause()
            self.message = t("play.diverged", self.lang, step=position,
                             eta=self.setup.shown("learning_rate"))
        self.position = position
        self._panels.show(position, self.lang)
        self._show_data()
        self._show_compare()
        self._show_status()

    def action_next(self) -> None:
        self._go(self.position + 1)

    def action_previous(self) -> None:
        self._pause()
        self._go(self.position - 1)

    def action_epoch_end(self) -> None:
        self._go(self.run.epoch_end(self.position) + 1)

    def action_run_end(self) -> None:
        self._pause()
        self._go(self.run.planned_steps)

    def action_restart(self) -> None:
        self._pause()
        self._go(0)

    def action_play(self) -> None:
        if self.playing:
            self._pause()
        elif self.position < self.run.total_steps:
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
        self._show_status()

    def action_speed(self, delta: int) -> None:
        """Faster (+) or slower (−) play, along the walkthrough's speeds (0.5 to 50 steps a
        second); a run that is playing goes on at the new speed."""
        self.speed = max(0, min(len(SPEEDS) - 1, self.speed + delta))
        if self._timer is not None:
            self._timer.stop()
            self._timer = self.set_interval(SPEEDS[self.speed], self._tick)
        self._show_status()

    def _tick(self) -> None:
        if self.position >= self.run.total_steps:
            self._pause()
            self._show_status()
            return
        self._go(self.position + 1)

    def _pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_compare(self) -> None:
        if self.setup_b is not None:
            self.setup_b = self.run_b = None
        else:
            eta = self.setup.learning_rate
            self.setup_b = dataclasses.replace(self.setup, learning_rate=round(eta * B_FACTOR, 12))
            self.run_b = self._run_of(self.setup_b)
        self._show_compare()
        self._show_settings()

    # -- changing the setting

    def _run_of(self, setup: Setup) -> Run | None:
        try:
            return Run(setup.config())
        except SetupError:
            return None

    async def _apply(self, candidate: Setup) -> bool:
        """Make `candidate` the setting when the loader takes it; else show why. True: made."""
        problems = candidate.problems()
        if problems:
            self.problems = [f"{p.field}: {p.message}" if p.field else p.message for p in problems]
            self._show_settings()
            return False
        self.problems = []
        self._pause()
        self.setup = candidate
        self.run = Run(candidate.config())
        if self.setup_b is not None:
            self.setup_b = dataclasses.replace(candidate, learning_rate=self.setup_b.learning_rate)
            self.run_b = self._run_of(self.setup_b)
        self.position = 0
        self.message = None
        await self._panels.remove()  # its children's ids must be gone before the new ones come
        self._panels = StepPanels(self.run, 0, self.lang, id="panels")
        await self._right.mount(self._panels)
        self._show_all()
        return True

    # -- data mode

    def action_cursor(self, dx: int, dy: int) -> None:
        size = self.setup.data.grid.size
        i, j = self.cursor
        self.cursor = (max(0, min(size - 1, i + dx)), max(0, min(size - 1, j + dy)))
        self._show_data()

    def _cursor_point(self) -> tuple[float, float]:
        grid = self.setup.data.grid
        return grid.value(self.cursor[0]), grid.value(self.cursor[1])

    async def action_put(self, target: int) -> None:
        x1, x2 = self._cursor_point()
        await self._apply(self.setup.with_data(self.setup.data.with_point(x1, x2, target)))

    async def action_remove(self) -> None:
        i = self.setup.data.at(*self._cursor_point())
        if i is not None:
            await self._apply(self.setup.with_data(self.setup.data.without(i)))

    async def action_flip(self) -> None:
        i = self.setup.data.at(*self._cursor_point())
        if i is not None:
            await self._apply(self.setup.with_data(self.setup.data.flipped(i)))

    # -- settings mode

    def action_select(self, delta: int) -> None:
        count = len(self._visible_settings())
        self.selected = (self.selected + delta) % count
        self._show_settings()

    async def action_cycle(self, delta: int) -> None:
        name = self._visible_settings()[self.selected]
        choices = CHOICES.get(name)
        if choices is None:
            return
        current = getattr(self.setup, name)
        i = choices.index(current) if current in choices else -1
        value = choices[(i + delta) % len(choices)]
        try:
            await self._apply(self.setup.with_value(name, value))
        except SetupError as exc:
            self.problems = [f"{exc.field}: {exc.message}"]
            self._show_settings()

    async def action_edit(self) -> None:
        from tutor.ui.dialogs.text_prompt import TextPrompt

        name = self._visible_settings()[self.selected]
        if name in CHOICES:
            await self.action_cycle(1)
            return
        lang = self.lang

        async def typed(text: str | None) -> None:
            if text is None:
                return
            if name == B_ETA:
                self._set_b_learning_rate(text)
                return
            try:
                value = parse_value(name, text)
                candidate = self.setup.with_value(name, value)
            except SetupError as exc:
                self.problems = [f"{exc.field}: {exc.message}"]
                self._show_settings()
                return
            await self._apply(candidate)

        shown_setup = self.setup_b if name == B_ETA and self.setup_b is not None else self.setup
        shown = shown_setup.shown("learning_rate" if name == B_ETA else name)
        help_key = "learning_rate" if name == B_ETA else name
        self.app.push_screen(
            TextPrompt(t(f"play.field.{name}", lang), shown, t(f"play.help.{help_key}", lang)),
            typed,
        )

    def _set_b_learning_rate(self, text: str) -> None:
        """Run B's η, validated as A's is; the rest of B is A's setting."""
        if self.setup_b is None:
            return
        try:
            candidate = self.setup_b.with_value("learning_rate",
                                                parse_value("learning_rate", text))
        except SetupError as exc:
            self.problems = [f"{exc.field}: {exc.message}"]
            self._show_settings()
            return
        problems = candidate.problems()
        self.problems = [f"B · {p.field}: {p.message}" for p in problems]
        if not problems:
            self.setup_b = candidate
            self.run_b = self._run_of(candidate)
        self._show_settings()
        self._show_compare()
