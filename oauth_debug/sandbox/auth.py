"""Authentication, strictly: OAuth 1.0a as the Gallery API v1 checks it, and OAuth 2 bearer tokens
as Server 2021.4 and later hand them out under /webapi/.

OAuth 1 is checked by :class:`oauth_debug.server.RequestVerifier`, the one implementation of RFC
5849 3.2 that every provider uses (parameters, version, method, timestamp window, signature,
nonce); the sandbox only adds its policy around it: Alteryx's placement rule, HMAC-SHA1 only, and
Alteryx's words for each refusal. A failure is a value (:class:`AuthFailure`) that says what to
tell the client and carries the verifier's diagnosis; the app turns it into Alteryx's 401 answer.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ..errors import InvalidRequestError, OAuthDebugError
from ..methods import body_hash, get_method
from ..model import Credentials, HttpRequest
from ..rules import REQUIRED_PARAMETERS, looks_like_milliseconds, parse_timestamp
from ..server import NonceStore, Refused, RequestVerifier
from ..server import Reason as VerifierReason
from ..verify import claimed_parameters
from .config import SandboxConfig

if TYPE_CHECKING:
    from ..diagnosis.model import Diagnosis

ALLOWED_METHOD = "HMAC-SHA1"
# Research notes: what the Gallery requires; oauth_version is optional but must be "1.0".
REQUIRED = REQUIRED_PARAMETERS
SIGNATURE_INVALID = "The provided signature(oauth_signature) is invalid."

Reason = Literal[
    "malformed",
    "missing-parameter",
    "placement",
    "signature-method",
    "version",
    "consumer-key",
    "timestamp",
    "signature",
    "body-hash",
    "nonce",
]
"""The sandbox's names for the check that refused a request (``refused_because.check``, the
request log, the access log): kept as they were before the verifier took the checks over."""

CHECK: dict[VerifierReason, Reason] = {
    "parameter_rejected": "malformed",
    "parameter_absent": "missing-parameter",
    "signature_method_rejected": "signature-method",
    "version_rejected": "version",
    "consumer_key_unknown": "consumer-key",
    "token_rejected": "consumer-key",
    "timestamp_refused": "timestamp",
    "signature_invalid": "signature",
    "nonce_used": "nonce",
}
"""The verifier's reason code (the OAuth Problem Reporting name) -> the sandbox's check."""

BEFORE_LOOKUP: frozenset[VerifierReason] = frozenset(
    {
        "parameter_rejected",
        "parameter_absent",
        "signature_method_rejected",
        "version_rejected",
        "timestamp_refused",
    }
)
"""The refusals the verifier makes before it asks the lookup for the secret."""


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused. ``message`` goes to the client as is: it never holds a secret.

    ``known_client`` says whether the request names the consumer key the sandbox knows, i.e.
    whether its diagnosis used the secret. ``diagnosis`` is the verifier's (computed with the
    secret for the known client; its client view is what the 401 shows); ``request_id`` is the
    verifier's id of the refusal, also in the server's log line.
    """

    reason: Reason
    message: str
    known_client: bool = True
    consumer_key: str | None = None
    request_id: str = ""
    diagnosis: Diagnosis | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class AuthSuccess:
    """A request that passed every check."""

    consumer_key: str


