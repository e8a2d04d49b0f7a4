"""The loaded lesson's parts: texts, units and questions, as immutable records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tutor.i18n import DEFAULT_LANGUAGE, LANGUAGES

if TYPE_CHECKING:
    from tutor.engine.config import TrainingConfig

@dataclass(frozen=True)
class Text:
    """Text in one or more languages (a plain string counts for every language)."""

    values: Mapping[str, str]
    line: int = field(default=0, compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    field: str = field(default="", compare=False)

    def line_of(self, lang: str) -> int:
        return self.lines.get(lang, self.line)

    @property
    def languages(self) -> frozenset[str]:
        if "*" in self.values:
            return frozenset(LANGUAGES)
        return frozenset(self.values)

    def get(self, lang: str) -> str:
        """The raw text in `lang`, falling back to English, then to any language there is."""
        for key in (lang, "*", DEFAULT_LANGUAGE, *LANGUAGES):
            if key in self.values:
                return self.values[key]
        return ""


@dataclass(frozen=True)
class Ask:
    id: str
    step: int  # 1-based: asked before this step is revealed
    predict: str
    index: int | None
    tolerance: float
    hints: tuple[Text, ...]
    explain: Text
    training: str  # the training unit's id
    line: int = field(default=0, compare=False)
    field: str = field(default="", compare=False)
    layer: int | None = None  # a network's layer (1 = first hidden) of z, a, delta, weights
    input: int | None = None  # the weight's input in that layer (grad_weights, weights_after)

    kind = "predict"


@dataclass(frozen=True)
class TextUnit:
    id: str
    body: Text
    line: int = field(default=0, compare=False)

    kind = "text"


@dataclass(frozen=True)
class PlotUnit:
    id: str
    functions: tuple[str, ...]
    derivative: bool
    x_from: float
    x_to: float
    caption: Text | None
    line: int = field(default=0, compare=False)
    variable: str = "z"  # the x axis' name: the net input k or z (docs/glossary.md)

    kind = "plot"


@dataclass(frozen=True)
class TrainingUnit:
    id: str
    title: Text | None
    config: TrainingConfig
    asks: tuple[Ask, ...]
    line: int = field(default=0, compare=False)

    kind = "training"


@dataclass(frozen=True)
class QuizUnit:
    id: str
    kind: str  # choice | numeric | predict
    question: Text
    choices: tuple[Text, ...]
    answer: float | int | None
    answer_from: str | None
    tolerance: float
    training: str | None
    step: int | None
    predict: str | None
    index: int | None
    hints: tuple[Text, ...]
    explain: Text
    line: int = field(default=0, compare=False)
    field: str = field(default="", compare=False)
    layer: int | None = None  # as Ask.layer
    input: int | None = None  # as Ask.input


Unit = TextUnit | PlotUnit | TrainingUnit | QuizUnit
Question = Ask | QuizUnit
