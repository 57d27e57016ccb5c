"""The verifier a provider runs on each incoming request: every check of RFC 5849 3.2, each in one
place, in an order that does the same work for an unknown consumer key as for a wrong secret.

The checks that need no credentials come first (parameters, version, method, timestamp), then the
signature with the credentials the lookup gives, or with a dummy secret when it knows the key not,
so that the two cost the same and are answered alike (:mod:`oauth_debug.server.refusal`); the
nonce is recorded last, only once the signature holds (3.3), so forged requests can neither fill
the store nor burn a real client's nonces. A refusal is logged with its diagnosis
(:mod:`oauth_debug.server.log`) and raised as :class:`~oauth_debug.server.refusal.Refused`.
"""

from __future__ import annotations

import json
import secrets as _random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..diagnosis.public import for_client
from ..errors import BodyHashMismatch, OAuthDebugError, SignatureMismatch
from ..model import Credentials, HttpRequest, Secret
from ..reading import read
from ..redact import redact
from ..rules import REQUIRED_PARAMETERS, parse_timestamp, within_window
from ..verify import verify
from . import log
from .nonces import NonceStore
from .proxy import Forwarding, forwarded, networks, other_scheme
from .refusal import Reason, Refused, answer

if TYPE_CHECKING:
    from ..diagnosis.model import Diagnosis
    from ..trace import SigningTrace

Lookup = Callable[[str, "str | None"], "Credentials | None"]

REQUIRED = REQUIRED_PARAMETERS
"""RFC 5849 3.1 lets PLAINTEXT omit the timestamp and nonce; a server that omits them has no replay
check, so this one requires them of every method (as oauthlib does)."""

DEFAULT_METHODS = (
    "HMAC-SHA1",
    "HMAC-SHA256",
    "HMAC-SHA512",
    "RSA-SHA1",
    "RSA-SHA256",
    "RSA-SHA512",
)
"""PLAINTEXT is left out by default: its signature is the secret itself (3.4.4); list it in
``methods`` to accept it (over TLS only, as 3.4.4 requires)."""


@dataclass(frozen=True)
class Accepted:
    """A request whose signature holds and whose every other check passed."""

    consumer_key: str
    token: str | None
    trace: SigningTrace = field(repr=False)
    url: str
    """The URL verified: the request's, or the one a trusted proxy said the client used."""


def _table_lookup(table: Mapping[str, str | Secret | Credentials]) -> Lookup:
    """A dict ``{consumer_key: consumer_secret}`` as a lookup: two-legged only (no tokens)."""
    frozen = dict(table)

    def lookup(consumer_key: str, token: str | None) -> Credentials | None:
        found = frozen.get(consumer_key)
        if found is None or token is not None:
            return None
        if isinstance(found, Credentials):
            return found
        return Credentials(consumer_key, Secret.of(found))

    return lookup