class SandboxVerifier:
    """The Gallery's OAuth 1 check: Alteryx's placement rule, then the shared verifier."""

    def __init__(self, config: SandboxConfig, nonces: NonceStore) -> None:
        self.config = config
        self.verifier = RequestVerifier(
            self._lookup,
            nonces,
            clock=config.now,
            window=config.window_seconds,
            methods={ALLOWED_METHOD},
            explain_to_client=True,
        )

    def _lookup(self, consumer_key: str, token: str | None) -> Credentials | None:
        # One client, one-legged (the Gallery ignores tokens: a token only enters the base string).
        known = hmac.compare_digest(consumer_key.encode(), self.config.api_key.encode())
        return self.config.credentials if known else None

    def check(self, request: HttpRequest) -> AuthSuccess | AuthFailure:
        try:
            oauth, placement, _realm = claimed_parameters(request)
        except InvalidRequestError:
            oauth, placement = {}, None  # unreadable: the verifier refuses it, with its words
        if placement == "body" and all(oauth.get(name) for name in REQUIRED):
            return self._placement(request, oauth)
        try:
            accepted = self.verifier.check(request)
        except Refused as refused:
            return self._failure(request, oauth, refused)
        return AuthSuccess(accepted.consumer_key)

    def _known(self, oauth: dict[str, str]) -> bool:
        return self._lookup(oauth.get("oauth_consumer_key", ""), None) is not None

    def _placement(self, request: HttpRequest, oauth: dict[str, str]) -> AuthFailure:
        """Alteryx's own rule (not RFC 5849's, which allows the form body, 3.5.2)."""
        known = self._known(oauth)
        diagnosis = self._diagnose(request, known)
        return AuthFailure(
            "placement",
            "The OAuth parameters must travel in the Authorization header or the query string, "
            "not in the body.",
            known_client=known,
            consumer_key=oauth.get("oauth_consumer_key"),
            request_id=secrets.token_hex(8),
            diagnosis=diagnosis,
        )

    def _diagnose(self, request: HttpRequest, known: bool) -> Diagnosis | None:
        """The diagnosis with the secret for the known client (none for another key)."""
        from ..diagnosis import diagnose

        try:
            return diagnose(
                request,
                self.config.credentials if known else None,
                now=self.config.now(),
                stale_after=self.config.window_seconds,
            )
        except OAuthDebugError:
            return None

    def _failure(
        self, request: HttpRequest, oauth: dict[str, str], refused: Refused
    ) -> AuthFailure:
        explained = json.loads(refused.body)  # explain_to_client: the true reason and details
        check = CHECK[refused.reason]
        if check == "signature" and _body_hash_differs(request, oauth):
            check = "body-hash"
        message = _MESSAGES[check](oauth, explained, self.config)
        known = check != "consumer-key" and self._known(oauth)
        diagnosis = refused.diagnosis
        if refused.reason in BEFORE_LOOKUP and known:
            # The verifier diagnoses a request it refused before looking the key up without any
            # secret; the sandbox teaches, so it names the mistake with the secret it holds.
            diagnosis = self._diagnose(request, known)
        return AuthFailure(
            check,
            message,
            known_client=known,
            consumer_key=oauth.get("oauth_consumer_key"),
            request_id=refused.request_id,
            diagnosis=diagnosis,
        )


def _body_hash_differs(request: HttpRequest, oauth: dict[str, str]) -> bool:
    """Whether a signature the verifier refused was refused for the body (the body hash draft).

    Asked only of a refused signature: the verifier checks oauth_body_hash once the signature
    holds, so a claimed hash that does not fit the body is what it refused."""
    claimed = oauth.get("oauth_body_hash")
    if claimed is None or request.is_form:
        return False
    try:
        actual = body_hash(get_method(oauth.get("oauth_signature_method", "")), request.body)
    except OAuthDebugError:
        return False
    return not hmac.compare_digest(actual.encode(), claimed.encode())


Texts = Callable[[dict[str, str], dict[str, str], SandboxConfig], str]


def _timestamp_text(oauth: dict[str, str], _: dict[str, str], config: SandboxConfig) -> str:
    """Alteryx's words for a refused timestamp; the verifier decided (RFC 5849 3.3)."""
    raw = oauth.get("oauth_timestamp", "")
    timestamp = parse_timestamp(raw)
    if timestamp is None or len(raw) > 15:
        return (
            f"The provided timestamp(oauth_timestamp) {raw!r:.40} is not a whole number of seconds "
            "since 1970-01-01T00:00:00Z."
        )
    offset = timestamp - config.now()
    direction = "behind" if offset < 0 else "ahead of"
    hint = " (is it in milliseconds?)" if looks_like_milliseconds(timestamp) else ""
    return (
        f"The provided timestamp(oauth_timestamp) is expired or not yet valid: it is "
        f"{abs(int(offset))} seconds {direction} the server's clock{hint}; the server accepts "
        f"{int(config.window_seconds)} seconds either way. Check the client's clock and time zone."
    )


