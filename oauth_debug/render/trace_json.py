"""A SigningTrace as a JSON-ready dict: the shape `sign --format json` and `explain --format json`
print, and that other commands embed (diagnosis `expected`, verify `trace`)."""

from __future__ import annotations

from typing import Any

from ..trace import SigningTrace
from .secrets import scrub, shown_key, shown_signature


def trace_to_dict(trace: SigningTrace, show_secrets: bool = False) -> dict[str, Any]:
    """Every step of ``trace`` (secrets redacted unless ``show_secrets``)."""
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


def _digest_is_key(trace: SigningTrace, show_secrets: bool) -> bool:
    # For PLAINTEXT the "digest" is the key's bytes.
    return trace.signature_method == "PLAINTEXT" and not show_secrets
