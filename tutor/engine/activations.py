"""Activation functions and their derivatives, on floats or NumPy arrays.

Each derivative is taken with respect to the function's input z. The sigmoid never overflows:
for negative z it is computed as exp(z) / (1 + exp(z)), which only ever exponentiates z <= 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.floating]


def step(z: ArrayLike, at_zero: int = 0) -> Array:
    """1 where z > 0, 0 where z < 0, and `at_zero` where z == 0."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, np.where(z < 0, 0.0, float(at_zero)))


def step_derivative(z: ArrayLike) -> Array:
    """0 wherever the step is differentiable (everywhere but 0, where we also return 0)."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z: ArrayLike) -> Array:
    # Beyond |z| = 500 the result is 0 or 1 to the last bit; clipping keeps exp from under- or
    # overflowing, so no floating-point warning is ever raised.
    zc = np.clip(np.asarray(z, dtype=float), -500.0, 500.0)
    out = np.empty_like(zc)
    pos = zc >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-zc[pos]))
    ez = np.exp(zc[~pos])
    out[~pos] = ez / (1.0 + ez)
    return out


def sigmoid_derivative(z: ArrayLike) -> Array:
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z: ArrayLike) -> Array:
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z: ArrayLike) -> Array:
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def relu(z: ArrayLike) -> Array:
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0)


def relu_derivative(z: ArrayLike) -> Array:
    """1 for z > 0, else 0 (the usual choice at z = 0)."""
    return (np.asarray(z, dtype=float) > 0).astype(float)


LEAKY_SLOPE = 0.01


def leaky_relu(z: ArrayLike, slope: float = LEAKY_SLOPE) -> Array:
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, slope * z)


def leaky_relu_derivative(z: ArrayLike, slope: float = LEAKY_SLOPE) -> Array:
    return np.where(np.asarray(z, dtype=float) > 0, 1.0, slope)


def linear(z: ArrayLike) -> Array:
    return np.asarray(z, dtype=float).copy()


def linear_derivative(z: ArrayLike) -> Array:
    return np.ones_like(np.asarray(z, dtype=float))


ACTIVATIONS: dict[str, tuple[Callable[[ArrayLike], Array], Callable[[ArrayLike], Array]]] = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
}


def evaluate(name: str, z: float) -> float:
    """The activation `name` at one point, as a Python float."""
    return float(ACTIVATIONS[name][0](np.asarray([z]))[0])


def derivative(name: str, z: float) -> float:
    """The derivative of activation `name` at one point, as a Python float."""
    return float(ACTIVATIONS[name][1](np.asarray([z]))[0])
