"""`explain`: every step of a signature, with its RFC 5849 section.

It takes `sign`'s options (:func:`~oauth_debug.cli.sign_commands.signing_command`) and Postman's
(:func:`~oauth_debug.cli.postman_commands.with_postman`); a module of its own so that `sign`
loads none of the Postman options nor the building of them.
"""

from __future__ import annotations

import json

import typer

from ..render.bounds import Bounds
from ..trace import SigningTrace
from .options import OutputFormat
from .postman_commands import with_postman
from .sign_commands import signing_command

EXPLAIN_EPILOG = (
    "Example, the RFC 5849 section 3.1 request:\n\n"
    "oauth-debug explain POST 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b' "
    "-H 'Content-Type: application/x-www-form-urlencoded' --data 'c2&a3=2+q' "
    "--consumer-key 9djdj82h48djs9d2 --consumer-secret j49sk3j29djd "
    "--token kkk9d7dh3k39sjv7 --token-secret dh893hdasih9 "
    "--timestamp 137131201 --nonce 7d8f3e4a --realm Example --no-version\n\n"
    "Add --format markdown for a secret-free block to paste into a forum question."
)


def _print_explain(
    trace: SigningTrace, output_format: OutputFormat, show_secrets: bool, bounds: Bounds
) -> None:
    if output_format is OutputFormat.json:
        from ..render.trace_json import trace_to_dict

        typer.echo(json.dumps(trace_to_dict(trace, show_secrets), indent=2, ensure_ascii=False))
    elif output_format is OutputFormat.markdown:
        from ..render.trace_markdown import trace_to_markdown

        typer.echo(trace_to_markdown(trace))
    else:
        from ..render.console import make_console
        from ..render.trace_text import trace_renderable  # rich panels and tables

        make_console().print(trace_renderable(trace, show_secrets, bounds))


def register(app: typer.Typer) -> None:
    """Add `explain`."""
    app.command("explain", epilog=EXPLAIN_EPILOG)(
        with_postman(
            signing_command(
                _print_explain,
                "Walk through every step of the signature with its RFC 5849 section (or, with "
                "--postman, of what Postman signs for a request of a collection).",
            )
        )
    )