class RequestVerifier:
    """Checks incoming OAuth 1.0a requests as a provider must (RFC 5849 3.2), and logs refusals.

    ``lookup(consumer_key, token)`` returns the :class:`Credentials` (secrets, or an RSA public key
    in ``rsa_key``) or None for a key or token it does not know; a dict ``{key: secret}`` works
    too. When it knows no such token, the verifier asks ``lookup(consumer_key, None)`` to tell an
    unknown token (``token_rejected``) from an unknown key in the log.

    ``nonces`` is a :class:`~oauth_debug.server.nonces.NonceStore`. ``clock`` gives the time
    in epoch seconds (``time.time`` by default), ``window`` how far oauth_timestamp may lie from it
    either way, ``methods`` the signature methods accepted, ``realm`` the realm of the
    ``WWW-Authenticate`` challenge. ``explain_to_client=True`` tells the client the true reason
    and the diagnosis (sandboxes and test doubles only: it tells which keys exist).
    ``trusted_proxies`` are the addresses whose ``Forwarded``/``X-Forwarded-*`` headers are
    believed (see :mod:`oauth_debug.server.proxy`).
    """

    def __init__(
        self,
        lookup: Lookup | Mapping[str, str | Secret | Credentials],
        nonces: NonceStore,
        *,
        clock: Callable[[], float] | None = None,
        window: float = 300,
        methods: Iterable[str] | None = None,
        realm: str | None = None,
        explain_to_client: bool = False,
        trusted_proxies: Iterable[str] = (),
    ) -> None:
        self.lookup: Lookup = _table_lookup(lookup) if isinstance(lookup, Mapping) else lookup
        self.nonces = nonces
        self.clock = clock or time.time
        if not window > 0:
            raise ValueError("window must be a positive number of seconds")
        self.window = float(window)
        self.methods = frozenset(DEFAULT_METHODS if methods is None else methods)
        self.realm = realm
        self.explain_to_client = explain_to_client
        self.trusted_proxies = networks(trusted_proxies)
        # The stand-in for an unknown key's secrets: random, so that no request can match it, and
        # as long as a typical secret, so that signing with it costs what a real one costs.
        self._dummy = (Secret(_random.token_urlsafe(30)), Secret(_random.token_urlsafe(30)))

    def check(self, request: HttpRequest, *, remote_addr: str | None = None) -> Accepted:
        """Return the :class:`Accepted` request, or raise :class:`Refused` (and log why).

        ``remote_addr`` is the address of the peer that sent the request (the WSGI and ASGI
        adapters pass it): forwarding headers are honoured only from a trusted proxy.
        """
        return _Check(self, request, remote_addr).run()

    def _check_with(
        self,
        request: HttpRequest,
        remote_addr: str | None,
        policy: Callable[[dict[str, str]], None],
    ) -> tuple[Accepted, dict[str, str]]:
        """:meth:`check` with one more check on the request's other parameters (LTI's), run
        before the signature; returns them with the Accepted."""
        run = _Check(self, request, remote_addr)
        run.policy = policy
        return run.run(), run.params


