"""A run: a model built from a config plus the history of its steps.

Steps are computed on demand, forward only; the model keeps their numbers as NumPy columns
(engine/columns.py) and a step's immutable record is built from them when asked, so going back is
indexing, never recomputing backwards, and going back to the start shows the same initial weights.
The records built last are kept (`CACHED` of them), so asking twice for a step near the one on
screen gives the same object.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, overload

import numpy as np

from tutor.engine.config import TrainingConfig
from tutor.engine.exact import ExactPerceptron
from tutor.engine.linear import LinearUnit
from tutor.engine.mlp import MLP
from tutor.engine.perceptron import Perceptron
from tutor.engine.records import Divergence, EpochRecord, Matrix, NumberVector, StepRecord

CACHED = 256  # records kept built: a screen asks for the same few steps again and again
STREAM_CHUNK = 256  # perceptron steps computed per call while streaming
PROGRESS_CHUNK = 4096  # steps computed between two progress calls (a few ms for any model)


class Cancelled(Exception):
    """A progress callback asked to stop computing (the learner pressed Ctrl+C or q)."""


Progress = Callable[[int, int], object]
"""`progress(done, total)`: called between chunks of a long computation; returning False stops
it (`Run.compute` raises `Cancelled`); an exception it raises (KeyboardInterrupt) goes through."""


class Model(Protocol):
    """What a run needs of a model class: built from a config, `advance()` computes the next
    step and keeps its numbers, `step_record(t)` and `epoch_record(e)` build the records of a
    computed step and a finished epoch, `epoch_values(k)` the errors or loss of epochs 1..k.

    `advance(k)` computes k steps in one call (a model's loop runs on locals: 10^6 perceptron
    updates in about a second). `window=k`: keep only the last k steps' numbers (a streaming
    trace); older records are gone. `diverged`: the first step whose numbers hold ∞ or NaN
    (set by `advance()`, which computes nothing after it), or None.
    """

    diverged: Divergence | None

    def __init__(self, config: TrainingConfig, *, window: int | None = None) -> None: ...

    @staticmethod
    def steps_per_epoch_of(config: TrainingConfig) -> int: ...

    @property
    def computed(self) -> int: ...

    def advance(self, count: int = 1) -> None: ...

    def step_record(self, t: int) -> Any: ...

    def epoch_record(self, epoch: int) -> EpochRecord: ...

    def epoch_values(self, stop: int) -> np.ndarray: ...


MODEL_CLASSES: dict[str, type[Model]] = {
    "perceptron": Perceptron,
    "linear": LinearUnit,
    "mlp": MLP,
}


class Run:
    def __init__(self, config: TrainingConfig, *, exact: bool = False) -> None:
        """`exact=True`: the perceptron rule in rational arithmetic (see engine/exact.py)."""
        self.config = config
        self.exact = exact
        cls: type[Model] = ExactPerceptron if exact else MODEL_CLASSES[config.model]
        self._model: Model = cls(config)
        self.steps_per_epoch: int = cls.steps_per_epoch_of(config)
        # The run's length: the planned steps, until a step diverges; then that step is the last.
        self.total_steps: int = self.steps_per_epoch * config.epochs
        self._records: OrderedDict[int, StepRecord] = OrderedDict()
        self._epochs: OrderedDict[int, EpochRecord] = OrderedDict()
        self._buckets: OrderedDict[tuple[int, int, int, bool], list[float]] = OrderedDict()

    @staticmethod
    def stream(config: TrainingConfig) -> Iterator[StepRecord | EpochRecord]:
        """Every step's record in order, each epoch's summary right after its last step, while
        computing: nothing is kept but the last chunk of steps' numbers (memory stays flat for
        any length of run). What `perceptron-tutor trace` writes."""
        cls = MODEL_CLASSES[config.model]
        # A chunk of steps per advance() call; linear and network records are built from the
        # arrays of the step just computed, so they come one at a time.
        chunk = STREAM_CHUNK if config.model == "perceptron" else 1
        model = cls(config, window=chunk)
        per_epoch = cls.steps_per_epoch_of(config)
        total = per_epoch * config.epochs
        for start in range(0, total, chunk):
            model.advance(min(start + chunk, total) - start)
            stop = model.computed  # fewer when the run diverged: it ends with that step
            for t in range(start, stop):
                yield model.step_record(t)
                if (t + 1) % per_epoch == 0:
                    yield model.epoch_record((t + 1) // per_epoch)
            if model.diverged is not None:
                return

    @property
    def divergence(self) -> Divergence | None:
        """Why the run stopped early (a step's numbers held ∞ or NaN), once that step is
        computed; None while every number computed is finite."""
        return self._model.diverged

    @property
    def planned_steps(self) -> int:
        """Steps per epoch × epochs: the run's length if it does not diverge."""
        return self.steps_per_epoch * self.config.epochs

    @property
    def computed(self) -> int:
        """How many steps have been computed so far."""
        return self._model.computed

    @property
    def history(self) -> Records:
        """The records of the steps computed so far (a view, built as they are read)."""
        return Records(self, 0, self.computed)

    def __len__(self) -> int:
        return self.total_steps

    def record(self, index: int) -> StepRecord:
        """The record of step `index` (0-based; negative counts from the end), computing forward
        as far as needed. IndexError outside the run."""
        if index < 0:
            index += self.total_steps
        if not 0 <= index < self.total_steps:
            raise IndexError(f"step {index} is outside this run of {self.total_steps} steps")
        rec = self._records.get(index)
        if rec is not None:
            self._records.move_to_end(index)
            return rec
        self._compute_to(index)
        rec = self._model.step_record(index)
        self._records[index] = rec
        if len(self._records) > CACHED:
            self._records.popitem(last=False)
        return rec

    def _compute_to(self, index: int) -> None:
        """Compute steps up to `index`, or up to a step that diverges (then IndexError when
        `index` lies past it: the run has ended)."""
        missing = index + 1 - self._model.computed
        if missing > 0:
            self._model.advance(missing)
            self._note_divergence()
        if index >= self.total_steps:
            raise IndexError(f"step {index} is past the end of this run ({self.total_steps} "
                             "steps: it diverged)")

    def _note_divergence(self) -> None:
        stop = self._model.diverged
        if stop is not None:
            self.total_steps = stop.step + 1

    def compute(self, steps: int | None = None, progress: Progress | None = None,
                *, chunk: int = PROGRESS_CHUNK) -> int:
        """Compute the first `steps` steps (all when None), `chunk` at a time, calling
        `progress(done, total)` between chunks; the number of steps the run has now computed
        (fewer than asked when it diverged). Raises `Cancelled` when `progress` returns False;
        the steps computed so far are kept (asking again goes on from there). Safe to call from
        a worker thread while nothing else reads the run."""
        target = self.total_steps if steps is None else max(0, min(steps, self.total_steps))
        while self._model.computed < target and self._model.diverged is None:
            self._model.advance(min(chunk, target - self._model.computed))
            self._note_divergence()
            target = min(target, self.total_steps)
            if progress is not None and progress(self._model.computed, target) is False:
                raise Cancelled
        return self._model.computed

    def reach(self, position: int) -> int:
        """Compute the first `position` steps and return how many of them the run has:
        `position`, or fewer when a step before it diverged (a screen clamps to this)."""
        position = max(0, min(position, self.total_steps))
        return min(position, self.compute(position))

    def run_to_end(self) -> Records:
        """Compute every step; the records of the whole run (a view, built as they are read).
        A run that diverges ends with the step that diverged (`divergence` says which)."""
        self.compute()
        return self.history

    def epoch(self, number: int) -> EpochRecord:
        """The summary of epoch `number` (1-based), computing it if needed."""
        if not 1 <= number <= self.config.epochs:
            raise IndexError(f"epoch {number} is outside 1..{self.config.epochs}")
        if number * self.steps_per_epoch > self.total_steps:
            raise IndexError(f"epoch {number} is not reached: the run diverged at step "
                             f"{self.total_steps}")
        rec = self._epochs.get(number)
        if rec is not None:
            self._epochs.move_to_end(number)
            return rec
        self._compute_to(number * self.steps_per_epoch - 1)
        rec = self._model.epoch_record(number)
        self._epochs[number] = rec
        if len(self._epochs) > CACHED:
            self._epochs.popitem(last=False)
        return rec

    def epochs_done(self) -> Epochs:
        """Summaries of the epochs finished so far (a view, built as they are read)."""
        return Epochs(self, 0, self.computed // self.steps_per_epoch)

    def epoch_values(self, start: int, stop: int) -> np.ndarray:
        """Per finished epoch start+1..stop: misclassified samples (perceptron rule) or loss,
        as float64 (a view of the run's column; do not write to it)."""
        return np.asarray(self._model.epoch_values(stop)[start:], dtype=np.float64)

    def epoch_buckets(self, start: int, stop: int, size: int, use_max: bool) -> list[float]:
        """Max or mean of consecutive groups of `size` of the values of epochs start+1..stop
        (see Epochs.buckets); the last few answers are kept."""
        key = (start, stop, size, use_max)
        cached = self._buckets.get(key)
        if cached is None:
            cached = _buckets(self.epoch_values(start, stop), size, use_max)
            self._buckets[key] = cached
            if len(self._buckets) > 8:
                self._buckets.popitem(last=False)
        return list(cached)

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
        """The last step's record (computing the run): the step that diverged, if one did."""
        self.compute()
        return self.record(self.total_steps - 1)

    def converged_epoch(self) -> int | None:
        """The first epoch in which the perceptron rule changed nothing, or None (also when the
        run diverged by the end of that epoch: an infinite net changes nothing either).

        Only meaningful for the perceptron rule; other models return None.
        """
        if self.config.model != "perceptron":
            return None
        for e in range(1, self.config.epochs + 1):
            self.compute(e * self.steps_per_epoch)
            if self.divergence is not None:  # ∞ or NaN by the end of this epoch: not converged
                return None
            if self.epoch(e).updates == 0:
                return e
        return None


class _View:
    """Positions start..stop-1 of a run, read lazily; slicing gives another view."""

    def __init__(self, run: Run, start: int, stop: int) -> None:
        self._run, self._start, self._stop = run, start, stop

    def __len__(self) -> int:
        return self._stop - self._start

    def _index(self, i: int) -> int:
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(f"{i} is outside 0..{n - 1}")
        return self._start + i

    def _slice(self, s: slice) -> tuple[int, int]:
        start, stop, step = s.indices(len(self))
        if step != 1:
            raise ValueError("a run's history is sliced with step 1 only")
        return self._start + start, self._start + max(start, stop)

    def __bool__(self) -> bool:
        return len(self) > 0


class Records(_View, Sequence[StepRecord]):
    """Step records of a run, built when read (a run of 10^6 steps is not 10^6 objects)."""

    @overload
    def __getitem__(self, i: int) -> StepRecord: ...
    @overload
    def __getitem__(self, i: slice) -> Records: ...
    def __getitem__(self, i: int | slice) -> StepRecord | Records:
        if isinstance(i, slice):
            return Records(self._run, *self._slice(i))
        return self._run.record(self._index(i))

    def __iter__(self) -> Iterator[StepRecord]:
        record = self._run.record
        for t in range(self._start, self._stop):
            yield record(t)


class Epochs(_View, Sequence[EpochRecord]):
    """Epoch summaries of a run, built when read; `values()` are their errors or loss."""

    @overload
    def __getitem__(self, i: int) -> EpochRecord: ...
    @overload
    def __getitem__(self, i: slice) -> Epochs: ...
    def __getitem__(self, i: int | slice) -> EpochRecord | Epochs:
        if isinstance(i, slice):
            return Epochs(self._run, *self._slice(i))
        return self._run.epoch(self._index(i) + 1)

    def __iter__(self) -> Iterator[EpochRecord]:
        epoch = self._run.epoch
        for e in range(self._start + 1, self._stop + 1):
            yield epoch(e)

    def values(self) -> list[float]:
        """Errors (perceptron rule) or loss of these epochs, in order: one list, no records."""
        return self._run.epoch_values(self._start, self._stop).tolist()

    def buckets(self, size: int, use_max: bool) -> list[float]:
        """Consecutive groups of `size` epochs' values, each summarised by its max or mean (the
        history chart's bars), computed on the column in one pass (and kept for the next press:
        going back and forth at the end of a long run asks for the same bars again). With
        size 1, the values themselves."""
        return self._run.epoch_buckets(self._start, self._stop, size, use_max)


def _buckets(a: np.ndarray, size: int, use_max: bool) -> list[float]:
    """Max or mean of consecutive groups of `size` values of `a` (the last group may be short)."""
    if size <= 1:
        return a.tolist()
    full = len(a) // size * size
    head = a[:full].reshape(-1, size)
    out = (head.max(axis=1) if use_max else head.mean(axis=1)).tolist()
    if full < len(a):
        tail = a[full:]
        out.append(float(tail.max() if use_max else tail.mean()))
    return out


