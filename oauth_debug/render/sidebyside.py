"""Two strings one above the other with a caret under their first difference, at any width.

A base string is longer than a terminal line. Left to rich, the two lines wrap independently and
the caret line, printed under them, points at a column of the *last* wrapped piece, which is not
where the difference is. So the strings are cut here into chunks that fit the width the renderable
is given, printed pair by pair, and the caret goes under the chunk that holds the difference, at
its column within that chunk. Each printed line fits, so rich never wraps one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

CARET_LABEL = "^ first difference"


@dataclass(frozen=True)
class SideBySideText:
    """``first`` above ``second``, each after its label, the caret under index ``at`` (if any).

    The labels must have the same length: the two strings share their columns.
    """

    first: str
    second: str
    at: int | None
    labels: tuple[str, str] = ("  yours: ", "  RFC:   ")
    styles: tuple[str, str] = ("red", "green")
    highlight: str = ""
    """A style for the character at the difference, on top of the line's style."""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = len(self.labels[0])
        room = max(8, options.max_width - indent)
        longest = max(len(self.first), len(self.second), 1)
        for start in range(0, longest, room):
            end = start + room
            yield self._line(0, start, end)
            yield self._line(1, start, end)
            if self.at is not None and start <= self.at < end:
                yield self._caret(indent + self.at - start, options.max_width)

    def _line(self, which: int, start: int, end: int) -> Text:
        value = (self.first, self.second)[which]
        line = Text(self.labels[which], no_wrap=True, overflow="crop")
        chunk = value[start:end]
        line.append(chunk, style=self.styles[which])
        if self.highlight and self.at is not None and start <= self.at < start + len(chunk):
            offset = len(self.labels[which]) + self.at - start
            line.stylize(self.highlight, offset, offset + 1)
        return line

    @staticmethod
    def _caret(column: int, width: int) -> Text:
        # The indent is a segment of its own: an SVG export would collapse leading spaces inside
        # a styled segment and put the caret at the margin.
        mark = Text(" " * column, no_wrap=True, overflow="crop")
        if column + len(CARET_LABEL) <= width:
            mark.append(CARET_LABEL, style="bold yellow")
        elif column >= len(CARET_LABEL) - 1:  # no room to the right: the words go to its left
            mark = Text(" " * (column - len(CARET_LABEL) + 1), no_wrap=True, overflow="crop")
            mark.append("first difference ^", style="bold yellow")
        else:
            mark.append("^", style="bold yellow")
        return mark
