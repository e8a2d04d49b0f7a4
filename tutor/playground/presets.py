"""The playground's starting data: four logic gates, two random point clouds, a circle.

Every point lies on its preset's grid (`Grid`), so the data editor's cursor can reach it. The
random presets use Python's `random.Random(seed)` (not NumPy: the playground's data is small and
its import stays cheap), so one seed gives the same points on every machine.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.playground.setup import Setup

PRESETS = ("and", "or", "nand", "xor", "separable", "noisy", "circle")

_GATES = ((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0))
_GATE_TARGETS = {
    "and": (0, 0, 0, 1),
    "or": (0, 1, 1, 1),
    "nand": (1, 1, 1, 0),
    "xor": (0, 1, 1, 0),
}
RANDOM_POINTS = 14
"""Points drawn for `separable` and `noisy`."""
NOISY_FLIPS = 2
"""Targets `noisy` flips after drawing separable data: no line separates it any more."""


@dataclass(frozen=True)
class Grid:
    """The points the editor can place: `lo`, `lo + step`, … `hi` on both axes."""

    lo: float
    hi: float
    step: float

    @property
    def size(self) -> int:
        """Grid points per axis."""
        return round((self.hi - self.lo) / self.step) + 1

    def value(self, i: int) -> float:
        """The coordinate of grid index `i` (0 ≤ i < size), rounded to the grid's decimals."""
        return round(self.lo + i * self.step, 6)

    def index(self, v: float) -> int:
        """The grid index nearest to coordinate `v`, clamped to the grid."""
        return min(self.size - 1, max(0, round((v - self.lo) / self.step)))


@dataclass(frozen=True)
class Dataset:
    """Samples of two inputs and a 0/1 target each, on `grid`.

    `inputs[i]` is (x₁, x₂) of sample i; `targets[i]` its target. At most one sample per grid
    point (the editor adds and removes by position).
    """

    inputs: tuple[tuple[float, float], ...]
    targets: tuple[int, ...]
    grid: Grid

    def __post_init__(self) -> None:
        if len(self.inputs) != len(self.targets):
            raise ValueError("one target per sample")

    def at(self, x1: float, x2: float) -> int | None:
        """The sample at a point, or None."""
        for i, (a, b) in enumerate(self.inputs):
            if abs(a - x1) < 1e-9 and abs(b - x2) < 1e-9:
                return i
        return None

    def with_point(self, x1: float, x2: float, target: int) -> Dataset:
        """This data with a sample at (x1, x2) of `target` (replacing one there)."""
        i = self.at(x1, x2)
        if i is not None:
            targets = list(self.targets)
            targets[i] = target
            return Dataset(self.inputs, tuple(targets), self.grid)
        return Dataset((*self.inputs, (x1, x2)), (*self.targets, target), self.grid)

    def without(self, i: int) -> Dataset:
        """This data without sample `i`."""
        return Dataset(
            self.inputs[:i] + self.inputs[i + 1:], self.targets[:i] + self.targets[i + 1:], self.grid
        )

    def flipped(self, i: int) -> Dataset:
        """This data with sample `i`'s target changed, 0 ↔ 1."""
        targets = list(self.targets)
        targets[i] = 1 - targets[i]
        return Dataset(self.inputs, tuple(targets), self.grid)


def preset_data(name: str, seed: int = 0) -> Dataset:
    """The data of preset `name` (one of PRESETS); `seed` draws the random ones.

    Raises KeyError for an unknown name.
    """
    if name in _GATE_TARGETS:
        return Dataset(_GATES, _GATE_TARGETS[name], Grid(-0.5, 1.5, 0.25))
    if name in ("separable", "noisy"):
        return _random_points(seed, flips=NOISY_FLIPS if name == "noisy" else 0)
    if name == "circle":
        return _circle()
    raise KeyError(name)


def _random_points(seed: int, flips: int) -> Dataset:
    """Distinct points of a 0..1 grid (step 0.1), labelled by a random line through the middle
    with a margin of one grid step, both classes present; then `flips` targets flipped."""
    rng = random.Random(seed)
    grid = Grid(0.0, 1.0, 0.1)
    cells = [(grid.value(i), grid.value(j)) for i in range(grid.size) for j in range(grid.size)]
    while True:
        a, b = rng.uniform(-1, 1), rng.uniform(-1, 1)
        norm = (a * a + b * b) ** 0.5
        if norm < 0.2:
            continue
        c = -(a * 0.5 + b * 0.5) + rng.uniform(-0.15, 0.15)
        side = [(a * x + b * y + c) / norm for x, y in cells]
        usable = [i for i, d in enumerate(side) if abs(d) >= 0.1]
        chosen = rng.sample(usable, RANDOM_POINTS)
        targets = [1 if side[i] > 0 else 0 for i in chosen]
        if 0 < sum(targets) < len(targets):
            break
    for i in rng.sample(range(len(targets)), flips):
        targets[i] = 1 - targets[i]
    return Dataset(tuple(cells[i] for i in chosen), tuple(targets), grid)


def _circle() -> Dataset:
    """Points of a −1..1 grid (step 0.25): target 1 within radius 0.5 of the centre, 0 on a
    ring between 0.75 and 1.0 — no line separates them; a network with a hidden layer can."""
    grid = Grid(-1.0, 1.0, 0.25)
    inputs: list[tuple[float, float]] = []
    targets: list[int] = []
    for i in range(grid.size):
        for j in range(grid.size):
            x, y = grid.value(i), grid.value(j)
            r = (x * x + y * y) ** 0.5
            if r <= 0.5 and (i + j) % 2 == 0:
                inputs.append((x, y))
                targets.append(1)
            elif 0.75 <= r <= 1.0 and (i + j) % 2 == 0:
                inputs.append((x, y))
                targets.append(0)
    return Dataset(tuple(inputs), tuple(targets), grid)


def grid_around(points: tuple[tuple[float, float], ...]) -> Grid:
    """A grid for data that came from elsewhere (a lesson): the gates' grid when the points lie in
    it, else quarter steps from half a unit below the smallest coordinate to half above the
    largest (at most 41 points a side)."""
    gates = Grid(-0.5, 1.5, 0.25)
    values = [v for p in points for v in p]
    if all(gates.lo <= v <= gates.hi for v in values):
        return gates
    lo = math.floor((min(values) - 0.5) * 4) / 4
    hi = math.ceil((max(values) + 0.5) * 4) / 4
    step = 0.25
    while (hi - lo) / step > 40:
        step *= 2
    hi = lo + math.ceil((hi - lo) / step) * step
    return Grid(lo, hi, step)


def preset_setup(name: str, seed: int = 0) -> Setup:
    """The playground's starting setting for preset `name`: its data and the model a lesson would
    start with (the notes' AND perceptron: w = (0.3, 0.4, 0.1) with x₀ = −1, η = 0.05; a network
    with 4 hidden units for the circle, 2,000 epochs: all 21 points right for seed 0). Raises KeyError for an unknown name."""
    from tutor.playground.setup import Setup

    data = preset_data(name, seed)
    if name == "circle":
        return Setup(data=data, preset=name, model="mlp", hidden=(4,), learning_rate=2.0,
                     epochs=2000, seed=seed)
    return Setup(data=data, preset=name, seed=seed)
