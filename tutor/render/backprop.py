"""One update of a network in stages, each with its numbers filled in: forward per layer, the error,
δ of the output layer, δ of each hidden layer, the gradients and the update of each layer.

`stages_of(record)` lists the stages of an update; `BackpropStage(record, stage, lang)` draws one.
Every number is read from the record (engine/records.py `MLPStep`): z, a, the targets, the loss, each
δ and both its factors (`upstream`, `slopes`), the gradients and the weights before and after. Only
the equations' text is put together here; nothing is computed. Numbers are shown to 6 significant
digits, as the worked examples print them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich import box
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from tutor.engine.records import MLPStep
from tutor.i18n import t
from tutor.render import numbers as n
from tutor.render.network_names import source_name, unit_name
from tutor.render.style import CURRENT, EMPH, NOTE
from tutor.render.views import Chunks
from tutor.render.weights import change_mark

STAGE_KINDS = ("forward", "loss", "delta", "gradient", "update")
MAX_ROWS = 6  # units listed per layer in the diagram

# f'(z) written with the unit's own activation a (the sigmoid's a(1 − a), tanh's 1 − a²)
SLOPES = {
    "sigmoid": "{a}·(1 − {a})",
    "tanh": "1 − {a}²",
    "relu": "1 (z > 0) / 0",
    "leaky_relu": "1 (z > 0) / 0.01",
    "linear": "1",
}


@dataclass(frozen=True)
class Stage:
    """One stage of an update: its kind (STAGE_KINDS) and layer (0 = the first hidden layer;
    None for the loss)."""

    kind: str
    layer: int | None = None


def stages_of(record: MLPStep) -> tuple[Stage, ...]:
    """The stages of one update, in the order backpropagation computes them: forward through each
    layer, the error, δ from the output layer back, then each layer's gradients and update from the
    output layer back."""
    layers = range(len(record.weights_before))
    back = list(reversed(layers))
    return (
        *(Stage("forward", layer) for layer in layers),
        Stage("loss"),
        *(Stage("delta", layer) for layer in back),
        *(Stage("gradient", layer) for layer in back),
        *(Stage("update", layer) for layer in back),
    )


def v(x: float) -> str:
    """A number of the walkthrough: 6 significant digits, the true minus sign."""
    return n.with_minus(f"{float(x):.6g}")


def f(x: float) -> str:
    """A factor in a product or sum: a negative one in parentheses."""
    text = v(x)
    return f"({text})" if text.startswith(n.MINUS) else text


class BackpropStage:
    """One stage of one update of a network, every number filled in.

    `stage` is an index into `stages_of(record)`. Above the stage, a line of every stage of the
    update with the current one in brackets (and bold): where the learner is, without colour.
    """

    def __init__(self, record: MLPStep, stage: int, lang: str = "en") -> None:
        self.record = record
        self.stages = stages_of(record)
        self.index = max(0, min(stage, len(self.stages) - 1))
        self.lang = lang

    # -- names

    @property
    def layers(self) -> int:
        return len(self.record.weights_before)

    @property
    def outputs(self) -> int:
        return len(self.record.a[-1][0])

    def unit(self, layer: int, unit: int) -> str:
        return unit_name(layer, unit, self.layers, self.outputs)

    def source(self, layer: int, index: int) -> str:
        return source_name(layer, index, self.layers, self.outputs)

    def weight(self, layer: int, source: int, unit: int) -> str:
        return f"w({self.source(layer, source)}→{self.unit(layer, unit)})"

    def incoming(self, layer: int, sample: int) -> tuple[float, ...]:
        """The activations that go into `layer` for one sample: the inputs x, or the layer
        before's a."""
        r = self.record
        return r.x[sample] if layer == 0 else r.a[layer - 1][sample]

    def _samples(self) -> range:
        return range(len(self.record.x))

    def _sample_head(self, sample: int) -> Text | None:
        """'sample 3' above each sample's lines when the update takes several samples."""
        r = self.record
        if len(r.samples) == 1:
            return None
        return Text(t("backprop.sample", self.lang, s=r.samples[sample] + 1), style=EMPH)

    # -- the stage map

    def _label(self, stage: Stage) -> str:
        if stage.layer is None:
            return "E"
        sup = n.sup(stage.layer + 1)
        return {
            "forward": f"z,a{sup}",
            "delta": f"δ{sup}",
            "gradient": f"∂E/∂W{sup}",
            "update": f"W{sup}←",
        }[stage.kind]

    def _map(self) -> Text:
        text = Text()
        for i, stage in enumerate(self.stages):
            if i:
                text.append(" → " if stage.kind != self.stages[i - 1].kind else " ", style=NOTE)
            label = self._label(stage)
            if i == self.index:
                text.append(f"[{label}]", style=CURRENT)
            else:
                text.append(label, style=NOTE)
        return text

    # -- the network, as columns of units

    def _diagram(self) -> Table:
        """The network as columns of units, inputs to outputs, with the values this stage is
        about (a forward, δ backward) for an update of one sample in a network of up to three
        layers; the layer or the weights the stage works on have their heading in brackets. At most MAX_ROWS units per layer are
        listed (then '+ N more')."""
        r = self.record
        stage = self.stages[self.index]
        one = len(r.x) == 1 and self.layers <= 3  # values fit beside the names
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
        sizes = [len(r.x[0]), *(len(a[0]) for a in r.a)]
        rows = min(max(sizes), MAX_ROWS)

        def heading(text: str, current: bool) -> Text:
            return Text(f"[{text}]", style=CURRENT) if current else Text(text)

        table.add_column("x", no_wrap=True)
        columns: list[list[str]] = [
            [f"x{n.sub(i + 1)}" + (f" {v(r.x[0][i])}" if one else "") for i in range(sizes[0])]
        ]
        for layer in range(self.layers):
            weights_stage = stage.kind in ("gradient", "update") and stage.layer == layer
            table.add_column(heading(f"W{n.sup(layer + 1)}", weights_stage), no_wrap=True)
            unit_stage = stage.kind in ("forward", "delta") and stage.layer == layer
            is_output = layer == self.layers - 1
            name = "ŷ" if is_output else ("h" if self.layers == 2 else f"h{n.sup(layer + 1)}")
            table.add_column(heading(name, unit_stage or (is_output and stage.kind == "loss")),
                             no_wrap=True)
            backward = stage.kind != "forward" and stage.kind != "loss" and (
                stage.kind != "delta" or stage.layer is None or layer >= stage.layer)
            shown = stage.kind != "forward" or (stage.layer is not None and layer <= stage.layer)
            cells = []
            for j in range(sizes[layer + 1]):
                text = self.unit(layer, j)
                if one and shown:
                    text += f" δ={v(r.deltas[layer][0][j])}" if backward else \
                        f" a={v(r.a[layer][0][j])}"
                cells.append(text)
            columns.append(["──▶"] * min(sizes[layer], sizes[layer + 1], rows))
            columns.append(cells)
        for row in range(rows):
            table.add_row(*(col[row] if row < len(col) else "" for col in columns))
        if any(size > rows for size in sizes):
            table.add_row(*(f"+ {len(col) - rows}" if len(col) > rows else "" for col in columns))
        return table

    # -- the stages

    def _forward(self, layer: int) -> Iterator[Text | Chunks]:
        r = self.record
        lang = self.lang
        act = r.activations[layer]
        which = (t("backprop.layer.output", lang) if layer == self.layers - 1
                 else t("backprop.layer.hidden", lang, l=layer + 1))
        yield Text(t("backprop.stage.forward", lang, which=which, f=act), style=EMPH)
        W, b = r.weights_before[layer], r.biases_before[layer]
        for s in self._samples():
            head = self._sample_head(s)
            if head is not None:
                yield head
            a_in = self.incoming(layer, s)
            for j in range(len(W[0])):
                name = self.unit(layer, j)
                terms = [f"{f(W[i][j])}·{f(a_in[i])}" for i in range(len(W))]
                terms.append(f(b[j]))
                yield Chunks(f"z({name}) = " + " + ".join(terms) + f" = {v(r.z[layer][s][j])}",
                             sep=" + ")
                line = Text(f"  {name} = {act}({v(r.z[layer][s][j])}) = ")
                line.append(v(r.a[layer][s][j]), style=EMPH)
                yield line

    def _loss(self) -> Iterator[Text | Chunks]:
        r = self.record
        lang = self.lang
        name = r.loss_name
        yield Text(t(f"backprop.stage.loss.{name}", lang, n=len(r.x), k=self.outputs),
                   style=EMPH)
        last = self.layers - 1
        terms = []
        for s in self._samples():
            for k in range(self.outputs):
                terms.append(f"({v(r.targets[s][k])} − {v(r.a[last][s][k])})²")
        if name in ("mse", "sse_half"):
            front = "½" if name == "sse_half" else f"1/{len(terms)} ·"
            yield Chunks(f"E = {front} [" + " + ".join(terms) + "]", sep=" + ")
        line = Text("E = ")
        line.append(v(r.loss), style=EMPH)
        yield line
        yield Text()
        yield Text(t("backprop.errors", lang), style=NOTE)
        for s in self._samples():
            for k in range(self.outputs):
                unit = self.unit(last, k)
                yield Text(f"  t − {unit} = {v(r.targets[s][k])} − {v(r.a[last][s][k])} = "
                           f"{v(r.errors[s][k])}")

    def _delta(self, layer: int) -> Iterator[Text | Chunks]:
        r = self.record
        lang = self.lang
        act = r.activations[layer]
        if layer == self.layers - 1:
            yield from self._delta_output(layer, act)
            return
        yield Text(t("backprop.stage.delta_hidden", lang, l=layer + 1), style=EMPH)
        nxt = layer + 1
        W = r.weights_before[nxt]
        for s in self._samples():
            head = self._sample_head(s)
            if head is not None:
                yield head
            for j in range(len(W)):
                name = self.unit(layer, j)
                symbolic = " + ".join(f"δ({self.unit(nxt, k)})·{self.weight(nxt, j, k)}"
                                      for k in range(len(W[j])))
                yield Chunks(f"δ({name}) = ({symbolic}) · f′(z)", sep=" + ")
                numbers = " + ".join(f"{f(r.deltas[nxt][s][k])}×{f(W[j][k])}"
                                     for k in range(len(W[j])))
                yield Chunks(f"  = ({numbers}) × {f(r.slopes[layer][s][j])}", sep=" + ")
                line = Text(f"  = {f(r.upstream[layer][s][j])} × {f(r.slopes[layer][s][j])} = ")
                line.append(v(r.deltas[layer][s][j]), style=EMPH)
                yield line
                a = f(r.a[layer][s][j])
                yield Text(f"  f′(z) = {SLOPES[act].format(a=name)} = {SLOPES[act].format(a=a)}"
                           f" = {v(r.slopes[layer][s][j])}", style=NOTE)

    def _delta_output(self, layer: int, act: str) -> Iterator[Text | Chunks]:
        r = self.record
        lang = self.lang
        name = r.loss_name
        cross_entropy = name in ("binary_crossentropy", "categorical_crossentropy")
        key = "backprop.stage.delta_output_ce" if cross_entropy else "backprop.stage.delta_output"
        # binary cross-entropy is a mean over samples and outputs, categorical over samples
        per = len(r.x) * (self.outputs if name == "binary_crossentropy" else 1)
        yield Text(t(key, lang, d="N·K" if name == "binary_crossentropy" else "N"), style=EMPH)
        scale = {"mse": f"2/{len(r.x) * self.outputs} · ", "sse_half": ""}.get(name, "")
        for s in self._samples():
            head = self._sample_head(s)
            if head is not None:
                yield head
            for k in range(self.outputs):
                unit = self.unit(layer, k)
                o, target = v(r.a[layer][s][k]), v(r.targets[s][k])
                if cross_entropy:
                    line = Text(f"δ({unit}) = ({o} − {target}) / {per} = ")
                    line.append(v(r.deltas[layer][s][k]), style=EMPH)
                    yield line
                    continue
                yield Text(f"δ({unit}) = ∂E/∂{unit} · f′(z)")
                t_k = f"t{n.sub(k + 1)}" if self.outputs > 1 else "t"
                if scale:
                    formula = f"{scale}({unit} − {t_k}) = {scale}({o} − {target})"
                else:
                    formula = f"{unit} − {t_k} = {o} − {target}"
                yield Text(f"  ∂E/∂{unit} = {formula} = {v(r.upstream[layer][s][k])}")
                yield Text(f"  f′(z) = {SLOPES[act].format(a=unit)} = "
                           f"{SLOPES[act].format(a=f(r.a[layer][s][k]))} = "
                           f"{v(r.slopes[layer][s][k])}")
                line = Text(f"  δ({unit}) = {f(r.upstream[layer][s][k])} × "
                            f"{f(r.slopes[layer][s][k])} = ")
                line.append(v(r.deltas[layer][s][k]), style=EMPH)
                yield line

    def _gradient(self, layer: int) -> Iterator[Text | Chunks]:
        r = self.record
        lang = self.lang
        batch = len(r.x)
        key = "backprop.stage.gradient" if batch == 1 else "backprop.stage.gradient_batch"
        yield Text(t(key, lang, l=layer + 1, n=batch), style=EMPH)
        G, W = r.grad_weights[layer], r.weights_before[layer]
        for j in range(len(W[0])):
            unit = self.unit(layer, j)
            for i in range(len(W)):
                terms = " + ".join(f"{f(r.deltas[layer][s][j])}×{f(self.incoming(layer, s)[i])}"
                                   for s in self._samples())
                text = f"∂E/∂{self.weight(layer, i, j)} = δ({unit})·{self.source(layer, i)}"
                line = Text(f"{text} = {terms} = ")
                line.append(v(G[i][j]), style=EMPH)
                yield line
            terms = " + ".join(f(r.deltas[layer][s][j]) for s in self._samples())
            line = Text(f"∂E/∂b({unit}) = δ({unit}) = " + (f"{terms} = " if batch > 1 else ""))
            line.append(v(r.grad_biases[layer][j]), style=EMPH)
            yield line

    def _update(self, layer: int) -> Iterator[Text]:
        r = self.record
        lang = self.lang
        eta = v(r.learning_rate)
        yield Text(t("backprop.stage.update", lang, l=layer + 1, lr=eta), style=EMPH)
        W, Wa, G = r.weights_before[layer], r.weights_after[layer], r.grad_weights[layer]
        b, ba, gb = r.biases_before[layer], r.biases_after[layer], r.grad_biases[layer]
        for j in range(len(W[0])):
            for i in range(len(W)):
                line = Text(f"{self.weight(layer, i, j)}: {v(W[i][j])} − {eta}×{f(G[i][j])} = ")
                line.append(v(Wa[i][j]), style=EMPH)
                line.append(" ")
                line.append_text(change_mark(W[i][j], Wa[i][j]))
                yield line
            name = f"b({self.unit(layer, j)})"
            if r.train_biases:
                line = Text(f"{name}: {v(b[j])} − {eta}×{f(gb[j])} = ")
                line.append(v(ba[j]), style=EMPH)
            else:
                line = Text(f"{name}: {v(b[j])} ")
                line.append(t("backprop.bias_fixed", lang), style=NOTE)
            line.append(" ")
            line.append_text(change_mark(b[j], ba[j]))
            yield line
        yield Text(t("render.weights.legend", lang), style=NOTE)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        stage = self.stages[self.index]
        yield Text(t("backprop.stage_of", self.lang, k=self.index + 1, m=len(self.stages)),
                   style=NOTE)
        yield self._map()
        yield self._diagram()
        yield Text()
        if stage.kind == "forward":
            assert stage.layer is not None
            yield from self._forward(stage.layer)
        elif stage.kind == "loss":
            yield from self._loss()
        elif stage.kind == "delta":
            assert stage.layer is not None
            yield from self._delta(stage.layer)
        elif stage.kind == "gradient":
            assert stage.layer is not None
            yield from self._gradient(stage.layer)
        else:
            assert stage.layer is not None
            yield from self._update(stage.layer)
