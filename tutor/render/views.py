"""LinearStepView and MLPStepView: one step of gradient descent, sample by sample."""

from __future__ import annotations

import math

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.engine.records import LinearStep, MLPStep
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.style import DOWN, EMPH, NOTE, UP
from tutor.render.weights import change_mark


def small_table() -> Table:
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)


def titled(title: str, table: Table) -> Group:
    """A bold title line above a table (a Table title would wrap to the table's width)."""
    return Group(Text(title, style=EMPH), table)


def _x_headers(count: int) -> list[str]:
    return [f"x{n.sub(i + 1)}" for i in range(count)]


def _sample_table(inputs: int) -> Table:
    """A table of one row per sample: its number, then its inputs x₁, x₂, …"""
    table = small_table()
    table.add_column("#", justify="right")
    for h in _x_headers(inputs):
        table.add_column(h, justify="right")
    return table


def _loss_line(label: str, loss: float) -> Text:
    return Text(label + " = ").append(n.loss(loss), style=EMPH)


class LinearStepView:
    """Per sample x, t, ŷ, e = ŷ − t; the loss; the gradients; the rounded ŷ as a truth table."""

    def __init__(self, record: LinearStep, lang: str = "en") -> None:
        self.record = record
        self.lang = lang

    def _samples(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.linear.samples_title", lang)
        table = _sample_table(len(r.x[0]))
        table.add_column("t", justify="right")
        table.add_column("ŷ = w·x + b", justify="right")
        table.add_column(t("render.linear.error_col", lang), justify="right")
        dp = n.column_decimals([*r.predictions, *r.errors])
        for s, xs, target, p, e in zip(
            r.samples, r.x, r.targets, r.predictions, r.errors, strict=True
        ):
            table.add_row(
                str(s + 1),
                *(n.value(v) for v in xs),
                n.value(target),
                n.num(p, dp),
                n.signed(e, dp),
            )
        return titled(title, table)

    def _gradients(self) -> list[Text]:
        r = self.record
        lang = self.lang
        size = len(r.samples)
        lines = [Text(t("render.linear.gradients_title", lang), style=EMPH)]
        grads = [*r.grad_weights, r.grad_bias]
        d = n.column_decimals(grads, least=3)
        names = [
            f"∂L/∂w{n.sub(i + 1)} = (2/{size}) Σ e·x{n.sub(i + 1)}" for i in range(len(grads) - 1)
        ]
        names.append(f"∂L/∂b = (2/{size}) Σ e")
        width = max(len(s) for s in names)
        for name, g in zip(names, grads, strict=True):
            line = Text("  " + name.ljust(width) + " = ")
            line.append(n.num(g, d).rjust(9), style=EMPH)
            lines.append(line)
        lines.append(Text(t("render.linear.gradient_note", lang), style=NOTE))
        return lines

    def _truth_table(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.linear.truth_title", lang)
        table = small_table()
        for h in _x_headers(len(r.x[0])):
            table.add_column(h, justify="right")
        table.add_column("round(ŷ)", justify="right")
        table.add_column("t", justify="right")
        table.add_column("", justify="left")
        for xs, p, target in zip(r.x, r.predictions, r.targets, strict=True):
            rounded = round(p, 0)
            ok = rounded == target
            mark = (
                Text("✓ " + t("render.word.match", lang), style=UP)
                if ok
                else Text("✗ " + t("render.word.mismatch", lang), style=DOWN)
            )
            table.add_row(*(n.value(v) for v in xs), n.np_round_text(p), n.value(target), mark)
        return titled(title, table)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        yield self._samples()
        yield _loss_line(t("render.linear.loss", lang, n=len(r.samples)), r.loss)
        yield Text()
        yield from self._gradients()
        yield Text()
        yield self._truth_table()
        negative_zero = [
            p for p in r.predictions if round(p, 0) == 0 and math.copysign(1, round(p, 0)) < 0
        ]
        if negative_zero:
            yield Text(
                t("render.linear.negative_zero", lang, p=n.num(negative_zero[0])), style=NOTE
            )


class MLPStepView:
    """Per sample inputs, hidden activations, output and target; the loss; the deltas per layer;
    each layer's weights before → after."""

    def __init__(self, record: MLPStep, lang: str = "en") -> None:
        self.record = record
        self.lang = lang

    @property
    def layers(self) -> int:
        return len(self.record.weights_before)

    def _unit(self, layer: int, unit: int, letter: str) -> str:
        """h₁ for a single hidden layer; h¹₂ style when there are several."""
        if letter == "h" and self.layers == 2:
            return f"h{n.sub(unit + 1)}"
        return f"{letter}{n.sup(layer + 1)}{n.sub(unit + 1)}"

    def _forward(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.mlp.forward_title", lang)
        table = _sample_table(len(r.x[0]))
        hidden_cols = [
            (layer, unit) for layer, acts in enumerate(r.hidden) for unit in range(len(acts[0]))
        ]
        for layer, unit in hidden_cols:
            table.add_column(self._unit(layer, unit, "h"), justify="right")
        table.add_column("ŷ", justify="right")
        table.add_column("t", justify="right")
        table.add_column("e = ŷ − t", justify="right")
        dh = n.column_decimals([v for acts in r.hidden for row in acts for v in row], least=3)
        do = n.column_decimals([*r.outputs, *r.errors], least=3)
        for s, xs in enumerate(r.x):
            hs = [n.num(r.hidden[layer][s][unit], dh) for layer, unit in hidden_cols]
            table.add_row(
                str(s + 1),
                *(n.value(v) for v in xs),
                *hs,
                n.num(r.outputs[s], do),
                n.value(r.targets[s]),
                n.signed(r.errors[s], do),
            )
        return titled(title, table)

    def _deltas(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.mlp.deltas_title", lang)
        table = small_table()
        table.add_column("#", justify="right")
        cols = [(layer, unit) for layer, d in enumerate(r.deltas) for unit in range(len(d[0]))]
        for layer, unit in cols:
            name = "ŷ" if layer == self.layers - 1 else self._unit(layer, unit, "h")
            table.add_column(f"δ{name}", justify="right")
        d = n.column_decimals([v for m in r.deltas for row in m for v in row], least=3)
        for s in range(len(r.x)):
            table.add_row(str(s + 1), *(n.num(r.deltas[layer][s][unit], d) for layer, unit in cols))
        return titled(title, table)

    def _weights(self, layer: int) -> Group:
        r = self.record
        lang = self.lang
        before, after = r.weights_before[layer], r.weights_after[layer]
        b_before, b_after = r.biases_before[layer], r.biases_after[layer]
        is_output = layer == self.layers - 1
        key = "render.mlp.weights_output" if is_output else "render.mlp.weights_hidden"
        title = t(key, lang, l=layer + 1, sup=n.sup(layer + 1))
        table = small_table()
        table.add_column(t("render.mlp.from", lang))
        units = len(before[0])
        for unit in range(units):
            name = "ŷ" if is_output else self._unit(layer, unit, "h")
            table.add_column(name, justify="right")
        values = [v for m in (before, after) for row in m for v in row] + [*b_before, *b_after]
        d = n.column_decimals(values, least=3)
        if layer == 0:
            sources = _x_headers(len(before))
        else:
            sources = [self._unit(layer - 1, i, "h") for i in range(len(before))]
        rows = [*zip(sources, before, after, strict=True), ("b", b_before, b_after)]
        width = max(len(n.num(v, d)) for v in values)
        for name, row_before, row_after in rows:
            cells = []
            for wb, wa in zip(row_before, row_after, strict=True):
                cell = Text(f"{n.num(wb, d).rjust(width)} → {n.num(wa, d).rjust(width)} ")
                cell.append_text(change_mark(wb, wa))
                cells.append(cell)
            table.add_row(name, *cells)
        return titled(title, table)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        sizes = [len(r.x[0]), *(len(h[0]) for h in r.hidden), 1]
        yield Text(
            t(
                "render.mlp.title",
                lang,
                sizes="–".join(map(str, sizes)),
                act=r.activation,
                out=r.output_activation,
                lr=n.num(r.learning_rate),
            ),
            style=NOTE,
        )
        yield self._forward()
        yield _loss_line(t("render.mlp.loss", lang, n=len(r.x)), r.loss)
        yield Text()
        yield self._deltas()
        yield Text(t("render.mlp.deltas_note", lang), style=NOTE)
        for layer in range(self.layers):
            yield Text()
            yield self._weights(layer)
        yield Text(t("render.mlp.update_note", lang), style=NOTE)
        yield Text(t("render.weights.legend", lang), style=NOTE)
