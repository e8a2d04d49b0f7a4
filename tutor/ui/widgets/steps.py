"""The walkthrough's panels for one position of a run: where, the sum, the weights, charts, history.

Position p means p steps are revealed: p = 0 shows the initial weights and the first sample; p ≥ 1
shows record p − 1 (asked from the run, never computed here) with the weights after its update.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep, StepRecord
from tutor.i18n import t
from tutor.render import (
    DecisionPlot,
    EpochHistory,
    HiddenLinesPlot,
    LinearStepView,
    MLPStepView,
    NetEquation,
    StepHeader,
    WeightTable,
)
from tutor.render.history import final_history
from tutor.render.losscurve import loss_curve_of
from tutor.ui.widgets.column import Build, Column, Section
from tutor.ui.widgets.preview import NextStep

if TYPE_CHECKING:
    from tutor.engine.run import Run


# Seconds from a press's frame to rendering the next step ahead. Rendering holds the GIL for
# 5–20 ms, and Textual's writer thread sends the frame to the terminal only when it gets the GIL
# back (Python hands it over every 5 ms): started at once, it delayed the frame it followed. After
# a layout, Textual lays out once more a frame later (the resized widgets ask for it): two frames.
PRERENDER_AFTER = 0.03
PRERENDER_AFTER_LAYOUT = 0.06

# the rule's title over each section of a step (the start panel's is ui.panel.start)
TITLES = {"head": "ui.panel.where", "sum": "ui.panel.sum", "model": "ui.panel.model",
          "weights": "ui.panel.weights"}


def _sized(view: Callable[[], RenderableType]) -> Build:
    """A section's build from a view that draws the same at every width (Rich wraps it)."""
    return lambda width, chart: view()


