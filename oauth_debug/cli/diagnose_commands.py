"""`diagnose`: name the exact mistake behind a refused OAuth 1.0 request.

Takes the same input options as `verify` (one reader for every command, oauth_debug.inputs), runs
:func:`oauth_debug.diagnosis.engine.diagnose`, and prints the Diagnosis as text, JSON or Markdown.
The clock is read here, at the edge, and passed in as ``now``.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from ..diagnosis.engine import diagnose
from ..diagnosis.model import Diagnosis
from ..diagnosis.provider_findings import with_provider
from ..diagnosis.providers import choose
from ..errors import InvalidOptionError
from ..model import Credentials
from ..render.bounds import Bounds
from ..render.console import make_console
from ..render.diagnosis import diagnosis_renderable, diagnosis_to_markdown
from ..render.secrets import REDACTED
from ..render.trace_json import trace_to_dict
from ..verify import claimed_parameters
from ..window import DEFAULT_WINDOW_SECONDS, WINDOW_ORIGIN
from .check_commands import (
    InputCurl,
    InputData,
    InputHttp,
    InputMethod,
    InputScheme,
    InputUrl,
    read_input,
)
from .har_commands import HarFile, Secrets, check_alone, diagnose_har
from .options import (
    ConsumerSecret,
    Format,
    Full,
    Headers,
    OutputFormat,
    Provider,
    RsaKeyFile,
    TokenSecret,
    read_rsa_key,
)

DIAGNOSE_EPILOG = (
    "Give the request with one of --url, --curl or --http, exactly as it was sent. Examples:\n\n"
    "oauth-debug diagnose --url 'http://dminform/gallery/api/v1/workflows/?oauth_consumer_key=K&"
    "oauth_signature_method=HMAC-SHA1&oauth_timestamp=1539784724&oauth_nonce=7Ck8g&"
    "oauth_version=1.0&oauth_signature=TC1bp...%3D' --consumer-secret S\n\n"
    'oauth-debug diagnose --curl "$(pbpaste)" --consumer-secret S --response answer.txt\n\n'
    "oauth-debug diagnose --http request.txt --scheme https --consumer-secret S "
    "--server-date 'Wed, 17 Oct 2018 13:58:43 GMT' --format markdown\n\n"
    "Without --consumer-secret the checks that need no secret still run (verdict 'unchecked'). "
    "--response takes what `curl -i` saved (status line, headers, body). Exit code: 0 the "
    "signature is valid and nothing would make a server refuse it, 1 a problem was found (or, "
    "without the secret, the signature could not be checked), 2 bad input."
)

Now = Annotated[
    float | None,
    typer.Option(
        "--now",
        help="The time to check the timestamp against, in epoch seconds. Default: this "
        "machine's clock.",
        show_default=False,
    ),
]
ServerDate = Annotated[
    str | None,
    typer.Option(
        "--server-date",
        help="The server's Date header ('Wed, 17 Oct 2018 13:58:43 GMT'): the timestamp is also "
        "checked against the server's clock.",
        show_default=False,
    ),
]
Window = Annotated[
    float,
    typer.Option(
        "--window",
        help="How far, in seconds, the server lets a timestamp be from its clock; older is "
        f"reported as stale. Default: {WINDOW_ORIGIN}.",
        show_default=False,
    ),
]
DiagnoseShowSecrets = Annotated[
    bool,
    typer.Option(
        "--show-secrets",
        help="Print the signing key and PLAINTEXT signatures (which are the key) in full; "
        "Markdown stays secret-free.",
    ),
]
ResponseFile = Annotated[
    Path | None,
    typer.Option(
        "--response",
        help="The server's answer as `curl -i` saves it: its status, error body and Date are "
        "read too.",
        show_default=False,
    ),
]


def read_response_file(path: Path | None) -> str | None:
    """The text of ``--response``, with a one-line error when it cannot be read."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        raise InvalidOptionError(f"cannot read --response {str(path)!r}: {error}") from None


def register(app: typer.Typer) -> None:
    """Add this module's commands to ``app``."""

    @app.command("diagnose", epilog=DIAGNOSE_EPILOG)
    def diagnose_command(
        url: InputUrl = None,
        method: InputMethod = None,
        header: Headers = None,
        data: InputData = None,
        curl: InputCurl = None,
        http: InputHttp = None,
        scheme: InputScheme = None,
        consumer_secret: ConsumerSecret = "",
        token_secret: TokenSecret = "",
        rsa_key: RsaKeyFile = None,
        now: Now = None,
        server_date: ServerDate = None,
        window: Window = DEFAULT_WINDOW_SECONDS,
        response: ResponseFile = None,
        output: Format = OutputFormat.text,
        show_secrets: DiagnoseShowSecrets = False,
        full: Full = False,
        provider: Provider = None,
        har: HarFile = None,
    ) -> None:
        """Find which known mistake (or up to three together) made the signature a server
        refused, and explain it: what you did, what RFC 5849 says, your base string beside the
        right one with the first difference marked, and the fix in code.

        Also checks what needs no secret: a timestamp in milliseconds, stale or in the future,
        a signature length that does not fit its method, missing or repeated parameters, and a
        signed URL copied from API docs and replayed.
        """
        if har is not None:
            others = {"--url": url, "--curl": curl, "--http": http, "--response": response}
            check_alone(har, {**others, "--data": data, "-H": header, "--method": method})
            diagnose_har(
                har,
                Secrets(consumer_secret, token_secret, read_rsa_key(rsa_key)),
                now=now,
                server_date=server_date,
                window=window,
                output=output,
                show_secrets=show_secrets,
                bounds=Bounds.of(full),
            )
        parsed = read_input(url, method, header, data, curl, http, scheme)
        request = parsed.request
        oauth, _, _ = claimed_parameters(request)
        credentials = Credentials(
            oauth.get("oauth_consumer_key", ""),
            consumer_secret,
            token=oauth.get("oauth_token"),
            token_secret=token_secret,
            rsa_key=read_rsa_key(rsa_key),
        )
        result = diagnose(
            request,
            credentials,
            now=time.time() if now is None else now,
            server_date=server_date,
            response=read_response_file(response),
            stale_after=window,
        )
        result = with_provider(
            result, request, choose(request, provider), now=time.time() if now is None else now
        )
        if show_secrets and result.claimed_signature == REDACTED:
            # The diagnosis never keeps a PLAINTEXT claim (it is the key); the request has it.
            result = replace(result, claimed_signature=oauth.get("oauth_signature"))
        _print(result, parsed.kind, parsed.notes, output, show_secrets, Bounds.of(full))
        raise typer.Exit(0 if result.ok else 1)


def _print(
    result: Diagnosis,
    kind: str,
    notes: tuple[str, ...],
    output: OutputFormat,
    show_secrets: bool = False,
    bounds: Bounds | None = None,
) -> None:
    if output is OutputFormat.json:
        document = result.to_dict()
        if show_secrets and result.expected is not None:
            document["expected"] = trace_to_dict(result.expected, show_secrets=True)
        document["secrets_shown"] = show_secrets
        document["input"] = {"kind": kind, "notes": list(notes)}
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is OutputFormat.markdown:
        text = diagnosis_to_markdown(result)
        if notes:
            text += "\n" + "\n".join(f"_input: {note}_" for note in notes) + "\n"
        typer.echo(text, nl=False)
    else:
        console = make_console()
        console.print(diagnosis_renderable(result, show_secrets, bounds))
        for note in notes:
            console.print(f"input: {note}", style="italic dim")
