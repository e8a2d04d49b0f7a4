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


# ---------------------------------------------------------------- exact over the whole float range

from decimal import Decimal, localcontext  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _ref(name: str, z: float) -> Decimal:
    """The true value at 60 significant digits (decimal's exp is correctly rounded)."""
    with localcontext() as ctx:
        ctx.prec = 60
        ctx.Emin = -9_999_999
        ctx.Emax = 9_999_999
        d = Decimal(z)  # the float exactly
        one = Decimal(1)
        if name in ("sigmoid", "d_sigmoid", "tanh", "d_tanh"):
            # e^-2000 is far below the smallest subnormal
            e = Decimal(0) if abs(d) > 2000 else (-abs(d)).exp()
            if name == "sigmoid":
                return one / (one + e) if d >= 0 else e / (one + e)
            if name == "d_sigmoid":
                return e / ((one + e) * (one + e))
            e2 = e * e
            if name == "tanh":
                if abs(d) < Decimal("1e-12"):  # (1 - e^2) / (1 + e^2) cancels: the series
                    return d - d**3 / 3 + 2 * d**5 / 15
                t = (one - e2) / (one + e2)
                return t if d >= 0 else -t
            return 4 * e2 / ((one + e2) * (one + e2))
        if name == "relu":
            return max(d, Decimal(0))
        if name == "d_relu":
            return Decimal(1) if d > 0 else Decimal(0)
        if name == "leaky_relu":
            return d if d > 0 else Decimal(A.LEAKY_SLOPE) * d
        if name == "d_leaky_relu":
            return Decimal(1) if d > 0 else Decimal(A.LEAKY_SLOPE)
        if name == "linear":
            return d
        if name == "d_linear":
            return Decimal(1)
    raise AssertionError(name)


def _ulps(got: float, want: Decimal) -> float:
    """|got - want| in units of the last place of the float nearest `want` (subnormal ulp below)."""
    nearest = float(want)
    ulp = float(np.spacing(np.float64(abs(nearest))))
    return float(abs(Decimal(got) - want) / Decimal(ulp))


NAMES = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
EDGES = [-1e308, -1e300, -1000.0, -745.1, -745.0, -744.0, -709.0, -40.0, -19.0, -1.0, -1e-300,
         -5e-324, 0.0, 5e-324, 1e-300, 1e-8, 0.5, 1.0, 19.0, 37.0, 40.0, 709.0, 745.0, 1000.0,
         1e300, 1e308]


def _check(values: list[float]) -> None:
    z = np.array(values)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        results = {name: (A.ACTIVATIONS[name][0](z), A.ACTIVATIONS[name][1](z)) for name in NAMES}
    for name, (f, df) in results.items():
        for i, v in enumerate(values):
            for label, got in ((name, f[i]), (f"d_{name}", df[i])):
                assert _ulps(float(got), _ref(label, v)) <= 4, f"{label}({v!r}) = {got!r}"


def test_every_activation_is_exact_at_the_edges_of_the_float_range():
    _check(EDGES)
    assert A.evaluate("sigmoid", -1000) == 0.0
    assert A.evaluate("sigmoid", -745) == 5e-324
    assert A.derivative("sigmoid", 40) == pytest.approx(math.exp(-40), rel=1e-15)
    assert A.derivative("tanh", 20) == pytest.approx(4 * math.exp(-40), rel=1e-14)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=-1e308, max_value=1e308, allow_nan=False), min_size=1,
                max_size=8))
def test_every_activation_agrees_with_a_60_digit_reference_within_4_ulp(values):
    _check(values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=-1e308, max_value=1e308, allow_nan=False), min_size=1,
                max_size=6))
def test_softmax_sums_to_one_and_never_warns(values):
    z = np.array(values)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        s = A.softmax(z)
        d = A.softmax_derivative(z)
    assert np.all(s >= 0) and abs(float(s.sum()) - 1.0) <= 8 * 2.0**-52
    assert np.all(d >= 0) and np.all(d <= 0.25)
    m = max(values)
    with localcontext() as ctx:
        ctx.prec = 60
        es = [(Decimal(v) - Decimal(m)).exp() if Decimal(v) - Decimal(m) > -2000 else Decimal(0)
              for v in values]
        total = sum(es, Decimal(0))
        for got, v, e in zip(s.tolist(), values, es, strict=True):
            # exp(z − max) is as exact as z − max is: rounding that difference (17 − 1e-12 is
            # not a double) moves the result by up to |z − max|·2⁻⁵³ relative, i.e. about
            # |z − max|/2 ulps, before exp's own few ulps (hypothesis found [17.0, 1e-12]: 11).
            assert _ulps(got, e / total) <= 8 + abs(v - m) / 2


def test_float32_stays_float32():
    z = np.array([-2.0, 0.0, 3.0], dtype=np.float32)
    for name in [*NAMES, "softmax"]:
        f, df = A.ACTIVATIONS[name]
        assert f(z).dtype == np.float32 and df(z).dtype == np.float32, name
