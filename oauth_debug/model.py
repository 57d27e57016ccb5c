"""The values that flow through the signer: requests, credentials, parameters and secrets.

All are frozen: a trace can hold them without anyone changing them behind its back (DESIGN.md, 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple

from .errors import InvalidRequestError
from .redact import REDACTED, excerpt, redact
from .rules import is_http_token

Source = Literal["query", "body", "oauth"]
"""Where a parameter was collected from (RFC 5849 3.4.1.3.1): the URL query, the form body, or the
OAuth protocol parameters (Authorization header, or the query/body when the request carries them
there: those keep their transport source)."""

HeaderInput = Mapping[str, str] | Iterable[tuple[str, str]] | None


@dataclass(frozen=True, repr=False)
class Secret:
    """A secret value that prints redacted. Revealing it is an explicit call (DESIGN.md, 7)."""

    _value: str = field(compare=True)

    def reveal(self) -> str:
        """Return the secret text. Only call this where the value must leave the process."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})" if self._value else "Secret('')"

    def __str__(self) -> str:
        return REDACTED if self._value else ""

    def __bool__(self) -> bool:
        return bool(self._value)

    def __len__(self) -> int:
        return len(self._value)

    @staticmethod
    def of(value: str | Secret | None) -> Secret:
        """Wrap ``value`` unless it already is a Secret; None becomes the empty secret."""
        if isinstance(value, Secret):
            return value
        return Secret("" if value is None else str(value))


# RFC 7230 3.2.6 token: what an HTTP method is made of.


def _require_text(part: str, value: object) -> None:
    if not isinstance(value, str):
        raise InvalidRequestError(
            f"the request {part} must be text, not {type(value).__name__}", part=part
        )


def _header_pairs(headers: HeaderInput) -> tuple[tuple[str, str], ...]:
    if headers is None:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    try:
        return tuple((_header_text(name), _header_text(value)) for name, value in items)
    except (TypeError, ValueError):
        raise InvalidRequestError(
            "the request headers must be a mapping or (name, value) pairs, not "
            f"{type(headers).__name__} {redact(repr(headers))[:60]}",
            part="headers",
        ) from None


def _header_text(value: object) -> str:
    # requests keeps some header values as bytes (requests-oauthlib's Authorization is one); str()
    # would turn them into "b'OAuth ...'". HTTP header bytes are ISO-8859-1 (RFC 7230 3.2.4).
    text = bytes(value).decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)
    _require_one_line(text)
    return text


def _require_one_line(text: str) -> None:
    # A CR or LF inside a header would end it and start another (header injection, RFC 7230 3.2).
    if "\r" in text or "\n" in text:
        raise InvalidRequestError(
            f"a header name or value contains a line break: {excerpt(text)}; a header is one line",
            part="headers",
        )


@dataclass(frozen=True, init=False, repr=False)
class HttpRequest:
    """An HTTP request as this package sees it: no I/O, just the parts a signature covers.

    ``headers`` may be given as a mapping or as (name, value) pairs; it is stored as pairs so that
    repeated headers survive. ``body`` may be bytes or text (text is encoded as UTF-8).
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None

    def __init__(
        self,
        method: str,
        url: str,
        headers: HeaderInput = None,
        body: bytes | str | None = None,
    ) -> None:
        # Checked here, once, so that a wrongly typed part fails with a message naming it instead
        # of a TypeError deep inside the pipeline (only OAuthDebugError leaves the public API).
        _require_text("method", method)
        _require_text("url", url)
        if not is_http_token(method):
            raise InvalidRequestError(
                f"the request method {method!r} is not an HTTP method name (RFC 7230 3.1.1: "
                "letters, digits and !#$%&'*+-.^_`|~, no spaces), e.g. GET or POST",
                part="method",
            )
        if isinstance(body, (bytearray, memoryview)):
            body = bytes(body)
        if body is not None and not isinstance(body, (bytes, str)):
            raise InvalidRequestError(
                f"the request body must be bytes, text or None, not {type(body).__name__}",
                part="body",
            )
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "headers", _header_pairs(headers))
        object.__setattr__(
            self, "body", body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
        )

    def __repr__(self) -> str:
        # A repr goes into logs and tracebacks: no signature in clear (the URL's query, the
        # Authorization header and a form body may each carry one, RFC 5849 3.5), and a large
        # body by its length only.
        headers = tuple((name, _header_repr(name, value)) for name, value in self.headers)
        return (
            f"HttpRequest(method={self.method!r}, url={redact(self.url)!r}, "
            f"headers={headers!r}, body={_body_repr(self.body)})"
        )

    def header(self, name: str) -> str | None:
        """The first header called ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def header_all(self, name: str) -> tuple[str, ...]:
        """Every value of header ``name`` (case-insensitive), in order."""
        wanted = name.lower()
        return tuple(value for key, value in self.headers if key.lower() == wanted)

    @cached_property  # asked several times per signature; the request never changes
    def content_type(self) -> str:
        """The media type of the body, lower-cased and without parameters ('' when absent)."""
        raw = self.header("Content-Type") or ""
        return raw.split(";", 1)[0].strip().lower()

    @property
    def is_form(self) -> bool:
        """Whether the body contributes parameters (RFC 5849 3.4.1.3.1: only this media type)."""
        return self.content_type == "application/x-www-form-urlencoded"

    def replace(
        self,
        *,
        method: str | None = None,
        url: str | None = None,
        headers: HeaderInput = None,
        body: bytes | str | None = None,
        drop_body: bool = False,
    ) -> HttpRequest:
        """A copy with some parts changed (headers replace the whole set when given)."""
        return HttpRequest(
            self.method if method is None else method,
            self.url if url is None else url,
            self.headers if headers is None else headers,
            None if drop_body else (self.body if body is None else body),
        )

    def with_header(self, name: str, value: str, *, checked: bool = False) -> HttpRequest:
        """A copy with header ``name`` set to ``value`` (replacing any of that name).

        ``checked=True`` is for a caller that built the header itself from checked parts (the
        signer's Authorization header: 3.6-encoded values and a realm without control
        characters), which skips the one-line and text checks done for any other header.
        """
        if not checked:
            _require_text("header name", name)
            _require_text("header value", value)
            _require_one_line(name)
            _require_one_line(value)
        wanted = name.lower()
        kept = [pair for pair in self.headers if pair[0].lower() != wanted]
        # Every part is already checked: skip __init__'s checks (the signer calls this per request).
        # The fields go into the new instance's __dict__ at once, as object.__setattr__ would put
        # them one by one (a frozen dataclass's fields live there too).
        copy = object.__new__(HttpRequest)
        copy.__dict__.update(
            method=self.method, url=self.url, headers=(*kept, (name, value)), body=self.body
        )
        return copy

    def without_header(self, name: str) -> HttpRequest:
        """A copy without any header called ``name``."""
        return self.replace(headers=[(k, v) for k, v in self.headers if k.lower() != name.lower()])


