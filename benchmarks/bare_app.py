"""The floor for benchmarks/bench_ui.py: a bare Textual app (Header, a Static, a DataTable, Footer).

`n` counts up in the Static (`count 7`) and moves the table's cursor one row, so each press
changes two widgets, as a step does; `q` quits. It imports nothing of the tutor.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Static


class Bare(App[None]):
    BINDINGS: ClassVar = [("n", "next", "next"), ("q", "quit", "quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("count 0", id="count")
        yield DataTable(id="table")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("step", "x", "target", "net", "output")
        for i in range(12):
            table.add_row(str(i + 1), f"({i % 2}, {i // 2 % 2})", str(i % 3 % 2), f"{i / 7:.3f}",
                          str(i % 2))
        self.count = 0

    def action_next(self) -> None:
        self.count += 1
        self.query_one("#count", Static).update(f"count {self.count}")
        table = self.query_one(DataTable)
        table.move_cursor(row=self.count % table.row_count)


if __name__ == "__main__":
    Bare().run()
