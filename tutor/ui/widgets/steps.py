"""The walkthrough's panels for one position of a run: where, the sum, the weights, charts, history.

Position p means p steps are revealed: p = 0 shows the initial weights and the first sample; p ≥ 1
shows record p − 1 (asked from the run, never computed here) with the weights after its update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep
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
from tutor.ui.widgets.preview import NextStep
from tutor.ui.widgets.sized import Panel, Sized

if TYPE_CHECKING:
    from tutor.engine.run import Run


class StepPanels(Vertical):
    """Every panel of one step; two columns when the terminal is wide, stacked when narrow."""

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
        self._head = Panel(id="step-head", classes="panel")
        self._sum = Panel(id="step-sum", classes="panel")  # perceptron: k, y, error
        self._model = Panel(id="step-model", classes="panel")  # linear / mlp: ŷ, loss, gradients
        self._weights = Panel(id="step-weights", classes="panel")
        self._plot = Sized(id="step-plot", classes="panel")
        self._history = Panel(id="step-history", classes="panel")
        self.show(position, lang)

    def compose(self) -> ComposeResult:
        with Vertical(classes="step-col", id="step-left"):
            yield self._head
            yield self._sum
            yield self._model
            yield self._weights
        with Vertical(classes="step-col", id="step-right"):
            yield self._plot
            yield self._history

    def show(self, position: int, lang: str, *, preview: bool | None = None) -> None:
        """Show `position`; at 0 the start panel previews step 1 unless `preview` is False (an
        ask above it already shows that preview, and it would be on screen twice)."""
        self.position = position
        self.lang = lang
        if preview is not None:
            self.preview = preview
        run = self.run
        cfg = run.config
        head, summ, weights = self._head, self._sum, self._weights
        plot, model, history = self._plot, self._model, self._history

        for widget, key in (
            (head, "ui.panel.where"),
            (summ, "ui.panel.sum"),
            (weights, "ui.panel.weights"),
            (plot, "ui.panel.hidden" if cfg.model == "mlp" else "ui.panel.plot"),
            (model, "ui.panel.model"),
            (history, "ui.panel.history"),
        ):
            widget.border_title = t(key, lang)

        if position == 0:
            first = run.record(0)
            head.border_title = t("ui.panel.start", lang)
            preview_first = self.preview

            def start_panel() -> RenderableType:
                one_sample = run.steps_per_epoch == cfg.n_samples  # else each step takes a batch
                start_key = "ui.step.start" if one_sample else "ui.step.start_batch"
                start = Text(t(start_key, lang), style="bold")
                if not preview_first:
                    return start
                return Group(
                    start, NextStep(first, run.total_steps, run.steps_per_epoch, cfg.epochs, lang)
                )

            head.show(("start", lang, str(preview_first)), start_panel)
            summ.display = False
            weights.display = False
            model.display = False
            plot.set_factory(self._plot_factory(first, before=True), ("before", lang))
        else:
            # each panel is built and rendered once per position (and width): a key it shows
            # already changes nothing
            at = (position, lang)
            rec = run.record(position - 1)
            head.show(
                at,
                lambda: StepHeader(rec, run.total_steps, run.steps_per_epoch, cfg.epochs, lang),
            )
            summ.display = isinstance(rec, PerceptronStep)
            if isinstance(rec, PerceptronStep):
                summ.show(at, lambda: NetEquation(rec, lang))
            weights.display = isinstance(rec, PerceptronStep | LinearStep)
            if isinstance(rec, PerceptronStep | LinearStep):
                weights.show(at, lambda: WeightTable(rec, lang))
            model_view = self._model_view(rec, lang)
            model.display = model_view is not None
            if model_view is not None:
                model.show(at, lambda: model_view)
            plot.set_factory(self._plot_factory(rec, before=False), at)

        epochs = position // run.steps_per_epoch  # epochs finished: the history changes only then

        def history_view() -> RenderableType:
            done = run.epochs_done()[:epochs] if epochs else ()
            return EpochHistory(done, cfg.epochs, lang)

        history.show((epochs, lang), history_view)

    def _model_view(self, rec: object, lang: str) -> RenderableType | None:
        if isinstance(rec, LinearStep):
            return LinearStepView(rec, lang)
        if isinstance(rec, MLPStep):
            return MLPStepView(rec, lang)
        return None

    def _plot_factory(self, rec: object, *, before: bool):
        cfg = self.run.config
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
