"""How much of a long value or table the terminal text shows: bounded by default, whole on --full.

A 5 MB form body is one parameter value; drawn whole into a rich panel it costs minutes and prints
megabytes nobody reads, and 10,000 parameters make tables of 10,000 rows. The terminal text shows
the start of each long value and the first rows of each table, and says what it left out and how
to see it (``--full``). JSON and Markdown are for programs and for pasting and stay whole; so does
every command printed for pasting (a curl line), which would otherwise send another request.

Everything here is cut before rich sees it, so the cost of the text output is bounded by the
limits, not by the input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only clip_text draws with rich, and it is given a Text: a plain line (`sign`) loads no rich.
    from rich.text import Text

FULL_HINT = "--full shows every value whole"


@dataclass(frozen=True)
class Bounds:
    """The most the text output shows; ``None`` for no limit (``--full``)."""

    cell_chars: int | None = 200
    """One table cell (a parameter's name or value)."""
    value_chars: int | None = 2000
    """One value of its own (a base string, a parameter string, a URL, a body)."""
    rows: int | None = 50
    """Rows of one table (parameters)."""

    @classmethod
    def full(cls) -> Bounds:
        return cls(None, None, None)

    @classmethod
    def of(cls, full: bool) -> Bounds:
        return cls.full() if full else cls()


def clip(value: str, limit: int | None) -> str:
    """``value`` cut to ``limit`` characters, saying on a line of its own how many more there are
    (on its own so that the words do not run on from the value, and it is not mistaken for it)."""
    if limit is None or len(value) <= limit:
        return value
    return value[:limit] + f"…\n… {len(value) - limit:,} more characters; {FULL_HINT}"


def clip_text(value: Text, limit: int | None, total: int | None = None) -> Text:
    """:func:`clip` for styled text: the styles of the part kept stay.

    ``total`` is the length of the whole value when ``value`` is already a cut of it (styling only
    what is shown is what keeps the cost bounded)."""
    total = len(value) if total is None else total
    if limit is None or total <= limit:
        return value
    kept = value[:limit] if len(value) > limit else value.copy()
    left_out = total - len(kept)
    kept.append("…\n")
    kept.append(f"… {left_out:,} more characters; {FULL_HINT}", style="italic")
    return kept


def more_rows(total: int, limit: int | None, what: str) -> str | None:
    """The line that stands for the rows left out of a table, or None when none were."""
    if limit is None or total <= limit:
        return None
    return f"… {total - limit:,} more {what} (--full)"
