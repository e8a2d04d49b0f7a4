"""The staged backpropagation walkthrough: one update of a network, stage by stage (forward per
layer, the error, each δ, the gradients, the new weights), every number filled in.

Opened from a network's training unit with `b` on the update last shown. → / n and ← / p step
through the stages, on past the last stage to the next update and back past the first to the one
before; ] and [ go to the next and previous update. It shows only updates the lesson may reveal
(`limit`): never one behind a question not yet answered. Going back (q, Esc, b) hands the update
shown to `on_leave`, so the lesson stands where the learner stopped. The screen asks the run for
records and `tutor.render.backprop` draws them; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tutor.engine.records import MLPStep
from tutor.i18n import t
from tutor.render.backprop import BackpropStage, stages_of
from tutor.ui.screens.base import TutorScreen
from tutor.ui.widgets.keybar import KeyBar, Keys

if TYPE_CHECKING:
    from tutor.engine.run import Run

BACKPROP_KEYS: Keys = (
    ("→ n", "backprop.key.next_stage"),
    ("← p", "backprop.key.prev_stage"),
    ("] [", "backprop.key.update"),
    ("↑ ↓", "ui.key.scroll"),
    ("L", "ui.key.language"),
    ("q", "backprop.key.back"),
)


class StageBody(VerticalScroll, can_focus=False):
    """The stage's lines; scrolled by the screen's keys (↑ ↓ PgUp PgDn Home End)."""


class BackpropScreen(TutorScreen):
    """One update of `run` in stages. `update` (0-based) is shown first; updates from `limit` on are
    not shown (a question of the lesson stands before them)."""

    DEFAULT_CSS = """
    BackpropScreen #backprop-head {
        height: auto;
        padding: 0 1;
        background: $panel;
    }
    BackpropScreen StageBody {
        height: 1fr;
        padding: 0 1;
    }
    """

    KEYMAP: ClassVar[dict[str, str]] = {
        "right": "stage(1)",
        "n": "stage(1)",
        "left": "stage(-1)",
        "p": "stage(-1)",
        "right_square_bracket": "update(1)",
        "left_square_bracket": "update(-1)",
        "up": "scroll(-1)",
        "down": "scroll(1)",
        "pageup": "page(-1)",
        "pagedown": "page(1)",
        "home": "scroll_edge(-1)",
        "end": "scroll_edge(1)",
        "q": "back",
        "escape": "back",
        "b": "back",
        "L": "app.switch_language",
        "question_mark": "app.help",
    }

    def __init__(
        self,
        run: Run,
        update: int,
        limit: int,
        on_leave: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.run = run
        self.limit = max(1, min(limit, run.total_steps))
        self.update = max(0, min(update, self.limit - 1))
        self.stage = 0
        self.on_leave = on_leave
        # made once and kept (never looked up): keys queued before mounting find them
        self._head = Static(id="backprop-head")
        self._stage = Static(id="backprop-stage")
        self._body = StageBody(self._stage)
        self._keys = KeyBar(id="backprop-keys")

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._body
        yield self._keys

    def on_mount(self) -> None:
        self.watch(self.app, "lang", lambda _lang: self._show(), init=False)
        self._show()

    # -- state

    def _record(self, update: int) -> MLPStep:
        rec = self.run.record(update)
        assert isinstance(rec, MLPStep), "the staged walkthrough is for networks"
        return rec

    @property
    def record(self) -> MLPStep:
        return self._record(self.update)

    @property
    def stage_count(self) -> int:
        return len(stages_of(self.record))

    # -- keys, one at a time in the order they came (as the lesson screen)

    async def on_key(self, event: events.Key) -> None:
        if self.app.screen is not self:
            event.stop()
            self.app.post_message(events.Key(event.key, event.character))
            return
        action = self.KEYMAP.get(event.key)
        if action is None:
            return
        event.stop()
        await self.run_action(action)

    def action_stage(self, delta: int) -> None:
        last = self.stage_count - 1
        if delta > 0:
            if self.stage < last:
                self._go(self.update, self.stage + 1)
            elif self.update + 1 < self.limit:
                self._go(self.update + 1, 0)
            elif self.update + 1 < self.run.total_steps:
                self.notify(t("backprop.next_blocked", self.lang), timeout=4)
        elif self.stage > 0:
            self._go(self.update, self.stage - 1)
        elif self.update > 0:
            self._go(self.update - 1, len(stages_of(self._record(self.update - 1))) - 1)

    def action_update(self, delta: int) -> None:
        target = self.update + delta
        if 0 <= target < self.limit:
            self._go(target, 0)
        elif delta > 0 and target < self.run.total_steps:
            self.notify(t("backprop.next_blocked", self.lang), timeout=4)

    def action_scroll(self, delta: int) -> None:
        self._body.scroll_relative(y=delta * 2, animate=False)

    def action_page(self, delta: int) -> None:
        if delta > 0:
            self._body.scroll_page_down(animate=False)
        else:
            self._body.scroll_page_up(animate=False)

    def action_scroll_edge(self, delta: int) -> None:
        if delta < 0:
            self._body.scroll_home(animate=False)
        else:
            self._body.scroll_end(animate=False)

    def action_back(self) -> None:
        if self.app.screen is not self:
            return
        self.app.pop_screen()
        if self.on_leave is not None:
            self.on_leave(self.update)

    # -- drawing

    def _go(self, update: int, stage: int) -> None:
        self.update, self.stage = update, stage
        self._show()
        if self._body.is_attached:
            self._body.scroll_home(animate=False)

    def _show(self) -> None:
        lang = self.lang
        rec = self.record
        run = self.run
        if len(rec.samples) == 1:
            samples = t("backprop.one_sample", lang, s=rec.samples[0] + 1)
        else:
            shown = ", ".join(str(s + 1) for s in rec.samples)
            samples = t("backprop.batch_samples", lang, s=shown)
        head = Text(t("backprop.title", lang), style="bold")
        head.append("  ")
        head.append(t("backprop.header", lang, i=self.update + 1, n=run.total_steps,
                      e=rec.epoch, samples=samples))
        self._head.update(head)
        self._stage.update(BackpropStage(rec, self.stage, lang))
        self._keys.show_keys(BACKPROP_KEYS, lang)
