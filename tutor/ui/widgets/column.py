"""A column of titled sections drawn as one widget: the walkthrough's step panels.

Each section is a renderable under a rule that carries its title (as a panel's top border
looked). Textual's fixed cost of a frame is per widget and per row it covers: the styles and
colours of every widget the changed rows cross, every row of each, and the cuts each changed row
is divided at. The step panels were eight widgets (six panels in two column containers), and at
120×40 that fixed cost was about half of a step's paint; two columns cost a quarter of it.

A column renders a section once per (key, width) and keeps the lines; a step press repaints the
rows that changed, and lays the screen out only when the column needs more rows than it has had.
A section's rows only grow while the column lives (a shorter record keeps blank rows under it),
so the sections below it stay where they were.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.console import Group, RenderableType
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

from tutor.ui.widgets.sized import (
    KEEP,
    MAX_CHART,
    MIN_CHART,
    LinesVisual,
    changed_rows,
    compact,
)

Build = Callable[[int, int], RenderableType]  # (width, chart rows) -> what the section shows

Lines = list[list[Segment]]


@dataclass(frozen=True, eq=False)
class Section:
    """One titled part of a column.

    `key` names what `build` makes at a width: a section whose name, title and key are those
    shown already changes nothing. `chart` sections are drawn for the chart rows the terminal's
    height gives (their key is kept per chart height). `reserve` is (key, build) of the largest
    the section will get (the epoch history at the run's end): it takes those rows from the
    start, so a press never lays the screen out for it."""

    name: str
    title: str
    key: Hashable
    build: Build
    chart: bool = False
    reserve: tuple[Hashable, Build] | None = None

    @property
    def ident(self) -> tuple[str, str, Hashable]:
        return (self.name, self.title, self.key)


class Assembled(NamedTuple):
    """A column's rows, the parts they are made of, and each section's place in them."""

    lines: Lines
    parts: list[LinesVisual | int]
    placed: list[tuple[str, int, int]]  # (name, its rule's row, rows with the rule)


class ColumnVisual(Visual):
    """The column's rows as the strips Textual paints: each section's strips are made once per
    base style and kept with its lines (`LinesVisual`), and joined here."""

    def __init__(self, parts: Sequence[LinesVisual | int], lines: Lines) -> None:
        self.parts = parts  # a section's rows, or a number of blank rows under them
        self.lines = lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        base = style.rich_style
        strips: list[Strip] = []
        blank = Strip([], 0)
        for part in self.parts:
            if isinstance(part, int):
                strips.extend([blank] * part)
            else:
                strips.extend(part.strips(base, width))
        return strips if height is None else strips[:height]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((Segment.get_line_length(line) for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines)


class Column(Static):
    """Sections one under another, each under a rule with its title; one widget (see the
    module's docstring)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"column--rule", "column--title"}

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(Static.auto_links, False)  # no links in a column: no pass to style them
        self._sections: tuple[Section, ...] = ()
        self._shown: tuple[tuple[str, str, Hashable], ...] | None = None
        self._rendered: OrderedDict[tuple[str, Hashable, int, int], Lines] = OrderedDict()
        self._kept: dict[int, dict[Hashable, list[Strip]]] = {}  # id(lines) -> strips
        self._rules: dict[tuple[str, int, RichStyle, RichStyle], Lines] = {}
        self._section_rows: dict[tuple[str, int, int], int] = {}  # (name, width, chart) -> rows
        self._reserved: dict[tuple[Hashable, int, int], int] = {}  # (key, width, chart) -> rows
        self._tallest: dict[tuple[int, int], int] = {}  # (width, chart) -> rows laid out
        self._width = 0
        self._painted: tuple[int, Lines] | None = None  # (width, lines) on screen
        self._placed: list[tuple[str, int, int]] = []  # (name, first row, rows) on screen
        self._asked: tuple[int, int, int] | None = None  # (width, height, rows) laid out for
        self.resized = False  # a layout was asked for since the owner last looked (and reset it)

    # -- what is shown

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections shown, top to bottom."""
        return self._sections

    def section(self, name: str) -> Section | None:
        """The section called `name`, or None when the column does not show it."""
        return next((s for s in self._sections if s.name == name), None)

    def shown(self, name: str) -> RenderableType | None:
        """What section `name` shows, built at the column's width (None: not shown)."""
        section = self.section(name)
        if section is None:
            return None
        return section.build(max(self._paint_width(), 20), self._chart_rows())

    def placement(self) -> list[tuple[str, int, int]]:
        """Where each section is on screen: (name, its rule's row, rows with the rule)."""
        return list(self._placed)

    @property
    def content(self) -> VisualType:
        """Everything the column shows, as one renderable: each section's title (plain text,
        never markup), then what the section shows (built at the column's width)."""
        width, chart = max(self._paint_width(), 20), self._chart_rows()
        return Group(*[part for section in self._sections
                       for part in (Text("─" + section.title), section.build(width, chart))])

    @content.setter
    def content(self, content: VisualType) -> None:
        raise TypeError("a column shows sections (Column.show), not one content")

    def show(self, sections: Sequence[Section]) -> None:
        """Show `sections`; those already shown (same names, titles and keys) change nothing.
        Nothing is rendered here (in a burst of presses only the last is): the rows that
        differ from those on screen are repainted, or the screen is laid out when the column
        needs more rows."""
        sections = tuple(sections)
        ident = tuple(s.ident for s in sections)
        if ident == self._shown:
            return
        self._sections, self._shown = sections, ident
        self.display = bool(sections)
        self._repaint()

    def prerender(self, sections: Sequence[Section]) -> None:
        """Render `sections` now, at the width the column has, as the rows a press will hand
        to Textual (the next step's, while the learner reads this one)."""
        width = self._paint_width()
        if not width or not self.is_mounted:
            return
        chart = self._chart_rows()
        plain = self._plain()
        base = self.visual_style.rich_style
        for section in sections:
            parts = [self._visual_of(self._rule(section.title, width)),
                     self._visual_of(self._lines_of(section, width, chart))]
            if plain:
                self._final(parts, width)
            else:
                for part in parts:
                    part.strips(base, width)

    def forget_height(self, names: Collection[str] | None = None) -> None:
        """Let sections `names` (None: all) shrink to their content again, and the column with
        them (the next frame lays it out)."""
        for at in [at for at in self._section_rows if names is None or at[0] in names]:
            del self._section_rows[at]
        self._tallest.clear()
        self._resize()

    # -- rendering

    def chart_height(self) -> int:
        """Rows of a chart's area: 10 at 80×24, 16 from 30 rows up (axes and notes come on top)."""
        rows = self.app.size.height if self.is_attached else 24
        return max(MIN_CHART, min(MAX_CHART, rows - 14))

    def _chart_rows(self) -> int:
        """The chart rows every height kept here is kept for (they change with the terminal's
        height alone, and only chart sections are drawn for them)."""
        return self.chart_height()

    def _paint_width(self) -> int:
        """The width the column paints at: its content area's once laid out, else the width the
        last layout asked its height for (see `Panel._paint_width`)."""
        return self.size.width or self._width

    def _render_rows(self, renderable: RenderableType, width: int) -> Lines:
        app = self.app
        options = app.console_options.update(highlight=False).update_width(width)
        return [compact(line) for line in app.console.render_lines(renderable, options, pad=False)]

    def _kept_lines(self, section: Section, width: int, chart: int) -> Lines | None:
        """The section's lines at `width` if they are rendered already, else None."""
        at = (section.name, section.key, width, chart if section.chart else 0)
        lines = self._rendered.get(at)
        if lines is not None:
            self._rendered.move_to_end(at)
        return lines

    def _lines_of(self, section: Section, width: int, chart: int) -> Lines:
        """The section's lines at `width`, rendered now unless they are kept."""
        lines = self._kept_lines(section, width, chart)
        if lines is None:
            at = (section.name, section.key, width, chart if section.chart else 0)
            lines = self._rendered[at] = self._render_rows(
                section.build(max(width, 20), chart), width)
            while len(self._rendered) > KEEP * 6:  # six sections at most
                _, dropped = self._rendered.popitem(last=False)
                self._kept.pop(id(dropped), None)
        return lines

    def _reserved_rows(self, section: Section, width: int, chart: int) -> int:
        if section.reserve is None:
            return 0
        key, build = section.reserve
        at = (key, width, chart if section.chart else 0)
        rows = self._reserved.get(at)
        if rows is None:
            rows = self._reserved[at] = len(self._render_rows(build(max(width, 20), chart), width))
        return rows

    def _rule(self, title: str, width: int) -> Lines:
        """The rule over a section: ─Title──── across the width (a panel's top border was)."""
        rule_style = self.get_component_rich_style("column--rule", partial=True)
        title_style = self.get_component_rich_style("column--title", partial=True)
        at = (title, width, rule_style, title_style)
        line = self._rules.get(at)
        if line is None:
            segments = [Segment("─", rule_style), Segment(title, title_style)]
            rest = width - 1 - Segment.get_line_length(segments[1:])
            if rest > 0:
                segments.append(Segment("─" * rest, rule_style))
            if len(self._rules) >= 64:  # titles × widths × themes seen: a few in practice
                for dropped in self._rules.values():
                    self._kept.pop(id(dropped), None)
                self._rules.clear()
            line = self._rules[at] = [Segment.adjust_line_length(segments, width, pad=False)]
        return line

    def _visual_of(self, lines: Lines) -> LinesVisual:
        return LinesVisual(lines, self._kept.setdefault(id(lines), {}))

    def _assemble(self, width: int, *, render: bool = True) -> Assembled | None:
        """The column's rows at `width`, the parts they are made of and where each section is
        (None when a section is not rendered yet and `render` is False)."""
        chart = self._chart_rows()
        lines: Lines = []
        parts: list[LinesVisual | int] = []
        placed: list[tuple[str, int, int]] = []
        for section in self._sections:
            rows = (self._lines_of(section, width, chart) if render
                    else self._kept_lines(section, width, chart))
            if rows is None:
                return None
            rule = self._rule(section.title, width)
            at = (section.name, width, chart)
            height = max(len(rows), self._section_rows.get(at, 0),
                         self._reserved_rows(section, width, chart))
            self._section_rows[at] = height
            placed.append((section.name, len(lines), 1 + height))
            lines += rule
            lines += rows
            parts += (self._visual_of(rule), self._visual_of(rows))
            if height > len(rows):
                lines += [[]] * (height - len(rows))
                parts.append(height - len(rows))
        return Assembled(lines, parts, placed)

    def _repaint(self) -> None:
        """Ask for the next frame to show the sections: only the rows that differ from the ones
        on screen when the new ones are already rendered (the next step, prerendered), the whole
        column otherwise, and a layout when the column has not been laid out yet or needs more
        rows (in this frame, not the next)."""
        width = self._paint_width()
        if not width:
            self._resize()  # not laid out yet
            return
        composed = self._assemble(width, render=False)
        painted = self._painted
        if composed is not None and len(composed.lines) > self.size.height:
            self._resize()
            return
        if composed is None or painted is None or painted[0] != width:
            self.refresh()
            return
        new, old = composed.lines, painted[1]
        regions = changed_rows(old, new, width)
        if regions:
            self.refresh(*regions)

    def _resize(self) -> None:
        self.resized = True
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not width:
            return 0
        self._width = width
        composed = self._assemble(width)
        assert composed is not None
        at = (width, self._chart_rows())
        rows = self._tallest[at] = max(len(composed.lines), self._tallest.get(at, 0))
        return rows

    def _frame(self, width: int) -> Assembled:
        """The rows a frame shows at `width` (noted as the rows on screen); a layout is asked
        for when they are more than the column has had."""
        composed = self._assemble(width)
        assert composed is not None
        rows, height = len(composed.lines), self.size.height
        if rows > height and self._asked != (width, height, rows):
            # more rows than laid out: the next frame lays out (once: a layout that still
            # gives fewer rows, measuring at another width, is not asked for again)
            self._asked = (width, height, rows)
            self.refresh(layout=True)
        self._painted = (width, composed.lines)
        self._placed = composed.placed
        return composed

    def render(self) -> RenderResult:
        width = self._paint_width()
        if not width or not self._sections:
            return ""
        composed = self._frame(width)
        return ColumnVisual(composed.parts, composed.lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows in `crop` as the terminal shows them, joined from strips made once.

        Textual's own path styles each changed row again (border, padding, tint, opacity, then
        the app's line filters such as true colour and dim): about 45 µs a row, and a 120×40
        step changes some 25 rows. A column has none of those but the filters, and the rows of
        its sections are kept rendered: each row's final strip (base style, padded to the width,
        filtered) is made once, by the prerender or the first frame that shows it, and a frame
        hands the kept strips over. Textual's path draws a column whose CSS gives it a border,
        padding, outline, tint, hatch or opacity, and one with a text selection in it."""
        width = self.size.width
        if not width or not self._sections or not self._plain():
            return super().render_lines(crop)
        self._dirty_regions.clear()  # as Textual's path does once it has rendered the content
        composed = self._frame(width)
        rows = self._final(composed.parts, width)
        strips = rows[crop.y:crop.bottom]
        if len(strips) < crop.height:  # below the lines: blank rows, as Textual draws them
            blank = self._filtered(Strip.blank(width, self.visual_style.rich_style))
            strips += [blank] * (crop.height - len(strips))
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        """Row `y` as `render_lines` paints it."""
        width = self.size.width
        if not width or not self._sections or not self._plain():
            return super().render_line(y)
        return self.render_lines(Region(0, y, width, 1))[0]

    def _plain(self) -> bool:
        """Whether Textual would only pad and filter the rows (see `render_lines`)."""
        styles = self.styles
        gutter = styles.gutter
        return (
            not (gutter.width or gutter.height)
            and not any(edge for edge, _ in styles.outline)
            and styles.tint.a == 0
            and self.opacity == 1
            and styles.text_opacity == 1
            and not (styles.has_rule("hatch") and styles.hatch != "none")
            and styles.content_align == ("left", "top")
            and self.text_selection is None
        )

    def _filtered(self, strip: Strip) -> Strip:
        background = self.background_colors[1]
        for line_filter in self.get_line_filters():
            strip = strip.apply_filter(line_filter, background)
        return strip

    def _final(self, parts: Sequence[LinesVisual | int], width: int) -> list[Strip]:
        """Every row of `parts` as the terminal shows it: on the base style, padded to `width`
        with the background, through the app's line filters; kept with each part's lines."""
        base = self.visual_style.rich_style
        base_background, background = self.background_colors
        inner = Style(background=base_background + background).rich_style
        filters = tuple(self.get_line_filters())
        at = ("final", base, width, inner, background, filters)
        rows: list[Strip] = []
        blank: Strip | None = None
        for part in parts:
            if isinstance(part, int):
                if blank is None:
                    blank = Strip([], 0).adjust_cell_length(width, inner)
                    for line_filter in filters:
                        blank = blank.apply_filter(line_filter, background)
                rows += [blank] * part
                continue
            final = part.kept.get(at)
            if final is None:
                final = []
                for strip in part.strips(base, width):
                    strip = strip.adjust_cell_length(width, inner)
                    for line_filter in filters:
                        strip = strip.apply_filter(line_filter, background)
                    final.append(strip)
                for key in [k for k in part.kept if isinstance(k, tuple) and k[0] == "final"]:
                    del part.kept[key]  # one look at a time is all a column shows
                part.kept[at] = final
            rows += final
        return rows
