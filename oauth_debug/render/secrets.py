"""Redaction shared by every renderer: no secret reaches an output unless it was asked for."""

from __future__ import annotations

import re

from ..encoding import percent_encode
from ..trace import SigningTrace

REDACTED = "****"


def signature_is_secret(trace: SigningTrace) -> bool:
    """PLAINTEXT's signature *is* the signing key (RFC 5849 3.4.4), so it is redacted too."""
    return trace.signature_method == "PLAINTEXT" and bool(trace.signature)


def key_outline(trace: SigningTrace) -> str:
    """The shape of the signing key without its contents, e.g. ``<consumer secret: 12 chars>&``.

    It shows what people get wrong (the "&" is always there, 3.4.2) without showing the secret.
    """
    if trace.signature_method.startswith("RSA"):
        return "<RSA private key (PEM)>" if trace.signing_key else "<no RSA key>"
    if not trace.recipe.key_ampersand:
        return f"<key without '&': {len(trace.signing_key)} chars>"
    text = trace.signing_key.reveal()
    consumer, _, token = text.partition("&")
    left = f"<consumer secret, encoded: {len(consumer)} chars>" if consumer else ""
    right = f"<token secret, encoded: {len(token)} chars>" if token else ""
    return f"{left}&{right}"


def shown_key(trace: SigningTrace, show_secrets: bool) -> str:
    """The signing key as an output may show it."""
    return trace.signing_key.reveal() if show_secrets else key_outline(trace)


def shown_signature(trace: SigningTrace, show_secrets: bool) -> str:
    return REDACTED if signature_is_secret(trace) and not show_secrets else trace.signature


def scrub(text: str | None, trace: SigningTrace, show_secrets: bool) -> str | None:
    """Remove a PLAINTEXT signature (the key) from a header, URL or body, unless asked not to."""
    if text is None or show_secrets or not signature_is_secret(trace):
        return text
    for form in (percent_encode(trace.signature), trace.signature):
        text = text.replace(form, REDACTED)
    return text


_SIGNATURE_IN_URL = re.compile(r"(oauth_signature=)[^&#]*")


def request_url(trace: SigningTrace, show_secrets: bool) -> str:
    """The URL of the request a trace was made for, with a PLAINTEXT signature (the key) that it
    may carry, e.g. when verifying a signed URL, replaced by ``****`` unless asked not to."""
    url = trace.request.url
    if show_secrets or trace.signature_method != "PLAINTEXT":
        return url
    return _SIGNATURE_IN_URL.sub(rf"\g<1>{REDACTED}", url)
