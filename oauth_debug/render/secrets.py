"""What every renderer shows of a secret: no secret reaches an output unless it was asked for.

This module makes rendering decisions only (when to show a value, an outline or a marker). How a
text loses its signatures is :func:`oauth_debug.redact.redact`, the one redaction of the package,
and its marker :data:`~oauth_debug.redact.REDACTED` is the one re-exported here. What a trace's
JSON document shows (the key outline, the signature, a scrubbed header) is decided in the core,
:mod:`oauth_debug.trace_document`, which the diagnosis uses too; it is re-exported here. The
renderers read a trace as it is (its request as received, signature and all) and pass what they
print through these functions.
"""

from __future__ import annotations

import re

from ..redact import REDACTED, redact
from ..trace import SigningTrace
from ..trace_document import key_outline, scrub, shown_key, shown_signature, signature_is_secret

__all__ = [
    "ELIDED",
    "REDACTED",
    "elide_signatures",
    "key_outline",
    "request_url",
    "scrub",
    "shared_outline",
    "shared_signature",
    "shown_key",
    "shown_signature",
    "signature_is_secret",
]

ELIDED = "<elided>"
"""What a shared block (Markdown) shows instead of a valid oauth_signature: with the signature and
the parameters of the base string, anyone could replay the request inside its timestamp window."""


_OUTLINE_LENGTH = re.compile(r"<(consumer secret|token secret), encoded: \d+ chars>")
_UNSPLIT_LENGTH = re.compile(r"<key without '&': \d+ chars>")


def shared_outline(text: str) -> str:
    """An outline made by :func:`key_outline` with its lengths taken out, for a shared block."""
    return _UNSPLIT_LENGTH.sub("<key without '&'>", _OUTLINE_LENGTH.sub(r"<\1>", text))


_SIGNATURE_VALUE = re.compile(r'(oauth_signature=)("?)[^"&#\s,]*')


def elide_signatures(text: str, trace: SigningTrace) -> str:
    """Every oauth_signature value in a header, URL or form body replaced by :data:`ELIDED`
    (``****`` for PLAINTEXT, whose signature is the key), for a block that is shared."""
    if trace.signature_method == "PLAINTEXT":
        return redact(text)
    # A valid HMAC or RSA signature opens nothing once its window has passed, but a shared block
    # says what it left out, with a marker of its own (the secrets' one is ****).
    return _SIGNATURE_VALUE.sub(rf"\g<1>\g<2>{ELIDED}", text)


def shared_signature(trace: SigningTrace) -> str:
    """The signature as a shared block shows it: never the value itself."""
    return REDACTED if signature_is_secret(trace) else ELIDED


def request_url(trace: SigningTrace, show_secrets: bool) -> str:
    """The URL of the request a trace was made for, as received, with a PLAINTEXT signature (the
    key) that it may carry, e.g. when verifying a signed URL, redacted unless asked not to."""
    return scrub(trace.request.url, trace, show_secrets) or ""
