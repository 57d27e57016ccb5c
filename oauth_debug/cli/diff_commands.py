"""`diff`: two signature base strings decoded, aligned, and their first difference named."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from ..diagnosis.basediff import BaseStringDiff, ParamRow, diff_base_strings
from ..errors import InvalidOptionError
from ..render.console import make_console
from ..render.fit import Column, table_or_list
from ..render.sidebyside import SideBySideText
from .options import Format, OutputFormat

DIFF_HELP = """Compare two signature base strings, e.g. the one a server says it expected and yours.

Both are decoded into method, URI and parameters and lined up by parameter name; the first
difference is named together with the part it falls in (method, URI scheme/host/port/path, or a
parameter).

Give the two base strings as arguments (quote them: they contain "&"):

  oauth-debug diff 'GET&http%3A%2F%2Fa.example%2F&b%3D1' 'GET&http%3A%2F%2Fa.example%3A80%2F&b%3D1'

or read them from files with --from-file: twice (one base string per file), or once with a file
holding the two base strings on its first two non-empty lines ("-" reads standard input):

    oauth-debug diff --from-file server.txt --from-file mine.txt

Exit code: 0 identical, 1 different, 2 bad input.
"""

BaseStringArgument = Annotated[
    str | None,
    typer.Argument(
        help="A base string: METHOD&encoded-URI&encoded-parameters.", show_default=False
    ),
]
FromFile = Annotated[
    list[Path] | None,
    typer.Option(
        "--from-file",
        "-F",
        help="Read the base strings from files: give it twice (one each), or once for a file "
        "with two lines. '-' is standard input.",
        show_default=False,
    ),
]

_STATUS_STYLE = {
    "same": "",
    "only-a": "bold red",
    "only-b": "bold red",
    "different-value": "bold yellow",
    "different-encoding": "yellow",
}
_STATUS_LABEL = {
    "same": "",
    "only-a": "only in A",
    "only-b": "only in B",
    "different-value": "differs",
    "different-encoding": "encoding",
}


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command(help=DIFF_HELP)
    def diff(
        a: BaseStringArgument = None,
        b: BaseStringArgument = None,
        from_file: FromFile = None,
        output_format: Format = OutputFormat.text,
    ) -> None:
        first, second = _inputs(a, b, from_file or [])
        result = diff_base_strings(first, second)
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        elif output_format is OutputFormat.markdown:
            typer.echo(diff_to_markdown(result))
        else:
            console = make_console()
            for renderable in diff_renderables(result):
                console.print(renderable)
        raise typer.Exit(0 if result.identical else 1)


def _inputs(a: str | None, b: str | None, files: list[Path]) -> tuple[str, str]:
    """The two base strings, from arguments or files; a one-line error for any other mix."""
    if files and (a is not None or b is not None):
        raise InvalidOptionError("give the base strings either as arguments or with --from-file")
    if not files:
        if a is None or b is None:
            raise InvalidOptionError(
                "give two base strings to compare (or --from-file); see oauth-debug diff --help"
            )
        return a, b
    if len(files) > 2:
        raise InvalidOptionError(f"--from-file given {len(files)} times; give it once or twice")
    texts = [_read(path) for path in files]
    if len(texts) == 2:
        return _single(texts[0], files[0]), _single(texts[1], files[1])
    lines = [line.strip() for line in texts[0].splitlines() if line.strip()]
    if len(lines) != 2:
        raise InvalidOptionError(
            f"{str(files[0])!r} holds {len(lines)} non-empty lines; a single --from-file needs "
            "exactly two (one base string on each)"
        )
    return lines[0], lines[1]


def _read(path: Path) -> str:
    try:
        if str(path) == "-":
            return sys.stdin.read()
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidOptionError(f"cannot read --from-file {str(path)!r}: {error}") from None


def _single(text: str, path: Path) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        raise InvalidOptionError(
            f"{str(path)!r} holds {len(lines)} non-empty lines; with --from-file given twice, "
            "each file holds one base string"
        )
    return lines[0]


def _value(value: str | None) -> str:
    return "(absent)" if value is None else value


def _around(raw: str, offset: int) -> str:
    """``raw`` from 40 characters before ``offset`` to 40 after, "..." where it was cut."""
    start = max(0, offset - 40)
    shown = raw[start : offset + 41] or " "
    return ("..." if start else "") + shown + ("..." if len(raw) > offset + 41 else "")


def _marked_pair(a: str, b: str, offset: int | None) -> SideBySideText:
    """A above B around ``offset``, the character there highlighted and a caret under it; cut
    into chunks that fit the width, so the caret stays under the difference."""
    if offset is None:
        return SideBySideText(a, b, None, labels=("A: ", "B: "), styles=("", ""))
    at = offset - max(0, offset - 40) + (3 if offset > 40 else 0)
    a_shown, b_shown = _around(a, offset), _around(b, offset)
    # The difference may be past the end of the shorter string: pad so it can be highlighted.
    a_shown, b_shown = a_shown.ljust(at + 1), b_shown.ljust(at + 1)
    return SideBySideText(
        a_shown, b_shown, at, labels=("A: ", "B: "), styles=("", ""), highlight="reverse red"
    )


def diff_renderables(result: BaseStringDiff) -> list[object]:
    """The diff as rich renderables: the aligned table, then the first difference and notes."""
    rows: list[tuple[str, str, str, str]] = []
    styles: list[str] = []
    differs = result.a.method != result.b.method
    rows.append(("method", result.a.method, result.b.method, "differs" if differs else ""))
    styles.append("bold yellow" if differs else "")
    a_parts, b_parts = result.a.uri_parts, result.b.uri_parts
    for component in ("scheme", "host", "port", "path", "query"):
        if not a_parts[component] and not b_parts[component] and component in ("port", "query"):
            continue
        differs = component in result.uri_differences
        rows.append(
            (
                f"URI {component}",
                a_parts[component] or "(none)",
                b_parts[component] or "(none)",
                "differs" if differs else "",
            )
        )
        styles.append("bold yellow" if differs else "")
    for row in result.rows:
        rows.append(_param_cells(row))
        styles.append(_STATUS_STYLE[row.status])
    # A parameter name is what a person looks for: never cut, a list below the width it needs.
    columns = [Column("part", is_id=True), Column("A"), Column("B"), Column("")]
    table = table_or_list(columns, rows, "Base strings, decoded and aligned", styles)
    out: list[object] = [table]
    if result.identical:
        out.append(Text("Identical base strings.", style="bold green"))
        return out
    out.append(
        Text.assemble(
            ("First difference", "bold"),
            f" (character {result.first_offset}): ",
            result.first_difference,
        )
    )
    out.append(_marked_pair(result.a.raw, result.b.raw, result.first_offset))
    out.append(Text(result.summary[:1].upper() + result.summary[1:]))
    out += [Text(f"note: {note.message}", style="dim") for note in result.notes]
    return out


def _param_cells(row: ParamRow) -> tuple[str, str, str, str]:
    a_shown, b_shown = _value(row.a_value), _value(row.b_value)
    if row.status == "different-encoding":
        a_shown, b_shown = _value(row.a_encoded), _value(row.b_encoded)
    label = _STATUS_LABEL[row.status] + (f": {row.note}" if row.note else "")
    return row.name, a_shown, b_shown, label


def _md(text: str) -> str:
    escaped = text.replace("|", "\\|").replace("`", "'")
    return f"`{escaped}`" if escaped else ""


def diff_to_markdown(result: BaseStringDiff) -> str:
    """The diff as a markdown table and sentence, to paste into a forum question."""
    lines = ["## Base strings compared", "", "| part | A | B | |", "|---|---|---|---|"]
    lines.append(
        f"| method | {_md(result.a.method)} | {_md(result.b.method)} | "
        f"{'differs' if result.a.method != result.b.method else ''} |"
    )
    a_parts, b_parts = result.a.uri_parts, result.b.uri_parts
    for component in ("scheme", "host", "port", "path", "query"):
        if not a_parts[component] and not b_parts[component] and component in ("port", "query"):
            continue
        mark = "differs" if component in result.uri_differences else ""
        lines.append(
            f"| URI {component} | {_md(a_parts[component] or '(none)')} | "
            f"{_md(b_parts[component] or '(none)')} | {mark} |"
        )
    for row in result.rows:
        name, a_shown, b_shown, label = _param_cells(row)
        lines.append(f"| {_md(name)} | {_md(a_shown)} | {_md(b_shown)} | {label} |")
    lines.append("")
    if result.identical:
        lines.append("**Identical base strings.**")
    else:
        lines.append(
            f"**First difference** (character {result.first_offset}): {result.first_difference}"
        )
        lines += ["", result.summary[:1].upper() + result.summary[1:]]
        lines += [f"- note: {note.message}" for note in result.notes]
    return "\n".join(lines)
