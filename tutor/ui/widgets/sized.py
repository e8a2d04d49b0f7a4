"""A widget that builds its renderable for the size it is given (for text charts)."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import RenderableType
from textual.geometry import Size
from textual.widget import Widget

Factory = Callable[[int, int], RenderableType]

MIN_CHART, MAX_CHART = 8, 16  # rows of the chart area itself (axes, legend and notes come on top)


class Sized(Widget):
    """Calls `factory(width, chart_height)` on every render, so charts redraw on resize.

    The widget's height is the renderable's (legend and notes included); the chart area grows with
    the terminal: 10 rows at 80×24, 16 from 30 rows up.
    """

    DEFAULT_CSS = """
    Sized {
        height: auto;
    }
    """

    def __init__(
        self, factory: Factory | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._factory = factory
        self._width = 0

    def chart_height(self) -> int:
        rows = self.app.size.height if self.is_attached else 24
        return max(MIN_CHART, min(MAX_CHART, rows - 14))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._width = width
        return super().get_content_height(container, viewport, width)

    def render(self) -> RenderableType:
        if self._factory is None:
            return ""
        width = self.content_size.width or self._width
        return self._factory(max(width, 20), self.chart_height())

    def set_factory(self, factory: Factory | None) -> None:
        self._factory = factory
        self.display = factory is not None
        self.refresh(layout=True)
