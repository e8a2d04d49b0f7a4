"""Number formatting for reading: a true minus sign, few decimals, never misleading.

Nothing here computes a training value; it only turns the engine's numbers into text. Those are
floats, or `Fraction`s from the exact run (engine/exact.py), which are shown as the nearest float.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tutor.engine.records import Number

MINUS = "−"  # U+2212, the typographic minus sign
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

MIN_DECIMALS = 2
MAX_DECIMALS = 4
# A shown value may differ from the float by this much (relative) without misleading:
# float32 round-off such as 0.2500000298 is shown as 0.25.
TOLERANCE = 1e-6
# From here on a value is written in scientific notation (a finite float may have 309 digits).
LARGE = 1e15


def sub(n: int) -> str:
    """Subscript digits: 12 -> '₁₂'."""
    return str(n).translate(SUBSCRIPTS)


def sup(n: int) -> str:
    """Superscript digits: 2 -> '²'."""
    return str(n).translate(SUPERSCRIPTS)


def with_minus(text: str) -> str:
    """ASCII hyphen-minus signs replaced by the true minus sign (exponents included)."""
    return text.replace("-", MINUS)


def decimals_needed(value: Number, least: int = MIN_DECIMALS, most: int = MAX_DECIMALS) -> int:
    """The fewest decimals (from `least` to `most`) that show `value` within TOLERANCE.

    Returns -1 when even `most` decimals would show a nonzero value as 0 (use scientific notation).
    """
    value = float(value)
    if not math.isfinite(value) or abs(value) >= LARGE:
        return least
    for d in range(least, most + 1):
        if abs(round(value, d) - value) <= TOLERANCE * max(1.0, abs(value)):
            return d
    if value != 0 and round(value, most) == 0:
        return -1
    return most


def column_decimals(values: Iterable[Number], least: int = MIN_DECIMALS) -> int:
    """One number of decimals for a column, so its values line up on the decimal point."""
    ds = [decimals_needed(v, least) for v in values]
    return max([d for d in ds if d >= 0], default=least)


def _plain(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return "∞" if value > 0 else (f"{MINUS}∞" if value < 0 else "NaN")
    if abs(value) >= LARGE:  # 1e308 as 1.00e+308, not 309 digits
        return with_minus(f"{value:.2e}")
    text = f"{value:.{decimals}f}"
    if float(text) == 0 and value != 0:
        return with_minus(f"{value:.2e}")
    if float(text) == 0:
        text = text.lstrip("-")  # -0.00 reads as a sign error; shown as 0.00
    return with_minus(text)


def num(value: Number, decimals: int | None = None) -> str:
    """A float for reading: `decimals` fixed, or as few as needed (2 to 4), true minus sign.

    A nonzero value too small for the decimals is shown in scientific notation (5.55e−17).
    """
    value = float(value)  # a Fraction has no "f" or "e" format before Python 3.12
    if decimals is None:
        decimals = decimals_needed(value)
        if decimals < 0:
            return with_minus(f"{value:.2e}")
    return _plain(value, decimals)


def signed(value: Number, decimals: int | None = None) -> str:
    """Like `num` with an explicit sign: +0.05, −0.05, and 0 for zero; +∞, −∞, NaN."""
    text = num(value, decimals)
    if text.startswith(MINUS) or text == "NaN":
        return text
    if text == "∞" or float(text.replace(MINUS, "-")) != 0:
        return "+" + text
    return text


def value(x: Number) -> str:
    """An input or target: whole numbers without decimals (1, −1, 0), others as `num`."""
    if math.isfinite(x) and float(x).is_integer() and abs(float(x)) < LARGE:
        return with_minus(str(int(x))) if x != 0 else "0"
    return num(x)


def factor(x: Number, decimals: int | None = None) -> str:
    """A factor in a product: negatives in parentheses, (−1)."""
    text = value(x) if decimals is None else num(x, decimals)
    return f"({text})" if text.startswith(MINUS) else text


def paren(text: str) -> str:
    return f"({text})"


def exact(x: Number) -> str:
    """The exact float as Python writes it (repr), ASCII, for copying into Python."""
    return repr(float(x))


def short_sci(x: Number) -> str:
    """Three significant digits in scientific notation, ASCII: 5.55e-17."""
    return f"{float(x):.2e}"


def answer(x: Number) -> str:
    """A solution (or a setting such as 0.5 s) as the learner reads and types it: whole numbers
    without decimals (−1), else up to 6 significant digits (−0.123379), with the true minus sign.
    A nonzero value below 1e−4 is written as the sum panel writes it (5.55e-17), not 5.55112e−17.
    """
    v = float(x)
    if not math.isfinite(v):
        return num(v)
    if v.is_integer() and abs(v) < 1e15:
        return with_minus(str(int(v)))
    if abs(v) < 1e-4:
        return short_sci(v)
    return with_minus(f"{v:.6g}")


def tolerance(x: Number) -> str:
    """A tolerance (±) as the learner reads it: as `answer`, but a small one in plain decimals
    (0.00005, not 5.00e-05: it says how many decimals to type); below 1e−6 as `answer`."""
    v = float(x)
    if math.isfinite(v) and 1e-6 <= abs(v) < 1e-4:
        from decimal import Decimal  # the shortest decimal that reads back as v (repr's digits)

        return with_minus(format(Decimal(repr(v)), "f"))
    return answer(v)


def loss(x: float) -> str:
    """A loss: at least 4 decimals, since it is small and its changes are what the learner reads."""
    return num(x, column_decimals([x], least=4))


def np_round_text(x: float) -> str:
    """x rounded to a whole number and written as NumPy prints it: '1.', '0.', '-0.'.

    Like NumPy's round (and Python's round(x, 0)), a small negative value rounds to -0.0 and
    keeps its sign.
    """
    r = round(x, 0)
    return f"{r:.0f}."


def vector(values: Iterable[Number], decimals: int | None = None) -> str:
    """(0.35, 0.35, 0.10)"""
    vals = list(values)
    if decimals is None:
        decimals = column_decimals(vals)
    return "(" + ", ".join(num(v, decimals) for v in vals) + ")"


def values(xs: Iterable[Number]) -> str:
    """Inputs as (1, 0)."""
    return "(" + ", ".join(value(x) for x in xs) + ")"
