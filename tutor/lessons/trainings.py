"""Reading a training unit: its keys as the format's definitions say, then the engine's own
consistency checks (TrainingConfig) and the documented limits (tutor/limits.py)."""

from __future__ import annotations

import re
from typing import Any

from tutor import limits
from tutor.engine.config import ConfigError, LayerConfig, TrainingConfig
from tutor.lessons.definitions import LAYER, MODELS, TRAINING, Key
from tutor.lessons.problems import suggest
from tutor.lessons.questions import read_asks
from tutor.lessons.reader import Reader
from tutor.lessons.units import TrainingUnit
from tutor.lessons.yaml_lines import LineDict, LineList


def read_training(r: Reader, m: LineDict, path: str, position: int) -> TrainingUnit | None:
    before = len(r.problems)
    r.keys(m, path, TRAINING)
    uid = r.identifier(m.get("id"), m.line_of("id"), f"{path}.id") if "id" in m else None
    model = m.get("model")
    if "model" in m and model not in MODELS:
        r.error(
            m.line_of("model"),
            f"{path}.model",
            f"must be one of {', '.join(MODELS)}{suggest(str(model), MODELS)}",
        )
        model = None
    if model:
        for name in m:
            if name in TRAINING.names and model not in TRAINING.key(name).models:
                r.error(m.line_of(name), f"{path}.{name}", f"does not apply to model '{model}'")
    kw: dict[str, Any] = {}
    for key in TRAINING.keys:
        if key.name not in m or key.name in ("id", "title", "model", "ask"):
            continue
        if key.kind == "layers":
            kw[key.name] = _read_layers(r, m, key, path)
        elif key.kind == "network":
            kw[key.name] = _read_network(r, m, key, path)
        else:
            kw[key.name] = r.read(m, key, path)
    if "layers" in m:
        for name in ("hidden", "activation", "output_activation"):
            if name in m:
                r.error(m.line_of(name), f"{path}.{name}",
                        "does not go with `layers` (each layer gives its size and activation)")
    title = r.text(m["title"], m.line_of("title"), f"{path}.title") if "title" in m else None
    if uid is None or model is None or len(r.problems) > before:
        return None
    if any(v is None for v in kw.values()):
        return None
    try:
        config = TrainingConfig(model=model, **kw)
    except ConfigError as exc:
        r.error(_line_at(m, exc.field), f"{path}.{exc.field}", exc.message)
        return None
    problem = limits.training_problem(
        samples=config.n_samples,
        inputs=config.n_inputs,
        steps_per_epoch=config.steps_per_epoch,
        epochs=config.epochs,
        hidden=config.layer_sizes[1:-1] if config.model == "mlp" else None,
        outputs=config.layer_sizes[-1] if config.model == "mlp" else 1,
        layers_key="layers" if config.layers is not None else "hidden",
    )
    if problem is not None:
        field_name, message = problem
        r.error(m.line_of(field_name), f"{path}.{field_name}", message)
        return None
    if config.resolved_dtype == "float32":
        too_big = limits.float32_problem(config)
        if too_big is not None:
            field_name, message = too_big
            r.error(_line_at(m, field_name), f"{path}.{field_name}", message)
            return None
    asks = read_asks(r, m, path, uid, model)
    return TrainingUnit(uid, title, config, asks, m.line)


def _read_layers(r: Reader, m: LineDict, key: Key, path: str) -> tuple[int, ...] | None:
    """A network's hidden layer sizes: `[2, 3]`, or `2` for one layer."""
    h = m[key.name]
    if isinstance(h, int) and not isinstance(h, bool):
        h = LineList([h])
        h.line, h.lines = m.line_of(key.name), [m.line_of(key.name)]
    minimum = key.minimum or 1
    if (
        isinstance(h, LineList)
        and h
        and all(isinstance(v, int) and not isinstance(v, bool) and v >= minimum for v in h)
    ):
        return tuple(h)
    r.error(
        m.line_of(key.name),
        f"{path}.{key.name}",
        f"must be a list of layer sizes (whole numbers of at least {minimum}), e.g. [2]",
    )
    return None


def _read_network(
    r: Reader, m: LineDict, key: Key, path: str
) -> tuple[LayerConfig, ...] | None:
    """A network's explicit layers: a list of mappings of LAYER's keys."""
    items, where = m[key.name], f"{path}.{key.name}"
    if not isinstance(items, LineList) or not items:
        r.error(m.line_of(key.name), where,
                "must be a list of layers, e.g. [{units: 2, activation: sigmoid}, "
                "{units: 1, activation: sigmoid}]")
        return None
    if key.max_items is not None and len(items) > key.max_items:
        r.error(m.line_of(key.name), where,
                limits.limit_message("the network", len(items), key.max_items, "layers"))
        return None
    layers: list[LayerConfig] = []
    ok = True
    for i, item in enumerate(items):
        at = f"{where}[{i}]"
        layer = r.mapping(item, items.line_of(i), at)
        if layer is None:
            ok = False
            continue
        before = len(r.problems)
        r.keys(layer, at, LAYER)
        values = {k.name: r.read(layer, k, at) for k in LAYER.keys if k.name in layer}
        if "weights" not in layer and "units" not in layer and "biases" not in layer:
            r.error(layer.line, at, "give its `weights`, or its number of `units`")
        if len(r.problems) > before or any(v is None for v in values.values()):
            ok = False
            continue
        layers.append(LayerConfig(**values))
    return tuple(layers) if ok else None


def _line_at(m: LineDict, field_path: str) -> int:
    """The line of a config field like `inputs[2][1]` inside mapping `m`."""
    parts = re.findall(r"[A-Za-z_]+|\[\d+\]", field_path)
    node: Any = m
    line = m.line
    for part in parts:
        if part.startswith("["):
            i = int(part[1:-1])
            if isinstance(node, LineList) and i < len(node):
                line = node.line_of(i)
                node = node[i]
            else:
                break
        elif isinstance(node, LineDict) and part in node:
            line = node.line_of(part)
            node = node[part]
        else:
            break
    return line
