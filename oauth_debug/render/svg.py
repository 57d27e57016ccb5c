"""Pictures of terminal output: a rich renderable recorded on a fixed-size console and exported as
SVG, so the docs show exactly what a person sees, and a test can regenerate the file byte for byte.

Everything that could depend on the machine is pinned here: the width, the colour system, and the
fact that the console is not a real terminal (no size detection, no environment lookups).
"""

from __future__ import annotations

import io

from rich.console import RenderableType

from .console import make_console

SVG_WIDTH = 110
"""Columns of the recorded console: wide enough for a base string to fold in a few lines."""


def renderable_svg(renderable: RenderableType, title: str, width: int = SVG_WIDTH) -> str:
    """``renderable`` as the SVG rich exports; the same input always gives the same bytes."""
    console = make_console(
        record=True,
        width=width,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
        _environ={},
    )
    console.print(renderable)
    return console.export_svg(title=title)