class _Refusal(Exception):
    """A check failed; the verifier turns it into a logged Refused (raised by policies too)."""

    def __init__(self, reason: Reason, message: str, **extra: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.extra = extra


class _Check:
    """One request's pass through the checks; holds what the log line needs."""

    def __init__(self, verifier: RequestVerifier, request: HttpRequest, remote: str | None):
        self.verifier = verifier
        self.request = request
        self.remote = remote
        self.now = float(verifier.clock())
        self.request_id = _random.token_hex(8)
        self.oauth: dict[str, str] = {}
        self.params: dict[str, str] = {}
        """The request's other parameters (query and form body), first value of each name."""
        self.credentials: Credentials | None = None
        self.known = False
        self.forwarding = Forwarding(None, False, None)
        self.hint: dict[str, Any] | None = None
        self.url = request.url
        self.unknown: Reason = "consumer_key_unknown"
        self.policy: Callable[[dict[str, str]], None] | None = None

    def run(self) -> Accepted:
        try:
            return self._checks()
        except _Refusal as refusal:
            raise self._refused(refusal) from None

    # ---- the checks, in order ---------------------------------------------------------------

    def _checks(self) -> Accepted:
        self._read_parameters()
        self._required()
        if self.policy is not None:
            self.policy(self.params)
        self._version()
        self._method()
        self._timestamp()
        self._forwarding()
        self._lookup()
        trace = self._signature()
        self._nonce()
        token = self.oauth.get("oauth_token")
        return Accepted(self.oauth["oauth_consumer_key"], token, trace, self.url)

    def _read_parameters(self) -> None:
        """3.1 and 3.5: each oauth_* parameter once, in a request that can be read at all."""
        try:
            reading = read(self.request)
        except OAuthDebugError as error:
            raise _Refusal(
                "parameter_rejected", f"the OAuth parameters cannot be read: {error}"
            ) from None
        if reading.oauth_repeated:
            everything = (*reading.query, *reading.header, *reading.body)
            names = [p.name for p in everything if p.name.startswith("oauth_")]
            repeated = sorted({name for name in names if names.count(name) > 1})
            raise _Refusal(
                "parameter_rejected",
                f"{', '.join(repeated)} given more than once: each OAuth parameter must appear "
                "once, in one place (RFC 5849 3.1)",
                oauth_parameters_rejected="&".join(repeated),
            )
        for param in (*reading.query, *reading.header, *reading.body):
            if param.name.startswith("oauth_"):
                self.oauth[param.name] = param.value
            elif param.source != "oauth":
                self.params.setdefault(param.name, param.value)

    def _required(self) -> None:
        missing = [name for name in REQUIRED if not self.oauth.get(name)]
        if missing:
            raise _Refusal(
                "parameter_absent",
                f"the request carries no {', '.join(missing)} (required: {', '.join(REQUIRED)})",
                oauth_parameters_absent="&".join(missing),
            )

    def _version(self) -> None:
        version = self.oauth.get("oauth_version")
        if version is not None and version != "1.0":
            raise _Refusal(
                "version_rejected",
                f'oauth_version is {version!r:.40}: it must be "1.0" or absent (RFC 5849 3.1)',
                oauth_acceptable_versions="1.0-1.0",
            )

    def _method(self) -> None:
        method = self.oauth["oauth_signature_method"]
        if method not in self.verifier.methods:
            raise _Refusal(
                "signature_method_rejected",
                f"oauth_signature_method {method!r:.40} is not accepted; this server accepts "
                f"{', '.join(sorted(self.verifier.methods))}",
            )

    def _timestamp(self) -> None:
        """3.3: seconds since the epoch, ASCII digits, within the window on either side."""
        raw = self.oauth["oauth_timestamp"]
        window = self.verifier.window
        acceptable = f"{int(self.now - window)}-{int(self.now + window)}"
        timestamp = parse_timestamp(raw)
        if timestamp is None or len(raw) > 15:
            raise _Refusal(
                "timestamp_refused",
                f"oauth_timestamp {raw!r:.40} is not a whole number of seconds since the epoch",
                oauth_acceptable_timestamps=acceptable,
            )
        offset = timestamp - self.now
        if not within_window(timestamp, self.now, window):
            direction = "behind" if offset < 0 else "ahead of"
            raise _Refusal(
                "timestamp_refused",
                f"oauth_timestamp is {abs(int(offset))} s {direction} the server's clock; it "
                f"accepts {window:g} s either way",
                oauth_acceptable_timestamps=acceptable,
            )

    def _forwarding(self) -> None:
        self.forwarding = forwarded(self.request, self.remote, self.verifier.trusted_proxies)
        if self.forwarding.honoured and self.forwarding.url is not None:
            self.url = self.forwarding.url

    def _lookup(self) -> None:
        key = self.oauth["oauth_consumer_key"]
        token = self.oauth.get("oauth_token")
        found = self.verifier.lookup(key, token)
        if found is not None and not isinstance(found, Credentials):
            raise TypeError(f"lookup must return Credentials or None, not {type(found).__name__}")
        self.known = found is not None
        if found is None:
            # Which one is unknown, for the log only; the client is answered alike either way.
            self.unknown = (
                "token_rejected"
                if token is not None and self.verifier.lookup(key, None) is not None
                else "consumer_key_unknown"
            )
            found = Credentials(key, self._dummy_secret(0), token, self._dummy_secret(1))
        self.credentials = found

    def _dummy_secret(self, index: int) -> Secret:
        return self.verifier._dummy[index]

    def _signature(self) -> SigningTrace:
        """3.4 and the body hash draft, by :func:`oauth_debug.verify` (constant-time compares)."""
        assert self.credentials is not None
        request = self._as_verified()
        try:
            trace = verify(request, self.credentials)
        except BodyHashMismatch as error:
            if not self.known:  # a dummy secret never gets here; kept for the shape of the code
                raise _Refusal(self.unknown, "the consumer key is unknown") from None
            raise _Refusal(
                "signature_invalid",
                f"the signature holds but the body is not the one signed: oauth_body_hash is "
                f"{error.claimed_hash!r}, the body received hashes to {error.body_hash!r}",
            ) from None
        except (SignatureMismatch, OAuthDebugError) as error:
            self._try_other_urls(request)
            if not self.known:
                who = "token" if self.unknown == "token_rejected" else "consumer key"
                raise _Refusal(self.unknown, f"the {who} is unknown to the lookup") from None
            raise _Refusal("signature_invalid", f"the signature does not verify: {error}") from None
        return trace

    def _as_verified(self) -> HttpRequest:
        return self.request if self.url == self.request.url else self.request.replace(url=self.url)

    def _try_other_urls(self, request: HttpRequest) -> None:
        """For the log: would the signature hold with the URL the proxy headers name, the one the
        server saw, or the other scheme? Done for an unknown key too (with the dummy secret, it
        never holds), so that both refusals cost the same."""
        assert self.credentials is not None
        candidates: list[tuple[str, str]] = []
        if self.forwarding.url is not None and not self.forwarding.honoured:
            candidates.append(("forwarded", self.forwarding.url))
        if self.forwarding.honoured:
            candidates.append(("as_received", self.request.url))
        candidates.append(("other_scheme", other_scheme(request.url)))
        for kind, url in candidates:
            try:
                verify(request.replace(url=url), self.credentials)
            except OAuthDebugError:
                continue
            if self.known:
                self.hint = {"would_hold_with": kind, "url": redact(url)}
                if kind == "forwarded":
                    self.hint["advice"] = (
                        f"the signature holds for the URL in {self.forwarding.header}; the peer "
                        f"{self.remote or '(unknown)'} is not in trusted_proxies"
                    )
            return

    def _nonce(self) -> None:
        """3.3: recorded only now that the signature holds, until the window could pass it."""
        key = self.oauth["oauth_consumer_key"]
        # timestamp + window: the last moment the window lets this request pass (it is within the
        # window now, so that is not before now). It depends on the request alone, not on when it
        # arrives, so a replay asks about the same expiry: what a bounded store's floor relies on.
        expires = float(self.oauth["oauth_timestamp"]) + self.verifier.window
        if not self.verifier.nonces.use(
            key,
            self.oauth.get("oauth_token"),
            self.oauth["oauth_nonce"],
            now=self.now,
            expires_at=expires,
        ):
            raise _Refusal(
                "nonce_used",
                "this oauth_nonce was already used with this consumer key, token and a timestamp "
                "still in the window: a replayed or re-sent request (RFC 5849 3.3)",
            )

    # ---- the refusal ------------------------------------------------------------------------

    def _diagnosis(self, reason: Reason) -> Diagnosis | None:
        from ..diagnosis.engine import diagnose

        credentials = self.credentials if self.known else None
        request = self._as_verified()
        try:
            if reason in ("consumer_key_unknown", "token_rejected"):
                # The same search a wrong secret gets, with the dummy secret: equal work, and its
                # result (about a secret nobody holds) is thrown away.
                diagnose(request, self.credentials, now=self.now, stale_after=self.verifier.window)
            return diagnose(request, credentials, now=self.now, stale_after=self.verifier.window)
        except OAuthDebugError:  # input no diagnosis can read (a URL without a host, say)
            return None
        except Exception:  # the refusal is decided; a diagnosis bug must not turn it into a 500
            log.logger.exception("the diagnosis failed on refused request %s", self.request_id)
            return None

    def _refused(self, refusal: _Refusal) -> Refused:
        diagnosis = self._diagnosis(refusal.reason)
        client_view: dict[str, Any] | None = None
        if self.verifier.explain_to_client and diagnosis is not None:
            client_view = for_client(diagnosis)
        status, headers, body = answer(
            refusal.reason,
            request_id=self.request_id,
            realm=self.verifier.realm,
            explain=self.verifier.explain_to_client,
            message=refusal.message,
            extra=refusal.extra,
            client_diagnosis=client_view,
        )
        record: dict[str, Any] = {
            "event": "oauth1_refused",
            "request_id": self.request_id,
            "reason": refusal.reason,
            "status": status,
            "message": refusal.message,
            "consumer_key": self.oauth.get("oauth_consumer_key"),
            "token": self.oauth.get("oauth_token"),
            "method": self.request.method,
            "url": redact(self.url),
            "remote_addr": self.remote,
            "signature_method": self.oauth.get("oauth_signature_method"),
            **log.diagnosis_fields(diagnosis),
            "base_string": None if diagnosis is None else diagnosis.base_string,
            "forwarded": self._forwarding_record(),
        }
        line = log.emit(record, self._secrets())
        return Refused(
            f"refused ({refusal.reason}): {refusal.message}",
            reason=refusal.reason,
            status=status,
            headers=headers,
            body=body,
            request_id=self.request_id,
            diagnosis=diagnosis,
            log_record=json.loads(line),
        )

    def _forwarding_record(self) -> dict[str, Any] | None:
        if self.forwarding.header is None and self.hint is None:
            return None
        return {
            "header": self.forwarding.header,
            "honoured": self.forwarding.honoured,
            "url": None if self.forwarding.url is None else redact(self.forwarding.url),
            **(self.hint or {}),
        }

    def _secrets(self) -> list[str]:
        found = [self.oauth.get("oauth_signature", "")]
        if self.credentials is not None:
            found += [
                self.credentials.consumer_secret.reveal(),
                self.credentials.token_secret.reveal(),
            ]
        return found
