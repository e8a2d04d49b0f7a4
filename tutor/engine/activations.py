"""Activation functions and their derivatives, on floats or NumPy arrays, exact over the whole range.

Each derivative is taken with respect to the function's input z. float32 arrays stay float32 (a
Keras-style network computes in float32); anything else is computed in float64.

Every function is correct to a few ulp for every finite z from -1e308 to 1e308 and raises no
floating-point warning (tests/engine/test_activations.py checks them against `decimal` at 60
digits with hypothesis). Results that are subnormal or 0 because the true value is that small
(sigmoid(-745) = 5e-324, sigmoid(-1000) = 0.0) are the correctly rounded results, so the underflow
flag is silenced where they are computed; nothing overflows:

- sigmoid(z) = 1 / (1 + e^-z) for z >= 0 and e^z / (1 + e^z) for z < 0: exp only sees z <= 0.
- sigmoid'(z) = e^-|z| / (1 + e^-|z|)^2 (not s(1 - s), which is 0 from z = 37 on, where the true
  value is 8.5e-17).
- tanh'(z) = 1 - tanh(z)^2 = 4 e^-2|z| / (1 + e^-2|z|)^2, with e^-2|z| as (e^-|z|)^2 (1 - t^2 is
  0 from |z| = 19 on).
- softmax(z) = e^(z - max z) / sum e^(z - max z) along the last axis; its `derivative` is the
  diagonal of the Jacobian, s(1 - s) (a network uses softmax with categorical cross-entropy, whose
  combined gradient is s - t and needs no Jacobian).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[np.floating]


def _arr(z: ArrayLike) -> Array:
    """z as a float array: float32 stays float32, everything else becomes float64."""
    a = np.asarray(z)
    if a.dtype == np.float32 or a.dtype == np.float64:
        return a
    return a.astype(np.float64)


def step(z: ArrayLike, at_zero: int = 0) -> Array:
    """1 where z > 0, 0 where z < 0, and `at_zero` where z == 0."""
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, np.where(z < 0, 0.0, float(at_zero)))


def step_derivative(z: ArrayLike) -> Array:
    """0 wherever the step is differentiable (everywhere but 0, where we also return 0)."""
    return np.zeros_like(np.asarray(z, dtype=float))


def sigmoid(z: ArrayLike) -> Array:
    """1 / (1 + e^-z), never exponentiating a positive number."""
    a = _arr(z)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(a))  # in (0, 1]: never overflows
        one = a.dtype.type(1.0)
        return np.where(a >= 0, one / (one + e), e / (one + e))


def sigmoid_derivative(z: ArrayLike) -> Array:
    """σ'(z) = e^-|z| / (1 + e^-|z|)^2: accurate where σ(z) rounds to 1."""
    a = _arr(z)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(a))
        d = a.dtype.type(1.0) + e
        return e / (d * d)


def tanh(z: ArrayLike) -> Array:
    a = _arr(z)
    with np.errstate(under="ignore"):
        return np.tanh(a)


def tanh_derivative(z: ArrayLike) -> Array:
    """1 - tanh(z)^2 = 4 e^-2|z| / (1 + e^-2|z|)^2: accurate where tanh(z) rounds to ±1."""
    a = _arr(z)
    with np.errstate(under="ignore"):
        e1 = np.exp(-np.abs(a))
        e = e1 * e1
        d = a.dtype.type(1.0) + e
        return (a.dtype.type(4.0) * e) / (d * d)


def relu(z: ArrayLike) -> Array:
    a = _arr(z)
    return np.maximum(a, a.dtype.type(0.0))


def relu_derivative(z: ArrayLike) -> Array:
    """1 for z > 0, else 0 (the usual choice at z = 0)."""
    a = _arr(z)
    return (a > 0).astype(a.dtype)


LEAKY_SLOPE = 0.01


def leaky_relu(z: ArrayLike, slope: float = LEAKY_SLOPE) -> Array:
    """z for z > 0, slope·z otherwise (slope 0.01; a tiny negative z gives a subnormal or -0)."""
    a = _arr(z)
    with np.errstate(under="ignore"):
        return np.where(a > 0, a, a.dtype.type(slope) * a)


def leaky_relu_derivative(z: ArrayLike, slope: float = LEAKY_SLOPE) -> Array:
    a = _arr(z)
    return np.where(a > 0, a.dtype.type(1.0), a.dtype.type(slope))


def linear(z: ArrayLike) -> Array:
    return _arr(z).copy()


def linear_derivative(z: ArrayLike) -> Array:
    return np.ones_like(_arr(z))


def softmax(z: ArrayLike) -> Array:
    """e^(z - max z) / Σ e^(z - max z) along the last axis (each row of a batch sums to 1)."""
    a = _arr(z)
    with np.errstate(under="ignore", over="ignore"):
        # z - max z <= 0; it is -inf only when the true difference is below -1.8e308, where
        # e^(difference) is 0 anyway.
        e = np.exp(a - np.max(a, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)


def softmax_derivative(z: ArrayLike) -> Array:
    """The diagonal of softmax's Jacobian, ∂s_i/∂z_i = s_i (1 - s_i)."""
    s = softmax(z)
    with np.errstate(under="ignore"):
        return s * (s.dtype.type(1.0) - s)


ACTIVATIONS: dict[str, tuple[Callable[[ArrayLike], Array], Callable[[ArrayLike], Array]]] = {
    "step": (step, step_derivative),
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
    "leaky_relu": (leaky_relu, leaky_relu_derivative),
    "linear": (linear, linear_derivative),
    "softmax": (softmax, softmax_derivative),
}


def evaluate(name: str, z: float) -> float:
    """The activation `name` at one point, as a Python float."""
    return float(ACTIVATIONS[name][0](np.asarray([z]))[0])


def derivative(name: str, z: float) -> float:
    """The derivative of activation `name` at one point, as a Python float."""
    return float(ACTIVATIONS[name][1](np.asarray([z]))[0])
