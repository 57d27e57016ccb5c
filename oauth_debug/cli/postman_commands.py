"""`explain --postman COLLECTION.json --request NAME`: what Postman signs, every step shown.

The collection's OAuth 1.0 options are read into a recipe (:mod:`oauth_debug.inputs.postman`)
and signed with the one signer, so the trace printed is the one `explain` prints for any request;
Postman's own choices (where the parameters go, empty ones, the body hash, the header's encoding)
are listed before it. :func:`with_postman` adds the two options to the `explain` command without
touching the options it shares with `sign`.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InvalidOptionError
from ..render.bounds import Bounds
from .options import OutputFormat

PostmanFile = Annotated[
    Path | None,
    typer.Option(
        "--postman",
        help="A Postman collection (v2.1 or v2.0 JSON): explain what Postman signs for the "
        "request named by --request, from its OAuth 1.0 options (no METHOD and URL then).",
        show_default=False,
    ),
]
PostmanRequest = Annotated[
    str | None,
    typer.Option(
        "--request",
        help="With --postman: the request's name in the collection (or folder/name).",
        show_default=False,
    ),
]
_OptionalMethod = Annotated[
    str | None,
    typer.Argument(metavar="METHOD", help="HTTP method, e.g. GET or POST.", show_default=False),
]
_OptionalUrl = Annotated[
    str | None,
    typer.Argument(
        metavar="URL", help="The full request URL, query string included.", show_default=False
    ),
]


def explain_postman(
    path: Path,
    name: str | None,
    *,
    timestamp: str | None,
    nonce: str | None,
    output_format: OutputFormat,
    show_secrets: bool,
    bounds: Bounds,
) -> None:
    """Print the trace of what Postman signs for the request ``name`` of the collection."""
    # Imported here: `explain` without --postman (and `sign`, which shares a module with it)
    # needs neither the collection reader nor these renderers.
    from rich.text import Text

    from ..inputs.postman import read_postman
    from ..render.console import make_console
    from ..render.trace_json import trace_to_dict
    from ..render.trace_markdown import trace_to_markdown
    from ..render.trace_text import trace_renderable
    from ..signer import random_nonce, sign_at, system_clock

    if not name:
        raise InvalidOptionError("--postman needs --request NAME: the request to explain")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InvalidOptionError(f"cannot read --postman {str(path)!r}: {error}") from None
    recipe = read_postman(text, name)
    notes = list(recipe.notes)
    chosen_timestamp = timestamp or recipe.timestamp
    chosen_nonce = nonce or recipe.nonce
    if chosen_timestamp is None:
        chosen_timestamp = str(int(system_clock()))
        notes.append(f"timestamp: this machine's clock stands in ({chosen_timestamp})")
    if chosen_nonce is None:
        chosen_nonce = random_nonce()
        notes.append("nonce: a random one stands in")
    trace = sign_at(
        recipe.request,
        recipe.credentials,
        timestamp=chosen_timestamp,
        nonce=chosen_nonce,
        **recipe.sign_options(),
    )
    if output_format is OutputFormat.json:
        document = trace_to_dict(trace, show_secrets)
        document["postman"] = {"request": recipe.name, "notes": notes}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    if output_format is OutputFormat.markdown:
        lines = [f"Postman request `{recipe.name}`:", ""] + [f"- {note}" for note in notes]
        typer.echo("\n".join(lines) + "\n\n" + trace_to_markdown(trace))
        return
    console = make_console()
    console.print(Text(f"What Postman signs for {recipe.name!r}:", "bold"), soft_wrap=True)
    for note in notes:
        console.print(Text(f"  {note}"), soft_wrap=True)
    console.print()
    console.print(trace_renderable(trace, show_secrets, bounds))


def with_postman(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` (explain) with METHOD and URL optional and --postman/--request added."""
    signature = inspect.signature(command, eval_str=True)  # its module's names
    parameters = []
    for parameter in signature.parameters.values():
        if parameter.name == "method":
            parameter = parameter.replace(annotation=_OptionalMethod, default=None)
        elif parameter.name == "url":
            parameter = parameter.replace(annotation=_OptionalUrl, default=None)
        parameters.append(parameter)
    parameters += [
        inspect.Parameter("postman", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=PostmanFile),
        inspect.Parameter("request_name", inspect.Parameter.KEYWORD_ONLY, default=None,
                          annotation=PostmanRequest),
    ]  # fmt: skip

    def explain(**options: Any) -> None:
        postman = options.pop("postman")
        name = options.pop("request_name")
        if postman is not None:
            explain_postman(
                postman,
                name,
                timestamp=options.get("timestamp"),
                nonce=options.get("nonce"),
                output_format=options["output_format"],
                show_secrets=options["show_secrets"],
                bounds=Bounds.of(options["full"]),
            )
            return
        if name is not None:
            raise InvalidOptionError("--request goes with --postman COLLECTION.json")
        if options["method"] is None or options["url"] is None:
            raise InvalidOptionError("explain needs METHOD and URL (or --postman and --request)")
        command(**options)

    explain.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    explain.__annotations__ = {p.name: p.annotation for p in parameters}
    explain.__doc__ = command.__doc__
    return explain
