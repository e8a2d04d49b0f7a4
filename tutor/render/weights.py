"""WeightTable: every weight before → after, with the factors of its change."""

from __future__ import annotations

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.engine.records import LinearStep, Number, PerceptronStep
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.equation import weight_names
from tutor.render.style import DOWN, DOWN_MARK, EMPH, NOTE, SAME, SAME_MARK, UP, UP_MARK


def change_mark(before: Number, after: Number) -> Text:
    """▲ (up), ▼ (down) or = (unchanged), with a colour that repeats the symbol."""
    if after > before:
        return Text(UP_MARK, style=UP)
    if after < before:
        return Text(DOWN_MARK, style=DOWN)
    return Text(SAME_MARK, style=SAME)


class WeightTable:
    """One row per weight (and bias): before → after, marked ▲/▼/=, and why it changed.

    Perceptron: Δ = η · x · error with the numbers. Linear unit: the gradient and Δ = −η · grad.
    """

    def __init__(self, record: PerceptronStep | LinearStep, lang: str = "en") -> None:
        self.record = record
        self.lang = lang

    def _table(self) -> Table:
        lang = self.lang
        # θ, ₀, ▲ and → are ambiguous-width: many Korean terminals draw them two cells wide, which
        # ate the one-cell gap ("w₀ = θ0.35"); the perceptron's narrower table has room for two
        padding = (0, 2) if isinstance(self.record, PerceptronStep) else (0, 1)
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, padding=padding)
        # numbers and expressions never wrap (a header may: see __rich_console__)
        table.add_column(t("render.weights.name", lang), no_wrap=True)
        table.add_column(t("render.weights.before", lang), justify="right", no_wrap=True)
        table.add_column("", justify="center", no_wrap=True)
        table.add_column(t("render.weights.after", lang), justify="right", no_wrap=True)
        table.add_column("", justify="center", no_wrap=True)
        return table

    def _rows(self) -> list[tuple[str, Number, Number, list[str]]]:
        """(name, before, after, extra cells) per row."""
        r = self.record
        lang = self.lang
        rows: list[tuple[str, Number, Number, list[str]]] = []
        if isinstance(r, PerceptronStep):
            eta = n.num(r.learning_rate)
            err = n.factor(r.error)
            dd = n.column_decimals([*r.delta, r.bias_delta or 0.0])
            names = weight_names(r)
            for i, (name, xi, b, a, d) in enumerate(
                zip(names, r.x, r.weights_before, r.weights_after, r.delta, strict=True)
            ):
                label = name
                if r.bias_before is None and i == 0 and xi == -1:
                    label = f"{name} = θ"
                expr = f"{eta} × {n.factor(xi)} × {err} = {self._delta(d, a, b, dd)}"
                rows.append((label, b, a, [expr]))
            if r.bias_before is not None and r.bias_after is not None:
                bd = r.bias_delta or 0.0
                expr = f"{eta} × {err} = {self._delta(bd, r.bias_after, r.bias_before, dd)}"
                rows.append((t("render.weights.bias", lang), r.bias_before, r.bias_after, [expr]))
            return rows
        eta = n.num(r.learning_rate)
        grads = [*r.grad_weights, r.grad_bias]
        gd = n.column_decimals(grads, least=3)
        befores = [*r.weights_before, r.bias_before]
        afters = [*r.weights_after, r.bias_after]
        names = [f"w{n.sub(i + 1)}" for i in range(len(r.weights_before))]
        names.append(t("render.weights.bias", lang))
        cd = n.column_decimals([a - b for a, b in zip(afters, befores, strict=True)], least=3)
        for name, g, b, a in zip(names, grads, befores, afters, strict=True):
            shown = n.num(g, gd)
            expr = f"−{eta} × {n.paren(shown) if shown.startswith(n.MINUS) else shown}"
            change = n.signed(a - b, cd) if a != b else "0"
            rows.append((name, b, a, [shown, f"{expr} = {change}"]))
        return rows

    @staticmethod
    def _delta(d: Number, after: Number, before: Number, decimals: int) -> str:
        return "0" if after == before else n.signed(d, decimals)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self._full_table(with_gradient=True)
        if (
            isinstance(self.record, LinearStep)
            and console.measure(table, options=options.update_width(10_000)).maximum
            > options.max_width
        ):
            # too narrow for both: the gradient is inside the Δ expression anyway, and no
            # number may be cut or broken
            table = self._full_table(with_gradient=False)
        yield table
        yield from self._notes()

    def _full_table(self, *, with_gradient: bool) -> Table:
        r = self.record
        lang = self.lang
        table = self._table()
        if isinstance(r, PerceptronStep):
            table.add_column(
                t("render.weights.delta_perceptron", lang), justify="right", no_wrap=True
            )
        else:
            # the headers on two lines, so the columns are as wide as their numbers
            if with_gradient:
                grad = t("render.weights.grad", lang).replace(" ", "\n", 1)
                table.add_column(grad, justify="right", no_wrap=True)
            delta = t("render.weights.delta_linear", lang).replace(" = ", "\n= ", 1)
            table.add_column(delta, justify="right", no_wrap=True)
        rows = self._rows()
        d = n.column_decimals([v for _, b, a, _ in rows for v in (b, a)])
        for name, before, after, extra in rows:
            changed = after != before
            style = "" if changed else SAME
            cells = extra if with_gradient or isinstance(r, PerceptronStep) else extra[1:]
            table.add_row(
                Text(name, style=EMPH if changed else SAME),
                n.num(before, d),
                "→",
                Text(n.num(after, d), style=EMPH if changed else ""),
                change_mark(before, after),
                *cells,
                style=style,
            )
        return table

    def _notes(self) -> RenderResult:
        r = self.record
        lang = self.lang
        if isinstance(r, PerceptronStep):
            if r.bias_before is None and r.x[0] == -1:
                yield Text(t("render.weights.theta_note", lang, x0=n.value(r.x[0])), style=NOTE)
            if r.error == 0:
                yield Text(t("render.weights.no_change", lang), style=NOTE)
        yield Text(t("render.weights.legend", lang), style=NOTE)
