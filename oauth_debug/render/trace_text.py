"""A trace drawn for a terminal with rich: numbered steps, and a base string whose two separating
"&" stand out from the %26 and %3D inside the parameter string."""

from __future__ import annotations

import re

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..trace import SigningTrace
from .steps import Step, trace_steps

STYLE_METHOD = "bold cyan"
STYLE_URI = "green"
STYLE_PARAMS = "yellow"
STYLE_SEPARATOR = "bold white on red"
STYLE_ENCODED_DELIMITER = "bold magenta"
_ENCODED_DELIMITERS = re.compile(r"%26|%3D")


def base_string_text(trace: SigningTrace) -> Text:
    """The base string with its three parts coloured and the two raw separators highlighted."""
    parts = trace.base_string_parts
    text = Text()
    text.append(parts.method, style=STYLE_METHOD)
    text.append("&", style=STYLE_SEPARATOR)
    text.append(parts.uri, style=STYLE_URI)
    text.append("&", style=STYLE_SEPARATOR)
    position = 0
    for match in _ENCODED_DELIMITERS.finditer(parts.parameters):
        text.append(parts.parameters[position : match.start()], style=STYLE_PARAMS)
        text.append(match.group(0), style=STYLE_ENCODED_DELIMITER)
        position = match.end()
    text.append(parts.parameters[position:], style=STYLE_PARAMS)
    return text


def base_string_legend() -> Text:
    legend = Text("  ")
    legend.append("&", style=STYLE_SEPARATOR)
    legend.append(" separates method, URI and parameters   ")
    legend.append("%26 %3D", style=STYLE_ENCODED_DELIMITER)
    legend.append(" were & and = inside the parameter string, encoded a second time")
    return legend


def _step_renderable(step: Step, trace: SigningTrace) -> RenderableType:
    body: list[RenderableType] = [Text(step.explanation, style="dim")]
    if step.rows:
        table = Table(show_edge=False, pad_edge=False, header_style="bold")
        for column in step.columns:
            table.add_column(column, overflow="fold")
        for row in step.rows:
            table.add_row(*row)
        body.append(table)
    if step.number == 5:
        body += [base_string_text(trace), base_string_legend()]
    elif step.value:
        body.append(Text(step.value, style="bold"))
    body += [Text(f"note: {note}", style="italic") for note in step.notes]
    # A str title would be parsed as markup whatever the console says: build it as Text.
    title = Text.assemble(
        (f"{step.number}. {step.title}", "bold"), "  ", (f"RFC 5849 {step.section}", "dim")
    )
    return Panel(Group(*body), title=title, title_align="left", expand=True)


def trace_renderable(trace: SigningTrace, show_secrets: bool = False) -> RenderableType:
    """Every step of ``trace`` as rich panels (secrets redacted unless ``show_secrets``)."""
    return Group(*(_step_renderable(step, trace) for step in trace_steps(trace, show_secrets)))