class StepPanels(Vertical):
    """Every panel of one step, in two `Column`s: where, the sum, the model and the weights on
    the left; the chart and the epoch history on the right. Side by side when the terminal is
    wide, one under the other when narrow."""

    def __init__(
        self,
        run: Run,
        position: int,
        lang: str,
        *,
        preview: bool = True,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.run = run
        self.position = position
        self.lang = lang
        self.preview = preview  # False: a "Next step" panel above already previews step 1
        # made once and kept (never looked up): `show` works before and after mounting
        self.left = Column(id="step-left", classes="step-col")
        self.right = Column(id="step-right", classes="step-col")
        # the owner's own panels for a position, rendered ahead with these (a title line)
        self.ahead: Callable[[int], None] | None = None
        self.show(position, lang)

    def compose(self) -> ComposeResult:
        yield self.left
        yield self.right

    def section(self, name: str) -> Section | None:
        """The section `name` shown (head, sum, model, weights, plot, history), or None."""
        return self.left.section(name) or self.right.section(name)

    def shown(self, name: str) -> RenderableType | None:
        """What section `name` shows, or None when it is not shown."""
        column = self.left if self.left.section(name) is not None else self.right
        return column.shown(name)

    def show(self, position: int, lang: str, *, preview: bool | None = None) -> None:
        """Show `position`; at 0 the start panel previews step 1 unless `preview` is False (an
        ask above it already shows that preview, and it would be on screen twice)."""
        if (position == 0) != (self.position == 0):
            # the start panel and a step's header are different things: the height one of them
            # needed is no reason to keep blank rows under the other (one layout, at 0 ↔ 1)
            self.left.forget_height()
            self.right.forget_height(("plot",))
        self.position = position
        self.lang = lang
        if preview is not None:
            self.preview = preview
        left, right = self._sections(position, lang)
        self.left.show(left)
        self.right.show(right)
        if self.is_attached:
            if self.left.resized or self.right.resized:
                # a column changed height: Textual lays the screen out a second time a frame
                # later (the resized widgets ask for it); rendering ahead now would delay that
                # frame by the time it takes (10–20 ms at 120×40), so it waits
                self.left.resized = self.right.resized = False
                self.set_timer(PRERENDER_AFTER_LAYOUT, lambda: self._prerender(position + 1, lang))
            else:
                self.set_timer(PRERENDER_AFTER, lambda: self._prerender(position + 1, lang))

    def _sections(self, position: int, lang: str) -> tuple[list[Section], list[Section]]:
        """The sections of `position`: each built and rendered once per position (and width),
        so a key shown already changes nothing."""
        run = self.run
        cfg = run.config
        left: list[Section] = []
        if position == 0:
            first = run.record(0)
            preview_first = self.preview

            def start_panel(width: int, chart: int) -> RenderableType:
                one_sample = run.steps_per_epoch == cfg.n_samples  # else each step takes a batch
                start_key = "ui.step.start" if one_sample else "ui.step.start_batch"
                start = Text(t(start_key, lang), style="bold")
                if not preview_first:
                    return start
                return Group(
                    start, NextStep(first, run.total_steps, run.steps_per_epoch, cfg.epochs, lang)
                )

            left.append(Section("head", t("ui.panel.start", lang),
                                ("start", lang, str(preview_first), run.total_steps),
                                start_panel))
            plot = self._plot_factory(first, before=True)
            plot_key: Hashable = ("before", lang)
        else:
            # the run's length is in the key: a run learns it diverges (and ends there) only
            # once it is computed that far, and a step kept before said "step p/(planned)"
            at = (position, lang, run.total_steps)
            rec = run.record(position - 1)
            views = self._step_views(rec, lang)
            for name in ("head", "sum", "model", "weights"):
                view = views.get(name)
                if view is not None:
                    left.append(Section(name, t(TITLES[name], lang), at, _sized(view)))
            plot = self._plot_factory(rec, before=False)
            plot_key = at
        right: list[Section] = []
        if plot is not None:
            title = ("ui.panel.hidden" if cfg.model == "mlp"
                     else "ui.panel.loss_curve" if cfg.n_inputs == 1 else "ui.panel.plot")
            right.append(Section("plot", t(title, lang), plot_key, plot, chart=True))
        epochs = position // run.steps_per_epoch  # epochs finished: the history changes only then
        # from the first finished epoch on, the history keeps the rows it will have at the run's
        # end: one layout then, instead of one an epoch as its chart and table grow
        final = self._final_history(lang) if epochs else None
        right.append(Section("history", t("ui.panel.history", lang), (epochs, lang),
                             _sized(self._history_view(epochs, lang)),
                             reserve=None if final is None else (lang, _sized(final))))
        return left, right

    def _step_views(self, rec: StepRecord, lang: str) -> dict[str, Callable[[], RenderableType]]:
        """What builds each panel's renderable for `rec` (a panel without an entry is hidden)."""
        run = self.run
        cfg = run.config
        views: dict[str, Callable[[], RenderableType]] = {
            "head": lambda: StepHeader(rec, run.total_steps, run.steps_per_epoch, cfg.epochs, lang)
        }
        if isinstance(rec, PerceptronStep):
            views["sum"] = lambda: NetEquation(rec, lang)
        if isinstance(rec, PerceptronStep | LinearStep):
            views["weights"] = lambda: WeightTable(rec, lang)
        model_view = self._model_view(rec, lang)
        if model_view is not None:
            views["model"] = lambda: model_view
        return views

    def _history_view(self, epochs: int, lang: str) -> Callable[[], RenderableType]:
        run = self.run

        def history_view() -> RenderableType:
            done = run.epochs_done()[:epochs] if epochs else ()
            return EpochHistory(done, run.config.epochs, lang)

        return history_view

    def _final_history(self, lang: str) -> Callable[[], RenderableType] | None:
        """What builds the history as it will be at the run's end (the rows its panel keeps
        from the start), or None when not even one epoch can be finished (a run that diverges
        in its first epoch)."""
        run = self.run
        if run.total_steps < run.steps_per_epoch:
            return None
        epochs = run.config.epochs

        def final() -> RenderableType:
            try:
                sample = run.epoch(1)
            except IndexError:  # the run diverged in its first epoch: nothing to keep rows for
                return Text("")
            return final_history(sample, epochs, lang)

        return final

    def _prerender(self, position: int, lang: str) -> None:
        """After a frame is on screen, render the sections of the next step ahead (kept, not
        shown): the press that goes there then only repaints. Skipped when the panels have
        moved on since (a burst of presses, or play), or `position` is past the run's end."""
        if position != self.position + 1 or lang != self.lang or position > self.run.total_steps:
            return
        left, right = self._sections(position, lang)
        self.left.prerender(left)
        self.right.prerender(right)
        if self.ahead is not None:
            self.ahead(position)

    def _model_view(self, rec: object, lang: str) -> RenderableType | None:
        if isinstance(rec, LinearStep):
            return LinearStepView(rec, lang)
        if isinstance(rec, MLPStep):
            return MLPStepView(rec, lang)
        return None

    def _plot_factory(self, rec: object, *, before: bool):
        cfg = self.run.config
        if cfg.n_inputs == 1 and isinstance(rec, LinearStep):
            return self._loss_curve_factory(rec, before=before)
        if cfg.n_inputs != 2:
            return None
        lang = self.lang
        if isinstance(rec, MLPStep):

            def hidden(width: int, height: int) -> RenderableType:
                return HiddenLinesPlot(rec, lang, width, height, before=before)

            return hidden
        if not isinstance(rec, PerceptronStep | LinearStep):
            return None

        def factory(width: int, height: int) -> RenderableType:
            return DecisionPlot(rec, cfg.inputs, cfg.targets, lang, width, height, before=before)

        return factory

    def _loss_curve_factory(self, rec: LinearStep, *, before: bool):
        run, lang = self.run, self.lang

        def factory(width: int, height: int) -> RenderableType:
            plot = loss_curve_of(run, rec, lang, before=before, width=width, height=height)
            return plot if plot is not None else Text("")

        return factory
