"""Unstyled lines printed exactly as :func:`~oauth_debug.render.console.make_console` prints them,
without importing rich when rich would add nothing to them.

`oauth-debug sign` prints a header (or URL) and a curl line: plain text, no panel, no colour.
Building a rich Console for that costs a person ~16 ms of imports on every run, a tenth of the
command's start. For an unstyled string printed in soft-wrap mode (``print(text,
soft_wrap=True)``: no wrapping, no cropping), what that console writes is the string with rich's
control codes stripped and a line end, on a terminal or not: no escape code is emitted for text
without a style. That is all :class:`LinePrinter` writes itself. Whatever it cannot reproduce
exactly goes to a real console, so the output stays byte for byte the console's:

* a style (a dim note): the console decides from the terminal whether to emit codes;
* a tab: rich expands it to the next tab stop counted in terminal cells;
* Windows, where rich splits long writes and may use the console API;
* a character the stream cannot encode: rich raises the same error with its own hint.

tests/render/test_plain_lines.py holds the equivalence against rich itself.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

STRIPPED_CONTROL_CODES = (7, 8, 11, 12, 13)
"""What rich removes from any text it prints (bell, backspace, vertical tab, form feed, carriage
return: ``rich.control.STRIP_CONTROL_CODES``); a test holds this copy against rich's."""

_STRIP = dict.fromkeys(STRIPPED_CONTROL_CODES)


def literal_line(text: str) -> str | None:
    """What the console writes for ``print(text, soft_wrap=True)``, its line end included; None
    when only rich can say (a tab, expanded to cell-counted tab stops)."""
    if "\t" in text:
        return None
    return text.translate(_STRIP) + "\n"


class LinePrinter:
    """Prints whole lines on stdout (or stderr) as ``make_console(stderr=...)`` prints them in
    soft-wrap mode, building that console only for a line it must draw itself."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    def print(self, text: str = "", *, style: str | None = None) -> None:
        """``make_console().print(text, style=style, soft_wrap=True)``, the same bytes."""
        line = None if style or sys.platform == "win32" else literal_line(text)
        # Looked up on each line, as the console does (a test runner swaps the streams), and past
        # a rich Live display's proxy to the stream under it, where the console writes too.
        stream = sys.stderr if self._stderr else sys.stdout
        stream = getattr(stream, "rich_proxied_file", stream)
        if line is not None and stream is not None:
            try:
                stream.write(line)
            except UnicodeEncodeError:
                pass  # nothing was written; the console raises it, with its hint
            else:
                stream.flush()
                return
        self.console().print(text, style=style, soft_wrap=True)

    def console(self) -> Console:
        """The rich console this printer stands for, made on first use."""
        if self._console is None:
            from .console import make_console

            self._console = make_console(stderr=self._stderr)
        return self._console
