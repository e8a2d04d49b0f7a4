"""TraceTable: many steps, one row each, for `perceptron-tutor trace`."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep, StepRecord
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.style import EMPH, NOTE


class TraceTable:
    """One row per step: epoch, sample, x, target, net or prediction, output, error or loss,
    weights after. Rows whose step changed the weights are bold and marked ✎."""

    def __init__(self, records: Sequence[StepRecord], lang: str = "en") -> None:
        self.records = list(records)
        self.lang = lang

    def _table(self, *headers: str) -> Table:
        """A sample-by-sample table: step, epoch, sample, x, t, then `headers` (the last: weights).

        x and the weights are left-aligned, the numbers right-aligned.
        """
        lang = self.lang
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
        leading = (
            t("render.trace.step", lang),
            t("render.trace.epoch", lang),
            t("render.trace.sample", lang),
            "x",
            "t",
        )
        for i, h in enumerate((*leading, *headers)):
            table.add_column(h, justify="left" if i in (3, 8) else "right")
        return table

    def _perceptron(self, records: list[PerceptronStep]) -> Table:
        lang = self.lang
        bias = records[0].bias_before is not None
        weights = t("render.trace.weights_bias" if bias else "render.trace.weights", lang)
        table = self._table("k", "y", t("render.word.error", lang), weights)
        d = n.column_decimals([w for r in records for w in (*r.weights_after, r.bias_after or 0.0)])
        for r in records:
            net = n.short_sci(r.net) if r.net_is_roundoff else (n.num(r.net) if r.net else "0")
            ws = [*r.weights_after, *([r.bias_after] if r.bias_after is not None else [])]
            table.add_row(
                str(r.index + 1),
                str(r.epoch),
                str(r.sample + 1),
                n.values(r.inputs),
                n.value(r.target),
                net,
                str(r.output),
                n.value(r.error),
                n.vector(ws, d) + (" ✎" if r.updated else ""),
                style=EMPH if r.updated else "",
            )
        return table

    def _linear(self, records: list[LinearStep]) -> Table:
        lang = self.lang
        table = self._table("ŷ", "", t("render.trace.loss", lang), t("render.trace.weights_bias", lang))
        d = n.column_decimals([w for r in records for w in (*r.weights_after, r.bias_after)])
        for r in records:
            single = len(r.samples) == 1
            first, last = r.samples[0] + 1, r.samples[-1] + 1
            table.add_row(
                str(r.index + 1),
                str(r.epoch),
                str(first) if single else f"{first}–{last}",
                n.values(r.x[0]) if single else "",
                n.value(r.targets[0]) if single else "",
                n.num(r.outputs[0]) if single else "",
                "",
                n.loss(r.loss),
                n.vector([*r.weights_after, r.bias_after], d),
            )
        return table

    def _mlp(self, records: list[MLPStep]) -> Table:
        lang = self.lang
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        table.add_column(t("render.trace.step", lang), justify="right")
        table.add_column(t("render.trace.epoch", lang), justify="right")
        table.add_column(t("render.trace.loss", lang), justify="right")
        table.add_column(t("render.trace.outputs", lang), justify="left")
        for r in records:
            table.add_row(
                str(r.index + 1),
                str(r.epoch),
                n.loss(r.loss),
                n.vector([o for row in r.outputs for o in row], 3),
            )
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lang = self.lang
        if not self.records:
            yield Text(t("render.trace.empty", lang), style=NOTE)
            return
        first = self.records[0]
        if isinstance(first, PerceptronStep):
            yield self._perceptron([r for r in self.records if isinstance(r, PerceptronStep)])
            yield Text(t("render.trace.perceptron_note", lang), style=NOTE)
            if any(isinstance(r, PerceptronStep) and r.net_is_roundoff for r in self.records):
                yield Text(t("render.trace.roundoff_note", lang), style=NOTE)
        elif isinstance(first, LinearStep):
            yield self._linear([r for r in self.records if isinstance(r, LinearStep)])
            yield Text(t("render.trace.linear_note", lang), style=NOTE)
        else:
            yield self._mlp([r for r in self.records if isinstance(r, MLPStep)])
            yield Text(t("render.trace.mlp_note", lang), style=NOTE)
