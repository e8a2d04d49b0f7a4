"""What the learner sees before a step is revealed: the next sample and the weights as they are now.

Only the record's inputs and its `weights_before` are shown (never its net, output or update), so a
prediction can be made from it. Every number comes from the engine's record; this only formats.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from tutor.engine.records import LinearStep, MLPStep, PerceptronStep, StepRecord
from tutor.i18n import t
from tutor.render import numbers as n


def _weight_line(record: StepRecord, lang: str) -> Text:
    line = Text(t("ui.preview.weights", lang) + "  ")
    if isinstance(record, PerceptronStep):
        first = 0 if record.bias_before is None else 1
        parts = [f"w{n.sub(first + i)} = {n.num(w)}" for i, w in enumerate(record.weights_before)]
        if record.bias_before is not None:
            parts.append(f"b = {n.num(record.bias_before)}")
        line.append("   ".join(parts), style="bold")
    elif isinstance(record, LinearStep):
        parts = [f"w{n.sub(i + 1)} = {n.num(w)}" for i, w in enumerate(record.weights_before)]
        parts.append(f"b = {n.num(record.bias_before)}")
        line.append("   ".join(parts), style="bold")
    else:
        layers = []
        for li, (w, b) in enumerate(zip(record.weights_before, record.biases_before, strict=True)):
            rows = " ".join(n.vector(row) for row in w)
            layers.append(f"W{n.sub(li + 1)} = {rows}  b{n.sub(li + 1)} = {n.vector(b)}")
        line.append("\n".join(layers), style="bold")
    return line


def _sample_line(record: StepRecord, lang: str) -> Text:
    line = Text()
    if isinstance(record, PerceptronStep):
        line.append(t("ui.preview.inputs", lang) + " x = ")
        line.append(n.values(record.inputs), style="bold")
        line.append(" · " + t("ui.preview.target", lang) + " t = ")
        line.append(n.value(record.target), style="bold")
    elif isinstance(record, LinearStep) and len(record.samples) == 1:
        line.append(t("ui.preview.inputs", lang) + " x = ")
        line.append(n.values(record.x[0]), style="bold")
        line.append(" · " + t("ui.preview.target", lang) + " t = ")
        line.append(n.value(record.targets[0]), style="bold")
    elif isinstance(record, MLPStep) and len(record.samples) == 1:
        # one sample (online): its input, not "samples 1–1 (1)"
        line.append(t("ui.preview.inputs", lang) + " x = ")
        line.append(n.values(record.x[0]), style="bold")
        row = record.targets[0]
        line.append(" · " + t("ui.preview.targets" if len(row) > 1 else "ui.preview.target",
                              lang) + " t = ")
        line.append(n.values(row) if len(row) > 1 else n.value(row[0]), style="bold")
    else:
        samples = record.samples
        line.append(
            t("ui.preview.batch", lang, first=samples[0] + 1, last=samples[-1] + 1, n=len(samples))
        )
        line.append(" · " + t("ui.preview.targets", lang) + " t = ")
        targets = (record.targets if isinstance(record, LinearStep)
                   else [v for row in record.targets for v in row])
        line.append(n.values(targets), style="bold")
    return line


class NextStep:
    """'Next: step s of S · epoch e … · η', the sample about to go through, the current weights."""

    def __init__(
        self,
        record: StepRecord,
        total_steps: int,
        steps_per_epoch: int,
        total_epochs: int,
        lang: str = "en",
    ) -> None:
        self.record = record
        self.total_steps = total_steps
        self.steps_per_epoch = steps_per_epoch
        self.total_epochs = total_epochs
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        r = self.record
        lang = self.lang
        head = Text()
        head.append(
            t("ui.preview.next", lang, s=r.index + 1, n=self.total_steps), style="bold reverse"
        )
        head.append("  " + t("ui.preview.epoch", lang, e=r.epoch, n=self.total_epochs))
        # one sample an update: the perceptron rule, or a network trained online
        sample = r.sample if isinstance(r, PerceptronStep | MLPStep) else None
        if sample is not None:
            head.append(
                " · " + t("ui.preview.sample", lang, i=sample + 1, n=self.steps_per_epoch)
            )
        elif isinstance(r, MLPStep) and self.steps_per_epoch == 1:
            head.append(" · " + t("ui.preview.full_batch", lang))
        # η is on the line: 'w₀ after the update = ?' is asked from this preview alone.
        head.append(" · " + t("ui.preview.rate", lang, eta=n.num(r.learning_rate)))
        yield head
        yield _sample_line(r, lang)
        yield _weight_line(r, lang)
