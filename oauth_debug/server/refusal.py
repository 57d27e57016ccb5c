"""A refused request: the stable reason code, the answer for the client and the diagnosis for the
server's log.

The reason codes are the names of the OAuth Problem Reporting extension (oauth.pbwiki.com/
ProblemReporting, as oauthlib and most providers use them) where they fit. The client's answer is
*uniform* by default: ``consumer_key_unknown`` and ``token_rejected`` are told to the client as
``signature_invalid``, with the same status, text and ``WWW-Authenticate``, so that the answer
does not say which consumer keys or tokens exist; the true reason goes to the log. Statuses follow
RFC 5849 3.2: 400 for a request that is malformed (a parameter absent, repeated or not supported),
401 for one whose credentials, signature, timestamp or nonce are refused.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import quote

from ..errors import OAuthDebugError

if TYPE_CHECKING:
    from ..diagnosis.model import Diagnosis

Reason = Literal[
    "signature_invalid",
    "timestamp_refused",
    "nonce_used",
    "parameter_absent",
    "parameter_rejected",
    "signature_method_rejected",
    "version_rejected",
    "consumer_key_unknown",
    "token_rejected",
]
REASONS: tuple[Reason, ...] = get_args(Reason)
"""The reason codes, in the order of :data:`Reason` (derived from it, never a second list)."""

STATUS: Mapping[Reason, int] = {
    "parameter_absent": 400,
    "parameter_rejected": 400,
    "signature_method_rejected": 400,
    "version_rejected": 400,
    "signature_invalid": 401,
    "timestamp_refused": 401,
    "nonce_used": 401,
    "consumer_key_unknown": 401,
    "token_rejected": 401,
}
"""RFC 5849 3.2: 400 Bad Request for an unsupported or missing or duplicated parameter or an
unsupported signature method; 401 Unauthorized for invalid credentials, token, signature or nonce
(a timestamp out of the window is refused with the nonce it guards, 3.3)."""

PUBLIC_PROBLEM: Mapping[Reason, Reason] = {
    **{reason: reason for reason in REASONS},
    "consumer_key_unknown": "signature_invalid",
    "token_rejected": "signature_invalid",
}
"""What the client is told by default: an unknown key or token reads as a bad signature."""

ADVICE: Mapping[Reason, str] = {
    "signature_invalid": (
        "The request's signature does not verify. Check the consumer key and secret (and token) "
        "and sign the request exactly as it is sent (RFC 5849 3.4)."
    ),
    "timestamp_refused": (
        "oauth_timestamp is outside the window the server accepts: check the client's clock and "
        "sign every request anew (RFC 5849 3.3)."
    ),
    "nonce_used": (
        "This oauth_nonce was already used: sign every request anew, with a fresh nonce "
        "(RFC 5849 3.3)."
    ),
    "parameter_absent": "A required OAuth parameter is missing (RFC 5849 3.1).",
    "parameter_rejected": (
        "An OAuth parameter is repeated or cannot be read: send each oauth_* parameter once, in "
        "one place (RFC 5849 3.1, 3.5)."
    ),
    "signature_method_rejected": "The server does not accept this oauth_signature_method.",
    "version_rejected": 'oauth_version must be "1.0" or left out (RFC 5849 3.1).',
}
"""The default answer's text, per public problem: the same for every client that makes the
mistake, and nothing in it depends on the server's secrets or on which keys it knows."""


class Refused(OAuthDebugError):
    """A request the verifier refused.

    ``reason`` is the true reason (one of :data:`REASONS`), for the server; ``status``,
    ``headers`` and ``body`` are the answer for the client (uniform unless the verifier was made
    with ``explain_to_client=True``); ``diagnosis`` is what :func:`oauth_debug.diagnose` said about
    the request (None when it could not run), for the server's log; ``request_id`` is in the
    answer and in the log line, so that a client's report can be matched with the log.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        reason: Reason,
        status: int,
        headers: tuple[tuple[str, str], ...],
        body: bytes,
        request_id: str,
        diagnosis: Diagnosis | None = None,
        log_record: Mapping[str, Any] | None = None,
    ) -> None:
        if log_record is not None and not isinstance(log_record, Mapping):
            raise TypeError(f"log_record must be a mapping, not {type(log_record).__name__}")
        super().__init__(message, reason=reason, status=status, request_id=request_id)
        self.reason: Reason = reason
        self.status = status
        self.headers = headers
        self.body = body
        self.request_id = request_id
        self.diagnosis = diagnosis
        self.log_record: Mapping[str, Any] = dict(log_record or {})
        """The JSON object the verifier logged for this refusal (secret-free)."""

    def header(self, name: str) -> str | None:
        """The answer's header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)


def _quoted(text: str) -> str:
    """An RFC 7230 quoted-string's content: backslash before '"' and '\\'."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def answer(
    reason: Reason,
    *,
    request_id: str,
    realm: str | None,
    explain: bool,
    message: str,
    extra: Mapping[str, str],
    client_diagnosis: Mapping[str, Any] | None,
) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    """The (status, headers, body) of the answer to a refused request.

    By default the body is the Problem Reporting form (``oauth_problem=...&oauth_problem_advice=
    ...``) and says only what the client's own request decides: ``extra`` carries the
    parameters named by the problem (``oauth_parameters_absent``, ``oauth_acceptable_timestamps``),
    never anything about keys. With ``explain``, the body is JSON with the true reason, the
    detailed ``message`` and the diagnosis as a client may see it.
    """
    status = STATUS[reason]
    public = reason if explain else PUBLIC_PROBLEM[reason]
    headers: list[tuple[str, str]] = []
    if status == 401:
        challenge = f'OAuth realm="{_quoted(realm or "")}", oauth_problem="{public}"'
        headers.append(("WWW-Authenticate", challenge))
    if explain:
        document: dict[str, Any] = {
            "oauth_problem": reason,
            "message": message,
            **extra,
            "request_id": request_id,
            "diagnosis": client_diagnosis,
        }
        body = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        content_type = "application/json; charset=utf-8"
    else:
        pairs = [("oauth_problem", public), ("oauth_problem_advice", ADVICE[public])]
        if public == reason:  # the named parameters belong to this problem only
            pairs.extend(extra.items())
        pairs.append(("request_id", request_id))
        body = "&".join(f"{name}={quote(value, safe='')}" for name, value in pairs).encode()
        content_type = "application/x-www-form-urlencoded"
    headers += [
        ("Content-Type", content_type),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Request-Id", request_id),
    ]
    return status, tuple(headers), body
