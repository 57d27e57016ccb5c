"""`sign` and `vectors`: make a signature, run the vectors; and the command body that `explain`
(explain_commands) shares with `sign`."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import InvalidOptionError
from ..methods import METHODS
from ..model import HttpRequest
from ..render.bounds import Bounds, clip
from ..render.plain import LinePrinter
from ..render.secrets import scrub
from ..render.steps import transport_value
from ..signer import random_nonce, sign_at, system_clock
from ..trace import SigningTrace

if TYPE_CHECKING:
    from ..vectors import CaseResult

from .options import (
    ConsumerKey,
    Format,
    Full,
    Headers,
    OutputFormat,
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

Method = Annotated[str, typer.Argument(help="HTTP method, e.g. GET or POST.", show_default=False)]
Url = Annotated[
    str,
    typer.Argument(help="The full request URL, query string included.", show_default=False),
]
SignatureMethodOption = Annotated[
    str,
    typer.Option("--signature-method", "-m", help=f"One of: {', '.join(METHODS)}."),
]
Timestamp = Annotated[
    str | None,
    typer.Option(
        "--timestamp",
        help="oauth_timestamp in seconds since 1970 UTC. Default: now.",
        show_default=False,
    ),
]
Nonce = Annotated[
    str | None,
    typer.Option("--nonce", help="oauth_nonce. Default: a fresh random value.", show_default=False),
]
Realm = Annotated[
    str | None,
    typer.Option(
        "--realm", help="realm for the Authorization header (never signed).", show_default=False
    ),
]
NoVersion = Annotated[
    bool, typer.Option("--no-version", help="Leave oauth_version out (it is optional).")
]
PlacementOption = Annotated[
    Placement,
    typer.Option("--placement", help="Where the OAuth parameters travel (RFC 5849 3.5)."),
]
Data = Annotated[
    str | None,
    typer.Option(
        "--data",
        "-d",
        help="Request body, @file, or @- for standard input (line breaks in a file are dropped, "
        "and without a Content-Type header it is sent as a form: both as curl -d does).",
        show_default=False,
    ),
]
Callback = Annotated[
    str | None,
    typer.Option("--callback", help="oauth_callback (temporary credentials).", show_default=False),
]
Verifier = Annotated[
    str | None,
    typer.Option("--verifier", help="oauth_verifier (token request).", show_default=False),
]
BodyHash = Annotated[
    bool | None,
    typer.Option(
        "--body-hash/--no-body-hash",
        help="Force oauth_body_hash on or off. Default: on for a body that is not a form.",
        show_default=False,
    ),
]

SIGN_EPILOG = (
    "Examples:\n\n"
    "oauth-debug sign GET 'https://api.example.com/v1/items?q=blue shoes' "
    "--consumer-key KEY --consumer-secret SECRET\n\n"
    "oauth-debug sign POST https://api.example.com/v1/jobs "
    "-H 'Content-Type: application/json' --data '{\"a\":1}' --format json\n\n"
    "Secrets may come from OAUTH_CONSUMER_SECRET and OAUTH_TOKEN_SECRET instead."
)


def _sign(
    method: str,
    url: str,
    consumer_key: str,
    consumer_secret: str | None,
    token: str | None,
    token_secret: str,
    signature_method: str,
    timestamp: str | None,
    nonce: str | None,
    realm: str | None,
    no_version: bool,
    placement: Placement,
    header: list[str] | None,
    data: str | None,
    rsa_key: Any,
    callback: str | None,
    verifier: str | None,
    body_hash: bool | None,
) -> SigningTrace:
    if not consumer_key:
        # Signing with an empty key "works" and only fails at the server, as a 401 that no
        # diagnosis can explain: oauth_consumer_key is REQUIRED (RFC 5849 3.1).
        raise InvalidOptionError(
            "missing --consumer-key (or OAUTH_CONSUMER_KEY): every signed request carries "
            "oauth_consumer_key (RFC 5849 3.1)",
            option="consumer-key",
        )
    headers = [parse_header(h) for h in header or []]
    body = read_data(data)
    if body is not None and not any(name.lower() == "content-type" for name, _ in headers):
        # As curl does with -d: a body without a declared type is sent as a form.
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    request = HttpRequest(method.upper(), url, headers, body)
    credentials = credentials_from(
        consumer_key,
        consumer_secret,
        token,
        token_secret,
        rsa_key,
        signature_method=signature_method,
    )
    # The edge supplies time and randomness; the signer itself stays pure.
    return sign_at(
        request,
        credentials,
        timestamp=timestamp if timestamp is not None else str(int(system_clock())),
        nonce=nonce if nonce is not None else random_nonce(),
        signature_method=signature_method,
        version=None if no_version else "1.0",
        realm=realm,
        placement=placement.value,
        body_hash=body_hash,
        callback=callback,
        verifier=verifier,
    )


BINARY_BODY_FILE = "body.bin"
"""Where the curl line reads a body that is not UTF-8 text from."""


def _text_body(trace: SigningTrace) -> str | None:
    """The signed body as text, or None when it has none or is not UTF-8 (a command line cannot
    carry those bytes, and replacing them would print another request than the one signed)."""
    signed = trace.signed_request
    if signed is None or signed.body is None:
        return None
    try:
        return signed.body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def curl_command(trace: SigningTrace, show_secrets: bool = False) -> str:
    """A curl line that sends the signed request exactly as signed."""
    signed = trace.signed_request
    assert signed is not None
    url = scrub(signed.url, trace, show_secrets) or ""
    words = ["curl", "-X", signed.method.upper(), url]
    if any(char in url for char in "[]{}"):
        # curl reads [1-3] and {a,b} in a URL as globs and sends other requests than the one
        # signed (or none: "bad range"); --globoff sends the URL as written.
        words.insert(1, "--globoff")
    for name, value in signed.headers:
        words += ["-H", f"{name}: {scrub(value, trace, show_secrets)}"]
    if signed.body is not None:
        body = _text_body(trace)
        if body is None:
            words += ["--data-binary", f"@{BINARY_BODY_FILE}"]
        else:
            words += ["--data-raw", scrub(body, trace, show_secrets) or ""]
    return " ".join(shlex.quote(word) for word in words)


def _print_signed(
    trace: SigningTrace, show_secrets: bool, console: LinePrinter, bounds: Bounds
) -> None:
    # Plain lines: rich is loaded only for a styled note (LinePrinter says why).
    travels = clip(transport_value(trace, show_secrets), bounds.value_chars)
    console.print(travels)
    console.print()
    # Never cut, never wrapped: it is printed to be pasted, and must send what was signed.
    console.print(curl_command(trace, show_secrets))
    signed = trace.signed_request
    if signed is not None and signed.body is not None and _text_body(trace) is None:
        console.print(
            f"note: the body is not UTF-8 text, so the curl line reads it from {BINARY_BODY_FILE}: "
            "put there the exact bytes that were signed",
            style="dim",
        )
    if trace.signature_method == "PLAINTEXT" and not show_secrets:
        console.print(
            "note: a PLAINTEXT signature is the key itself; it is shown as **** unless "
            "--show-secrets",
            style="dim",
        )


def _print_sign(
    trace: SigningTrace, output_format: OutputFormat, show_secrets: bool, bounds: Bounds
) -> None:
    # Each format's renderer is imported only when it is asked for: a person waits for every
    # module a command line imports.
    if output_format is OutputFormat.json:
        from ..render.trace_json import trace_to_dict

        document = trace_to_dict(trace, show_secrets)
        document["curl"] = curl_command(trace, show_secrets)
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output_format is OutputFormat.markdown:
        from ..render.trace_markdown import trace_to_markdown

        typer.echo(trace_to_markdown(trace))
    else:
        _print_signed(trace, show_secrets, LinePrinter(), bounds)


Printer = Callable[[SigningTrace, OutputFormat, bool, Bounds], None]


def signing_command(printer: Printer, doc: str) -> Callable[..., None]:
    """One command body for `sign` and `explain`: they take the same options and differ only in
    how they print the trace."""

    def command(
        method: Method,
        url: Url,
        consumer_key: ConsumerKey = "",
        consumer_secret: SigningConsumerSecret = None,
        token: Token = None,
        token_secret: TokenSecret = "",
        signature_method: SignatureMethodOption = "HMAC-SHA1",
        timestamp: Timestamp = None,
        nonce: Nonce = None,
        realm: Realm = None,
        no_version: NoVersion = False,
        placement: PlacementOption = Placement.header,
        header: Headers = None,
        data: Data = None,
        rsa_key: RsaKeyFile = None,
        callback: Callback = None,
        verifier: Verifier = None,
        body_hash: BodyHash = None,
        output_format: Format = OutputFormat.text,
        show_secrets: ShowSecrets = False,
        full: Full = False,
        provider: Provider = None,
    ) -> None:
        trace = _sign(
            method,
            url,
            consumer_key,
            consumer_secret,
            token,
            token_secret,
            signature_method,
            timestamp,
            nonce,
            realm,
            no_version,
            placement,
            header,
            data,
            rsa_key,
            callback,
            verifier,
            body_hash,
        )
        for line in provider_lines(trace.signed_request, provider):
            typer.echo(line, err=True)
        printer(trace, output_format, show_secrets, Bounds.of(full))

    command.__doc__ = doc  # typer shows it as the command's help
    return command


def _outcome(result: CaseResult) -> str:
    if result.missing_extra is not None:
        return f"needs [{result.missing_extra}]"
    return "pass" if result.passed else "FAIL"


def register(app: typer.Typer) -> None:
    """Add `sign` and `vectors` (`explain`, which signs the same way, is in explain_commands)."""
    app.command("sign", epilog=SIGN_EPILOG)(
        signing_command(
            _print_sign,
            "Sign a request and print it ready to paste: the Authorization header (or the "
            "signed URL or body) and a curl line.",
        )
    )

    @app.command(
        epilog=(
            "Examples:\n\n"
            "oauth-debug vectors\n\n"
            "oauth-debug vectors --format json\n\n"
            "docs/vectors.md describes the vector files (vectors/*.json) for implementers in "
            "other languages."
        )
    )
    def vectors(
        output_format: Annotated[
            OutputFormat,
            typer.Option(
                "--format",
                "-f",
                help="text (a table), json (for scripts) or markdown (a table to paste).",
            ),
        ] = OutputFormat.text,
    ) -> None:
        """Run every published and edge-case test vector shipped with the package and print a
        pass/fail table. Exit 1 when any case fails."""
        from ..vectors import run_all  # only this command reads the vector files

        results = run_all()
        skipped = [r for r in results if r.missing_extra is not None]
        failed = [r for r in results if not r.passed and r.missing_extra is None]
        passed = len(results) - len(failed) - len(skipped)
        title = f"{passed} of {len(results)} vectors pass"
        if skipped:
            extras = sorted({str(r.missing_extra) for r in skipped})
            title += (
                f"; {len(skipped)} not run: they need pip install 'oauth-debug[{','.join(extras)}]'"
            )
        if output_format is OutputFormat.json:
            document = [
                {
                    "id": r.id,
                    "file": r.file,
                    "kind": r.kind,
                    "result": r.result,
                    "passed": r.passed,
                    "missing_extra": r.missing_extra,
                    "detail": r.detail,
                }
                for r in results
            ]
            typer.echo(json.dumps(document, indent=2))
        elif output_format is OutputFormat.markdown:
            typer.echo(f"{title}\n")
            typer.echo("| file | case | kind | expected | outcome |")
            typer.echo("|---|---|---|---|---|")
            for r in results:
                typer.echo(f"| {r.file} | {r.id} | {r.kind} | {r.result} | {_outcome(r)} |")
        else:
            from rich.text import Text

            from ..render.console import make_console
            from ..render.fit import Column, table_or_list

            styles = {"pass": "green", "FAIL": "red"}
            columns = [
                Column("file"),
                Column("case", is_id=True),  # an id to look up in the vector files
                Column("kind"),
                Column("expected"),
                Column("outcome"),
            ]
            rows = [
                (
                    r.file,
                    r.id,
                    r.kind,
                    r.result,
                    Text(_outcome(r), style=styles.get(_outcome(r), "yellow")),
                )
                for r in results
            ]
            make_console().print(table_or_list(columns, rows, title))
            errors = make_console(stderr=True)
            for r in failed:
                errors.print(f"FAIL {r.id}: {r.detail}", soft_wrap=True)
        if failed:
            raise typer.Exit(1)
