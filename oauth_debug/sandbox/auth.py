"""Authentication, strictly: OAuth 1.0a as the Gallery API v1 checks it, and OAuth 2 bearer tokens
as Server 2021.4 and later hand them out under /webapi/.

The OAuth 1 check reuses this package's verifier and parameter readers (one implementation of
each RFC step, DESIGN.md principle 3); what it adds is the server's policy: which parameters are
required, which method is allowed, the timestamp window and the nonce replay cache (RFC 5849
3.3). A failure is a value (:class:`AuthFailure`) that says what to tell the
client; the app turns it into Alteryx's 401 answer.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import hmac
import threading
from dataclasses import dataclass, field
from typing import Literal

from ..errors import BodyHashMismatch, InvalidRequestError, OAuthDebugError, SignatureMismatch
from ..model import HttpRequest
from ..rules import REQUIRED_PARAMETERS, looks_like_milliseconds, parse_timestamp, within_window
from ..trace import SigningTrace
from ..verify import claimed_parameters, verify
from .config import SandboxConfig

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


@dataclass(frozen=True)
class AuthFailure:
    """Why a request was refused. ``message`` goes to the client as is: it never holds a secret.

    ``known_client`` says whether the request names the consumer key the sandbox knows, i.e.
    whether a diagnosis may use the secret. ``mismatch`` is what the signature check raised (its
    trace is the right signature, computed with the secret: never sent, only handed to the
    diagnosis so that it explains the mismatch instead of computing it again).
    """

    reason: Reason
    message: str
    known_client: bool = True
    mismatch: SignatureMismatch[SigningTrace] | None = field(
        default=None, compare=False, repr=False
    )


@dataclass(frozen=True)
class AuthSuccess:
    """A request that passed every check."""

    consumer_key: str


class NonceCache:
    """The replay cache of RFC 5849 3.3: a (consumer key, nonce) pair is accepted once.

    An entry is needed only while a request with its timestamp could still pass the window, so
    it expires at ``timestamp + window``. The cache is bounded: when it is full of live entries,
    the one expiring soonest is dropped and its expiry becomes a floor: from then on any request
    whose entry would expire at or before the floor is refused, since the cache can no longer
    tell whether it is a replay. Replays are therefore never accepted, whatever the load.
    """

    def __init__(self, window: float, max_entries: int) -> None:
        self._window = window
        self._max = max_entries
        self._lock = threading.Lock()
        self._expiry: dict[tuple[str, str], float] = {}
        self._heap: list[tuple[float, str, str]] = []
        self._floor = float("-inf")

    def __len__(self) -> int:
        with self._lock:
            return len(self._expiry)

    def use(self, consumer_key: str, nonce: str, timestamp: int, now: float) -> str | None:
        """Record the nonce; None when it is fresh, else why it is refused."""
        expiry = timestamp + self._window
        with self._lock:
            self._purge(now)
            if expiry <= self._floor:
                return (
                    "The provided nonce(oauth_nonce) cannot be checked for replay: the server "
                    "saw too many requests since its timestamp. Sign the request again."
                )
            if (consumer_key, nonce) in self._expiry:
                return (
                    "The provided nonce(oauth_nonce) has already been used. A signed request "
                    "can be sent only once: sign every request anew, with a fresh nonce and "
                    "timestamp (RFC 5849 3.3)."
                )
            while len(self._expiry) >= self._max:
                dropped, key, old = heapq.heappop(self._heap)
                if self._expiry.get((key, old)) == dropped:
                    del self._expiry[(key, old)]
                    self._floor = max(self._floor, dropped)
            self._expiry[(consumer_key, nonce)] = expiry
            heapq.heappush(self._heap, (expiry, consumer_key, nonce))
        return None

    def _purge(self, now: float) -> None:
        while self._heap and self._heap[0][0] < now:
            expiry, key, nonce = heapq.heappop(self._heap)
            if self._expiry.get((key, nonce)) == expiry:
                del self._expiry[(key, nonce)]


def check_oauth1(
    request: HttpRequest, config: SandboxConfig, nonces: NonceCache, now: float
) -> AuthSuccess | AuthFailure:
    """Every check the sandbox makes on an OAuth 1 request, cheapest and least revealing first.

    The signature is checked before the nonce is recorded, so forged requests cannot fill the
    replay cache or burn a legitimate client's nonces.
    """
    try:
        oauth, placement, _realm = claimed_parameters(request)
    except InvalidRequestError as error:
        return AuthFailure("malformed", f"The OAuth parameters cannot be read: {error}")
    for name in REQUIRED:
        if not oauth.get(name):
            return AuthFailure(
                "missing-parameter",
                f"The required parameter {name} is missing. The Gallery requires "
                f"{', '.join(REQUIRED)}.",
            )
    if placement == "body":
        return AuthFailure(
            "placement",
            "The OAuth parameters must travel in the Authorization header or the query string, "
            "not in the body.",
        )
    method = oauth["oauth_signature_method"]
    if method != ALLOWED_METHOD:
        return AuthFailure(
            "signature-method",
            f"The provided signature method(oauth_signature_method) {method!r} is not "
            f"supported: the Gallery API accepts {ALLOWED_METHOD} only.",
        )
    version = oauth.get("oauth_version")
    if version is not None and version != "1.0":
        return AuthFailure(
            "version",
            f"The provided version(oauth_version) {version!r} is not supported: leave it out or "
            'send "1.0".',
        )
    if not hmac.compare_digest(oauth["oauth_consumer_key"].encode(), config.api_key.encode()):
        return AuthFailure(
            "consumer-key",
            f"The provided consumer key(oauth_consumer_key) {oauth['oauth_consumer_key']!r} is "
            "unknown: use the API key from your Gallery profile.",
            known_client=False,
        )
    stale = _timestamp_problem(oauth["oauth_timestamp"], now, config.window_seconds)
    if stale:
        return AuthFailure("timestamp", stale)
    try:
        verify(request, config.credentials)  # the signature, and oauth_body_hash when present
    except BodyHashMismatch as error:
        return AuthFailure(
            "body-hash",
            "The provided body hash(oauth_body_hash) does not match the body received: the body "
            "was changed after signing, or hashed in another form than it was sent.",
            mismatch=error,
        )
    except SignatureMismatch as error:
        return AuthFailure("signature", SIGNATURE_INVALID, mismatch=error)
    except OAuthDebugError as error:
        return AuthFailure("malformed", f"The request cannot be verified: {error}")
    replay = nonces.use(
        oauth["oauth_consumer_key"], oauth["oauth_nonce"], int(oauth["oauth_timestamp"]), now
    )
    if replay:
        return AuthFailure("nonce", replay)
    return AuthSuccess(oauth["oauth_consumer_key"])


def _timestamp_problem(raw: str, now: float, window: float) -> str | None:
    """RFC 5849 3.3: a positive integer of seconds since the epoch, close to the server's time."""
    timestamp = parse_timestamp(raw)
    if timestamp is None:
        return (
            f"The provided timestamp(oauth_timestamp) {raw!r} is not a whole number of seconds "
            "since 1970-01-01T00:00:00Z."
        )
    if within_window(timestamp, now, window):
        return None
    offset = timestamp - now
    direction = "behind" if offset < 0 else "ahead of"
    hint = " (is it in milliseconds?)" if looks_like_milliseconds(timestamp) else ""
    return (
        f"The provided timestamp(oauth_timestamp) is expired or not yet valid: it is "
        f"{abs(int(offset))} seconds {direction} the server's clock{hint}; the server accepts "
        f"{int(window)} seconds either way. Check the client's clock and time zone."
    )


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
