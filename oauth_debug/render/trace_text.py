"""A trace drawn for a terminal with rich: numbered steps, and a base string whose two separating
"&" stand out from the %26 and %3D inside the parameter string."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..trace import SigningTrace
from .bounds import Bounds, clip, clip_text, more_rows
from .steps import Step, trace_steps

STYLE_METHOD = "bold cyan"
STYLE_URI = "green"
STYLE_PARAMS = "yellow"
STYLE_SEPARATOR = "bold white on red"
STYLE_ENCODED_DELIMITER = "bold magenta"
_ENCODED_DELIMITERS = re.compile(r"%26|%3D")


def base_string_text(trace: SigningTrace, limit: int | None = None) -> Text:
    """The base string with its three parts coloured and the two raw separators highlighted;
    cut to ``limit`` characters (saying how many more there are) before it is styled, so that
    the cost is bounded by the limit and not by the parameters."""
    parts = trace.base_string_parts
    total = len(trace.base_string)
    if limit is not None and total > limit:
        kept = max(0, limit - len(parts.method) - len(parts.uri) - 2)
        cut = _styled(parts.method, parts.uri, parts.parameters[:kept])
        return clip_text(cut, limit, total)
    return _styled(parts.method, parts.uri, parts.parameters)


def _styled(method: str, uri: str, parameters: str) -> Text:
    text = Text()
    text.append(method, style=STYLE_METHOD)
    text.append("&", style=STYLE_SEPARATOR)
    text.append(uri, style=STYLE_URI)
    text.append("&", style=STYLE_SEPARATOR)
    position = 0
    for match in _ENCODED_DELIMITERS.finditer(parameters):
        text.append(parameters[position : match.start()], style=STYLE_PARAMS)
        text.append(match.group(0), style=STYLE_ENCODED_DELIMITER)
        position = match.end()
    text.append(parameters[position:], style=STYLE_PARAMS)
    return text


def base_string_legend() -> Text:
    legend = Text("  ")
    legend.append("&", style=STYLE_SEPARATOR)
    legend.append(" separates method, URI and parameters   ")
    legend.append("%26 %3D", style=STYLE_ENCODED_DELIMITER)
    legend.append(" were & and = inside the parameter string, encoded a second time")
    return legend


def _step_renderable(step: Step, trace: SigningTrace, bounds: Bounds) -> RenderableType:
    body: list[RenderableType] = [Text(step.explanation, style="dim")]
    if step.rows:
        table = Table(show_edge=False, pad_edge=False, header_style="bold")
        for column in step.columns:
            table.add_column(column, overflow="fold")
        shown = step.rows if bounds.rows is None else step.rows[: bounds.rows]
        for row in shown:
            # Text, not str: a str cell is read as markup by any console that has it on.
            table.add_row(*(Text(clip(cell, bounds.cell_chars)) for cell in row))
        body.append(table)
        left_out = more_rows(len(step.rows), bounds.rows, "parameters")
        if left_out:
            body.append(Text(left_out, style="italic"))
    if step.number == 5:
        body += [base_string_text(trace, bounds.value_chars), base_string_legend()]
    elif step.value:
        body.append(Text(clip(step.value, bounds.value_chars), style="bold"))
    body += [Text(f"note: {note}", style="italic") for note in step.notes]
    # A str title would be parsed as markup whatever the console says: build it as Text.
    title = Text.assemble(
        (f"{step.number}. {step.title}", "bold"), "  ", (f"RFC 5849 {step.section}", "dim")
    )
    return Panel(Group(*body), title=title, title_align="left", expand=True)


def trace_renderable(
    trace: SigningTrace, show_secrets: bool = False, bounds: Bounds | None = None
) -> RenderableType:
    """Every step of ``trace`` as rich panels (secrets redacted unless ``show_secrets``), long
    values and tables cut to ``bounds`` (the default :class:`Bounds`; ``Bounds.full()`` for all)."""
    bounds = bounds or Bounds()
    steps = trace_steps(trace, show_secrets)
    return Group(*(_step_renderable(step, trace, bounds) for step in steps))
