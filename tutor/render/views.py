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


class Chunks:
    """Text made of chunks that never break inside ("learning rate η = 0.50"): lines break only
    between chunks, at `sep`; a chunk wider than the line is left to Rich to fold. A " · " between
    items of a list goes at a break; any other `sep` is an operator (" + " in a sum) and starts
    the next line, or the line below read as a factor ("…(1 − 0.44)²⏎(0 − 0.44)²]")."""

    def __init__(self, text: str, sep: str = " · ", style: str = "") -> None:
        self.chunks = text.split(sep)
        self.sep = sep
        self.style = style
        self.carry = "" if sep.strip() in ("", "·") else sep.lstrip()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len

        width = options.max_width
        line = ""
        for chunk in self.chunks:
            candidate = f"{line}{self.sep}{chunk}" if line else chunk
            if line and cell_len(candidate) > width:
                yield Text(line, style=self.style)
                line = self.carry + chunk
            else:
                line = candidate
        yield Text(line, style=self.style)


class _LossLine:
    """`label = value` on one line when it fits; else the label (wrapped as prose) and then
    `= value` on a line of its own, so that a line never ends in "=" with its value below."""

    def __init__(self, label: str, loss: float) -> None:
        self.label = label
        self.loss = loss

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len

        from tutor.render.equation import Prose

        value = n.loss(self.loss)
        whole = Text(self.label + " = ").append(value, style=EMPH)
        if cell_len(whole.plain) <= options.max_width:
            yield whole
            return
        yield Prose(self.label)
        yield Text("  = ").append(value, style=EMPH)


def _loss_line(label: str, loss: float) -> _LossLine:
    return _LossLine(label, loss)


