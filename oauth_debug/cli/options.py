"""Options shared by several commands, so each is spelled and documented once.

Use them as parameter annotations, e.g. ``consumer_key: ConsumerKey = ""``.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InvalidOptionError
from ..model import Credentials


class OutputFormat(str, Enum):
    """How a command prints its result."""

    text = "text"
    json = "json"
    markdown = "markdown"


class Placement(str, Enum):
    """Where the OAuth parameters travel (RFC 5849 3.5)."""

    header = "header"
    query = "query"
    body = "body"


ConsumerKey = Annotated[
    str,
    typer.Option(
        "--consumer-key",
        metavar="KEY",
        envvar="OAUTH_CONSUMER_KEY",
        help="Client (consumer) key.",
        show_default=False,
    ),
]
ConsumerSecret = Annotated[
    str,
    typer.Option(
        "--consumer-secret",
        metavar="SECRET",
        envvar="OAUTH_CONSUMER_SECRET",
        help="Client (consumer) secret. Never printed unless --show-secrets.",
        show_default=False,
    ),
]
SigningConsumerSecret = Annotated[
    str | None,
    typer.Option(
        "--consumer-secret",
        metavar="SECRET",
        envvar="OAUTH_CONSUMER_SECRET",
        help="Client (consumer) secret; required for HMAC and PLAINTEXT ('' signs with an empty "
        "secret on purpose). Never printed unless --show-secrets.",
        show_default=False,
    ),
]
"""For the commands that sign: unlike :data:`ConsumerSecret`, *not given* (None) differs from
the empty secret, so that a forgotten secret is an error instead of a signature keyed ``&``."""
Token = Annotated[
    str | None,
    typer.Option(
        "--token",
        metavar="TOKEN",
        envvar="OAUTH_TOKEN",
        help="Token (three-legged flows).",
        show_default=False,
    ),
]
TokenSecret = Annotated[
    str,
    typer.Option(
        "--token-secret",
        metavar="SECRET",
        envvar="OAUTH_TOKEN_SECRET",
        help="Token secret. Never printed unless --show-secrets.",
        show_default=False,
    ),
]
RsaKeyFile = Annotated[
    Path | None,
    typer.Option(
        "--rsa-key",
        metavar="FILE",
        help="PEM file: a private key to sign with RSA-*, a public key or certificate to verify.",
        show_default=False,
    ),
]
Format = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="text (coloured), json (for scripts) or markdown "
        "(secret-free, to paste into a forum question).",
    ),
]
ShowSecrets = Annotated[
    bool,
    typer.Option("--show-secrets", help="Print secrets and the signing key in full."),
]
Headers = Annotated[
    list[str] | None,
    typer.Option(
        "--header",
        "-H",
        metavar="'NAME: VALUE'",
        help="A request header (repeatable).",
        show_default=False,
    ),
]


def read_rsa_key(path: Path | None) -> str | None:
    """The PEM text of ``--rsa-key``, with a one-line error when the file cannot be read."""
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidOptionError(f"cannot read --rsa-key {str(path)!r}: {error}") from None


def credentials_from(
    consumer_key: str,
    consumer_secret: str | None,
    token: str | None,
    token_secret: str,
    rsa_key: Path | None = None,
    *,
    signature_method: str = "HMAC-SHA1",
) -> Credentials:
    """Build :class:`Credentials` from the shared options (secrets wrapped at once).

    A secret that was not given at all is an error, not the empty secret: signing with the key
    ``&`` "works" and only fails at the server, as a 401 nothing can explain. RSA methods sign with
    the private key instead (RFC 5849 3.4.3) and need ``--rsa-key``, which the signer checks.
    """
    # RSA methods sign with the private key (RFC 5849 3.4.3); the signer says when it is missing.
    if consumer_secret is None and not signature_method.upper().startswith("RSA-"):
        raise InvalidOptionError(
            "no consumer secret: give --consumer-secret SECRET or set OAUTH_CONSUMER_SECRET "
            "(--consumer-secret '' signs with an empty secret on purpose)",
            option="consumer-secret",
        )
    return Credentials(
        consumer_key,
        consumer_secret or "",
        token=token or None,
        token_secret=token_secret,
        rsa_key=read_rsa_key(rsa_key),
    )


def parse_header(text: str) -> tuple[str, str]:
    """``'Name: value'`` -> (name, value), or a one-line error naming the expected shape."""
    name, colon, value = text.partition(":")
    if not colon or not name.strip() or name != name.strip() or " " in name:
        # Only the start is echoed: a mistyped Authorization header may carry a PLAINTEXT
        # signature, which is the key itself.
        shown = text if len(text) <= 20 else text[:20] + "..."
        raise InvalidOptionError(
            f"header {shown!r} is not of the form 'Name: value' (for example "
            "-H 'Content-Type: application/json')"
        )
    return name, value.strip()


def read_data(data: str | None) -> bytes | None:
    """``--data BODY``, ``--data @file`` or ``--data @-`` (standard input) as bytes.

    As curl does with ``-d @file``, line breaks in a file or standard input are dropped: the
    newline an editor leaves at the end of a form would otherwise become part of the last value.
    A byte on the command line that is not UTF-8 is kept as the byte it was (surrogateescape).
    """
    if data is None:
        return None
    if not data.startswith("@"):
        return data.encode("utf-8", "surrogateescape")
    source = data[1:]
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the path
        raise InvalidOptionError(f"cannot read --data {data!r}: {error}") from None
    return raw.replace(b"\r", b"").replace(b"\n", b"")


Full = Annotated[
    bool,
    typer.Option(
        "--full",
        help="Text format: print every value and table row whole (by default long values and "
        "tables are cut, saying how much was left out). JSON and Markdown are always whole.",
    ),
]
"""For every command that prints a trace or a diagnosis as text (explain, sign, verify,
diagnose)."""


Provider = Annotated[
    str | None,
    typer.Option(
        "--provider",
        metavar="NAME",
        help="The provider whose own rules apply (alteryx, netsuite, woocommerce, x, mastercard, "
        "lti, jira, magento, schoology, flickr, etrade, trello, tumblr, garmin). Default: "
        "guessed from the host, path or form fields, and said so.",
        show_default=False,
    ),
]

# Here rather than in har_commands, beside the reader it names: `verify` and `diagnose` declare the
# option on every run, and only a run with --har should import the HAR reader and the diagnosis.
HarFile = Annotated[
    Path | None,
    typer.Option(
        "--har",
        help="A HAR file exported from browser devtools, Postman, Insomnia, Charles or "
        "mitmproxy: every OAuth 1 request in it is checked with its own recorded response and "
        "its capture time (--format text or json).",
        show_default=False,
    ),
]
