"""A trace as the package shows it: its JSON document and the choices that keep a secret out of it.

These are values, not drawings: ``sign --format json`` prints :func:`trace_document`, a diagnosis
embeds it (its ``expected``), a server tells a client the secret-free part of it. So the document
lives in the core, below the diagnosis that embeds it and the renderers that print it
(:mod:`oauth_debug.render.trace_json` and :mod:`oauth_debug.render.secrets` re-export it; the
layering is checked by tests/core/test_layers.py).

How a text loses its signatures is :func:`oauth_debug.redact.redact`, the one redaction of the
package; this module decides when a trace's key, signature or request text is shown, outlined or
redacted.
"""

from __future__ import annotations

from typing import Any

from .redact import REDACTED, redact
from .trace import SigningTrace


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


SECRET_FREE_KEYS = (
    "signature_method",
    "parameters",
    "normalized_parameters",
    "base_string_uri",
    "base_string",
    "base_string_parts",
    "placement",
    "realm",
)
"""The keys of :func:`trace_document` that RFC 5849 3.4.1 computes from the request alone (the
base string and its parts), before any key is used (3.4.2-3.4.4)."""


def trace_document(trace: SigningTrace, show_secrets: bool = False) -> dict[str, Any]:
    """Every step of ``trace`` as a JSON-ready dict (secrets redacted unless ``show_secrets``)."""
    signed = trace.signed_request
    signed_body = None
    if signed is not None and signed.body is not None:
        signed_body = signed.body.decode("utf-8", "replace")
    return {
        "signature_method": trace.signature_method,
        "parameters": [
            {"name": p.name, "value": p.value, "source": p.source} for p in trace.parameters
        ],
        "normalized_parameters": trace.normalized_parameters,
        "base_string_uri": trace.base_string_uri,
        "base_string": trace.base_string,
        "base_string_parts": {
            "method": trace.base_string_parts.method,
            "uri": trace.base_string_parts.uri,
            "parameters": trace.base_string_parts.parameters,
        },
        "signing_key": shown_key(trace, show_secrets),
        "digest_hex": "" if _digest_is_key(trace, show_secrets) else trace.digest_hex,
        "signature": shown_signature(trace, show_secrets),
        "transport_signature": scrub(trace.transport_signature, trace, show_secrets),
        "placement": trace.placement,
        "realm": trace.realm,
        "authorization_header": scrub(trace.authorization_header, trace, show_secrets),
        "signed_url": scrub(trace.signed_url, trace, show_secrets),
        "signed_body": scrub(signed_body, trace, show_secrets),
        "secrets_shown": show_secrets,
    }


def secret_free_document(trace: SigningTrace) -> dict[str, Any]:
    """The :data:`SECRET_FREE_KEYS` of :func:`trace_document`: what a server computed before it
    used its key, which it may tell the client it refused."""
    full = trace_document(trace)
    return {key: full[key] for key in SECRET_FREE_KEYS}


def _digest_is_key(trace: SigningTrace, show_secrets: bool) -> bool:
    # For PLAINTEXT the "digest" is the key's bytes.
    return trace.signature_method == "PLAINTEXT" and not show_secrets
