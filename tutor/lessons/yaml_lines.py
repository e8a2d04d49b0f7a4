"""YAML for lesson files: safe, bounded, with the line of every key, cleaned strings.

PyYAML parses (libyaml's C parser when it is installed, the pure-Python one otherwise: the same
events, the same line marks, the same messages, `tests/test_hostile.py` runs both). The document
is composed here from the parser's events rather than by PyYAML's recursive composer, so that
before anything is built:

- nesting deeper than `MAX_DEPTH` is refused at the line where it happens;
- the size after alias expansion is *counted* (each node's size once, an alias adds the size of
  its anchor) and a file past `MAX_NODES` is refused: a billion-laughs file is never expanded;
- a number longer than `MAX_NUMBER_CHARS` or a text past `MAX_TEXT_CHARS` / `MAX_TEXT_LINES` is
  refused;
- every string (keys too) goes through `tutor.text.clean`; each cleaning is reported.

Characters YAML itself forbids (NUL, a raw ESC …) are found before parsing, with their line.
`parse` never raises: every failure is returned as `(line, message)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tutor import limits, text

HAS_LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

# What YAML 1.1 allows in a stream (the pure-Python reader's own set).
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class LineDict(dict):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    lines: dict

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


Issue = tuple[int, str]
"""A problem found while parsing: (1-based line or 0, message)."""


class _Failure(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Constructing:
    """Mixed into both loaders: line numbers, duplicate keys, values that cannot be built."""

    duplicates: list[Issue]

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)  # type: ignore[misc]
        except (_Failure, yaml.MarkedYAMLError):
            raise
        except Exception as exc:  # whatever a constructor raises on a value it cannot build
            if isinstance(exc, ValueError | ArithmeticError):
                message = text.clean(str(exc))[:200]
            else:
                message = f"not a valid {text.clean(str(node.tag)).rsplit(':', 1)[-1]}"
            raise _Failure(node.start_mark.line + 1, f"cannot read this value: {message}") \
                from None


def _construct_mapping(loader: Any, node: MappingNode) -> LineDict:
    explicit = sum(1 for k, _ in node.value if k.tag != _MERGE_TAG)
    loader.flatten_mapping(node)
    merged = len(node.value) - explicit  # flatten_mapping puts merged pairs first
    mapping = LineDict()
    mapping.line = node.start_mark.line + 1
    mapping.lines = {}
    given: set[Any] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = text.clean(str(key))
        if i >= merged:
            # A key written twice is a mistake; a key that overrides a merged (`<<:`) one is not.
            if key in given:
                loader.duplicates.append((key_node.start_mark.line + 1, str(key)))
            given.add(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: Any, node: SequenceNode) -> LineList:
    seq = LineList(loader.construct_object(child, deep=True) for child in node.value)
    seq.line = node.start_mark.line + 1
    seq.lines = [child.start_mark.line + 1 for child in node.value]
    return seq


class PyLoader(_Constructing, yaml.SafeLoader):
    """The pure-Python parser."""


LOADERS: dict[str, Any] = {"python": PyLoader}
if HAS_LIBYAML:

    class CLoader(_Constructing, yaml.CSafeLoader):
        """libyaml's parser (about ten times faster)."""

    LOADERS["c"] = CLoader

for _cls in LOADERS.values():
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)

DEFAULT_PARSER = "c" if HAS_LIBYAML else "python"


def _line(event: Any) -> int:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else 0


def _check_scalar(value: str, tag: str, line: int, issues: list[Issue]) -> str:
    if tag in (_INT_TAG, _FLOAT_TAG) and len(value) > limits.MAX_NUMBER_CHARS:
        raise _Failure(line, limits.limit_message(
            "this number", len(value), limits.MAX_NUMBER_CHARS, "characters"))
    if len(value) > limits.MAX_TEXT_CHARS:
        raise _Failure(line, limits.limit_message(
            "this text", len(value), limits.MAX_TEXT_CHARS, "characters"))
    lines = value.count("\n") + 1
    if lines > limits.MAX_TEXT_LINES:
        raise _Failure(line, limits.limit_message(
            "this text", lines, limits.MAX_TEXT_LINES, "lines"))
    parts = 0
    if tag == _STR_TAG and limits.markdown_parts_bound(value) > limits.MAX_MARKDOWN_PARTS:
        parts = limits.markdown_parts(value)  # parsed only when it might be over the limit
    if parts > limits.MAX_MARKDOWN_PARTS:
        raise _Failure(line, f"this text has {parts:,} Markdown parts (table cells, list items, "
                             f"headings, quoted lines); the limit is {limits.MAX_MARKDOWN_PARTS}")
    bad = text.first_unsafe(value)
    if bad is not None:
        issues.append((line, text.unsafe_message(bad)))
        value = text.clean(value)
    return value


_TOO_DEEP = f"lists and mappings are nested deeper than the limit of {limits.MAX_DEPTH} levels"


