"""Rich renderables built from the engine's records, in Korean or English.

Each renderable is a small class with `__rich_console__` that takes records plus `lang`; it never
computes an update (every number comes from a record). Imports: rich, the engine and `tutor.i18n`
only, never textual. Meaning is never carried by colour alone: symbols and words say it too.
"""

from tutor.render.equation import NetEquation, StepHeader
from tutor.render.history import EpochHistory
from tutor.render.plots import DecisionPlot, FunctionPlot, HiddenLinesPlot
from tutor.render.trace import TraceTable
from tutor.render.views import LinearStepView, MLPStepView
from tutor.render.weights import WeightTable

__all__ = [
    "DecisionPlot",
    "EpochHistory",
    "FunctionPlot",
    "HiddenLinesPlot",
    "LinearStepView",
    "MLPStepView",
    "NetEquation",
    "StepHeader",
    "TraceTable",
    "WeightTable",
]
