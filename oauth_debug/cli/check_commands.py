"""`verify`: recompute the signature of a request as it was sent and say whether it holds.

The request comes from whatever the person has (a signed URL, a curl line, a proxy log, a header),
read by :func:`oauth_debug.inputs.request_from_options`; the input options are defined here once so
other commands that take a request (diagnose) can use the same spelling.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from ..errors import (
    BodyHashMismatch,
    InvalidOptionError,
    SignatureMismatch,
    UnsupportedSignatureMethodError,
)
from ..inputs import ParsedInput, request_from_options
from ..methods import get_method
from ..model import Credentials
from ..render.bounds import Bounds, clip
from ..render.secrets import (
    ELIDED,
    REDACTED,
    elide_signatures,
    request_url,
    shared_signature,
    shown_signature,
)
from ..trace import SigningTrace
from ..verify import claimed_parameters, verify
from .options import (
    ConsumerSecret,
    Format,
    Full,
    HarFile,
    Headers,
    OutputFormat,
    Provider,
    RsaKeyFile,
    ShowSecrets,
    TokenSecret,
    read_rsa_key,
)
from .provider_notes import provider_lines

InputUrl = Annotated[
    str | None,
    typer.Option(
        "--url",
        help="The request URL; with the oauth_* parameters in its query when it was signed there.",
        show_default=False,
    ),
]
InputMethod = Annotated[
    str | None,
    typer.Option(
        "--method",
        "-X",
        help="HTTP method. Default: GET (POST with --data), or what --curl/--http say.",
        show_default=False,
    ),
]
InputData = Annotated[
    str | None,
    typer.Option(
        "--data",
        "-d",
        help="Body of a --url request, @file, or @- for standard input. Without a Content-Type "
        "header it is taken as a form, as curl -d sends it.",
        show_default=False,
    ),
]
InputCurl = Annotated[
    str | None,
    typer.Option(
        "--curl",
        help="A curl command line as copied from browser devtools, Postman or Swagger UI; "
        "Chrome's and Edge's 'Copy as cURL (cmd)' and 'Copy as PowerShell' are read too.",
        show_default=False,
    ),
]
InputHttp = Annotated[
    str | None,
    typer.Option(
        "--http",
        help="A file with the raw HTTP request as a proxy logged it, or - for standard input.",
        show_default=False,
    ),
]
InputScheme = Annotated[
    str | None,
    typer.Option(
        "--scheme",
        help="http or https: the scheme of a --http request (the log cannot tell). Default: http.",
        show_default=False,
    ),
]

VERIFY_EPILOG = (
    "Give the request with one of --url, --curl or --http. Examples:\n\n"
    "oauth-debug verify --url 'https://api.example.com/v1/items?oauth_consumer_key=K&"
    "oauth_signature_method=HMAC-SHA1&oauth_timestamp=1539784724&oauth_nonce=7Ck8g&"
    "oauth_version=1.0&oauth_signature=...' --consumer-secret S\n\n"
    "oauth-debug verify --url https://api.example.com/v1/items -X POST "
    "-H 'Authorization: OAuth oauth_consumer_key=\"K\", ...' --consumer-secret S\n\n"
    'oauth-debug verify --curl "$(pbpaste)" --consumer-secret S --format json\n\n'
    "oauth-debug verify --http request.txt --scheme https --consumer-secret S --token-secret T\n\n"
    "Secrets may come from OAUTH_CONSUMER_SECRET and OAUTH_TOKEN_SECRET instead. Exit code: 0 "
    "valid, 1 invalid, 2 bad input."
)


_RSA_UNCOMPUTABLE = "(none: an RSA signature is checked with the public key, not recomputed)"


def read_input(
    url: str | None,
    method: str | None,
    header: list[str] | None,
    data: str | None,
    curl: str | None,
    http: str | None,
    scheme: str | None,
) -> ParsedInput:
    """The request named by the input options (standard input is this process's)."""
    return request_from_options(
        url=url,
        method=method,
        headers=header,
        curl=curl,
        http=http,
        scheme=scheme,
        data=data,
        stdin=sys.stdin,
    )


def _credentials(
    request_oauth: dict[str, str], consumer_secret: str, token_secret: str, rsa_pem: str | None
) -> Credentials:
    """Only the secrets come from the options: the keys are whatever the request carries."""
    name = request_oauth.get("oauth_signature_method")
    is_rsa = name is not None and _is_rsa(name)
    if is_rsa and rsa_pem is None:
        raise InvalidOptionError(
            f"the request is signed with {name}; verify needs the signer's public key or "
            "certificate: --rsa-key FILE"
        )
    if not is_rsa and not consumer_secret:
        raise InvalidOptionError(
            "verify recomputes the signature and needs --consumer-secret (or "
            "OAUTH_CONSUMER_SECRET); without the secret, `oauth-debug diagnose` checks what it can"
        )
    return Credentials(
        request_oauth.get("oauth_consumer_key", ""),
        consumer_secret,
        token=request_oauth.get("oauth_token"),
        token_secret=token_secret,
        rsa_key=rsa_pem,
    )


def _is_rsa(name: str) -> bool:
    try:
        return get_method(name).family == "RSA"
    except UnsupportedSignatureMethodError:  # verify reports it, with its own message
        return False


@dataclass(frozen=True)
class BodyHashCheck:
    """The body hash draft's check of a non-form body: the oauth_body_hash the request claims and
    the hash of the body as received. ``body_hash`` is None when it was not computed (no claim,
    a form body, or a signature that already failed)."""

    claimed_hash: str | None = None
    body_hash: str | None = None

    @property
    def matches(self) -> bool | None:
        if self.claimed_hash is None or self.body_hash is None:
            return None
        return self.claimed_hash == self.body_hash

    @classmethod
    def of_valid(cls, oauth: dict[str, str], trace: SigningTrace) -> BodyHashCheck:
        """A valid request passed the body hash check too, when it has one: the hashes agree."""
        claimed = oauth.get("oauth_body_hash")
        if claimed is None or trace.request.is_form:
            return cls(claimed)
        return cls(claimed, claimed)


def verify_document(
    parsed: ParsedInput,
    trace: SigningTrace,
    claimed: str,
    valid: bool,
    show_secrets: bool,
    body: BodyHashCheck | None = None,
) -> dict[str, Any]:
    """The JSON object `verify --format json` prints."""
    from ..render.trace_json import trace_to_dict  # only the JSON format needs it

    body = body or BodyHashCheck()
    return {
        "valid": valid,
        # valid is False both when the signature differs and when only the body hash does.
        "signature_matches": valid or body.matches is False,
        "body_hash_matches": body.matches,
        "claimed_body_hash": body.claimed_hash,
        "body_hash": body.body_hash,
        "claimed_signature": _shown_claim(trace, claimed, show_secrets),
        "expected_signature": shown_signature(trace, show_secrets),
        "signature_method": trace.signature_method,
        "placement": trace.placement,
        "method": trace.request.method,
        "url": request_url(trace, show_secrets),
        "base_string": trace.base_string,
        "input_kind": parsed.kind,
        "notes": list(parsed.notes),
        "trace": trace_to_dict(trace, show_secrets),
    }


def _shown_claim(trace: SigningTrace, claimed: str, show_secrets: bool) -> str:
    """A PLAINTEXT signature is the key itself (RFC 5849 3.4.4): redacted like the key."""
    if trace.signature_method == "PLAINTEXT" and claimed and not show_secrets:
        return REDACTED
    return claimed


def _print_text(
    parsed: ParsedInput,
    trace: SigningTrace,
    claimed: str,
    valid: bool,
    show_secrets: bool,
    body: BodyHashCheck,
    bounds: Bounds,
) -> None:
    # rich and the step panels only for the text of a person's terminal, not JSON or markdown.
    from rich.text import Text

    from ..render.console import make_console
    from ..render.trace_text import base_string_text, trace_renderable

    for note in parsed.notes:
        typer.echo(f"note: {note}", err=True)
    console = make_console()
    request = trace.request
    url = clip(request_url(trace, show_secrets), bounds.value_chars)
    if body.matches is False:
        _print_body_hash_mismatch(trace, body, show_secrets, url)
        return
    if valid:
        console.print(
            Text.assemble(
                ("valid", "bold green"),
                f": the {trace.signature_method} signature matches {request.method.upper()} {url}",
            ),
            soft_wrap=True,
        )
        console.print("base string:", base_string_text(trace, bounds.value_chars), soft_wrap=True)
        console.print(
            "A valid signature can still be refused when its timestamp is stale or its nonce was "
            "used: `oauth-debug diagnose` checks those too.",
            style="dim",
        )
        return
    console.print(
        Text.assemble(
            ("invalid", "bold red"),
            f": the {trace.signature_method} signature does not match "
            f"{request.method.upper()} {url}",
        ),
        soft_wrap=True,
    )
    console.print(f"  claimed:    {_shown_claim(trace, claimed, show_secrets)}")
    expected = shown_signature(trace, show_secrets) or _RSA_UNCOMPUTABLE
    console.print(f"  recomputed: {expected}")
    console.print()
    console.print("The recomputed signature, step by step:")
    console.print(trace_renderable(trace, show_secrets, bounds))
    console.print(
        "hint: run `oauth-debug diagnose` with the same input options and secrets to have the "
        "mistake named",
        style="bold",
    )


def _print_body_hash_mismatch(
    trace: SigningTrace, body: BodyHashCheck, show_secrets: bool, url: str
) -> None:
    """The signature holds but the body changed: printing two equal signatures under "invalid"
    would send the person looking in the wrong place."""
    from rich.text import Text

    from ..render.console import make_console

    console = make_console()
    request = trace.request
    console.print(
        Text.assemble(
            ("invalid", "bold red"),
            f": the {trace.signature_method} signature is right, but the body hash does not "
            f"match the body of {request.method.upper()} {url}",
        ),
        soft_wrap=True,
    )
    console.print(f"  signature:                 {shown_signature(trace, show_secrets)} (matches)")
    console.print(f"  oauth_body_hash (claimed): {body.claimed_hash}", soft_wrap=True)
    console.print(f"  hash of the body received: {body.body_hash}", soft_wrap=True)
    console.print(
        "The body hash draft signs a body that is not a form only through oauth_body_hash "
        "(the base64 of its SHA digest): the body was changed after it was signed, or it is "
        "sent with other bytes (encoding, line endings, whitespace) than the ones hashed.",
        style="dim",
    )


def _print_markdown(
    parsed: ParsedInput, trace: SigningTrace, claimed: str, valid: bool, body: BodyHashCheck
) -> None:
    # A shared block: a signature that holds would let anyone replay the request, so only a
    # claim that does not hold is shown (it helps to compare, and it opens nothing).
    shown_claim = ELIDED if valid or body.matches is False else _shown_claim(trace, claimed, False)
    recomputed = _RSA_UNCOMPUTABLE if not trace.signature else shared_signature(trace)
    url = elide_signatures(trace.request.url, trace)
    lines = [
        f"## oauth-debug verify: {'valid' if valid else 'invalid'}",
        "",
        f"Request: `{trace.request.method} {url}` (read from {parsed.kind} input)",
        "",
        "| | signature |",
        "|---|---|",
        f"| claimed | `{shown_claim}` |",
        f"| recomputed | `{recomputed}` |",
        "",
        f"Base string: `{trace.base_string}`",
        "",
    ]
    if body.matches is False:
        lines += [
            "The signature is right, but the body hash does not match the body:",
            "",
            f"- oauth_body_hash (claimed): `{body.claimed_hash}`",
            f"- hash of the body received: `{body.body_hash}`",
            "",
        ]
    lines += [f"- note: {note}" for note in parsed.notes]
    if parsed.notes:
        lines.append("")
    text = "\n".join(lines)
    if not valid and body.matches is not False:
        from ..render.trace_markdown import trace_to_markdown  # only this format needs it

        text += "\n" + trace_to_markdown(trace)
        text += "\nRun `oauth-debug diagnose` with the same input to have the mistake named.\n"
    typer.echo(text)


def verify_parsed(
    parsed: ParsedInput, consumer_secret: str, token_secret: str, rsa_pem: str | None
) -> tuple[SigningTrace, str, bool, BodyHashCheck]:
    """Verify one request: its trace, the signature it claims, whether it holds, the body hash."""
    oauth = claimed_parameters(parsed.request)[0]
    credentials = _credentials(oauth, consumer_secret, token_secret, rsa_pem)
    try:
        trace = verify(parsed.request, credentials)
        return trace, oauth.get("oauth_signature", ""), True, BodyHashCheck.of_valid(oauth, trace)
    except BodyHashMismatch as mismatch:
        body = BodyHashCheck(mismatch.claimed_hash, mismatch.body_hash)
        return mismatch.trace, mismatch.claimed.reveal(), False, body
    except SignatureMismatch as mismatch:
        body = BodyHashCheck(oauth.get("oauth_body_hash"))
        return mismatch.trace, mismatch.claimed.reveal(), False, body


def _har_check(
    consumer_secret: str, token_secret: str, rsa_pem: str | None
) -> Callable[[ParsedInput], tuple[bool, dict[str, Any]]]:
    """What `verify --har` does with each entry: verify it, and its JSON document."""

    def check(parsed: ParsedInput) -> tuple[bool, dict[str, Any]]:
        trace, claimed, valid, body = verify_parsed(parsed, consumer_secret, token_secret, rsa_pem)
        return valid, verify_document(parsed, trace, claimed, valid, False, body)

    return check


def register(app: typer.Typer) -> None:
    """Add `verify`."""

    @app.command("verify", epilog=VERIFY_EPILOG)
    def verify_command(
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
        output_format: Format = OutputFormat.text,
        show_secrets: ShowSecrets = False,
        full: Full = False,
        provider: Provider = None,
        har: HarFile = None,
    ) -> None:
        """Recompute the signature of a request as it was sent and compare it, in constant time,
        with the one it carries. On a mismatch, show the recomputed trace beside the claim."""
        # Imported when used: the HAR reader and the provider profiles bring the diagnosis with
        # them, and a plain verify needs neither the one nor (unless it applies) the other.
        if har is not None:
            from .har_commands import check_alone, verify_har

            check_alone(har, {"--url": url, "--curl": curl, "--http": http, "--data": data})
            check = _har_check(consumer_secret, token_secret, read_rsa_key(rsa_key))
            verify_har(har, check, output=output_format, bounds=Bounds.of(full))
        parsed = read_input(url, method, header, data, curl, http, scheme)
        trace, claimed, valid, body = verify_parsed(
            parsed, consumer_secret, token_secret, read_rsa_key(rsa_key)
        )
        for line in provider_lines(parsed.request, provider, now=time.time()):
            typer.echo(line, err=True)
        if output_format is OutputFormat.json:
            document = verify_document(parsed, trace, claimed, valid, show_secrets, body)
            typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
        elif output_format is OutputFormat.markdown:
            _print_markdown(parsed, trace, claimed, valid, body)
        else:
            _print_text(parsed, trace, claimed, valid, show_secrets, body, Bounds.of(full))
        if not valid:
            raise typer.Exit(1)