_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization"})


def _header_repr(name: str, value: str) -> str:
    """A header value for a repr: an OAuth header redacted, other credentials by scheme only."""
    if name.lower() in _CREDENTIAL_HEADERS:
        scheme, _, credentials = value.strip().partition(" ")
        if scheme.lower() != "oauth" and credentials:
            return f"{scheme} {REDACTED}"  # Basic user:password, a Bearer token...
    return redact(value)


BODY_REPR_LIMIT = 200
"""The longest body a repr shows; a longer one is shown by its length (a 5 MB upload, say)."""


def _body_repr(body: bytes | None) -> str:
    if body is None:
        return "None"
    if len(body) > BODY_REPR_LIMIT:
        return f"<{len(body)} bytes>"
    text = body.decode("utf-8", "replace")
    return (
        repr(body) if redact(text) == text else f"<{len(body)} bytes, redacted: {redact(text)!r}>"
    )


@dataclass(frozen=True, init=False)
class Credentials:
    """Who signs: the client (consumer) and, for three-legged flows, the token.

    Secrets are held as :class:`Secret`; plain strings are wrapped on the way in. ``rsa_key`` is PEM
    text: a private key to sign, or a public key or certificate to verify.
    """

    consumer_key: str
    consumer_secret: Secret
    token: str | None
    token_secret: Secret
    rsa_key: Secret | None

    def __init__(
        self,
        consumer_key: str,
        consumer_secret: str | Secret = "",
        token: str | None = None,
        token_secret: str | Secret = "",
        rsa_key: str | Secret | None = None,
    ) -> None:
        if not isinstance(consumer_key, str) or not isinstance(token, (str, type(None))):
            raise InvalidRequestError(
                "the consumer key must be text and the token text or None, not "
                f"{type(consumer_key).__name__} and {type(token).__name__}",
                part="credentials",
            )
        object.__setattr__(self, "consumer_key", consumer_key)
        object.__setattr__(self, "consumer_secret", Secret.of(consumer_secret))
        object.__setattr__(self, "token", token)
        object.__setattr__(self, "token_secret", Secret.of(token_secret))
        object.__setattr__(self, "rsa_key", None if rsa_key is None else Secret.of(rsa_key))

    def __getstate__(self) -> dict[str, object]:
        # All but what the signer keeps with the credentials (the signing key and its keyed
        # HMACs, oauth_debug.signer.rfc_key), which is made again after unpickling or copying.
        state = dict(self.__dict__)
        state.pop(SIGNER_MEMO, None)
        return state


SIGNER_MEMO = "_oauth_debug_rfc_key"
"""The attribute under which oauth_debug.signer.rfc_key keeps a Credentials' key material."""


class Param(NamedTuple):
    """One collected parameter, decoded, with the place it came from.

    A named tuple rather than a frozen dataclass: equally immutable, and a signature makes a
    dozen of these, where a tuple is several times cheaper to build.
    """

    name: str
    value: str
    source: Source

    def __repr__(self) -> str:
        # The oauth_signature parameter's value is a credential (the key itself for PLAINTEXT).
        value = REDACTED if self.name == "oauth_signature" and self.value else self.value
        return f"Param(name={self.name!r}, value={value!r}, source={self.source!r})"
