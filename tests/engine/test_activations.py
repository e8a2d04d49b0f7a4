from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tutor.engine import activations as A


def test_values_at_the_points_the_notes_get_wrong():
    assert A.evaluate("sigmoid", 6) == pytest.approx(1 / (1 + math.exp(-6)))
    assert round(A.evaluate("sigmoid", 6), 4) == 0.9975
    assert round(A.evaluate("sigmoid", -1), 4) == 0.2689
    assert A.evaluate("sigmoid", 0) == 0.5
    assert A.evaluate("step", 0.3) == 1 and A.evaluate("step", -0.2) == 0
    assert A.evaluate("relu", -2) == 0 and A.evaluate("relu", 3) == 3


def test_sigmoid_never_overflows_or_warns():
    z = np.array([-1e308, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e308])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = A.sigmoid(z)
        d = A.sigmoid_derivative(z)
    assert s[0] < 1e-200 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.isfinite(d)) and d.max() == 0.25


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
def test_derivatives_match_finite_differences(name):
    f, df = A.ACTIVATIONS[name]
    z = np.array([-3.0, -1.2, -0.3, 0.4, 1.7, 5.0])  # away from relu's kink
    h = 1e-6
    numeric = (f(z + h) - f(z - h)) / (2 * h)
    assert np.allclose(df(z), numeric, atol=1e-6)


def test_sigmoid_derivative_is_at_most_a_quarter():
    z = np.linspace(-20, 20, 4001)
    assert A.sigmoid_derivative(z).max() == pytest.approx(0.25)
    assert A.derivative("sigmoid", 0) == 0.25


def test_step_has_zero_derivative_and_configurable_zero():
    assert A.step(0.0, at_zero=1)[()] == 1.0 and A.step(0.0)[()] == 0.0
    assert np.all(A.step_derivative(np.array([-1.0, 2.0])) == 0)


def test_leaky_relu_keeps_a_small_slope():
    assert A.evaluate("leaky_relu", -2) == pytest.approx(-0.02)
    assert A.derivative("leaky_relu", -2) == pytest.approx(0.01)
