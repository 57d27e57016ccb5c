"""`request`: sign and send any request to an OAuth 1 API, curl-like; a refusal gets a diagnosis.

The response body goes to stdout, the trace and any diagnosis to stderr. Only an OAuth refusal is
diagnosed (cli/live_failures.py); the secrets are never printed unless --show-secrets asks.
"""

from __future__ import annotations

from typing import Annotated

import requests
import typer
from rich.text import Text

from ..diagnosis.providers import get_profile
from ..errors import InvalidOptionError
from ..live.answer import elide_signature
from ..live.auth import OAuth1Auth
from ..live.errors import LiveError
from ..live.response import ServerResponse
from ..live.transport import transport_summary
from ..render.console import make_console
from ..render.secrets import scrub
from .gallery_options import TimeoutOption, TraceOption
from .live_failures import show_failure
from .options import (
    ConsumerKey,
    Headers,
    Placement,
    Provider,
    RsaKeyFile,
    ShowSecrets,
    SigningConsumerSecret,
    Token,
    TokenSecret,
    credentials_from,
    parse_header,
    read_data,
)
from .provider_notes import provider_lines


def request_command(
    method: Annotated[str, typer.Argument(help="HTTP method, e.g. GET.", show_default=False)],
    url: Annotated[str, typer.Argument(help="The full URL, query included.", show_default=False)],
    header: Headers = None,
    data: Annotated[
        str | None,
        typer.Option(
            "--data", "-d", help="Request body, or @file, or @- for stdin.", show_default=False
        ),
    ] = None,
    placement: Annotated[
        Placement, typer.Option("--placement", help="Where the OAuth parameters travel.")
    ] = Placement.header,
    signature_method: Annotated[
        str, typer.Option("--signature-method", "-m", help="HMAC-SHA1, HMAC-SHA256, RSA-SHA1...")
    ] = "HMAC-SHA1",
    realm: Annotated[
        str | None, typer.Option("--realm", help="realm (header only).", show_default=False)
    ] = None,
    include: Annotated[
        bool, typer.Option("--include", "-i", help="Print the response status and headers.")
    ] = False,
    trace: TraceOption = False,
    consumer_key: ConsumerKey = "",
    consumer_secret: SigningConsumerSecret = None,
    token: Token = None,
    token_secret: TokenSecret = "",
    rsa_key: RsaKeyFile = None,
    show_secrets: ShowSecrets = False,
    timeout: TimeoutOption = 30.0,
    provider: Provider = None,
) -> None:
    """Sign and send any request to an OAuth 1 API, curl-like; a refusal gets a diagnosis.

    The response body goes to stdout. Exits 1 when the server answers 400 or above or cannot be
    reached, 2 on bad input.
    """
    if not consumer_key:
        raise InvalidOptionError("missing --consumer-key (or OAUTH_CONSUMER_KEY)")
    if provider:
        get_profile(provider)  # an unknown name is bad input, said before anything is sent
    credentials = credentials_from(
        consumer_key,
        consumer_secret,
        token,
        token_secret,
        rsa_key,
        signature_method=signature_method,
    )
    headers = dict(parse_header(h) for h in header or [])
    body = read_data(data)
    auth = OAuth1Auth(credentials, signature_method, placement=placement.value, realm=realm)
    errors = make_console(stderr=True)
    try:
        response = requests.request(
            method.upper(), url, headers=headers, data=body, auth=auth, timeout=timeout
        )
    except requests.RequestException as error:
        # One line: where and what (transport_summary), not urllib3's chain of reprs. With
        # --placement query the URL that went out differs from the one typed: it is added, with
        # its signature scrubbed (with PLAINTEXT that is the key itself, RFC 5849 3.4.4) unless
        # --show-secrets asks for it.
        detail = f"{elide_signature(url)} failed: {transport_summary(error, url)}"
        went_out = error.request.url if error.request is not None else None
        if went_out and went_out != url:
            detail += f"; sent as {went_out}"
        if auth.last_trace is not None:
            detail = scrub(detail, auth.last_trace, show_secrets) or detail
        raise LiveError(f"{method.upper()} {detail}") from None
    sent = auth.last_trace
    for line in provider_lines(sent.signed_request if sent else None, provider):
        errors.print(Text(line))
    if trace and sent is not None:
        from ..render.trace_text import trace_renderable

        errors.print(trace_renderable(sent, show_secrets=show_secrets))
    answer = ServerResponse.from_requests(response)
    if include:
        typer.echo(f"HTTP {answer.status} {response.reason}")
        for name, value in answer.headers:
            typer.echo(f"{name}: {value}")
        typer.echo("")
    typer.echo(answer.text, nl=not answer.text.endswith("\n"))
    if answer.status >= 400:
        # Diagnosed only when it is an OAuth refusal; otherwise said for what it is.
        request = sent.signed_request if sent is not None else None
        show_failure(request, answer, credentials, errors, url=url)
        raise typer.Exit(1)


REQUEST_EPILOG = (
    "Examples:\n\n"
    "oauth-debug request GET 'https://api.example.com/v1/items?q=blue shoes' "
    "--consumer-key KEY --consumer-secret SECRET --include\n\n"
    "oauth-debug request POST http://127.0.0.1:8080/gallery/api/v1/workflows/APP_ID/jobs/ "
    "-H 'Content-Type: application/json' --data '{\"questions\": []}' "
    "--consumer-key demo-key --consumer-secret demo-secret --trace\n\n"
    "Keys and secrets may come from OAUTH_CONSUMER_KEY, OAUTH_CONSUMER_SECRET, OAUTH_TOKEN and "
    "OAUTH_TOKEN_SECRET instead."
)


def register(app: typer.Typer) -> None:
    """Add the `request` command to ``app``."""
    app.command("request", epilog=REQUEST_EPILOG)(request_command)
