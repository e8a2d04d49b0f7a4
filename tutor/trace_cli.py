"""`perceptron-tutor trace LESSON`: every step of a lesson's trainings, as a table or JSON lines.

In a terminal a Rich table; piped, one tab-separated line per step and per epoch; with `--json`,
one JSON object per line (keys documented in the README). Piped output is written as computed
(`Run.stream`), so a run of 10⁶ updates needs no more memory than a short one.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from tutor.cli_common import MIN_WIDTH, UsageError, print_problems
from tutor.i18n import t
from tutor.working import WorkLine


def add_trace_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser,
                      lang: str) -> None:
    """Add `trace` to `sub`; `common` holds --lessons and --lang."""
    p = sub.add_parser("trace", parents=[common], help=t("cli.trace.help", lang),
                       description=t("cli.trace.description", lang),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("lesson", metavar="LESSON", help=t("cli.arg.lesson", lang))
    p.add_argument("--unit", metavar="ID", help=t("cli.trace.unit", lang))
    p.add_argument("--json", action="store_true", help=t("cli.trace.json", lang))
    p.set_defaults(handler=lambda a: cmd_trace(a.lesson, a.lessons, a.lang, unit=a.unit,
                                               as_json=a.json))


def step_json(unit: str, rec: Any) -> dict[str, Any]:
    """One step as a JSON-able dict with the keys documented in the README. Samples are numbered
    from 1, as the screens number them."""
    base: dict[str, Any] = {"type": "step", "unit": unit, "step": rec.index + 1, "epoch": rec.epoch}
    if rec.model == "perceptron":
        base.update(
            sample=rec.sample + 1, x=list(rec.x), inputs=list(rec.inputs), target=rec.target,
            net=rec.net, output=rec.output, error=rec.error,
            weights_before=list(rec.weights_before), weights_after=list(rec.weights_after),
            delta=list(rec.delta),
        )
        if rec.bias_before is not None:
            base.update(bias_before=rec.bias_before, bias_after=rec.bias_after)
        base["roundoff"] = rec.net_is_roundoff
    elif rec.model == "linear":
        base.update(
            sample=None if rec.sample is None else rec.sample + 1, batch=rec.batch,
            samples=[s + 1 for s in rec.samples],
            x=[list(r) for r in rec.x], target=list(rec.targets), net=list(rec.outputs),
            output=list(rec.outputs), error=list(rec.errors), residual=list(rec.residuals),
            loss=rec.loss,
            grad_weights=list(rec.grad_weights), grad_bias=rec.grad_bias,
            weights_before=list(rec.weights_before), weights_after=list(rec.weights_after),
            bias_before=rec.bias_before, bias_after=rec.bias_after,
        )
    else:
        base.update(
            sample=None if rec.sample is None else rec.sample + 1, batch=rec.batch,
            samples=[s + 1 for s in rec.samples],
            x=[list(r) for r in rec.x], target=_outputs(rec.targets),
            hidden=_lists(rec.hidden), output=_outputs(rec.outputs), error=_outputs(rec.errors),
            residual=_outputs(rec.residuals), loss=rec.loss,
            z=_lists(rec.z), a=_lists(rec.a), delta=_lists(rec.deltas),
            grad_weights=_lists(rec.grad_weights), grad_biases=_lists(rec.grad_biases),
            weights_before=_lists(rec.weights_before),
            weights_after=_lists(rec.weights_after), bias_before=_lists(rec.biases_before),
            bias_after=_lists(rec.biases_after),
        )
    return base


def epoch_json(unit: str, ep: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "epoch", "unit": unit, "epoch": ep.epoch}
    if ep.loss is not None:
        out["loss"] = ep.loss
    if ep.accuracy is not None:
        out["acc"] = ep.accuracy
    if ep.errors is not None:
        out["errors"] = ep.errors
    out["updates"] = ep.updates
    if ep.misclassified is not None:
        out["misclassified"] = ep.misclassified
    out["weights"] = _lists(ep.weights)
    if ep.bias is not None:
        out["bias"] = _lists(ep.bias)
    return out


def _outputs(rows: Any) -> list[Any]:
    """A network's per-sample output values: one number per sample for one output unit, else
    one list per sample."""
    if all(len(row) == 1 for row in rows):
        return [row[0] for row in rows]
    return _lists(rows)


def _lists(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    return value


def cmd_trace(name: str, extra_dirs: Sequence[Path], lang: str, *, unit: str | None,
              as_json: bool) -> int:
    from tutor.lessons import LessonError, find_lesson, first_non_finite

    try:
        lesson = find_lesson(name, extra_dirs)
    except LessonError as exc:
        print_problems(exc.problems)
        return 1
    trainings = lesson.trainings
    if unit is not None:
        trainings = tuple(u for u in trainings if u.id == unit)
        if not trainings:
            ids = ", ".join(u.id for u in lesson.trainings) or "-"
            raise UsageError(t("cli.trace.no_unit", lang, unit=unit, lesson=lesson.id, ids=ids))
    if not trainings:
        print(t("cli.trace.none", lang, lesson=lesson.id), file=sys.stderr)
        return 0
    pretty = not as_json and sys.stdout.isatty()
    diverged = False
    for tu in trainings:
        if pretty:
            from rich.console import Console
            from rich.text import Text

            from tutor.lessons import first_non_finite
            from tutor.render import TraceTable

            run = lesson.run(tu.id)
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                run.compute(progress=line)
            console = Console()
            if console.width < MIN_WIDTH:
                console = Console(width=MIN_WIDTH)
            console.rule(Text(f"{lesson.id} · {tu.id}"))
            console.print(TraceTable(run.run_to_end(), lang))
            bad = first_non_finite(run)
        elif as_json:
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                bad = _json_trace(tu.id, tu.config, sys.stdout, line)
        else:
            with WorkLine(f"{lesson.id} · {tu.id}", lang) as line:
                bad = _plain_trace(tu.id, tu.config, sys.stdout, line)
        if bad is not None:  # ∞ or NaN was printed as such; say why, once
            print(t("cli.trace.diverges", lang, unit=tu.id, step=bad), file=sys.stderr)
            diverged = True
    return 1 if diverged else 0


def _finite(rec: Any) -> bool:
    """False when a step's net or loss, or a weight after it, is ∞ or NaN (the run diverged)."""
    for name in ("net", "loss"):
        v = getattr(rec, name, None)
        if isinstance(v, float) and not math.isfinite(v):
            return False
    weights = rec.weights_after
    if weights and isinstance(weights[0], tuple):  # a network: matrices
        weights = [v for matrix in weights for row in matrix for v in row]
    return all(math.isfinite(v) for v in weights)


