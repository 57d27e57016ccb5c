"""How each signing step is done: RFC 5849 by default, one named deviation per field.

The signer runs one pipeline (collect, normalize, base string URI, base string, key, digest, output,
transport) and asks a :class:`Recipe` how to do each step. ``Recipe()`` is the RFC. A mistake people
make is a :func:`dataclasses.replace` of one field, so the diagnosis can enumerate mistakes without
a second copy of the pipeline (DESIGN.md, principle 3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, quote_plus

from .encoding import percent_encode

MethodCase = Literal["upper", "lower", "title"]
PortRule = Literal["rfc", "always", "never"]
UriEncoding = Literal["rfc", "none", "keep-slashes"]
ParamEncoding = Literal["once", "twice", "none"]
SortRule = Literal["rfc", "none", "joined"]
DigestEncoding = Literal["base64", "hex", "urlsafe", "unpadded"]
Transport = Literal["rfc", "not-encoded", "double-encoded"]
PaddedSecret = Literal["none", "consumer", "token"]

_HEX_ESCAPE = re.compile(r"%[0-9A-F]{2}")


@dataclass(frozen=True)
class Recipe:
    """Step policies. Every default is what RFC 5849 requires; the section is named per field."""

    # 3.4.1.1: the HTTP method, upper-cased; ``method`` overrides the one the request was sent with.
    method_case: MethodCase = "upper"
    method: str | None = None
    # 3.4.1.2: the base string URI.
    flip_scheme: bool = False
    keep_host_case: bool = False
    port: PortRule = "rfc"
    keep_query: bool = False
    toggle_trailing_slash: bool = False
    uri_encoding: UriEncoding = "rfc"
    # 3.6: how the person percent-encodes, wherever they do.
    lowercase_hex: bool = False
    space_as_plus: bool = False
    keep_reserved: bool = False
    # 3.4.1.3.1: which parameters are collected.
    include_query: bool = True
    include_body: bool = True
    include_empty_signature: bool = False
    include_realm: bool = False
    drop_empty: bool = False
    toggle_version: bool = False
    # 3.4.1.3.1: a body that is not application/x-www-form-urlencoded parsed as parameters anyway.
    body_as_form: bool = False
    # 3.4.1.3.2: normalization.
    param_encoding: ParamEncoding = "once"
    sort: SortRule = "rfc"
    encode_normalized: bool = True
    # 3.4.2: the key.
    key_ampersand: bool = True
    key_encoded: bool = True
    # 3.4.2: a secret pasted with a trailing space (the secret as used is not the one issued).
    padded_secret: PaddedSecret = "none"
    # 3.4.2: the MAC's hash; None means the one the declared method names.
    hash_name: str | None = None
    # 3.4.2 (last step): how the digest is written out.
    digest_encoding: DigestEncoding = "base64"
    # 3.5: how the signature travels (what the server decodes from the URL or form body).
    transport: Transport = "rfc"

    def encoder(self, extra_safe: str = "") -> Callable[[str], str]:
        """The percent-encoder this recipe uses (3.6 unless a mistake changes it)."""
        return _encoder(self.lowercase_hex, self.space_as_plus, self.keep_reserved, extra_safe)


RFC = Recipe()
"""The recipe RFC 5849 prescribes."""


@lru_cache(maxsize=64)
def _encoder(
    lowercase_hex: bool, space_as_plus: bool, keep_reserved: bool, extra_safe: str
) -> Callable[[str], str]:
    safe = extra_safe + ("!*'()" if keep_reserved else "")
    if not (lowercase_hex or space_as_plus or safe):
        return percent_encode

    def encode(value: str) -> str:
        text = quote_plus(value, safe=safe) if space_as_plus else quote(value, safe=safe)
        if lowercase_hex:
            text = _HEX_ESCAPE.sub(lambda match: match.group(0).lower(), text)
        return text

    return encode