def _missing_text(_: dict[str, str], explained: dict[str, str], __: SandboxConfig) -> str:
    missing = explained.get("oauth_parameters_absent", "").split("&")[0] or "(unknown)"
    return (
        f"The required parameter {missing} is missing. The Gallery requires {', '.join(REQUIRED)}."
    )


_MESSAGES: dict[Reason, Texts] = {
    "malformed": lambda _o, explained, _c: (
        f"The OAuth parameters cannot be read: {explained.get('message', '')}."
    ),
    "missing-parameter": _missing_text,
    "signature-method": lambda oauth, _e, _c: (
        f"The provided signature method(oauth_signature_method) "
        f"{oauth.get('oauth_signature_method', '')!r:.40} is not supported: the Gallery API "
        f"accepts {ALLOWED_METHOD} only."
    ),
    "version": lambda oauth, _e, _c: (
        f"The provided version(oauth_version) {oauth.get('oauth_version', '')!r:.40} is not "
        'supported: leave it out or send "1.0".'
    ),
    "consumer-key": lambda oauth, _e, _c: (
        f"The provided consumer key(oauth_consumer_key) {oauth.get('oauth_consumer_key', '')!r} "
        "is unknown: use the API key from your Gallery profile."
    ),
    "timestamp": _timestamp_text,
    "signature": lambda _o, _e, _c: SIGNATURE_INVALID,
    "body-hash": lambda _o, _e, _c: (
        "The provided body hash(oauth_body_hash) does not match the body received: the body "
        "was changed after signing, or hashed in another form than it was sent."
    ),
    "nonce": lambda _o, _e, _c: (
        "The provided nonce(oauth_nonce) has already been used. A signed request can be sent "
        "only once: sign every request anew, with a fresh nonce and timestamp (RFC 5849 3.3)."
    ),
}


# ---- OAuth 2 (Server 2021.4 and later, under /webapi/) -------------------------------------


@dataclass(frozen=True)
class IssuedToken:
    """An access token as the token endpoint answers it."""

    access_token: str = field(repr=False)  # a bearer token is a credential
    expires_in: int


class TokenStore:
    """Bearer tokens issued by ``POST /webapi/oauth2/token``, expiring by the sandbox's clock."""

    def __init__(self, lifetime: float) -> None:
        self._lifetime = lifetime
        self._lock = threading.Lock()
        self._expiry: dict[str, float] = {}

    def issue(self, token: str, now: float) -> IssuedToken:
        with self._lock:
            for old in [t for t, expiry in self._expiry.items() if expiry <= now]:
                del self._expiry[old]
            self._expiry[token] = now + self._lifetime
        return IssuedToken(token, int(self._lifetime))

    def problem(self, token: str, now: float) -> str | None:
        """None for a live token, else why it is refused."""
        with self._lock:
            expiry = self._expiry.get(token)
        if expiry is None:
            return "The access token is unknown. Get one from POST /webapi/oauth2/token."
        if expiry <= now:
            return "The access token has expired. Get a new one from POST /webapi/oauth2/token."
        return None


def client_matches(config: SandboxConfig, client_id: str, client_secret: str) -> bool:
    """Whether the OAuth 2 client credentials are the configured ones (constant time)."""
    id_ok = hmac.compare_digest(client_id.encode(), config.client_id.encode())
    secret = config.client_secret.reveal().encode()
    return hmac.compare_digest(client_secret.encode(), secret) and id_ok


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    """``Authorization: Basic base64(id:secret)`` (RFC 6749 2.3.1), or None."""
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    client_id, colon, secret = decoded.partition(":")
    return (client_id, secret) if colon else None


def bearer_token(header: str | None) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (RFC 6750 2.1), or None."""
    if header and header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None