def _json_trace(unit: str, config: Any, out: TextIO, progress: Any = None) -> int | None:
    """One JSON line per step, each epoch's line after its last step, written as computed:
    nothing of the run is kept (engine `Run.stream`). The first step (1-based) that holds ∞ or
    NaN, or None."""
    from tutor.engine.records import EpochRecord
    from tutor.engine.run import MODEL_CLASSES, Run

    # One encoder for every line: json.dumps(..., ensure_ascii=False) would build a new one per
    # call; the bytes are the same. Strict: a diverged step's ∞ or NaN is no JSON number.
    strict = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode

    def encode(obj: dict[str, Any]) -> str:
        try:
            return strict(obj)
        except ValueError:  # only on a step or epoch that holds ∞ or NaN
            return strict(_finite_json(obj))
    write = out.write
    bad = None
    total = MODEL_CLASSES[config.model].steps_per_epoch_of(config) * config.epochs
    for rec in Run.stream(config):
        if isinstance(rec, EpochRecord):
            write(encode(epoch_json(unit, rec)) + "\n")
        else:
            write(encode(step_json(unit, rec)) + "\n")
            if bad is None and not _finite(rec):
                bad = rec.index + 1
            if progress is not None and rec.index % PROGRESS_EVERY == 0:
                progress(rec.index, total)
    return bad


def _finite_json(value: Any) -> Any:
    """`value` with every float that is ∞ or NaN written as the string "Infinity", "-Infinity"
    or "NaN", as Protocol Buffers' JSON mapping writes them: Python's bare `Infinity` and `NaN`
    are not JSON (RFC 8259, section 6), and jq or JavaScript's JSON.parse refuse the line."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _finite_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_json(v) for v in value]
    return value


PROGRESS_EVERY = 4096  # steps of a streamed trace between two looks at the work line


def _fmt(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    return repr(value) if isinstance(value, float) else str(value)


_PLAIN_KEYS = ("epoch", "sample", "x", "target", "net", "output", "error", "loss",
               "weights_after", "bias_after")


def _plain_trace(unit: str, config: Any, out: TextIO, progress: Any = None) -> int | None:
    """The piped table: one tab-separated line per step and per epoch, written as computed.
    The first step (1-based) that holds ∞ or NaN, or None."""
    from tutor.engine.records import EpochRecord
    from tutor.engine.run import MODEL_CLASSES, Run

    bad = None
    total = MODEL_CLASSES[config.model].steps_per_epoch_of(config) * config.epochs
    for rec in Run.stream(config):
        if isinstance(rec, EpochRecord):
            summary = epoch_json(unit, rec)
            out.write(unit + "\tepoch " + str(rec.epoch) + "\t" + "\t".join(
                f"{k}={_fmt(v)}" for k, v in summary.items() if k not in ("type", "unit", "epoch"))
                + "\n")
        else:
            d = step_json(unit, rec)
            out.write(unit + "\tstep " + str(d["step"]) + "\t" + "\t".join(
                f"{k}={_fmt(d[k])}" for k in _PLAIN_KEYS if k in d and d[k] is not None) + "\n")
            if bad is None and not _finite(rec):
                bad = rec.index + 1
            if progress is not None and rec.index % PROGRESS_EVERY == 0:
                progress(rec.index, total)
    return bad
