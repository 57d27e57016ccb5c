"""The frozen record of one signature computation: every intermediate step, in order.

Verification, diagnosis, the renderers, the live client and the sandbox all read these values;
nothing recomputes them (DESIGN.md, "the idea in one paragraph").
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from .encoding import percent_encode
from .model import HttpRequest, Param, Secret
from .recipe import RFC, Recipe
from .redact import REDACTED, redact
from .rules import Placement
from .uri import DEFAULT_PORTS, own_query, split_url


@dataclass(frozen=True, repr=False)
class BaseStringParts:
    """The three pieces that the two separating "&" join (3.4.1.1).

    Each piece is already percent-encoded, so every "&" *inside* ``parameters`` shows as ``%26`` and
    every "=" as ``%3D``: those came from the normalized parameter string.
    """

    method: str
    uri: str
    parameters: str

    def __repr__(self) -> str:
        # A recipe keeping the query in the URI (a mistake a diagnosis replays) brings the signed
        # URL's oauth_signature in, encoded: redacted like every repr of the package.
        return (
            f"BaseStringParts(method={self.method!r}, uri={redact(self.uri)!r}, "
            f"parameters={redact(self.parameters)!r})"
        )

    def joined(self) -> str:
        return f"{self.method}&{self.uri}&{self.parameters}"


@dataclass(frozen=True, repr=False)
class SigningTrace:
    """Everything that went into one signature, step by step (RFC 5849 3.4)."""

    request: HttpRequest
    """The request as given (before signing) or as received (when verifying)."""
    parameters: tuple[Param, ...]
    """3.4.1.3.1: every collected parameter, decoded, with its source, in collection order."""
    normalized_parameters: str
    """3.4.1.3.2: the normalized parameter string."""
    base_string_uri: str
    """3.4.1.2: the base string URI."""
    base_string_parts: BaseStringParts
    """3.4.1.1: method, encoded URI and encoded parameter string."""
    signature_method: str
    signing_key: Secret
    """3.4.2 / 3.4.4: the key (consumer secret & token secret); for RSA, the private key PEM."""
    digest: bytes
    """The raw MAC or RSA signature bytes (for PLAINTEXT, the key's bytes)."""
    signature: str
    """The oauth_signature value, before transport encoding."""
    oauth_parameters: tuple[tuple[str, str], ...]
    """The protocol parameters as sent, oauth_signature last."""
    placement: Placement
    realm: str | None = None
    signed_request: HttpRequest | None = None
    """When signing: the request with the signature placed (header, query or body)."""
    recipe: Recipe = RFC
    sorted_pairs: tuple[tuple[str, str], ...] = ()
    """3.4.1.3.2 steps 1-2: the parameters encoded and sorted, as the normalized string joins
    them (empty in a trace made by hand, which then has only the joined string)."""

    @classmethod
    def of(cls, **values: Any) -> SigningTrace:
        """A trace from every one of its fields, by name, made without the dataclass ``__init__``.

        The signer makes one trace per signature, and a frozen dataclass's ``__init__`` sets each
        field through ``object.__setattr__``, about a microsecond for these fifteen; the fields
        are written into the new instance's ``__dict__`` at once instead. Every field must be
        given (a missing one would be an attribute error later), which a test holds.
        """
        if values.keys() != _FIELD_NAMES:
            missing = _FIELD_NAMES.difference(values)
            unknown = set(values).difference(_FIELD_NAMES)
            raise TypeError(
                f"SigningTrace.of() misses {', '.join(sorted(missing)) or 'nothing'} and got "
                f"{', '.join(sorted(unknown)) or 'nothing else'}"
            )
        trace = object.__new__(cls)
        trace.__dict__.update(values)
        return trace

    """How each step was done; ``RFC`` unless a diagnosis is replaying a mistake."""

    def __repr__(self) -> str:
        # A short repr that cannot leak: PLAINTEXT's signature, digest and signed request all hold
        # the signing key itself (3.4.4), and any other signature a verifier computed is the right
        # one for the request, replayable within the window (3.3): only the secret-free steps are
        # shown (DESIGN.md, 7). A recipe that keeps the query in the base string URI (a mistake a
        # diagnosis replays) may bring an oauth_signature in, which redact() elides.
        return (
            f"SigningTrace(signature_method={self.signature_method!r}, "
            f"placement={self.placement!r}, base_string={redact(self.base_string)!r}, "
            f"signature={REDACTED!r})"
        )

    @property
    def base_string(self) -> str:
        """3.4.1.1: METHOD & encoded URI & encoded parameters."""
        return self.base_string_parts.joined()

    @property
    def digest_hex(self) -> str:
        return self.digest.hex()

    @property
    def transport_signature(self) -> str:
        """The signature as it is written on the wire (3.5: percent-encoded in every place)."""
        return percent_encode(self.signature)

    @property
    def authorization_header(self) -> str | None:
        if self.signed_request is None:
            return None
        return self.signed_request.header("Authorization")

    @property
    def signed_url(self) -> str | None:
        return None if self.signed_request is None else self.signed_request.url


_FIELD_NAMES = frozenset(field.name for field in fields(SigningTrace))


@dataclass(frozen=True)
class UriChanges:
    """What 3.4.1.2 changed between the request's URL and the trace's base string URI, as the
    trace's recipe did it (a recipe that keeps the host's case lowered nothing)."""

    lowered: bool
    """The scheme or the host had upper-case letters, and they were lower-cased."""
    scheme: str
    """The request's scheme, lower-cased (what a dropped default port is the default of)."""
    dropped_port: int | None
    """The port written in the URL and left out as the scheme's default."""
    query_left_out: bool
    """The URL had a query and none of it is in the base string URI."""
    empty_path: bool
    """The URL had no path: the base string URI has "/"."""


def uri_changes(trace: SigningTrace) -> UriChanges:
    """The changes 3.4.1.2 made to ``trace.request.url`` under ``trace.recipe`` (the same rules
    as :func:`oauth_debug.uri.base_string_uri` reads from the recipe), for a renderer to tell."""
    recipe = trace.recipe
    parts = split_url(trace.request.url)
    scheme = parts.scheme.lower()
    lowered = not recipe.keep_host_case and (
        parts.scheme != scheme or parts.host != parts.host.lower()
    )
    default = parts.port is not None and parts.port == DEFAULT_PORTS.get(scheme)
    kept_query = recipe.keep_query or (
        recipe.query_in_uri == "own" and bool(own_query(parts.query))
    )
    return UriChanges(
        lowered=lowered,
        scheme=scheme,
        dropped_port=parts.port if default and recipe.port != "always" else None,
        query_left_out=bool(parts.query) and not kept_query,
        empty_path=not parts.path,
    )
