"""Panels that render each renderable once per (key, width) and keep the lines.

Textual renders a widget's renderable twice per layout (once to measure its height, once to
paint), and a `Static.update` re-renders even when nothing changed. The step panels show one
record each, built from immutable records: a panel here is told a key (the record's position,
the language, …) and renders the renderable for that key once per width, keeping the lines; an
unchanged key does nothing, and the height comes from the kept lines (never from
`content_size`, which would force a second layout in the middle of one).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.app import RenderResult
from textual.css.styles import RulesMap
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual, VisualType
from textual.widgets import Static

Factory = Callable[[int, int], RenderableType]

MIN_CHART, MAX_CHART = 8, 16  # rows of the chart area itself (axes, legend and notes come on top)
KEEP = 16  # rendered (key, width, height) entries kept per panel (stepping back and forth)


class Lines:
    """Lines already rendered: rendering them again only yields their segments."""

    def __init__(self, lines: list[list[Segment]]) -> None:
        self.lines = lines

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        new_line = Segment.line()
        for line in self.lines:
            yield from line
            yield new_line


def _space_look(style: RichStyle | None) -> tuple[object, ...]:
    """What of a style shows on a space: its background and the marks drawn across a cell."""
    if style is None:
        return (None,) + (False,) * 7
    return (style.bgcolor, bool(style.underline), bool(style.underline2), bool(style.strike),
            bool(style.reverse), bool(style.overline), bool(style.conceal), style.link)


def compact(line: list[Segment]) -> list[Segment]:
    """`line` with neighbours that look alike merged: same style, or spaces next to text whose
    style differs only in what a space does not show (colour, bold, dim, italic).

    A table's padding and cells and a chart's dots and gaps came as a segment each; each costs
    Textual a pass and the terminal an escape code and a reset (a weights row was 578 bytes for
    77 cells, a chart row 735)."""
    out: list[Segment] = []
    for seg in line:
        text, style, control = seg
        if out and control is None and out[-1].control is None:
            prev = out[-1]
            if prev.style == style or (
                text.isspace() and _space_look(prev.style) == _space_look(style)
            ):
                out[-1] = Segment(prev.text + text, prev.style)
                continue
            if prev.text.isspace() and _space_look(prev.style) == _space_look(style):
                out[-1] = Segment(prev.text + text, style)
                continue
        out.append(seg)
    return out


def changed_rows(old: list[list[Segment]], new: list[list[Segment]], width: int) -> list[Region]:
    """The runs of rows where `new` differs from `old` (lines of segments), as regions `width`
    wide: what a repaint from `old` to `new` must cover (a row either has and the other has not
    counts as changed)."""
    regions: list[Region] = []
    start = None
    for y in range(max(len(new), len(old)) + 1):
        same = y < len(new) and y < len(old) and new[y] == old[y]
        ended = y >= len(new) and y >= len(old)
        if start is None and not same and not ended:
            start = y
        elif start is not None and (same or ended):
            regions.append(Region(0, start, width, y - start))
            start = None
    return regions


class LinesVisual(Visual):
    """Lines a panel rendered once, as the strips Textual paints; the strips are made once per
    base style and kept with the lines (Textual would render the lines again on every repaint)."""

    def __init__(self, lines: list[list[Segment]], kept: dict[Hashable, list[Strip]]) -> None:
        self.lines = lines
        self._kept = kept  # base style -> strips, shared by every repaint of these lines

    @property
    def kept(self) -> dict[Hashable, list[Strip]]:
        """The strips kept with the lines (a `Column` keeps its final rows there too)."""
        return self._kept

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        strips = self.strips(style.rich_style, width)
        return strips if height is None else strips[:height]

    def strips(self, base: RichStyle, width: int) -> list[Strip]:
        """The lines as strips on `base` (made once per base style; `Panel.prerender` makes them
        ahead, so a press only hands them over)."""
        strips = self._kept.get(base)
        if strips is None:
            # as Textual's RichVisual + `Widget.post_render`: the base style under each
            # segment's own, control codes dropped, each line cropped to the width
            add = base.__add__
            strips = []
            for line in self.lines:
                strip = Strip([Segment(text, add(seg_style), None)
                               for text, seg_style, _ in line] if base else line)
                strips.append(strip.crop(0, width) if strip.cell_length > width else strip)
            self._kept.clear()  # one base style at a time is all a panel shows
            self._kept[base] = strips
        return strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((Segment.get_line_length(line) for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines)


class Panel(Static):
    """A Static whose content is set by key (`show`) and rendered once per key and width.

    Its height only grows while it lives (one training view): a record shorter than the tallest
    shown at this width keeps the panel's height, with blank rows below, so a step press repaints
    the panels whose record changed and never lays out the whole screen again (Textual lays out
    the screen twice when a panel's height changes: once for the panel, once more for the
    containers whose virtual size changed). Only a record taller than any before it lays out.
    `prerender` renders a key's lines ahead (the next step, while the learner reads this one).
    """

    def __init__(
        self,
        content: RenderableType = "",
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            Text(content) if isinstance(content, str) else content, id=id, classes=classes
        )
        self._content: RenderableType = self._as_renderable(content)
        self.set_reactive(Static.auto_links, False)  # no links in a panel: no pass to style them
        self._key: Hashable = object()  # no key yet: the first `show` always draws
        self._width = 0
        self._painted: tuple[int, list[list[Segment]]] | None = None  # (width, lines) on screen
        self._rendered: OrderedDict[tuple[Hashable, int, int], list[list[Segment]]] = OrderedDict()
        self._strips: dict[int, dict[Hashable, list[Strip]]] = {}  # id(lines) -> kept strips
        self._tallest: dict[tuple[int, int], int] = {}  # (width, height arg) -> rows laid out
        self.resized = False  # a layout was asked for since the owner last looked (and reset it)

    @staticmethod
    def _as_renderable(content: RenderableType) -> RenderableType:
        return Text(content) if isinstance(content, str) else content

    @property
    def content(self) -> VisualType:
        """The renderable shown (a str given to `update` is a `Text`)."""
        return self._content

    @content.setter
    def content(self, content: VisualType) -> None:
        self.update(content)  # type: ignore[arg-type]

    def show(self, key: Hashable, build: Callable[[], RenderableType]) -> None:
        """Show `build()` unless `key` is what the panel shows already (then nothing happens)."""
        if key == self._key:
            return
        self._set(key, build())

    def update(self, content: RenderableType = "", *, layout: bool = True) -> None:  # type: ignore[override]
        """Show `content` (a Rich renderable; a str is plain text, never markup)."""
        self._set(object(), content)  # content without a key: a key of its own

    def _set(self, key: Hashable, content: RenderableType) -> None:
        """Show `content` under `key`: a repaint. Nothing is rendered here (in a burst of presses
        only the last is rendered); `render` asks for a layout when the lines need more rows."""
        self._content = self._as_renderable(content)
        self._key = key
        self._repaint()

    def _repaint(self) -> None:
        """Ask for the next frame to show the current key: only the rows that differ from the
        ones on screen when the new lines are already rendered (the next step, prerendered),
        the whole panel otherwise, and a layout when the panel has not been laid out yet or
        the new lines are known to need more rows (in this frame, not the next).

        A step changes a few numbers: repainting only their rows keeps Textual from rendering
        and the terminal from receiving the unchanged rest of the panel (a 120×40 frame was
        22 KB a press when every panel was repainted whole)."""
        width = self._paint_width()
        if not width:
            self._resize()  # not laid out yet
            return
        height = self._height_arg()
        new = self._rendered.get((self._key, width, height))
        painted = self._painted
        if new is not None and len(new) > self._tallest.get((width, height), 0):
            self._resize()
            return
        if new is None or painted is None or painted[0] != width:
            self.refresh()
            return
        old = painted[1]
        regions = changed_rows(old, new, width)
        if regions:
            self.refresh(*regions)

    def _resize(self) -> None:
        self.resized = True
        self.refresh(layout=True)

    def forget_height(self) -> None:
        """Let the panel shrink to its content again (the next frame lays it out)."""
        if self._tallest:
            self._tallest.clear()
            self._resize()

    def prerender(self, key: Hashable, build: Callable[[], RenderableType]) -> None:
        """Render `build()` for `key` now, at the width the panel has, if it is not kept."""
        width = self._paint_width()
        if not width or not self.is_mounted:
            return
        cache_key = (key, width, self._height_arg())
        if cache_key not in self._rendered:
            lines = self._render_lines(build(), width)
            self._keep(cache_key, lines)
            # and as the strips the press will hand to Textual (on the base style of now)
            LinesVisual(lines, self._strips.setdefault(id(lines), {})).strips(
                self.visual_style.rich_style, width)

    def _paint_width(self) -> int:
        """The width the panel paints at: its content area's once it is laid out, else the
        width the last layout asked the height for. Not that width alone: a container that
        weighs a scrollbar asks its children again, a column narrower, after they were placed,
        and lines of that width showed an old frame's chart or wrapped one column short."""
        return self.size.width or self._width

    def _height_arg(self) -> int:
        return 0

    def _renderable(self, width: int) -> RenderableType:
        return self._content

    def _render_lines(self, renderable: RenderableType, width: int) -> list[list[Segment]]:
        app = self.app
        options = app.console_options.update(highlight=False).update_width(width)
        return [compact(line) for line in app.console.render_lines(renderable, options, pad=False)]

    def _keep(self, cache_key: tuple[Hashable, int, int], lines: list[list[Segment]]) -> None:
        self._rendered[cache_key] = lines
        while len(self._rendered) > KEEP:
            _, dropped = self._rendered.popitem(last=False)
            self._strips.pop(id(dropped), None)

    def _lines(self, width: int) -> list[list[Segment]]:
        cache_key = (self._key, width, self._height_arg())
        lines = self._rendered.get(cache_key)
        if lines is not None:
            self._rendered.move_to_end(cache_key)
            return lines
        lines = self._render_lines(self._renderable(width), width)
        self._keep(cache_key, lines)
        return lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        self._width = width
        at = (width, self._height_arg())
        rows = max(len(self._lines(width)), self._tallest.get(at, 0))
        self._tallest[at] = rows
        return rows

    def render(self) -> RenderResult:
        width = self._paint_width()
        if not width:
            return ""
        lines = self._lines(width)
        if len(lines) > self._tallest.get((width, self._height_arg()), 0):
            self.refresh(layout=True)  # taller than any record before: the next frame lays out
        self._painted = (width, lines)
        return LinesVisual(lines, self._strips.setdefault(id(lines), {}))


class Sized(Panel):
    """A panel whose renderable is made by `factory(width, chart_height)` for the size it is
    given, so charts redraw on resize. The widget's height is the renderable's (legend and notes
    included); the chart area grows with the terminal: 10 rows at 80×24, 16 from 30 rows up."""

    def __init__(
        self, factory: Factory | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._factory = factory
        self._key = factory

    def chart_height(self) -> int:
        rows = self.app.size.height if self.is_attached else 24
        return max(MIN_CHART, min(MAX_CHART, rows - 14))

    def _height_arg(self) -> int:
        return self.chart_height()

    def _renderable(self, width: int) -> RenderableType:
        if self._factory is None:
            return ""
        return self._factory(max(width, 20), self.chart_height())

    def render(self) -> RenderResult:
        if self._factory is None:
            return ""
        return super().render()

    def set_factory(self, factory: Factory | None, key: Hashable = None) -> None:
        """Draw with `factory`; with a `key` equal to the one shown, nothing changes."""
        if key is not None and key == self._key and factory is not None:
            return
        self._factory = factory
        self._key = key if key is not None else factory
        self.display = factory is not None
        # as `Panel._set`: a repaint of the rows that changed, a layout only for more rows
        self._repaint()
