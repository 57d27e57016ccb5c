"""What every renderer shows of a secret: no secret reaches an output unless it was asked for.

This module makes rendering decisions only (when to show a value, an outline or a marker). How a
text loses its signatures is :func:`oauth_debug.redact.redact`, the one redaction of the package,
and its marker :data:`~oauth_debug.redact.REDACTED` is the one re-exported here. The renderers read
a trace as it is (its request as received, signature and all) and pass what they print through
these functions.
"""

from __future__ import annotations

import re

from ..redact import REDACTED, redact
from ..trace import SigningTrace

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


def signature_is_secret(trace: SigningTrace) -> bool:
    """PLAINTEXT's signature *is* the signing key (RFC 5849 3.4.4), so it is redacted too."""
    return trace.signature_method == "PLAINTEXT" and bool(trace.signature)


def key_outline(trace: SigningTrace, lengths: bool = True) -> str:
    """The shape of the signing key without its contents, e.g. ``<consumer secret: 12 chars>&``.

    It shows what people get wrong (the "&" is always there, 3.4.2) without showing the secret.
    A terminal shows the lengths (a stray newline in a secret shows up as one char more); a block
    to share (``lengths=False``) does not: a length narrows down a secret for anyone who reads it.
    """
    if trace.signature_method.startswith("RSA"):
        return "<RSA private key (PEM)>" if trace.signing_key else "<no RSA key>"
    if not trace.recipe.key_ampersand:
        size = f": {len(trace.signing_key)} chars" if lengths else ""
        return f"<key without '&'{size}>"
    text = trace.signing_key.reveal()
    consumer, _, token = text.partition("&")
    if not lengths:
        return ("<consumer secret>" if consumer else "") + "&" + ("<token secret>" if token else "")
    left = f"<consumer secret, encoded: {len(consumer)} chars>" if consumer else ""
    right = f"<token secret, encoded: {len(token)} chars>" if token else ""
    return f"{left}&{right}"


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


def shown_key(trace: SigningTrace, show_secrets: bool) -> str:
    """The signing key as an output may show it."""
    return trace.signing_key.reveal() if show_secrets else key_outline(trace)


def shown_signature(trace: SigningTrace, show_secrets: bool) -> str:
    return REDACTED if signature_is_secret(trace) and not show_secrets else trace.signature


def scrub(text: str | None, trace: SigningTrace, show_secrets: bool) -> str | None:
    """A header, URL, body or bare signature of a PLAINTEXT trace with the key redacted (RFC 5849
    3.4.4: the signature is the key), unless asked not to.

    :func:`redact` finds every oauth_signature value where the text carries one (3.5.1-3.5.3),
    whatever it is: the request's claim too, which is a key as well (the wrong one, often a
    near miss). Only the trace's own key is also replaced wherever else it occurs: a claim is not
    searched for by its characters, which can occur elsewhere in the request (``kind=k&`` when
    the claim is ``k&``) and, replaced there, would print a request that no longer matches its
    base string.
    """
    if text is None or show_secrets or not signature_is_secret(trace):
        return text
    return redact(text, (trace.signature,))


def request_url(trace: SigningTrace, show_secrets: bool) -> str:
    """The URL of the request a trace was made for, as received, with a PLAINTEXT signature (the
    key) that it may carry, e.g. when verifying a signed URL, redacted unless asked not to."""
    return scrub(trace.request.url, trace, show_secrets) or ""
