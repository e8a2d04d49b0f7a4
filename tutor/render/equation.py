"""The perceptron's sum with real numbers (NetEquation) and the position header (StepHeader)."""

from __future__ import annotations

import math
import re

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep, StepRecord
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.style import EMPH, NOTE, VALUE


def weight_names(record: PerceptronStep) -> list[str]:
    """w₀, w₁, w₂ with a bias input (x₀ first); w₁, w₂ without."""
    first = 0 if record.bias_before is None else 1
    return [f"w{n.sub(i)}" for i in range(first, first + len(record.weights_before))]


def input_names(record: PerceptronStep) -> list[str]:
    first = 0 if record.bias_before is None else 1
    return [f"x{n.sub(i)}" for i in range(first, first + len(record.x))]


class NetEquation:
    """k = Σ xᵢwᵢ (+ b) with the record's numbers, then y = step(k), then error = t − y.

    When k is zero up to round-off, the exact float is shown and explained in words.
    """

    def __init__(self, record: PerceptronStep, lang: str = "en") -> None:
        self.record = record
        self.lang = lang

    def _sum_lines(self) -> tuple[Text, Text]:
        r = self.record
        terms = [f"{x}{w}" for x, w in zip(input_names(r), weight_names(r), strict=True)]
        if r.bias_before is not None:
            terms.append("b")
        symbolic = Text("k = " + " + ".join(terms), style=NOTE)
        d = n.column_decimals(r.weights_before)
        parts = [
            f"({n.value(x)})({n.num(w, d)})" for x, w in zip(r.x, r.weights_before, strict=True)
        ]
        if r.bias_before is not None:
            parts.append(n.factor(r.bias_before, d))
        numeric = Text("k = " + " + ".join(parts) + " = ")
        numeric.append(self._net_text(), style=EMPH)
        return symbolic, numeric

    def _net_text(self) -> str:
        r = self.record
        if r.net_is_roundoff:
            return n.short_sci(r.net)
        return "0" if r.net == 0 else n.num(r.net)

    def _roundoff_lines(self) -> list[Prose]:
        r = self.record
        lang = self.lang
        if r.net == 0:
            return [Prose(t("render.net.exact_zero", lang, z=r.step_at_zero), style=NOTE)]
        if not r.net_is_roundoff:
            return []
        # short (two sentences): at 80×24 the weight table below must stay in view
        lines = [Prose(t("render.net.roundoff", lang, exact=n.exact(r.net)))]
        key = "render.net.roundoff_decides" if r.roundoff_decides else "render.net.roundoff_same"
        lines.append(Prose(t(key, lang, z=r.step_at_zero, y=r.output), style=EMPH))
        return lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        symbolic, numeric = self._sum_lines()
        yield symbolic
        yield numeric
        if r.bias_before is None:
            key = "render.net.bias_input" if r.x[0] == -1 else "render.net.bias_input_other"
            yield Text(t(key, lang, x0=n.value(r.x[0])), style=NOTE)
        step = Text(f"y = step({self._net_text()}) = ")
        step.append(str(r.output), style=EMPH)
        rule = Text(t("render.net.step_rule", lang, z=r.step_at_zero), style=NOTE)
        yield Parts(step, rule)
        yield from self._roundoff_lines()
        err = Text(f"{t('render.word.error', lang)} = t − y = ")
        err.append(f"{n.value(r.target)} − {r.output} = ")
        err.append(n.value(r.error), style=EMPH)
        key = "render.net.no_update" if r.error == 0 else "render.net.update"
        yield Parts(err, Text(t(key, lang), style=NOTE))


# a space next to an operator inside an expression ("k = 0", "k > 0", "0.05 × 1") is not a place
# to break a line
_EXPRESSION_SPACE = re.compile(r"(?<=\S) ([=<>≠×+−]) (?=[\w(−])")
_NO_BREAK = "\u00a0"


