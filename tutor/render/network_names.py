"""How the screens name a network's units and weights: x₁ for an input, h₁ (one hidden layer) or
h²₁ (several) for a hidden unit, ŷ (one output) or ŷ₁, ŷ₂ (several) for an output unit, and a
weight by its two ends, h₁→ŷ₂. Layers are 0-based here (0 = the first hidden layer)."""

from __future__ import annotations

from tutor.render import numbers as n


def unit_name(layer: int, unit: int, layers: int, outputs: int) -> str:
    """The name of unit `unit` of layer `layer` in a network of `layers` layers (hidden and
    output) whose output layer has `outputs` units."""
    if layer == layers - 1:
        return f"ŷ{n.sub(unit + 1)}" if outputs > 1 else "ŷ"
    if layers == 2:
        return f"h{n.sub(unit + 1)}"
    return f"h{n.sup(layer + 1)}{n.sub(unit + 1)}"


def source_name(layer: int, index: int, layers: int, outputs: int) -> str:
    """The name of input `index` of layer `layer`: an input x₁ of the network, or a unit of the
    layer before."""
    if layer == 0:
        return f"x{n.sub(index + 1)}"
    return unit_name(layer - 1, index, layers, outputs)


def weight_name(layer: int, source: int, unit: int, layers: int, outputs: int) -> str:
    """A weight by its two ends: `x₁→h₁`."""
    return (f"{source_name(layer, source, layers, outputs)}→"
            f"{unit_name(layer, unit, layers, outputs)}")
