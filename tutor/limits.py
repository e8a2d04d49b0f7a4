"""The documented limits of a lesson file, enforced when it is loaded (docs/lesson-format.md).

Every real lesson stays far inside them (the largest built-in lesson is 25 KB, 5 samples, a few
hundred updates); they exist so that a shared file cannot make the tutor hang, eat memory or
flood the screen. Each broken limit is reported by `check` as a problem naming the limit and the
value that broke it.
"""

from __future__ import annotations

import itertools
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_FILE_BYTES = 1_000_000
"""A lesson file is at most 1 MB."""

MAX_NODES = 100_000
"""Values in the file after expanding YAML aliases (a billion-laughs file is refused early)."""

MAX_DEPTH = 64
"""Nesting of lists and mappings."""

MAX_NUMBER_CHARS = 100
"""Characters in one number as written (a 5000-digit integer is refused, not computed)."""

MAX_ID_CHARS = 64
"""Characters in one id (a lesson's, a unit's, a question's): ids are shown and stored."""

MAX_TEXT_CHARS = 20_000
"""Characters in one text (one language of a text unit, question, hint …)."""

MAX_TEXT_LINES = 400
"""Lines in one text."""

MAX_UNITS = 200
"""Units in one lesson: each is a row of the contents (`c`), 30,000 took 20 s to list."""

MAX_MARKDOWN_PARTS = 100
"""Table cells, list items, headings and quoted lines in one text (see `markdown_parts`)."""

MAX_FORMAT_WIDTH = 100
"""Width and precision in a placeholder's format, as in `{{x:>100.5f}}`."""

MAX_SAMPLES = 10_000
"""Samples in one training unit."""

MAX_INPUTS = 100
"""Inputs per sample."""

MAX_UPDATES = 1_000_000
"""Updates in one training: steps per epoch × epochs."""

MAX_LAYERS = 8
"""Hidden layers in a network."""

MAX_NETWORK_WEIGHTS = 10_000
"""Weights and biases in a network."""

MAX_SEED = 2**31 - 1
"""An exam sitting's seed (tutor/exam.py): fits SQLite's INTEGER and JSON; the progress store
checks an imported one against it."""

MAX_WORK = 10_000_000
"""Updates × weights: the numbers one training writes into its history."""

MAX_LESSON_WORK = 10_000_000
"""Updates × weights summed over a lesson's trainings: `check` and the app keep every run of a
lesson, so forty trainings each at MAX_UPDATES (a few lines with YAML merge keys) would pass the
per-training limits and still hold over a gigabyte (a MemoryError under a 300 MB cap)."""


def work(*, inputs: int, steps_per_epoch: int, epochs: int,
         hidden: tuple[int, ...] | None) -> int:
    """Updates × weights of one training (what MAX_WORK and MAX_LESSON_WORK bound)."""
    if hidden is None:
        weights = inputs + 1
    else:
        weights = sum((a + 1) * b for a, b in itertools.pairwise((inputs, *hidden, 1)))
    return steps_per_epoch * epochs * weights


def limit_message(subject: str, value: int, limit: int, unit: str) -> str:
    """`the file has 2,000,000 bytes; the limit is 1,000,000 bytes`: names the limit and value."""
    return f"{subject} has {value:,} {unit}; the limit is {limit:,} {unit}"


def training_problem(
    *,
    samples: int,
    inputs: int,
    steps_per_epoch: int,
    epochs: int,
    hidden: tuple[int, ...] | None,
    outputs: int = 1,
    layers_key: str = "hidden",
) -> tuple[str, str] | None:
    """The first limit a training breaks, as (field, message), or None.

    `hidden` is a network's hidden layer sizes (None for a perceptron or linear unit, whose
    weights are the inputs plus a bias), `outputs` its output units, `layers_key` the lesson key
    that gave the sizes (`hidden` or `layers`). Plain integer arithmetic: nothing is allocated.
    """
    if samples > MAX_SAMPLES:
        return "inputs", limit_message("the training", samples, MAX_SAMPLES, "samples")
    if inputs > MAX_INPUTS:
        return "inputs", limit_message("each sample", inputs, MAX_INPUTS, "inputs")
    updates = steps_per_epoch * epochs
    if updates > MAX_UPDATES:
        return "epochs", (
            limit_message(f"{steps_per_epoch:,} steps per epoch × {epochs:,} epochs",
                          updates, MAX_UPDATES, "updates")
        )
    if hidden is not None:
        if len(hidden) > MAX_LAYERS:
            return layers_key, limit_message("the network", len(hidden), MAX_LAYERS,
                                             "hidden layers")
        sizes = (inputs, *hidden, outputs)
        weights = sum((a + 1) * b for a, b in itertools.pairwise(sizes))
        if weights > MAX_NETWORK_WEIGHTS:
            return layers_key, limit_message("the network", weights, MAX_NETWORK_WEIGHTS,
                                           "weights and biases")
    else:
        weights = inputs + 1
    if updates * weights > MAX_WORK:
        return "epochs", (
            limit_message(f"{updates:,} updates × {weights:,} weights", updates * weights,
                          MAX_WORK, "numbers to compute")
        )
    return None