class Prose:
    """Prose that wraps between words but never inside an expression such as "k = 0" (Rich
    would break at any space, NBSP included): words are split at plain spaces only, after the
    spaces around an operator are bound to their neighbours."""

    def __init__(self, text: str, style: str = "", *, lead: int = 0,
                 lead_style: str = "bold") -> None:
        """`lead`: how many characters at the start of `text` (a term before its explanation)
        take `lead_style` as well."""
        self.text = text
        self.style = style
        self.lead = lead
        self.lead_style = lead_style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.cells import cell_len

        width = options.max_width
        bound = _EXPRESSION_SPACE.sub(lambda m: f"{_NO_BREAK}{m.group(1)}{_NO_BREAK}", self.text)
        offset = 0  # characters of `text` before the line being made (binding keeps lengths)

        def made(line: str) -> Text:
            nonlocal offset
            text = Text(line.replace(_NO_BREAK, " "), style=self.style)
            if offset < self.lead:
                text.stylize(self.lead_style, 0, self.lead - offset)
            offset += len(line) + 1  # the space or newline it ended at
            return text

        for paragraph in bound.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                candidate = f"{line} {word}" if line else word
                if line and cell_len(candidate) > width:
                    yield made(line)
                    line = word
                else:
                    line = candidate
            yield made(line)


class Parts:
    """Texts on one line, three spaces apart, that break only between two parts, never inside
    one ("k >⏎0", "−1error ≠ 0"); a part wider than the whole line is folded by Rich."""

    def __init__(self, *parts: Text, gap: int = 3) -> None:
        self.parts = parts
        self.gap = gap

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        line = Text()
        for part in self.parts:
            if line.plain and line.cell_len + self.gap + part.cell_len > width:
                yield line
                line = Text()
            if line.plain:
                line.append(" " * self.gap)
            line.append_text(part)
        yield line


def _sample_text(record: StepRecord, steps_per_epoch: int, lang: str) -> str:
    if isinstance(record, PerceptronStep):
        return t("render.header.sample", lang, i=record.sample + 1, n=steps_per_epoch)
    if isinstance(record, LinearStep):
        if record.sample is not None and steps_per_epoch > 1:
            return t("render.header.sample", lang, i=record.sample + 1, n=steps_per_epoch)
        return t(
            "render.header.batch",
            lang,
            i=record.batch + 1,
            n=steps_per_epoch,
            first=record.samples[0] + 1,
            last=record.samples[-1] + 1,
        )
    return t("render.header.full_batch", lang, n=len(record.x))


def _all_finite(value: object) -> bool:
    """True when every number in a (nested) tuple of weights is finite."""
    if isinstance(value, tuple | list):
        return all(_all_finite(v) for v in value)
    return not isinstance(value, float) or math.isfinite(value)


class StepHeader:
    """'epoch e/E · sample i/N · step s/S' (1-based), then the sample's inputs and target."""

    def __init__(
        self,
        record: StepRecord,
        run_total_steps: int,
        steps_per_epoch: int,
        total_epochs: int,
        lang: str = "en",
    ) -> None:
        self.record = record
        self.run_total_steps = run_total_steps
        self.steps_per_epoch = steps_per_epoch
        self.total_epochs = total_epochs
        self.lang = lang

    def _data_line(self) -> Text:
        r = self.record
        lang = self.lang
        line = Text()
        if isinstance(r, PerceptronStep):
            line.append(t("render.header.inputs", lang) + " x = ")
            line.append(n.values(r.inputs), style=VALUE)
            if r.bias_before is None:
                line.append(f"  (x₀ = {n.value(r.x[0])})", style=NOTE)
            line.append(" · " + t("render.header.target", lang) + " t = ")
            line.append(n.value(r.target), style=VALUE)
        elif isinstance(r, LinearStep) and len(r.samples) == 1:
            line.append(t("render.header.inputs", lang) + " x = ")
            line.append(n.values(r.x[0]), style=VALUE)
            line.append(" · " + t("render.header.target", lang) + " t = ")
            line.append(n.value(r.targets[0]), style=VALUE)
        else:
            rows = r.x if isinstance(r, LinearStep | MLPStep) else ()
            line.append(t("render.header.samples", lang, n=len(rows)))
            line.append(" · " + t("render.header.targets", lang) + " t = ")
            targets = r.targets if not isinstance(r, MLPStep) else [v for row in r.targets for v in row]
            line.append(n.values(targets), style=VALUE)
        return line

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        head = Text()
        head.append(t("render.header.epoch", lang, e=r.epoch, n=self.total_epochs), style=EMPH)
        head.append(" · " + _sample_text(r, self.steps_per_epoch, lang))
        head.append(" · " + t("render.header.step", lang, s=r.index + 1, n=self.run_total_steps))
        yield head
        yield self._data_line()
        numbers = (r.weights_after, getattr(r, "net", None), getattr(r, "loss", None))
        if not _all_finite(numbers):
            # The step where the run diverged (the engine stops after it): the panels show ∞
            # and NaN as they are; this line says why and what to try.
            yield Text("⚠ " + t("render.header.diverged", lang), style="bold")
