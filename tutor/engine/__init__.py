"""The NumPy engine: models that step one update at a time and return immutable records.

Only NumPy and the standard library are imported here (a test enforces it).
"""

from tutor.engine.config import ConfigError, TrainingConfig
from tutor.engine.records import EpochRecord, LinearStep, MLPStep, PerceptronStep, StepRecord
from tutor.engine.run import Run

__all__ = [
    "ConfigError",
    "EpochRecord",
    "LinearStep",
    "MLPStep",
    "PerceptronStep",
    "Run",
    "StepRecord",
    "TrainingConfig",
]
