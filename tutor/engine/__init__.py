"""The NumPy engine: models that step one update at a time and return immutable records.

Only NumPy and the standard library are imported here (a test enforces it). The names below load
lazily: `tutor.engine.config` and `tutor.engine.records` need no NumPy, so reading and listing
lessons never imports it; `Run` (and NumPy) load when a run is first asked for.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# One BLAS thread unless the user chose otherwise (before NumPy loads, which reads it once).
# NumPy's OpenBLAS otherwise starts a thread per core as it loads, and they spin waiting for
# work: about 60 ms of the other core during an app's start on two cores (CPU time of a lesson
# opened by id, to its settled first frame: 535 -> 430 ms), for arrays of a few numbers that
# OpenBLAS computes in one thread anyway.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

if TYPE_CHECKING:
    from tutor.engine.config import ConfigError, TrainingConfig
    from tutor.engine.records import EpochRecord, LinearStep, MLPStep, PerceptronStep, StepRecord
    from tutor.engine.run import Run

_WHERE = {
    "ConfigError": "tutor.engine.config",
    "TrainingConfig": "tutor.engine.config",
    "EpochRecord": "tutor.engine.records",
    "LinearStep": "tutor.engine.records",
    "MLPStep": "tutor.engine.records",
    "PerceptronStep": "tutor.engine.records",
    "StepRecord": "tutor.engine.records",
    "Run": "tutor.engine.run",
}

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


def __getattr__(name: str) -> Any:
    """PEP 562: `from tutor.engine import Run` imports engine/run.py (and NumPy) only then."""
    if name not in _WHERE:
        raise AttributeError(f"module 'tutor.engine' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value
