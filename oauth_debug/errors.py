"""Every error this package raises, each carrying the data a caller needs to act on it.

The CLI catches :class:`OAuthDebugError` at its edge and prints ``str(error)`` as one line; the
message therefore always says what to change, and the attributes hold the pieces for programs.

No error carries a signature or a secret in clear: the base class passes its message and every
text in ``data`` through :func:`oauth_debug.redact.redact`, and the subclasses' attributes are
read back from ``data``, so an error that echoes a URL, a header or a body echoes it redacted.
"""

from __future__ import annotations

from typing import Any, Generic, Protocol, TypeVar

from .redact import redact


class _SecretLike(Protocol):
    """What ``SignatureMismatch.claimed`` is: a :class:`~oauth_debug.model.Secret`, named here by
    its shape so that this module, which every other one imports, imports none of them."""

    def reveal(self) -> str: ...


class _SignedTrace(Protocol):
    """The one part of a :class:`~oauth_debug.trace.SigningTrace` the errors read."""

    @property
    def signature(self) -> str: ...


SigningTraceT = TypeVar("SigningTraceT", bound=_SignedTrace)
"""The trace type a mismatch carries (a SigningTrace: ``verify`` raises
``SignatureMismatch[SigningTrace]``), a parameter so that errors.py need not import trace.py."""


class OAuthDebugError(Exception):
    """Base class: the only exception type that leaves the public API."""

    exit_code = 2
    """The command line's exit code for this error: 2, bad input (a subclass may say otherwise)."""

    def __init__(self, message: str, **data: Any) -> None:
        # One line (the CLI prints it as one), and redacted: whatever a subclass or a caller put
        # in, a signature echoed with a URL, header or body does not leave here in clear.
        message = redact(" ".join(message.splitlines()))
        super().__init__(message)
        self.message = message
        self.data = {key: _redacted(value) for key, value in data.items()}

    def __str__(self) -> str:
        return self.message


def _redacted(value: Any) -> Any:
    """A data value with its text redacted (a str, or the strs of a tuple)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, tuple):
        return tuple(_redacted(item) for item in value)
    return value


class InvalidRequestError(OAuthDebugError):
    """The request itself cannot be signed as given (bad URL, body, header...)."""


class InvalidURLError(InvalidRequestError):
    """A URL without scheme or host, with an out-of-range port, or otherwise unusable (3.4.1.2)."""

    def __init__(self, message: str, *, url: str, component: str) -> None:
        super().__init__(message, url=url, component=component)
        self.url: str = self.data["url"]
        self.component: str = self.data["component"]


class EncodingError(InvalidRequestError):
    """Percent-encoded text that does not decode (a stray ``%`` or bytes that are not UTF-8).

    ``reason`` says what is wrong without quoting the text, for a caller that must not show it
    (the value of an oauth_signature, which for PLAINTEXT is the key, RFC 5849 3.4.4).
    """

    def __init__(self, message: str, *, text: str, reason: str = "") -> None:
        super().__init__(message, text=text, reason=reason or message)
        self.text: str = self.data["text"]
        self.reason: str = self.data["reason"]


class FormBodyError(InvalidRequestError):
    """A body declared application/x-www-form-urlencoded that cannot be decoded (3.4.1.3.1)."""


class MalformedHeaderError(InvalidRequestError):
    """An Authorization header that is not a valid OAuth header (3.5.1).

    ``header`` is the header redacted; ``position`` is the offset of the fault in the header as
    it was sent (the redacted text may be shorter).
    """

    def __init__(self, message: str, *, header: str, position: int | None = None) -> None:
        super().__init__(message, header=header, position=position)
        self.header: str = self.data["header"]
        self.position: int | None = self.data["position"]


class DuplicateOAuthParameterError(InvalidRequestError):
    """The same oauth_* protocol parameter given more than once (3.1: each must appear once)."""

    def __init__(self, message: str, *, name: str, sources: tuple[str, ...]) -> None:
        super().__init__(message, name=name, sources=sources)
        self.name: str = self.data["name"]
        self.sources: tuple[str, ...] = self.data["sources"]


class MissingParameterError(InvalidRequestError):
    """A protocol parameter that verification needs is absent (e.g. no oauth_signature)."""

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message, name=name)
        self.name: str = self.data["name"]


class UnsupportedSignatureMethodError(OAuthDebugError):
    """A signature method name this package does not know."""

    def __init__(self, message: str, *, method: str) -> None:
        super().__init__(message, method=method)
        self.method: str = self.data["method"]


class MissingKeyError(OAuthDebugError):
    """An RSA method chosen without an RSA key, or with a key that cannot be loaded."""


class MissingDependencyError(OAuthDebugError):
    """An optional dependency (an extra) is needed for what was asked."""

    def __init__(self, message: str, *, extra: str) -> None:
        super().__init__(message, extra=extra)
        self.extra: str = self.data["extra"]


class InvalidOptionError(OAuthDebugError):
    """An option value outside what is accepted (placement, timestamp, nonce...)."""


class SignatureMismatch(OAuthDebugError, Generic[SigningTraceT]):
    """Verification recomputed a different signature than the one the request claims.

    ``claimed`` is a :class:`~oauth_debug.model.Secret`: a PLAINTEXT signature is the signing key
    itself (RFC 5849 3.4.4), and any other one can be replayed within the timestamp window, so it
    prints as ``****`` until a caller reveals it.
    """

    def __init__(self, message: str, *, trace: SigningTraceT, claimed: _SecretLike) -> None:
        super().__init__(message, claimed=claimed)
        self.trace: SigningTraceT = trace
        self.claimed: _SecretLike = claimed

    @property
    def expected(self) -> str:
        """The signature this package computed for the request as sent."""
        return self.trace.signature


class BodyHashMismatch(SignatureMismatch[SigningTraceT]):
    """The signature holds, but the body is not the one its oauth_body_hash was computed over.

    The body hash draft signs the body of a non-form request only through oauth_body_hash, so a
    changed body leaves the signature intact: the server has to recompute the hash as well.
    """

    def __init__(
        self,
        message: str,
        *,
        trace: SigningTraceT,
        claimed: _SecretLike,
        claimed_hash: str,
        body_hash: str,
    ) -> None:
        super().__init__(message, trace=trace, claimed=claimed)
        self.data.update(claimed_hash=redact(claimed_hash), body_hash=redact(body_hash))
        self.claimed_hash: str = self.data["claimed_hash"]
        self.body_hash: str = self.data["body_hash"]