class _Frame:
    __slots__ = ("anchor", "key", "node", "size")

    def __init__(self, node: Node, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.size = 1
        self.key: Node | None = None


def _compose(loader: Any, issues: list[Issue]) -> Node | None:
    """The document's node graph, built from events without recursion, within the limits."""
    event = loader.get_event()
    assert isinstance(event, StreamStartEvent)
    if loader.check_event(StreamEndEvent):
        return None
    loader.get_event()  # DocumentStartEvent
    anchors: dict[str, tuple[Node, int]] = {}
    started: set[str] = set()
    stack: list[_Frame] = []
    root: Node | None = None
    while True:
        event = loader.get_event()
        line = _line(event)
        if isinstance(event, DocumentEndEvent):
            break
        node: Node
        if isinstance(event, AliasEvent):
            if event.anchor not in anchors:
                why = "refers to a list or mapping it is inside of" if event.anchor in started \
                    else "is not defined above"
                raise _Failure(line, f"the alias *{text.clean(str(event.anchor))} {why}")
            node, size = anchors[event.anchor]
        elif isinstance(event, ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(ScalarNode, event.value, event.implicit)
            value = _check_scalar(event.value, tag, line, issues)
            node = ScalarNode(tag, value, event.start_mark, event.end_mark, style=event.style)
            size = 1
            if event.anchor is not None:
                anchors[event.anchor] = (node, 1)
        elif isinstance(event, CollectionStartEvent):
            if len(stack) >= limits.MAX_DEPTH:
                raise _Failure(line, _TOO_DEEP)
            kind = SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
            tag = event.tag
            if tag is None or tag == "!":
                tag = loader.resolve(kind, None, event.implicit)
            coll = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
            if event.anchor is not None:
                started.add(event.anchor)
            stack.append(_Frame(coll, event.anchor))
            continue
        elif isinstance(event, SequenceEndEvent | MappingEndEvent):
            frame = stack.pop()
            node, size = frame.node, frame.size
            node.end_mark = event.end_mark
            if frame.key is not None:  # cannot happen with a well-formed event stream
                raise _Failure(line, "a mapping key has no value")
            if frame.anchor is not None:
                anchors[frame.anchor] = (node, size)
        else:  # pragma: no cover - the parser emits nothing else inside a document
            raise _Failure(line, f"unexpected {type(event).__name__}")
        if not stack:
            root = node
            continue
        parent = stack[-1]
        parent.size += size
        if parent.size > limits.MAX_NODES:
            raise _Failure(line, limits.limit_message(
                "with its aliases expanded, the file", parent.size, limits.MAX_NODES, "values"))
        if isinstance(parent.node, SequenceNode):
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None
    if not loader.check_event(StreamEndEvent):
        event = loader.get_event()
        if isinstance(event, DocumentStartEvent):
            raise _Failure(_line(event), "a lesson file holds one YAML document; found another "
                                         "(remove the second `---`)")
    return root


def find_forbidden(source: str) -> Issue | None:
    """The first character YAML does not allow in a file (NUL, a raw ESC …), with its line."""
    m = _NON_PRINTABLE.search(source)
    if m is None:
        return None
    line = source.count("\n", 0, m.start()) + 1
    return line, (f"contains the character {text.describe(m.group(0))}, which a YAML file "
                  "cannot hold")


@dataclass
class Parsed:
    """What `parse` found.

    `data` is built of LineDict, LineList and scalars (None when the file is empty or broken);
    `errors` make the file unusable (bad YAML, a limit broken); `duplicates` are keys given twice
    as (line, key); `cleaned` lists strings from which unsafe characters were removed (the
    lesson stays usable, `check` reports them).
    """

    data: Any = None
    errors: list[Issue] = field(default_factory=list)
    duplicates: list[Issue] = field(default_factory=list)
    cleaned: list[Issue] = field(default_factory=list)


def parse(source: str, *, parser: str = DEFAULT_PARSER) -> Parsed:
    """Parse one lesson document with `parser` ("c" for libyaml or "python"); never raises."""
    out = Parsed()
    forbidden = find_forbidden(source)
    if forbidden is not None:
        out.errors.append(forbidden)
        return out
    try:
        loader = LOADERS[parser](source)
    except yaml.YAMLError as exc:
        out.errors.append((0, f"not valid YAML: {text.clean(str(exc))}"))
        return out
    loader.duplicates = out.duplicates
    try:
        node = _compose(loader, out.cleaned)
        out.data = loader.construct_document(node) if node is not None else None
    except _Failure as exc:
        out.errors.append((exc.line, exc.message))
    except yaml.MarkedYAMLError as exc:
        if parser != "python" and not isinstance(exc, yaml.constructor.ConstructorError):
            # libyaml words syntax errors its own way; the learner gets one wording and line.
            loader.dispose()
            return parse(source, parser="python")
        mark = exc.problem_mark or exc.context_mark
        reason = text.clean(exc.problem or exc.context or "")
        line = mark.line + 1 if mark else 0
        # libyaml's own depth guard (1000 flow levels) may fire while it scans ahead.
        out.errors.append((line, _TOO_DEEP if "nesting depth" in reason
                           else f"not valid YAML: {reason}" if reason else "not valid YAML"))
    except yaml.YAMLError as exc:
        out.errors.append((0, f"not valid YAML: {text.clean(str(exc))}"))
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps construction shallow
        out.errors.append((0, "nested too deeply"))
    finally:
        loader.dispose()
    if out.errors:
        out.data = None
    return out
