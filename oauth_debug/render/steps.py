"""A trace told as numbered steps, each with its RFC 5849 section: the neutral model that the text
and markdown renderers both draw, so the explanation is written once."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..trace import SigningTrace, uri_changes
from .secrets import (
    ELIDED,
    elide_signatures,
    key_outline,
    scrub,
    shared_signature,
    shown_key,
    shown_signature,
)

SOURCE_LABELS = {
    "query": "URL query",
    "body": "form body",
    "oauth": "Authorization header",
}


HAND_MADE_NOTE = (
    "This trace was made without its encoded, sorted pairs (a trace built by hand): only the "
    "joined string of the next step is known, and a renderer does not encode or sort again."
)
"""Step 2's note when the trace has parameters but no ``sorted_pairs`` to show."""


@dataclass(frozen=True)
class Step:
    """One step of the computation: what is done, why (the RFC), and what came out."""

    number: int
    title: str
    section: str
    explanation: str
    value: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())


def trace_steps(
    trace: SigningTrace, show_secrets: bool = False, shared: bool = False
) -> tuple[Step, ...]:
    """The steps of ``trace`` in order, secrets redacted unless ``show_secrets``.

    ``shared`` is for a block meant to be pasted where others read it: then neither the signature
    (in any form: base64, hex digest, on the wire) nor the secrets' lengths are shown, so that the
    block can neither replay the request nor narrow down a secret.
    """
    show_secrets = show_secrets and not shared
    steps = [
        Step(
            1,
            "Collect the parameters",
            "3.4.1.3.1",
            "Every parameter from the URL query, the OAuth Authorization header (not realm) and "
            "a form-encoded body, decoded. oauth_signature is never included.",
            rows=tuple(
                (p.name, p.value, SOURCE_LABELS.get(p.source, p.source)) for p in trace.parameters
            ),
            columns=("name", "value (decoded)", "from"),
            notes=_collection_notes(trace),
        ),
        Step(
            2,
            "Percent-encode each name and value, then sort",
            "3.4.1.3.2, 3.6",
            "Encode with RFC 3986 rules (only A-Z a-z 0-9 - . _ ~ stay; upper-case hex; a space "
            "is %20, never +), then sort by encoded name, then by encoded value.",
            rows=trace.sorted_pairs,
            columns=("encoded name", "encoded value"),
            notes=() if trace.sorted_pairs or not trace.parameters else (HAND_MADE_NOTE,),
        ),
        Step(
            3,
            "Join them into the normalized parameter string",
            "3.4.1.3.2",
            'Each pair as name=value, the pairs joined with "&".',
            value=trace.normalized_parameters,
        ),
        Step(
            4,
            "Build the base string URI",
            "3.4.1.2",
            "Scheme and host in lower case, the port only when it is not the scheme's default, "
            "the path as sent; no query, no fragment.",
            value=trace.base_string_uri,
            notes=_uri_notes(trace),
        ),
        Step(
            5,
            "Assemble the signature base string",
            "3.4.1.1",
            "METHOD & encoded URI & encoded parameter string. Only the two separating '&' are "
            "raw: every '&' and '=' inside the parameter string was encoded again, to %26 and %3D.",
            value=trace.base_string,
        ),
        Step(
            6,
            "Make the signing key",
            "3.4.2" if not trace.signature_method.startswith("RSA") else "3.4.3",
            _key_explanation(trace),
            value=key_outline(trace, lengths=False) if shared else shown_key(trace, show_secrets),
        ),
    ]
    if trace.signature_method != "PLAINTEXT":
        steps.append(
            Step(
                7,
                f"Compute the {trace.signature_method} digest",
                "3.4.2" if trace.signature_method.startswith("HMAC") else "3.4.3",
                "The MAC (or RSA signature) over the base string's UTF-8 bytes, shown as hex.",
                value=f"{ELIDED} (the signature, in hex)" if shared else trace.digest_hex,
            )
        )
    steps.append(
        Step(
            len(steps) + 1,
            "Write the signature",
            "3.4.2" if trace.signature_method != "PLAINTEXT" else "3.4.4",
            "base64 (RFC 2045) of the digest: this is oauth_signature."
            if trace.signature_method != "PLAINTEXT"
            else "PLAINTEXT: the signature is the key itself.",
            value=shared_signature(trace) if shared else shown_signature(trace, show_secrets),
        )
    )
    steps.append(
        Step(
            len(steps) + 1,
            "Send it",
            {"header": "3.5.1", "query": "3.5.3", "body": "3.5.2"}.get(trace.placement, "3.5"),
            "oauth_signature is percent-encoded once more on the wire ("
            + (
                shared_signature(trace)
                if shared
                else scrub(trace.transport_signature, trace, show_secrets) or ""
            )
            + "); a server decodes it before comparing.",
            value=transport_value(trace, show_secrets, shared),
        )
    )
    return tuple(steps)


def _collection_notes(trace: SigningTrace) -> tuple[str, ...]:
    request = trace.request
    notes = []
    if request.body and not request.is_form:
        notes.append(
            f"The body ({request.content_type or 'no Content-Type'}) is not "
            "application/x-www-form-urlencoded, so it contributes no parameters"
            + (" (oauth_body_hash covers it instead)." if _has_body_hash(trace) else ".")
        )
    if trace.realm is not None:
        notes.append("realm travels in the header but is never signed.")
    return tuple(notes)


def _has_body_hash(trace: SigningTrace) -> bool:
    return any(name == "oauth_body_hash" for name, _ in trace.oauth_parameters)


def _uri_notes(trace: SigningTrace) -> tuple[str, ...]:
    changes = uri_changes(trace)
    notes = []
    if changes.lowered:
        notes.append("The scheme and host were lower-cased.")
    if changes.dropped_port is not None:
        notes.append(f":{changes.dropped_port} is the default port for {changes.scheme}: left out.")
    if changes.query_left_out:
        notes.append("The query string is not part of the URI: its parameters were collected.")
    if changes.empty_path:
        notes.append('The empty path became "/".')
    return tuple(notes)


def _key_explanation(trace: SigningTrace) -> str:
    if trace.signature_method.startswith("RSA"):
        return "RSA signs with the client's private key; the base string is hashed and signed."
    return (
        'encode(consumer secret) "&" encode(token secret). The "&" is always there, even when '
        "there is no token secret."
    )


def transport_value(trace: SigningTrace, show_secrets: bool, shared: bool = False) -> str:
    """What travels: the Authorization header line, the signed URL or the signed form body
    (its oauth_signature elided when ``shared``)."""
    if trace.signed_request is None:
        return ""
    if shared:
        return elide_signatures(transport_value(trace, show_secrets=False), trace)
    if trace.placement == "header":
        return f"Authorization: {scrub(trace.authorization_header, trace, show_secrets)}"
    if trace.placement == "query":
        return scrub(trace.signed_url, trace, show_secrets) or ""
    body = (trace.signed_request.body or b"").decode("utf-8", "replace")
    return scrub(body, trace, show_secrets) or ""
