"""A run: a model built from a config plus the history of its records.

Records are computed on demand and kept, so going back is indexing, never recomputing backwards,
and going back to the start shows the same initial weights.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from tutor.engine.config import TrainingConfig
from tutor.engine.exact import ExactPerceptron
from tutor.engine.linear import LinearUnit
from tutor.engine.mlp import MLP
from tutor.engine.perceptron import Perceptron
from tutor.engine.records import EpochRecord, Matrix, NumberVector, StepRecord

S = TypeVar("S")


class Model(Protocol[S]):
    """What a run needs of a model class: built from a config, one record per `step()`, and
    an epoch's records summed up. `S` is the model's own record type (PerceptronStep, …).
    """

    def __init__(self, config: TrainingConfig) -> None: ...

    def step(self) -> S: ...

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int: ...

    @staticmethod
    def summarize(epoch: int, records: list[S]) -> EpochRecord: ...


# Any: which record type a run holds is chosen at runtime by `config.model`; each model is only
# ever handed back the records it made itself.
MODEL_CLASSES: dict[str, type[Model[Any]]] = {
    "perceptron": Perceptron,
    "linear": LinearUnit,
    "mlp": MLP,
}


class Run:
    def __init__(self, config: TrainingConfig, *, exact: bool = False) -> None:
        """`exact=True`: the perceptron rule in rational arithmetic (see engine/exact.py)."""
        self.config = config
        self.exact = exact
        cls: type[Model[Any]] = ExactPerceptron if exact else MODEL_CLASSES[config.model]
        self._model = cls(config)
        self._summarize = cls.summarize
        self.steps_per_epoch: int = cls.steps_per_epoch_of(config)
        self.total_steps: int = self.steps_per_epoch * config.epochs
        self._history: list[StepRecord] = []
        self._epochs: list[EpochRecord] = []

    @property
    def computed(self) -> int:
        """How many steps have been computed so far."""
        return len(self._history)

    @property
    def history(self) -> tuple[StepRecord, ...]:
        return tuple(self._history)

    def __len__(self) -> int:
        return self.total_steps

    def record(self, index: int) -> StepRecord:
        """The record of step `index` (0-based), computing forward as far as needed."""
        if index < 0:
            index += self.total_steps
        if not 0 <= index < self.total_steps:
            raise IndexError(f"step {index} is outside this run of {self.total_steps} steps")
        while len(self._history) <= index:
            self._advance()
        return self._history[index]

    def _advance(self) -> None:
        rec = self._model.step()
        self._history.append(rec)
        if len(self._history) % self.steps_per_epoch == 0:
            epoch = len(self._history) // self.steps_per_epoch
            start = (epoch - 1) * self.steps_per_epoch
            self._epochs.append(self._summarize(epoch, self._history[start:]))

    def run_to_end(self) -> tuple[StepRecord, ...]:
        if self.total_steps:
            self.record(self.total_steps - 1)
        return self.history

    def epoch(self, number: int) -> EpochRecord:
        """The summary of epoch `number` (1-based), computing it if needed."""
        if not 1 <= number <= self.config.epochs:
            raise IndexError(f"epoch {number} is outside 1..{self.config.epochs}")
        self.record(number * self.steps_per_epoch - 1)
        return self._epochs[number - 1]

    def epochs_done(self) -> tuple[EpochRecord, ...]:
        """Summaries of the epochs finished so far."""
        return tuple(self._epochs)

    def epoch_of(self, index: int) -> int:
        """The epoch (1-based) that step `index` belongs to."""
        return index // self.steps_per_epoch + 1

    def epoch_end(self, index: int) -> int:
        """The index of the last step of the epoch that step `index` belongs to."""
        return self.epoch_of(index) * self.steps_per_epoch - 1

    def initial_weights(self) -> NumberVector | tuple[Matrix, ...]:
        first = self.record(0)
        return first.weights_before

    def final(self) -> StepRecord:
        return self.record(self.total_steps - 1)

    def converged_epoch(self) -> int | None:
        """The first epoch in which the perceptron rule changed nothing, or None.

        Only meaningful for the perceptron rule; other models return None.
        """
        if self.config.model != "perceptron":
            return None
        for e in range(1, self.config.epochs + 1):
            if self.epoch(e).updates == 0:
                return e
        return None