FLOAT32_MAX = 3.4028234663852886e38
"""The largest float32: a linear unit computes in float32 (as Keras does)."""


def float32_problem(config: Any) -> tuple[str, str] | None:
    """The first number of a float32 training that float32 cannot hold, as (field, message).

    1e308 is a fine float64 but ∞ in float32: the run would start from ∞.
    """
    named: list[tuple[str, float]] = [("learning_rate", config.learning_rate)]
    named += [(f"inputs[{i}][{j}]", v) for i, row in enumerate(config.inputs)
              for j, v in enumerate(row)]
    for i, target in enumerate(config.targets):
        if isinstance(target, tuple | list):
            named += [(f"targets[{i}][{j}]", v) for j, v in enumerate(target)]
        else:
            named.append((f"targets[{i}]", target))
    named += [(f"weights[{i}]", v) for i, v in enumerate(config.weights or ())]
    for li, layer in enumerate(getattr(config, "layers", None) or ()):
        named += [(f"layers[{li}].weights[{r}][{c}]", v)
                  for r, row in enumerate(layer.weights or ()) for c, v in enumerate(row)]
        named += [(f"layers[{li}].biases[{c}]", v) for c, v in enumerate(layer.biases or ())]
    if config.bias is not None:
        named.append(("bias", config.bias))
    for name, value in named:
        if abs(value) > FLOAT32_MAX:
            return name, (f"is {value:g}, beyond what float32 holds (±{FLOAT32_MAX:.4g}); "
                          "use dtype: float64 or a smaller number")
    return None


# what starts a quote, list item or heading, at the start of a line or after another of them
_MARKER = re.compile(r"[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$))")
_UNDERLINE = re.compile(r"[ \t]*(?:=+|-+)[ \t]*")  # a setext heading's second line
_COUNTED = {"th_open", "td_open", "list_item_open", "heading_open"}


def markdown_parser() -> Any:
    """The parser the app shows lesson text with (tutor/ui/widgets/markdown.py builds it from
    here): gfm-like, with raw HTML, links, autolinks and images not parsed at all."""
    from markdown_it import MarkdownIt  # rich's dependency; imported only when a text needs it

    md = MarkdownIt("gfm-like", {"html": False, "linkify": False})
    md.disable(["link", "image", "autolink", "html_inline", "html_block", "linkify"],
               ignoreInvalid=True)
    return md


_parser: Any = None


def markdown_parts(text: str) -> int:
    """The table cells, list items, headings and quoted lines `text` has as Markdown, as the
    app's own parser reads it (a line counter was fooled by tables of one bar a row, setext
    headings and fences that are not fences). The app makes widgets of each, and lays them out
    in a time that grows faster than their number: a 100 × 30 table (6,464 characters, 32
    lines) took 13 s to show, and as long on a resize."""
    global _parser
    if _parser is None:
        _parser = markdown_parser()
    parts = 0
    for token in _parser.parse(text):
        if token.type in _COUNTED:
            parts += 1
        elif token.type == "blockquote_open" and token.map:
            parts += token.map[1] - token.map[0]  # each quoted line
    return parts


def _markers(line: str) -> int:
    """How many quote, list-item and heading markers open `line` (`> - 1. # x` has four)."""
    count = end = 0
    while (m := _MARKER.match(line, end)) is not None and m.end() > end:
        count, end = count + 1, m.end()
    return count


def markdown_parts_bound(text: str) -> int:
    """A number `markdown_parts(text)` never exceeds, counted without parsing (so a lesson of
    ordinary texts is checked without importing markdown-it: the menu loads none). List items,
    headings and quotes open with markers at the start of a line (`_markers`), or are a line
    of `=` or `-` under a heading's text; a table has as many columns as its header row has
    cells, at most the most `|` on one line plus one, in at most every line; quotes nest at
    most as deep as the most `>` on one line, each level counting at most every line."""
    lines = text.split("\n")
    bars = max(line.count("|") for line in lines)
    quotes = max(line.count(">") for line in lines)
    cells = (bars + 1) * len(lines) if bars else 0
    openers = sum(_markers(line) + bool(_UNDERLINE.fullmatch(line)) for line in lines)
    return cells + quotes * len(lines) + openers