class LinearStepView:
    """Per sample x, t, ŷ, the residual r = ŷ − t; the loss; the gradients; the rounded ŷ as a
    truth table."""

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
        dp = n.column_decimals([*r.outputs, *r.residuals])
        for s, xs, target, p, e in zip(
            r.samples, r.x, r.targets, r.outputs, r.residuals, strict=True
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
            f"∂L/∂w{n.sub(i + 1)} = (2/{size}) Σ r·x{n.sub(i + 1)}" for i in range(len(grads) - 1)
        ]
        names.append(f"∂L/∂b = (2/{size}) Σ r")
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
        for xs, p, target in zip(r.x, r.outputs, r.targets, strict=True):
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
        if all(target in (0, 1) for target in r.targets):  # a logic gate: read as a truth table
            yield Text()
            yield self._truth_table()
        negative_zero = [
            p for p in r.outputs if round(p, 0) == 0 and math.copysign(1, round(p, 0)) < 0
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

    def _output(self, unit: int) -> str:
        """ŷ for a single output unit; ŷ₁, ŷ₂, … when there are several."""
        return f"ŷ{n.sub(unit + 1)}" if len(self.record.outputs[0]) > 1 else "ŷ"

    def _per_sample(self) -> Table:
        """Rows are quantities, columns the samples (#1, #2, …): as many hidden layers as a
        network has, the table stays as wide as the samples, so no number is cut at 80 columns."""
        table = small_table()
        table.add_column("", no_wrap=True)
        for s in self.record.samples:  # the sample's number in the data (online: one)
            table.add_column(f"#{s + 1}", justify="right", no_wrap=True)
        return table

    def _forward(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.mlp.forward_title", lang)
        table = self._per_sample()
        samples = range(len(r.x))
        for i, name in enumerate(_x_headers(len(r.x[0]))):
            table.add_row(name, *(n.value(r.x[s][i]) for s in samples))
        dh = n.column_decimals([v for acts in r.hidden for row in acts for v in row], least=3)
        do = n.column_decimals([v for m in (r.outputs, r.residuals) for row in m for v in row],
                               least=3)
        for layer, acts in enumerate(r.hidden):
            for unit in range(len(acts[0])):
                name = self._unit(layer, unit, "h")
                table.add_row(name, *(n.num(acts[s][unit], dh) for s in samples))
        outs = len(r.outputs[0])  # one row per output unit: ŷ, or ŷ₁, ŷ₂, …
        marks = [n.sub(k + 1) if outs > 1 else "" for k in range(outs)]
        for k, m in enumerate(marks):
            table.add_row(Text(f"ŷ{m}", style=EMPH), *(n.num(r.outputs[s][k], do) for s in samples))
        for k, m in enumerate(marks):
            table.add_row(f"t{m}", *(n.value(r.targets[s][k]) for s in samples))
        for k, m in enumerate(marks):  # the residual r = ŷ − t (the error is t − ŷ)
            table.add_row(f"r{m} = ŷ{m} − t{m}", *(n.signed(r.residuals[s][k], do) for s in samples))
        return titled(title, table)

    def _deltas(self) -> Group:
        r = self.record
        lang = self.lang
        title = t("render.mlp.deltas_title", lang)
        table = self._per_sample()
        d = n.column_decimals([v for m in r.deltas for row in m for v in row], least=3)
        for layer, deltas in enumerate(r.deltas):
            for unit in range(len(deltas[0])):
                is_output = layer == self.layers - 1
                name = self._output(unit) if is_output else self._unit(layer, unit, "h")
                table.add_row(f"δ{name}", *(n.num(deltas[s][unit], d) for s in range(len(r.x))))
        return titled(title, table)

    def _weights(self, layer: int) -> Group:
        """One row per weight (source → unit, then each bias): before, after, its mark, and the
        gradient ∂E/∂w that moved it (w ← w − η·∂E/∂w). One row each, however many units a layer
        has, so every number fits 80 columns."""
        r = self.record
        lang = self.lang
        before, after = r.weights_before[layer], r.weights_after[layer]
        b_before, b_after = r.biases_before[layer], r.biases_after[layer]
        grads, grad_b = r.grad_weights[layer], r.grad_biases[layer]
        is_output = layer == self.layers - 1
        key = "render.mlp.weights_output" if is_output else "render.mlp.weights_hidden"
        title = t(key, lang, l=layer + 1, sup=n.sup(layer + 1))
        table = small_table()
        table.add_column(t("render.mlp.weight", lang), no_wrap=True)
        table.add_column(t("render.mlp.before", lang), justify="right", no_wrap=True)
        table.add_column(t("render.mlp.after", lang), justify="right", no_wrap=True)
        table.add_column("", no_wrap=True)
        table.add_column("∂E/∂w", justify="right", no_wrap=True)
        values = [v for m in (before, after) for row in m for v in row] + [*b_before, *b_after]
        d = n.column_decimals(values, least=3)
        dg = n.column_decimals([*(v for row in grads for v in row), *grad_b], least=3)
        if layer == 0:
            sources = _x_headers(len(before))
        else:
            sources = [self._unit(layer - 1, i, "h") for i in range(len(before))]
        targets = [
            self._output(unit) if is_output else self._unit(layer, unit, "h")
            for unit in range(len(before[0]))
        ]
        for unit, target in enumerate(targets):
            rows = [(f"{src}→{target}", before[i][unit], after[i][unit], grads[i][unit])
                    for i, src in enumerate(sources)]
            rows.append((f"b→{target}", b_before[unit], b_after[unit], grad_b[unit]))
            for name, wb, wa, g in rows:
                table.add_row(name, n.num(wb, d), n.num(wa, d), change_mark(wb, wa), n.signed(g, dg))
        return titled(title, table)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        sizes = [len(r.x[0]), *(len(a[0]) for a in r.a)]
        yield Chunks(
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
        loss_key = f"render.mlp.loss.{r.loss_name}"
        yield _loss_line(t(loss_key, lang, n=len(r.x), k=len(r.outputs[0])), r.loss)
        yield Text()
        yield self._deltas()
        yield Text(t("render.mlp.deltas_note", lang), style=NOTE)
        for layer in range(self.layers):
            yield Text()
            yield self._weights(layer)
        yield Text(t("render.mlp.update_note", lang), style=NOTE)
        yield Text(t("render.weights.legend", lang), style=NOTE)
