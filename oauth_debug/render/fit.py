"""A table whose ids are never cut: below the width the table needs, the same rows as a list.

An id (a vector case, a mistake, a finding) is what a person copies to look something up. rich
squeezes a table that is too wide by wrapping its cells and, once that is not enough, by cutting
cells with an ellipsis, ids included. Here the width the table needs (every id whole, every other
cell wrapped at most at its longest word) is computed, and when the console is narrower the rows
are printed as a list instead: one block per row, the id on a line of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.table import Table
from rich.text import Text

Cell = str | Text


@dataclass(frozen=True)
class Column:
    header: str
    is_id: bool = False
    """An id: never wrapped, never cut."""


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=0)


@dataclass(frozen=True)
class TableOrList:
    """``rows`` under ``columns`` as a table when it fits the width it is drawn at, else a list."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str = ""
    row_styles: tuple[str, ...] = ()
    """A style per row (for the whole row), or none."""

    def _style(self, number: int) -> str:
        return self.row_styles[number] if number < len(self.row_styles) else ""

    def needed_width(self) -> int:
        """Columns at their narrowest (ids whole), plus rich's padding (1 a side) and borders."""
        widths = []
        for number, column in enumerate(self.columns):
            cells = [_plain(row[number]) for row in self.rows]
            measure = cell_len if column.is_id else _longest_word
            widths.append(max([measure(column.header), *map(measure, cells)]))
        return sum(widths) + 3 * len(widths) + 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if options.max_width >= self.needed_width():
            yield self.table()
        else:
            yield self.listing()

    def table(self) -> Table:
        table = Table(title=Text(self.title) if self.title else None)
        for column in self.columns:
            if column.is_id:
                table.add_column(column.header, no_wrap=True)
            else:
                table.add_column(column.header, overflow="fold")
        for number, row in enumerate(self.rows):
            # Text, not str: a str cell is read as markup by any console that has it on.
            cells = (cell if isinstance(cell, Text) else Text(cell) for cell in row)
            table.add_row(*cells, style=self._style(number))
        return table

    def listing(self) -> Group:
        key = next((n for n, column in enumerate(self.columns) if column.is_id), 0)
        parts: list[Text] = [Text(self.title, style="bold")] if self.title else []
        for row_number, row in enumerate(self.rows):
            style = self._style(row_number)
            head = Text(_plain(row[key]), style=f"bold {style}".strip())
            head.no_wrap, head.overflow = True, "ignore"
            parts.append(head)
            for number, column in enumerate(self.columns):
                if number != key and _plain(row[number]):
                    line = Text(f"  {column.header}: " if column.header else "  ", style=style)
                    line.append(row[number])
                    parts.append(line)
        return Group(*parts)


def table_or_list(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    title: str = "",
    row_styles: Sequence[str] = (),
) -> TableOrList:
    return TableOrList(tuple(columns), tuple(tuple(row) for row in rows), title, tuple(row_styles))
